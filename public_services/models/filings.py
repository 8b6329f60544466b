"""Filings of public-service procedures and their status history."""

__all__: list[str] = []
