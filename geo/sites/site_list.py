"""Facts about the bundled site list (data/sources/sites.csv) that the running app needs.

Kept apart from `geo.build.sites` so that the app (indicators, source notes) can name the list's date
without importing the build pipeline.
"""

from __future__ import annotations

# The site list was compiled from stored copies of public pages in November 2026
# (data/sources/sites_reference.md); the build writes it as `updated` (the day a row was last checked)
# unless the row carries its own date, the day its text, place or figures were last checked and changed.
SOURCE_DATE = "2026-11-25"
