"""``python -m geo build``: the shipped GeoPackages rebuilt from data/sources/ and registry packages."""
