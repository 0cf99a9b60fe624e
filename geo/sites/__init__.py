"""What a site is and the rules it follows: place rules (names, URLs, bounds), plot facts (fields, checks,
labels), the filter and its URL form, the surroundings (airport, station, city) and the bundled list's date.
"""
