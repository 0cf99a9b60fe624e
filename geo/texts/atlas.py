"""Texts of the atlas part of the app."""

TEXTS: dict[str, dict[str, str]] = {
}
