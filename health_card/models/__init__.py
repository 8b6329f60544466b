"""Models of the health_card app: the BHYT card and its signing (card.py), the medical-visit
history (visits.py)."""

from .card import *  # noqa: F401,F403
from .visits import *  # noqa: F401,F403
