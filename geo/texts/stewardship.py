"""Texts of the stewardship part of the app."""

TEXTS: dict[str, dict[str, str]] = {
}
