"""Admin of the health_card app: cards and keys (card.py), clinic API tokens (tokens.py), medical
visits (visits.py)."""

from . import card, tokens, visits  # noqa: F401
