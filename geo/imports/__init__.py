"""A steward's file to checked changes: reading it, checking its rows, placing them, comparing them with the
live data, applying them (through geo.store), and the steward's access.
"""
