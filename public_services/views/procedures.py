"""Citizen pages of "Dịch vụ công" up to a filing: the procedures, a procedure's form (pre-filled from the
registry) and the review page that submits it.

The answers between the form and the review page live in the session (a draft per procedure and person,
drafts.py), with images and attached files already accepted stored privately at once, so an error elsewhere
in the form or a trip back from the review page never asks for them again; opening the form again (back
link, menu, language switch, another tab) shows them and the answers already passed. Each draft carries an
idempotency key to the submit button, the same however often the form is opened: whatever is posted twice
with it (double click, back button, retry) makes one filing. A draft ends when it is submitted.
"""

import hashlib
import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.selectors import person_in_view, viewing
from participation.services.statements import verify_base_for
from vssid_portal.form_keys import new_idempotency_key, posted_key
from vssid_portal.forms import posted_as_initial, refreshed_by_script, typed_to_keep
from vssid_portal.middleware import handles_upload_limits
from vssid_portal.ratelimit import LimitRefusal

from ..procedures import registry
from ..procedures.base import form_to_data
from ..selectors import already_open, filing_submitted_with, open_filing_of
from ..services import FilingsRefused, filing_submit
from .drafts import (
    attached_list,
    keep_uploads,
    person_or_404,
    posted_form,
    preview_links,
    reauthenticated,
    remove_files,
    save_drafts,
    session_drafts,
    upload_post_counted,
)


def index(request):
    """The procedures; for a signed-in visitor, why any of them is not open to the person in view."""
    person = person_in_view(request) if request.user.is_authenticated else None
    return render(request, "public_services/index.html", {**viewing(request.user, person), "procedures": [
        (procedure, procedure.unavailable(person, user=request.user) if person is not None else "")
        for procedure in registry.all_procedures()
    ]})


def _procedure(slug):
    procedure = registry.by_slug(slug)
    if procedure is None:
        raise Http404
    return procedure


def _draft_name(procedure, person_id: int) -> str:
    """A draft belongs to a procedure and to the person it is declared for: a parent may switch to
    a child's records (or back) in another tab while a form is open."""
    return f"{procedure.code}:{person_id}"


def _begun_for_another(request, procedure, person, key: str) -> bool:
    """The posted key is that of a draft of this procedure begun for another person."""
    own = _draft_name(procedure, person.pk)
    return any(name.startswith(f"{procedure.code}:") and name != own and draft.get("key") == key
               for name, draft in session_drafts(request).items())


def _switched(request, procedure, person):
    messages.error(request, gettext(
        "Hồ sơ này chưa nộp: nó được khai khi bạn xem thông tin của người khác, nay bạn đang xem thông tin "
        "của %(name)s. Hãy khai lại cho %(name)s, hoặc quay về người cần nộp hồ sơ.") % {"name": person.full_name})
    return redirect("public_services:form", slug=procedure.slug)


