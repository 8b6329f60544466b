"""Admin of the public_services app, one module per concern: filings, their queue and page (filings.py)
and the officer's steps on them (steps.py), feedback (feedback.py) and the public-holiday table that due
dates are counted with (holidays.py). Django's autodiscover imports this package: importing each module
here registers its admin.

The public names are imported here, so that `from public_services.admin import told_message` reads as
before; a test replacing a name replaces it in the module that looks it up
(`public_services.admin.steps.filing_receive`), not here.
"""

from .feedback import FeedbackAdmin, FeedbackAnswerForm
from .filings import FilingAdmin, OpenFilter, ProcedureFilter
from .holidays import HolidayAdmin, HolidayForm, YearFilter
from .steps import (
    NOT_SENT,
    NOTE_STEPS,
    RECEIVED_MANY,
    STARTED_MANY,
    STEP_DONE,
    STEPS,
    WHOM,
    FilingSteps,
    told_message,
    will_tell,
)

__all__ = [
    "NOT_SENT", "NOTE_STEPS", "RECEIVED_MANY", "STARTED_MANY", "STEP_DONE", "STEPS", "WHOM", "FeedbackAdmin",
    "FeedbackAnswerForm", "FilingAdmin", "FilingSteps", "HolidayAdmin", "HolidayForm", "OpenFilter", "ProcedureFilter",
    "YearFilter", "told_message", "will_tell",
]
