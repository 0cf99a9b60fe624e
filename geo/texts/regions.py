"""Texts of the regions part of the app."""

TEXTS: dict[str, dict[str, str]] = {
}
