"""Verifiable statements of participation (the PDF and its public check page)."""
