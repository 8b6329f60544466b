"""Models of the public_services app: filings and their history (filings.py), the working-day
calendar with Vietnamese public holidays (calendar.py)."""

from .calendar import *  # noqa: F401,F403
from .feedback import *  # noqa: F401,F403
from .filings import *  # noqa: F401,F403
