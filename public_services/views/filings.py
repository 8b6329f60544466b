"""The citizen's filings: the list, a filing's status page with its history, its documents and the
link to its declaration PDF, a document's download, and withdraw (asked on a page of its own first: it
cannot be undone).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.selectors import viewing
from vssid_portal.files import DEFAULT_MAX_AGE, private_file_response, private_file_url
from vssid_portal.paging import paginate

from ..models import Filing
from ..selectors import (
    email_confirmation_resend_offered,
    filing_declaration_state,
    filing_for_citizen,
    filing_next_step,
    filings_left_by,
    filings_of,
    resubmit_refused,
    typed_email,
    typed_email_confirmed,
)
from ..services import filing_withdraw
from .drafts import person_or_404

POLL_SECONDS = 3
FILINGS_PER_PAGE = 20


@login_required
def filing_list(request):
    """The person's filings, newest first, FILINGS_PER_PAGE a page."""
    person = person_or_404(request)
    paged = paginate(filings_of(person=person), request.GET.get("trang"), per_page=FILINGS_PER_PAGE)
    context = viewing(request.user, person)
    left = [] if context["viewing_child"] else list(filings_left_by(user=request.user))
    return render(request, "public_services/filing_list.html", {
        **context, "filings": [(filing, filing.procedure) for filing in paged["page"]], **paged,
        "left": [(filing, filing.procedure) for filing in left],
        "to_register": any(not filing.locked for filing in left),  # a locked login is the agency's to open
    })


def filing_or_404(request, pk) -> Filing:
    filing = filing_for_citizen(user=request.user, pk=pk)
    if filing is None:
        raise Http404
    return filing


def _pdf_state(filing: Filing, user) -> dict:
    return {**filing_declaration_state(filing, user=user), "poll_seconds": POLL_SECONDS}


@login_required
@never_cache
def filing_status(request, pk):
    return status_page(request, filing_or_404(request, pk))


def status_page(request, filing: Filing):
    procedure = filing.procedure
    pdf_url = earlier_submitted_at = None
    if filing.declaration_is_earlier:  # withdrawn before the declaration of its last submission was built
        earlier_submitted_at = filing.submitted_at_of(filing.declaration_revision)
    if filing.declaration_revision:
        pdf_url = private_file_url(filing.declaration_pdf.name, user=request.user,
                                   filename=filing.declaration_filename,
                                   back=reverse("public_services:filing", args=[filing.pk]))
    return render(request, "public_services/filing_status.html", {
        "filing": filing, "procedure": procedure,
        "rows": procedure.filing_rows(filing, user=request.user),
        "next_step": filing_next_step(filing, user=request.user),
        "events": list(filing.events.all()), "documents": named_documents(procedure, list(filing.documents.all())),
        "pdf_url": pdf_url, "earlier_submitted_at": earlier_submitted_at, "resubmit_refused": resubmit_refused(filing, user=request.user),
        "link_minutes": DEFAULT_MAX_AGE // 60,
        # Beside the address typed on the form: whether its owner confirmed it (else no e-mail goes
        # there), and while the filing is open the button asking the confirmation e-mail again.
        "email_confirmed": typed_email_confirmed(filing) if typed_email(filing) else None,
        "email_resend": email_confirmation_resend_offered(filing),
        **_pdf_state(filing, request.user),
    })


def named_documents(procedure, documents) -> list:
    """The filing's documents, each named (`display_label`) by its field's label in the page's
    language; the name stored with it (Vietnamese, as submitted) when the field is gone."""
    labels = {name: field.label for name, field in procedure.form_class.base_fields.items()}
    for document in documents:
        document.display_label = (document.filename if document.is_several
                                  else labels.get(document.field) or document.label)
    return documents


def _cannot_withdraw(request, filing: Filing):
    """Back to the status page, saying why: withdrawn already (a second tap, the back button, a
    retry) or received by the agency meanwhile."""
    if filing.status == Filing.Status.WITHDRAWN:
        messages.info(request, gettext("Hồ sơ %(number)s đã được rút.") % {"number": filing.tracking_number})
    else:
        messages.error(request, gettext("Chỉ rút được hồ sơ khi cơ quan BHXH chưa tiếp nhận hoặc đã trả lại để "
                                        "bổ sung."))
    return redirect("public_services:filing", pk=filing.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def filing_withdraw_view(request, pk):
    """GET: what withdrawing means, and the button that does it (it cannot be undone, so a tap on
    the status page only leads here); POST: withdraw. Someone else's filing is a 404 either way."""
    filing = filing_or_404(request, pk)
    if request.method == "GET":
        if not filing.can_withdraw:
            return _cannot_withdraw(request, filing)
        return render(request, "public_services/withdraw_confirm.html",
                      {"filing": filing, "procedure": filing.procedure})
    try:
        filing_withdraw(filing=filing, user=request.user)
    except ValidationError as error:
        filing.refresh_from_db(fields=["status"])
        if filing.status == Filing.Status.WITHDRAWN:
            return _cannot_withdraw(request, filing)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Đã rút hồ sơ %(number)s.") % {"number": filing.tracking_number})
    return redirect("public_services:filing", pk=filing.pk)


@login_required
def filing_document(request, pk, document_pk):
    filing = filing_or_404(request, pk)
    document = next((document for document in filing.documents.all() if document.pk == document_pk), None)
    if document is None:
        raise Http404
    return private_file_response(document.file.name, filename=document.filename, inline=not document.is_several)
