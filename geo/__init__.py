"""Standortatlas domain package: data build, storage, validation, indicators, maps and charts.

Nothing in this package imports Streamlit (a test enforces it); the page modules under ``views/`` are the only
place where widgets are drawn.
"""
