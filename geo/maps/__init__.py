"""The maps: folium builders (offline export, choropleths, zone maps), symbols and legend, the polyline
codec, town labels, tiles, and the data files the browser map reads (payload).
"""
