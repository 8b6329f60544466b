"""Every write to filings and feedback, one module per concern: the citizen's steps and the status change
each step goes through (filings: submit, resubmit, withdraw), the officer's steps (officer_steps: receive,
start, complete, reject, return for correction), the declaration PDF (declarations), the confirmation
of an e-mail address typed on a filing's form (email_confirmation), the holiday table with the due
dates counted again when it changes (holidays), and feedback sent and answered (feedback). Each function
is one transaction.

The public names are imported here, so that `from public_services.services import filing_submit`
reads as before; a test replacing a name replaces it in the module that looks it up
(`public_services.services.filings.person_notify`), not here.
"""

from .declarations import (
    declaration_render,
    filing_build_declaration,
    filings_missing_declarations,
    filings_retry_declarations,
)
from .email_confirmation import (
    CONFIRMATIONS_PER_ADDRESS,
    RESEND_WAIT,
    RESENDS_PER_FILING,
    ConfirmationsRefused,
    ConfirmationsUnavailable,
    filing_email_confirm,
    filing_email_confirmation_resend,
)
from .feedback import (
    ATTACHMENT_POSTS_RATE,
    CONFIRMATIONS_PER_HOUR,
    SUBMIT_RATE,
    TRACKING_LENGTH,
    TRACKING_NUMBER,
    TRACKING_PREFIX,
    FeedbackAlreadyAnswered,
    FeedbacksUnavailable,
    TooManyAttachments,
    TooManyFeedbacks,
    feedback_answer,
    feedback_attachment_counted,
    feedback_submit,
)
from .filings import (
    SUBMISSIONS_PER_LOGIN,
    SUBMISSIONS_WINDOW,
    UPLOAD_DIR,
    FilingAlreadyInStatus,
    FilingReturnedAgain,
    FilingsRefused,
    check_move,
    filing_resubmit,
    filing_submit,
    filing_withdraw,
    uploads_sweep,
)
from .holidays import (
    NOTIFY_AFTER_SECONDS,
    NOTIFY_RUN_SECONDS,
    due_dates_moved_notify,
    due_dates_recounted,
    holiday_change_started,
    holiday_save,
    holidays_delete,
    wait_for_holiday_changes,
)
from .officer_steps import (
    NOTE_MAX_LENGTH,
    CompletionChangedMeanwhile,
    FilingChangedMeanwhile,
    filing_complete,
    filing_receive,
    filing_reject,
    filing_return,
    filing_start,
)

__all__ = [
    "ATTACHMENT_POSTS_RATE", "CONFIRMATIONS_PER_ADDRESS", "CONFIRMATIONS_PER_HOUR", "NOTE_MAX_LENGTH",
    "NOTIFY_AFTER_SECONDS", "NOTIFY_RUN_SECONDS", "RESENDS_PER_FILING", "RESEND_WAIT", "SUBMISSIONS_PER_LOGIN",
    "SUBMISSIONS_WINDOW", "SUBMIT_RATE", "TRACKING_LENGTH", "TRACKING_NUMBER", "TRACKING_PREFIX", "UPLOAD_DIR",
    "CompletionChangedMeanwhile", "ConfirmationsRefused", "ConfirmationsUnavailable", "FeedbackAlreadyAnswered",
    "FeedbacksUnavailable", "FilingAlreadyInStatus", "FilingChangedMeanwhile", "FilingReturnedAgain", "FilingsRefused",
    "TooManyAttachments", "TooManyFeedbacks", "check_move", "declaration_render", "due_dates_moved_notify",
    "due_dates_recounted", "feedback_answer", "feedback_attachment_counted", "feedback_submit",
    "filing_build_declaration", "filing_complete", "filing_email_confirm", "filing_email_confirmation_resend",
    "filing_receive", "filing_reject", "filing_resubmit", "filing_return", "filing_start", "filing_submit",
    "filing_withdraw", "filings_missing_declarations", "filings_retry_declarations", "holiday_change_started",
    "holiday_save", "holidays_delete", "uploads_sweep", "wait_for_holiday_changes",
]
