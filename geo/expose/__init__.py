"""Exposé PDFs of sites and shortlists, and the offline map drawing they share with the print view."""

from geo.expose.document import DEFAULT_BASE_URL, ExposeData, ExposeError, expose_pdf

__all__ = ["DEFAULT_BASE_URL", "ExposeData", "ExposeError", "expose_pdf"]
