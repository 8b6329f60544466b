"""Admin of the health_card app: cards and keys (card.py), medical visits (visits.py)."""

from . import card, visits  # noqa: F401
