"""What the atlas tells about chosen sites: the site profile, the shortlist comparison, the downloads of the
sites table (CSV, GeoJSON), the exposé PDF (document) and the print view of the map.

Import the modules themselves (``geo.expose.document``): the PDF modules pull in reportlab, which only the
pages with PDF downloads need.
"""
