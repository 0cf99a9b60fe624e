"""The maps: what the atlas map (static/atlas_map/, views/atlas_map.py) draws from — the data files the
browser reads (payload), symbols and legend, the polyline codec, town labels, tiles — the district and zone
maps' arguments (choropleth) and the offline export of a map as one page (export).
"""