def _answers_shown(draft: dict) -> str:
    """The fingerprint of a draft's answers and uploads, which its review page posts back: another tab
    that changed the same form since then changes it."""
    content = json.dumps({"data": draft.get("data"), "uploads": draft.get("uploads")}, sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


@sensitive_post_parameters()  # every answer: a procedure asks for an ID number, an address, a bank account, ...
@handles_upload_limits
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def procedure_form(request, slug):
    counted = upload_post_counted(request)  # before any answer: one that reads no file is counted too
    procedure, person = _procedure(slug), person_or_404(request)
    in_hand = open_filing_of(person=person, procedure=procedure)
    if in_hand is not None:
        return _already_open(request, procedure, in_hand)
    reason = procedure.unavailable(person, user=request.user)
    if reason:
        return render(request, "public_services/unavailable.html", {
            "procedure": procedure, "person": person, "reason": reason,
        }, status=403 if request.method == "POST" else 200)
    drafts, name = session_drafts(request), _draft_name(procedure, person.pk)
    draft = drafts.get(name)
    refusal = None
    if request.method == "POST":
        form_key = posted_key(request, "idempotency_key")
        if form_key is None:
            raise PermissionDenied
        if _begun_for_another(request, procedure, person, form_key):
            return _switched(request, procedure, person)
        if draft is None or draft["key"] != form_key:
            draft = {"key": form_key, "data": None, "uploads": {}, "folder": secrets.token_hex(8)}
        refreshed = "refresh" in request.POST
        refusal = None if refreshed else counted  # the refresh reads no file: answered as a refresh
        if refreshed and refusal is None and not refreshed_by_script(request):
            # Kept as typed and shown by a GET, the list made for the province chosen: Back to the page
            # loads it again (no-store) with that list, in which the browser puts back the choice in it,
            # and never to this post, which a browser would offer only to send again.
            draft["typed"] = typed_to_keep(procedure.form_class, request.POST, lambda initial: procedure.form(
                initial=initial, person=person, user=request.user))
            drafts[name] = draft
            save_drafts(request)
            return redirect("public_services:form", slug=procedure.slug)  # the browser keeps the button's #fragment
        if refreshed or refusal is not None:  # the script's list, or refused: shown again as posted, no file read
            form = procedure.form(initial=posted_as_initial(procedure.form_class, request.POST), person=person,
                                  user=request.user, kept=draft["uploads"])
            if refusal is not None:
                messages.error(request, refusal.message)
        else:
            draft.pop("typed", None)  # sent to be judged: opened again, the form shows what passed
            remove_files(request, draft["uploads"])
            form = posted_form(request, procedure, person=person, user=request.user, kept=draft["uploads"])
            valid = form.is_valid()
            keep_uploads(request, form, draft["uploads"], draft["folder"])
            if valid:
                draft["data"] = form_to_data(form)
            drafts[name] = draft
            save_drafts(request)
            if valid:
                return redirect("public_services:review", slug=procedure.slug)
            form = posted_form(request, procedure, person=person, user=request.user, kept=draft["uploads"])
            form.is_valid()
        if not refreshed or refusal is not None:  # the script's list only: the draft as it was
            drafts[name] = draft
            save_drafts(request)
    elif draft is not None:  # opened again (back link, menu, language, another tab): what it holds stays
        initial = (draft["typed"] if draft.get("typed") is not None
                   else draft["data"] if draft.get("data") is not None else procedure.initial(person, user=request.user))
        form = procedure.form(initial=initial, person=person, user=request.user, kept=draft["uploads"])
    else:
        draft = {"key": new_idempotency_key(), "data": None, "uploads": {}, "folder": secrets.token_hex(8)}
        drafts[name] = draft
        save_drafts(request)
        form = procedure.form(initial=procedure.initial(person, user=request.user), person=person, user=request.user)
    response = render(request, "public_services/procedure_form.html", {
        "procedure": procedure, "person": person, "form": form, "key": draft["key"],
        "previews": preview_links(request, procedure, draft["uploads"]), "attached": attached_list(request, draft["uploads"]),
        "removable": True, "multipart": bool(procedure.upload_fields), "action": request.path,
    })
    return refusal.answer(response) if refusal is not None else response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request, slug):
    procedure, person = _procedure(slug), person_or_404(request)
    drafts, name = session_drafts(request), _draft_name(procedure, person.pk)
    draft = drafts.get(name)
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")
        try:
            done = filing_submitted_with(idempotency_key=key, user=request.user) if key else None
        except ValidationError:  # another account's form: not this one's
            done = None
        if done is not None:  # submitted already (double click, back button, retry)
            drafts.pop(_draft_name(procedure, done.person_id), None)
            save_drafts(request)
            return redirect("public_services:filing", pk=done.pk)
        if _begun_for_another(request, procedure, person, key):
            return _switched(request, procedure, person)
        if draft is None or draft.get("data") is None or draft["key"] != key:
            messages.error(request, gettext("Phiên khai hồ sơ đã hết hoặc đã thay đổi. "
                                            "Hãy kiểm tra lại nội dung và nộp lại."))
            return redirect("public_services:form", slug=procedure.slug)
        if not secrets.compare_digest(request.POST.get("answers_shown", "").encode(), _answers_shown(draft).encode()):
            messages.warning(request, gettext(
                "Nội dung kê khai đã được sửa ở một cửa sổ hoặc thẻ khác sau khi bạn mở trang này, nên hồ sơ "
                "chưa nộp. Hãy kiểm tra lại nội dung dưới đây rồi bấm “Nộp hồ sơ”."))
            return redirect("public_services:review", slug=procedure.slug)
        reauthenticated(request, procedure)
        try:
            filing = filing_submit(procedure=procedure, person=person, user=request.user, data=draft["data"],
                                   uploads=draft["uploads"], idempotency_key=key,
                                   link_base=verify_base_for(request))
        except FilingsRefused as refused:  # the review again, saying so, with the wait in Retry-After
            refusal = LimitRefusal(429, refused.message, refused.wait)
            messages.error(request, refusal.message)
            return refusal.answer(_review_page(request, procedure, person, draft))
        except ValidationError as error:
            messages.error(request, gettext("Hồ sơ chưa nộp được: %(reasons)s") % {"reasons": " ".join(error.messages)})
            return redirect("public_services:form", slug=procedure.slug)
        drafts.pop(name, None)
        save_drafts(request)
        messages.success(request, gettext("Đã nộp hồ sơ. Số hồ sơ của bạn là %(number)s.")
                         % {"number": filing.tracking_number})
        return redirect("public_services:filing", pk=filing.pk)
    if (draft is None or draft.get("data") is None or open_filing_of(person=person, procedure=procedure)
            or procedure.unavailable(person, user=request.user)):
        return redirect("public_services:form", slug=procedure.slug)
    return _review_page(request, procedure, person, draft)


def _review_page(request, procedure, person, draft: dict):
    return render(request, "public_services/review.html", {
        "procedure": procedure, "person": person, "key": draft["key"], "answers_shown": _answers_shown(draft),
        "rows": procedure.rows(draft["data"], person=person, user=request.user),
        "previews": preview_links(request, procedure, draft["uploads"]), "attached": attached_list(request, draft["uploads"]),
    })


def _already_open(request, procedure, filing):
    """The procedure's form is not offered while a filing of it, or of the other procedure reissuing
    the book (607A/608A), is in hand: its page says which."""
    return render(request, "public_services/already_open.html", {
        "procedure": procedure, "filing": filing, "reason": already_open(filing, procedure, user=request.user), "person": filing.person,
    }, status=409 if request.method == "POST" else 200)
