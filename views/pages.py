"""The pages of the atlas, as the router (app.py) lists them: one table, which the smoke test and the
benchmark read too, so a new page is tested and measured from the moment it is listed here.

Each page is (script, URL path, title key in geo/texts/, icon). URL paths are stable and speakable.
"""

from __future__ import annotations

PageSpec = tuple[str, str, str, str]

# the pages of the sidebar, in its order
MAIN_PAGES: list[PageSpec] = [
    ("views/karte.py", "karte", "nav_map", ":material/map:"),
    ("views/standorte.py", "standorte", "nav_sites", ":material/list:"),
    ("views/vergleich.py", "vergleich", "nav_compare", ":material/compare:"),
    ("views/regionen.py", "regionen", "nav_regions", ":material/bar_chart:"),
    ("views/strukturwandel.py", "strukturwandel", "nav_structural_change", ":material/factory:"),
    ("views/daten.py", "daten", "nav_data", ":material/info:"),
]
# Pages without the frame: embedded in other websites or shown full-screen on a big screen.
FRAMELESS_PAGES: list[PageSpec] = [
    ("views/einbetten.py", "einbetten", "nav_embed", ":material/code:"),
    ("views/praesentation.py", "praesentation", "nav_presentation", ":material/slideshow:"),
]
STAFF_PAGES: list[PageSpec] = [("views/pflege.py", "pflege", "nav_stewardship", ":material/edit_note:")]
# Without a configured password the staff address still answers, with a plain "not available" page,
# instead of Streamlit's "page does not seem to exist" followed by the map. It is never linked.
STAFF_UNAVAILABLE_PAGE: PageSpec = ("views/pflege_nicht_verfuegbar.py", "pflege", "nav_stewardship", ":material/block:")
