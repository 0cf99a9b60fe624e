"""Texts of the present part of the app."""

TEXTS: dict[str, dict[str, str]] = {
}
