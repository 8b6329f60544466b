"""Citizen pages of "Dịch vụ công", one module per concern: the procedures, a procedure's form and the
review page that submits it (procedures), what the form and a correction share between posts: the
drafts in the session, the files kept, the count of posts carrying files (drafts), the citizen's
filings: the list, a filing's status page, a document's download, withdraw (filings), correct-and-resubmit
when the agency returned a filing (correction), the confirmation of an e-mail address typed on a form
(email_confirmation), and feedback (feedback).

The views and the public names are imported here, so that `from public_services.views import filing_status`
reads as before; a test replacing a name replaces it in the module that looks it up
(`public_services.views.correction.filing_resubmit`, `public_services.views.drafts.UPLOAD_POSTS_PER_LOGIN`),
not here.
"""

from .correction import filing_edit
from .drafts import DRAFTS, REMOVE_FILES, UPLOAD_POSTS_PER_LOGIN, uploads_limited
from .email_confirmation import email_confirm, filing_email_resend
from .feedback import feedback_form, feedback_lookup, feedback_status
from .filings import FILINGS_PER_PAGE, POLL_SECONDS, filing_document, filing_list, filing_status, filing_withdraw_view
from .procedures import index, procedure_form, review

__all__ = [
    "DRAFTS", "FILINGS_PER_PAGE", "POLL_SECONDS", "REMOVE_FILES", "UPLOAD_POSTS_PER_LOGIN", "email_confirm",
    "feedback_form", "feedback_lookup", "feedback_status", "filing_document", "filing_edit", "filing_email_resend",
    "filing_list", "filing_status", "filing_withdraw_view", "index", "procedure_form", "review", "uploads_limited",
]
