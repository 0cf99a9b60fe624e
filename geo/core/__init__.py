"""The ground every room stands on: paths, data contracts (columns, vocabularies, coordinate systems),
errors and exit codes, number and date formatting, the CSV writer, value rules, the registry sources and
the web libraries the app serves itself, the fields of a site. Imports nothing from the other rooms.
"""
