"""The confirmation of an e-mail address typed on a filing's form: the status page's button asking the
confirmation e-mail again, and the page the e-mail's link opens, without a login.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from participation.services.statements import verify_base_for
from vssid_portal.ratelimit import usages_refusal

from ..selectors import filing_of_email_confirmation
from ..services import (
    ConfirmationsRefused,
    ConfirmationsUnavailable,
    filing_email_confirm,
    filing_email_confirmation_resend,
)
from .filings import filing_or_404, status_page


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def filing_email_resend(request, pk):
    """The status page's button sending the address typed on the form a new link confirming it, for
    a login that may view the filing (a foreign one is a 404). Refused past the limits with the
    status page saying why: 429 with Retry-After, 503 while they cannot be counted (Redis down).
    GET sends nothing: it is the page a login sends back to when the session ended before the
    button's POST, and leads to the status page."""
    filing = filing_or_404(request, pk)
    if request.method == "GET":
        return redirect("public_services:filing", pk=filing.pk)
    try:
        address = filing_email_confirmation_resend(filing=filing, link_base=verify_base_for(request))
    except ConfirmationsRefused as refused:
        refusal = usages_refusal(refused.usages, refused.messages[0], ConfirmationsUnavailable().messages[0])
        messages.error(request, refusal.message)
        return refusal.answer(status_page(request, filing))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Đã gửi lại thư xác nhận đến %(address)s. Hãy mở thư và bấm nút xác "
                                          "nhận.") % {"address": address})
    return redirect("public_services:filing", pk=filing.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The link mailed to an address typed on a filing's form, opened without a login. GET: what
    confirming means and its button (a mail scanner that follows the link confirms nothing); POST:
    confirm, then the page says so. Nothing of the filing is shown: the address may be a stranger's.
    A forged or expired link, or one of an address the filing no longer has, is a 404 saying only that."""
    if request.method == "POST":
        filing = filing_email_confirm(token=token)
    else:
        filing = filing_of_email_confirmation(token)
    if filing is None:
        return render(request, "public_services/email_confirm_invalid.html", status=404)
    return render(request, "public_services/email_confirm.html",
                  {"token": token, "confirmed": request.method == "POST"})
