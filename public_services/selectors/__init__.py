"""Every read of filings and feedback, scoped to who is asking (page query counts stay constant), one
module per concern: a citizen's filings and why a new one or a resubmission is refused (filings), the
e-mail address typed on a form and its confirmation (email_confirmation), what a filing's status means
for the citizen next and where its declaration stands (next_step), whom a filing's steps are told (told),
the reads of the officer's steps (officer_steps), and feedback (feedback).

The public names are imported here, so that `from public_services.selectors import filing_next_step`
reads as before; a test replacing a name replaces it in the module that looks it up
(`public_services.selectors.told.typed_email_confirmed`), not here.
"""

from .email_confirmation import (
    EMAIL_CONFIRMATION_DAYS,
    email_confirmation_resend_offered,
    email_confirmation_token,
    email_key,
    filing_of_email_confirmation,
    typed_email,
    typed_email_confirmed,
    typed_email_confirmed_elsewhere,
)
from .feedback import (
    feedback_by_tracking,
    feedback_contact_channels,
    feedback_for_sender,
    feedback_message_key,
    feedback_unconfirmed_channels,
    feedback_visible_to,
)
from .filings import (
    already_open,
    citizen_person_ids,
    correction_initial,
    filing_declarant,
    filing_for_citizen,
    filing_submitted_with,
    filings_left_by,
    filings_made_since,
    filings_of,
    open_filing_of,
    resubmit_refused,
)
from .next_step import (
    PDF_PATIENCE_SECONDS,
    NextStep,
    declaration_given_up_note,
    filing_declaration_state,
    filing_next_step,
)
from .officer_steps import (
    COMPLETION_DIGEST_LANGUAGE,
    DECISION_PAGE_MAX_AGE,
    OWN_CASE,
    OWN_CASE_HERE,
    completion_changes,
    completion_confirmed,
    completion_digest,
    completion_digest_shown,
    completion_warnings,
    decision_page_token,
    filing_gone_from_scope,
    filings_visible_to,
    is_officers_own_case,
)
from .told import (
    FILER_TOLD_INSTEAD,
    NOBODY_TO_CORRECT,
    WAITS_FOR_REGISTRATION,
    WAITS_FOR_REOPENING,
    FilingsTold,
    filer_told_instead,
    filing_email_recipient,
    filing_note_told_by,
    filings_told,
    nobody_to_correct,
)

__all__ = [
    "COMPLETION_DIGEST_LANGUAGE", "DECISION_PAGE_MAX_AGE", "EMAIL_CONFIRMATION_DAYS", "FILER_TOLD_INSTEAD",
    "NOBODY_TO_CORRECT", "OWN_CASE", "OWN_CASE_HERE", "PDF_PATIENCE_SECONDS", "WAITS_FOR_REGISTRATION",
    "WAITS_FOR_REOPENING", "FilingsTold", "NextStep", "already_open", "citizen_person_ids", "completion_changes",
    "completion_confirmed", "completion_digest", "completion_digest_shown", "completion_warnings",
    "correction_initial", "declaration_given_up_note", "decision_page_token", "email_confirmation_resend_offered",
    "email_confirmation_token", "email_key", "feedback_by_tracking", "feedback_contact_channels", "feedback_for_sender",
    "feedback_message_key", "feedback_unconfirmed_channels", "feedback_visible_to", "filer_told_instead",
    "filing_declarant", "filing_declaration_state", "filing_email_recipient", "filing_for_citizen",
    "filing_gone_from_scope", "filing_next_step", "filing_note_told_by", "filing_of_email_confirmation",
    "filing_submitted_with", "filings_left_by", "filings_made_since", "filings_of", "filings_told",
    "filings_visible_to", "is_officers_own_case", "nobody_to_correct", "open_filing_of", "resubmit_refused",
    "typed_email", "typed_email_confirmed", "typed_email_confirmed_elsewhere",
]
