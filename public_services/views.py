"""Citizen pages of "Dịch vụ công": the procedures, a procedure's form (pre-filled from the
registry), the review page that submits, the citizen's filings, a filing's status with its
history, withdraw (asked on a page of its own first: it cannot be undone), and correct-and-resubmit
when the agency returned it.

The answers between the form and the review page live in the session (a draft per procedure),
with images and attached files already accepted stored privately at once, so an error elsewhere
in the form or a trip back from the review page never asks for them again; opening the form again (back
link, menu, language switch, another tab) shows them and the answers already passed. Each draft carries an
idempotency key to the submit button, the same however often the form is opened: whatever is posted twice
with it (double click, back button, retry) makes one filing. A draft ends when it is submitted.
"""

import hashlib
import json
import secrets

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.selectors import person_in_view, viewing
from participation.services.statements import verify_base_for
from vssid_portal.documents import DocumentsField
from vssid_portal.files import DEFAULT_MAX_AGE, delete_files_once_committed, private_file_response, private_file_url
from vssid_portal.form_keys import new_idempotency_key, posted_key
from vssid_portal.forms import posted_as_initial, refreshed_by_script, typed_to_keep
from vssid_portal.middleware import handles_upload_limits, upload_limit
from vssid_portal.paging import paginate
from vssid_portal.ratelimit import LimitRefusal, counted_or_let_through, minutes_left, usages_refusal

from .models import Filing
from .procedures import registry
from .procedures.base import document_field, documents_kept, file_name, form_to_data, is_several
from .selectors import (
    already_open,
    correction_initial,
    email_confirmation_resend_offered,
    filing_declaration_state,
    filing_for_citizen,
    filing_next_step,
    filing_of_email_confirmation,
    filing_submitted_with,
    filings_left_by,
    filings_of,
    open_filing_of,
    resubmit_refused,
    typed_email,
    typed_email_confirmed,
)
from .services import (
    UPLOAD_DIR,
    ConfirmationsRefused,
    ConfirmationsUnavailable,
    FilingReturnedAgain,
    FilingsRefused,
    filing_email_confirm,
    filing_email_confirmation_resend,
    filing_resubmit,
    filing_submit,
    filing_withdraw,
)

DRAFTS = "public_services_drafts"
REMOVE_FILES = "remove_files"
POLL_SECONDS = 3
FILINGS_PER_PAGE = 20
# Posts of a procedure's form or a correction carrying files, per login: each photo is decoded, checked
# and re-encoded and each PDF parsed before the form is judged, work that a script could otherwise ask
# for without end. A citizen choosing a file again now and then stays far below.
UPLOAD_POSTS_PER_LOGIN = "60/h"


def uploads_limited(wait: float) -> str:
    """The refusal past UPLOAD_POSTS_PER_LOGIN, with the minutes left of its hour (`wait` seconds), as
    Retry-After says them."""
    minutes = minutes_left(wait)
    return ngettext("Bạn đã gửi tệp quá nhiều lần trong một giờ. Hãy thử lại sau %(minutes)s phút; các câu trả lời "
                    "và tệp đã gửi trước đó vẫn được giữ.",
                    "Bạn đã gửi tệp quá nhiều lần trong một giờ. Hãy thử lại sau %(minutes)s phút; các câu trả lời "
                    "và tệp đã gửi trước đó vẫn được giữ.", minutes) % {"minutes": minutes}


def _upload_post_counted(request):
    """Counts a post carrying files against the login's UPLOAD_POSTS_PER_LOGIN, once, whatever the page then
    answers: the refusal, with the seconds left of the limit's window, or None. Only a page that would
    read the files answers with that refusal; one that answers without reading them (the no-JavaScript
    refresh, which keeps no file; a page of an earlier revision, of a filing no longer returned or whose
    resubmission is refused) keeps its own answer, past the limit too, and is counted all the same, so that
    a script cannot send files again and again uncounted by posting such a page. Let through uncounted
    while Redis is down: a citizen then still files with attachments."""
    if request.method != "POST" or not request.FILES:
        return None
    return counted_or_let_through(request, group="public_services.upload_posts", key="user",
                                  rate=UPLOAD_POSTS_PER_LOGIN, too_many=uploads_limited, method="POST")


def index(request):
    """The procedures; for a signed-in visitor, why any of them is not open to the person in view."""
    person = person_in_view(request) if request.user.is_authenticated else None
    return render(request, "public_services/index.html", {**viewing(request.user, person), "procedures": [
        (procedure, procedure.unavailable(person, user=request.user) if person is not None else "")
        for procedure in registry.all_procedures()
    ]})


def _reauthenticated(request, procedure) -> None:
    """A procedure that asks it (`reauthenticate`) is submitted only with the password given again
    recently: otherwise allauth's page asks for it and then replays this post (its fields, not its
    files: the registry refuses `reauthenticate` on a procedure with file fields)."""
    if procedure.reauthenticate:
        reauthentication_required(lambda request: None)(request)


def _procedure(slug):
    procedure = registry.by_slug(slug)
    if procedure is None:
        raise Http404
    return procedure


def _person(request):
    person = person_in_view(request)
    if person is None:
        raise Http404
    return person


def _drafts(request) -> dict:
    return request.session.setdefault(DRAFTS, {})


def _draft_name(procedure, person_id: int) -> str:
    """A draft belongs to a procedure and to the person it is declared for: a parent may switch to
    a child's records (or back) in another tab while a form is open."""
    return f"{procedure.code}:{person_id}"


def _begun_for_another(request, procedure, person, key: str) -> bool:
    """The posted key is that of a draft of this procedure begun for another person."""
    own = _draft_name(procedure, person.pk)
    return any(name.startswith(f"{procedure.code}:") and name != own and draft.get("key") == key
               for name, draft in _drafts(request).items())


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


def _save_drafts(request) -> None:
    request.session.modified = True


def _posted(request, procedure, **kwargs):
    """The procedure's form bound to the post; a post cut at Django's upload limits never passes
    and says why (ProcedureForm)."""
    return procedure.form(request.POST, request.FILES, upload_limit=upload_limit(request), **kwargs)


def _keep_uploads(request, form, kept: dict, folder: str, *, existing: dict | None = None) -> None:
    """Store every image that passed, even when another field failed, and every file of a
    several-files field that passed. Such a file takes the key of the kept one of the same name
    (in `existing`: the draft's files and, when correcting a filing, the filing's), else a free one;
    each is stored in a folder of its own under its safe name, which is the name shown and served."""
    cleaned = getattr(form, "cleaned_data", {})
    existing = kept if existing is None else existing
    for name, field in form.fields.items():
        if isinstance(field, DocumentsField):
            for content in form.accepted.get(name, []):
                everything = {**existing, **kept}
                key = _document_key(name, content.name, everything, field.max_files)
                if key in everything:  # said, so that a phone's second "image.jpg" is not lost unseen
                    messages.info(request, gettext("Tệp “%(name)s” đã thay tệp cùng tên gửi trước đó.")
                                  % {"name": content.name})
                stored = default_storage.save(f"{UPLOAD_DIR}/{folder}-{secrets.token_hex(4)}/{content.name}", content)
                _replace_kept(kept, key, stored)
            continue
        content = cleaned.get(name) if isinstance(field, forms.FileField) else None
        if content:
            extension = content.name.rsplit(".", 1)[-1]
            stored = default_storage.save(f"{UPLOAD_DIR}/{folder}/{name}.{extension}", content)
            _replace_kept(kept, name, stored)


def _replace_kept(kept: dict, key: str, stored: str) -> None:
    """`stored` kept under `key`, the draft's file it replaces deleted (tidying only: a file the storage
    will not delete is logged and left to the sweep of stale uploads, the post goes on)."""
    if kept.get(key) and kept[key].startswith(f"{UPLOAD_DIR}/"):
        delete_files_once_committed([kept[key]])
    kept[key] = stored


def _document_key(name: str, filename: str, kept: dict, max_files: int) -> str:
    files = documents_kept(kept, name)
    for key, path in files.items():
        if file_name(path) == filename:
            return key
    return next(f"{name}-{number}" for number in range(1, max_files + len(files) + 2)
                if f"{name}-{number}" not in files)


def _attached(request, kept: dict, filing=None) -> list[tuple[str, str, str]]:
    """The several-files uploads as (key, file name, download link), in their order: the draft's,
    and the filing's own when correcting it (served by the filing's document view)."""
    own = {document.field: document.pk for document in filing.documents.all()} if filing is not None else {}
    files = sorted((key for key in kept if is_several(key)),
                   key=lambda key: (document_field(key), int(key.rpartition("-")[2])))
    return [(key, file_name(kept[key]),
             reverse("public_services:document", args=[filing.pk, own[key]]) if not kept[key].startswith(UPLOAD_DIR)
             else private_file_url(kept[key], user=request.user, filename=file_name(kept[key]), back=request.path))
            for key in files]


def _remove_files(request, kept: dict) -> list[str]:
    """The several-files uploads the citizen ticked "Bỏ tệp này" for: taken out of `kept` (a draft's
    copy is deleted at once, or left to the sweep of stale uploads when the storage will not delete it);
    returns their keys."""
    removed = []
    for key in request.POST.getlist(REMOVE_FILES):
        if is_several(key) and key in kept:
            if kept[key].startswith(f"{UPLOAD_DIR}/"):
                delete_files_once_committed([kept[key]])
            del kept[key]
            removed.append(key)
    return removed


def _documents(procedure, documents) -> list:
    """The filing's documents, each named (`display_label`) by its field's label in the page's
    language; the name stored with it (Vietnamese, as submitted) when the field is gone."""
    labels = {name: field.label for name, field in procedure.form_class.base_fields.items()}
    for document in documents:
        document.display_label = (document.filename if document.is_several
                                  else labels.get(document.field) or document.label)
    return documents


def _previews(request, procedure, kept: dict) -> list[tuple[str, str]]:
    labels = {name: str(field.label) for name, field in procedure.form_class.base_fields.items()}
    return [(labels.get(name, name), private_file_url(name_, user=request.user, inline=True))
            for name, name_ in kept.items() if not is_several(name)]


@sensitive_post_parameters()  # every answer: a procedure asks for an ID number, an address, a bank account, ...
@handles_upload_limits
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def procedure_form(request, slug):
    counted = _upload_post_counted(request)  # before any answer: one that reads no file is counted too
    procedure, person = _procedure(slug), _person(request)
    in_hand = open_filing_of(person=person, procedure=procedure)
    if in_hand is not None:
        return _already_open(request, procedure, in_hand)
    reason = procedure.unavailable(person, user=request.user)
    if reason:
        return render(request, "public_services/unavailable.html", {
            "procedure": procedure, "person": person, "reason": reason,
        }, status=403 if request.method == "POST" else 200)
    drafts, name = _drafts(request), _draft_name(procedure, person.pk)
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
            _save_drafts(request)
            return redirect("public_services:form", slug=procedure.slug)  # the browser keeps the button's #fragment
        if refreshed or refusal is not None:  # the script's list, or refused: shown again as posted, no file read
            form = procedure.form(initial=posted_as_initial(procedure.form_class, request.POST), person=person,
                                  user=request.user, kept=draft["uploads"])
            if refusal is not None:
                messages.error(request, refusal.message)
        else:
            draft.pop("typed", None)  # sent to be judged: opened again, the form shows what passed
            _remove_files(request, draft["uploads"])
            form = _posted(request, procedure, person=person, user=request.user, kept=draft["uploads"])
            valid = form.is_valid()
            _keep_uploads(request, form, draft["uploads"], draft["folder"])
            if valid:
                draft["data"] = form_to_data(form)
            drafts[name] = draft
            _save_drafts(request)
            if valid:
                return redirect("public_services:review", slug=procedure.slug)
            form = _posted(request, procedure, person=person, user=request.user, kept=draft["uploads"])
            form.is_valid()
        if not refreshed or refusal is not None:  # the script's list only: the draft as it was
            drafts[name] = draft
            _save_drafts(request)
    elif draft is not None:  # opened again (back link, menu, language, another tab): what it holds stays
        initial = (draft["typed"] if draft.get("typed") is not None
                   else draft["data"] if draft.get("data") is not None else procedure.initial(person, user=request.user))
        form = procedure.form(initial=initial, person=person, user=request.user, kept=draft["uploads"])
    else:
        draft = {"key": new_idempotency_key(), "data": None, "uploads": {}, "folder": secrets.token_hex(8)}
        drafts[name] = draft
        _save_drafts(request)
        form = procedure.form(initial=procedure.initial(person, user=request.user), person=person, user=request.user)
    response = render(request, "public_services/procedure_form.html", {
        "procedure": procedure, "person": person, "form": form, "key": draft["key"],
        "previews": _previews(request, procedure, draft["uploads"]), "attached": _attached(request, draft["uploads"]),
        "removable": True, "multipart": bool(procedure.upload_fields), "action": request.path,
    })
    return refusal.answer(response) if refusal is not None else response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request, slug):
    procedure, person = _procedure(slug), _person(request)
    drafts, name = _drafts(request), _draft_name(procedure, person.pk)
    draft = drafts.get(name)
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")
        try:
            done = filing_submitted_with(idempotency_key=key, user=request.user) if key else None
        except ValidationError:  # another account's form: not this one's
            done = None
        if done is not None:  # submitted already (double click, back button, retry)
            drafts.pop(_draft_name(procedure, done.person_id), None)
            _save_drafts(request)
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
        _reauthenticated(request, procedure)
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
        _save_drafts(request)
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
        "previews": _previews(request, procedure, draft["uploads"]), "attached": _attached(request, draft["uploads"]),
    })


def _already_open(request, procedure, filing):
    """The procedure's form is not offered while a filing of it, or of the other procedure reissuing
    the book (607A/608A), is in hand: its page says which."""
    return render(request, "public_services/already_open.html", {
        "procedure": procedure, "filing": filing, "reason": already_open(filing, procedure, user=request.user), "person": filing.person,
    }, status=409 if request.method == "POST" else 200)


@login_required
def filing_list(request):
    """The person's filings, newest first, FILINGS_PER_PAGE a page."""
    person = _person(request)
    paged = paginate(filings_of(person=person), request.GET.get("trang"), per_page=FILINGS_PER_PAGE)
    context = viewing(request.user, person)
    left = [] if context["viewing_child"] else list(filings_left_by(user=request.user))
    return render(request, "public_services/filing_list.html", {
        **context, "filings": [(filing, filing.procedure) for filing in paged["page"]], **paged,
        "left": [(filing, filing.procedure) for filing in left],
        "to_register": any(not filing.locked for filing in left),  # a locked login is the agency's to open
    })


def _filing(request, pk) -> Filing:
    filing = filing_for_citizen(user=request.user, pk=pk)
    if filing is None:
        raise Http404
    return filing


def _pdf_state(filing: Filing, user) -> dict:
    return {**filing_declaration_state(filing, user=user), "poll_seconds": POLL_SECONDS}


@login_required
@never_cache
def filing_status(request, pk):
    return _status_page(request, _filing(request, pk))


def _status_page(request, filing: Filing):
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
        "events": list(filing.events.all()), "documents": _documents(procedure, list(filing.documents.all())),
        "pdf_url": pdf_url, "earlier_submitted_at": earlier_submitted_at, "resubmit_refused": resubmit_refused(filing, user=request.user),
        "link_minutes": DEFAULT_MAX_AGE // 60,
        # Beside the address typed on the form: whether its owner confirmed it (else no e-mail goes
        # there), and while the filing is open the button asking the confirmation e-mail again.
        "email_confirmed": typed_email_confirmed(filing) if typed_email(filing) else None,
        "email_resend": email_confirmation_resend_offered(filing),
        **_pdf_state(filing, request.user),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def filing_email_resend(request, pk):
    """The status page's button sending the address typed on the form a new link confirming it, for
    a login that may view the filing (a foreign one is a 404). Refused past the limits with the
    status page saying why: 429 with Retry-After, 503 while they cannot be counted (Redis down).
    GET sends nothing: it is the page a login sends back to when the session ended before the
    button's POST, and leads to the status page."""
    filing = _filing(request, pk)
    if request.method == "GET":
        return redirect("public_services:filing", pk=filing.pk)
    try:
        address = filing_email_confirmation_resend(filing=filing, link_base=verify_base_for(request))
    except ConfirmationsRefused as refused:
        refusal = usages_refusal(refused.usages, refused.messages[0], ConfirmationsUnavailable().messages[0])
        messages.error(request, refusal.message)
        return refusal.answer(_status_page(request, filing))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Đã gửi lại thư xác nhận đến %(address)s. Hãy mở thư và bấm nút xác "
                                          "nhận.") % {"address": address})
    return redirect("public_services:filing", pk=filing.pk)


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
    filing = _filing(request, pk)
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


@sensitive_post_parameters()
@handles_upload_limits
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def filing_edit(request, pk):
    """A returned filing: the answers again, corrected, and sent back as the same filing."""
    counted = _upload_post_counted(request)  # before any answer: one that reads no file is counted too
    filing = _filing(request, pk)
    if not filing.can_edit:
        _forget_corrections(request, filing)
        return _not_returned(request, filing)
    procedure = filing.procedure
    if reason := resubmit_refused(filing, user=request.user):  # the resubmission would be refused: said before any correction
        return render(request, "public_services/unavailable.html", {
            "procedure": procedure, "person": filing.person, "reason": reason, "filing": filing,
        }, status=403 if request.method == "POST" else 200)
    drafts = _drafts(request)
    draft_name = _correction_name(filing)
    draft = drafts.setdefault(draft_name, {"uploads": {}, "folder": secrets.token_hex(8)})
    own = {document.field: document.file.name for document in filing.documents.all()}
    # The filing's own files taken out are those this post ticks, never kept in the session as taken
    # out: another tab's resubmission must not drop a file ticked in a post that was refused. The page
    # shows them ticked again, so the next post asks for them too; so does the page shown after the
    # no-JavaScript refresh, which keeps the ticks with what was typed (`_keep_typed`).
    removing = set()
    if request.method == "POST" and _posted_revision(request) != filing.revision:
        # before anything of this revision's draft is changed, and not refused by the upload limit: its
        # refusal would show the page again with this revision's number and the older page's answers
        return _returned_again(request, filing)  # which reads and stores none of the post's files
    refusal = None if "refresh" in request.POST else counted  # the refresh reads no file: answered as a refresh
    if request.method == "POST":
        if "refresh" not in request.POST and refusal is None:
            draft.pop("typed", None)  # sent to be judged: opened again, the page shows the filing's answers
            draft.pop("ticked", None)
            _remove_files(request, draft["uploads"])
            _save_drafts(request)
        removing = {key for key in request.POST.getlist(REMOVE_FILES) if is_several(key) and key in own}
    elif draft.get("typed") is not None:
        removing = set(draft.get("ticked", ())) & (own.keys() | draft["uploads"].keys())
    kept = {key: path for key, path in own.items() if key not in removing} | draft["uploads"]
    if (request.method == "POST" and "refresh" in request.POST and refusal is None
            and not refreshed_by_script(request)):
        # As a new filing's form (procedure_form): kept for this filing's correction and shown by a GET,
        # so that Back comes to the page with the province's list, never to this post.
        _keep_typed(request, draft, filing, own, kept)
        return redirect("public_services:edit", pk=filing.pk)  # the browser keeps the button's #fragment
    if request.method == "POST" and ("refresh" in request.POST or refusal is not None):  # refused: as refreshed
        form = procedure.form(initial=posted_as_initial(procedure.form_class, request.POST), person=filing.person,
                              user=request.user, kept=kept)
        if refusal is not None:
            messages.error(request, refusal.message)
            return refusal.answer(_edit_page(request, form, filing, draft, own, removing))
    elif request.method == "POST":
        form = _posted(request, procedure, person=filing.person, user=request.user, kept=kept)
        valid = form.is_valid()
        _keep_uploads(request, form, draft["uploads"], draft["folder"], existing=kept)
        kept |= draft["uploads"]  # listed at once, even when another answer is refused
        removing -= draft["uploads"].keys()  # a file chosen now took the key: it replaces the one taken out
        _save_drafts(request)
        if valid:
            _reauthenticated(request, procedure)
            try:
                filing_resubmit(filing=filing, user=request.user, data=form_to_data(form), uploads=draft["uploads"],
                                removed=sorted(removing), revision=_posted_revision(request),
                                link_base=verify_base_for(request))
            except FilingReturnedAgain:  # returned again while this post was read: as a post of a page opened before
                _forget_correction(request, draft_name)  # of a revision no page sends any more
                return _returned_again(request, _filing(request, pk))
            except ValidationError as error:
                filing.refresh_from_db(fields=["status", "revision", "data"])
                if not filing.can_edit:  # resubmitted meanwhile: by this tap's twin, or another tab
                    _forget_correction(request, draft_name)
                    return _not_returned(request, filing, form)
                form.add_error(None, error)
            else:
                drafts.pop(draft_name, None)
                _save_drafts(request)
                messages.success(request, gettext("Đã nộp lại hồ sơ %(number)s.") % {"number": filing.tracking_number})
                return redirect("public_services:filing", pk=filing.pk)
    else:
        initial = draft["typed"] if draft.get("typed") is not None else correction_initial(filing, user=request.user)
        form = procedure.form(initial=initial, person=filing.person, user=request.user, kept=kept)
    return _edit_page(request, form, filing, draft, own, removing)


def _correction_name(filing: Filing) -> str:
    """The draft of a returned filing's correction, in the session of the login correcting it: of its
    revision, so that a filing returned again after a resubmission starts from what it holds then."""
    return f"edit-{filing.pk}-r{filing.revision}"


def _keep_typed(request, draft: dict, filing: Filing, own: dict, kept: dict) -> None:
    """Keep in the correction's `draft` what the no-JavaScript refresh posted: the answers as typed
    (`typed_to_keep`), and the "Bỏ tệp này" boxes ticked, only of files the page lists (the filing's
    own and those added since), each once."""
    procedure = filing.procedure
    draft["typed"] = typed_to_keep(procedure.form_class, request.POST, lambda initial: procedure.form(
        initial=initial, person=filing.person, user=request.user, kept=kept))
    listed = own.keys() | draft["uploads"].keys()
    draft["ticked"] = [key for key in dict.fromkeys(request.POST.getlist(REMOVE_FILES))
                       if is_several(key) and key in listed]
    _save_drafts(request)


def _forget_corrections(request, filing: Filing) -> None:
    """Forget the drafts of `filing`'s correction, every revision's, once it is no longer returned:
    what was typed there is never shown again, and the files uploaded to them are deleted at once."""
    for name in [name for name in _drafts(request) if name.startswith(f"edit-{filing.pk}-r")]:
        _forget_correction(request, name)


def _forget_correction(request, name: str) -> None:
    """Forget the correction draft `name`, which no page sends any more (the filing is no longer returned,
    or returned again at a later revision, whose draft is another), and delete the files uploaded to it:
    never the filing's own documents, stored elsewhere, nor another draft's, each in a folder of its own.
    Without it they waited for the sweep of stale uploads (`uploads_sweep`). The draft is forgotten
    first: a file the storage will not delete is logged and left to that sweep, and neither this page
    nor a later visit fails for it (delete_files_once_committed)."""
    draft = _drafts(request).pop(name, None)
    if draft is None:
        return
    _save_drafts(request)
    delete_files_once_committed([path for path in draft.get("uploads", {}).values()
                                 if path.startswith(f"{UPLOAD_DIR}/")])


def _returned_again(request, filing: Filing):
    """A post of a correction page opened at an earlier revision than `filing`'s, returned again since
    with a request that page did not show: its send, its refresh without JavaScript and the script's are
    refused alike (409), the page shown again with the new request and what was posted, and nothing of
    the post is kept. Not its answers, which would be this revision's draft on every page opened after,
    nor its files, neither read nor stored (the page says to choose them again), nor its "Bỏ tệp này"
    boxes, whose keys name the files that page listed, maybe others now. What another, up-to-date page
    kept for this revision (answers typed, boxes ticked, files) stays as it was."""
    procedure = filing.procedure
    draft = _drafts(request).get(_correction_name(filing)) or {"uploads": {}}
    own = {document.field: document.file.name for document in filing.documents.all()}
    kept = own | draft["uploads"]
    if "refresh" in request.POST:  # said as the refresh's other refusal (of the uploads): the form is not judged
        messages.error(request, FilingReturnedAgain(filing).message)
        form = procedure.form(initial=posted_as_initial(procedure.form_class, request.POST), person=filing.person,
                              user=request.user, kept=kept)
    else:
        if request.FILES:
            messages.warning(request, gettext("Các tệp vừa chọn chưa được lưu. Hãy chọn lại nếu vẫn cần gửi kèm."))
        form = procedure.form(request.POST, person=filing.person, user=request.user, kept=kept,
                              upload_limit=upload_limit(request))
        form.is_valid()
        form.add_error(None, FilingReturnedAgain(filing))
    return _edit_page(request, form, filing, draft, own, status=409)


def _posted_revision(request) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


def _edit_page(request, form, filing: Filing, draft: dict, own: dict, removing=frozenset(), *, status=200):
    """The correction page: the filing's files and those added since, the ones this post took out
    (`removing`) listed ticked."""
    procedure = filing.procedure
    return render(request, "public_services/procedure_form.html", {
        "procedure": procedure, "person": filing.person, "form": form, "filing": filing,
        "previews": _previews(request, procedure, draft["uploads"]),
        "attached": _attached(request, own | draft["uploads"], filing), "removing": removing, "removable": True,
        "documents": _documents(procedure, [document for document in filing.documents.all()
                                            if not is_several(document.field)
                                            and document.field not in draft["uploads"]]),
        "multipart": bool(procedure.upload_fields), "action": request.path,
    }, status=status)


def _not_returned(request, filing: Filing, form=None):
    """The correction page of a filing no longer returned: resubmitted, or ended meanwhile (the
    agency rejected it, or it was withdrawn in another tab). A post whose answers are those a
    resubmitted filing now holds is a second tap of the one that resubmitted it: the status page.
    Other answers (typed in another tab or on another device, sent after the first resubmission, or
    after the filing ended) were not sent: they are shown again, saying why, for the citizen to copy
    what is still needed."""
    if request.method != "POST":
        return redirect("public_services:filing", pk=filing.pk)
    procedure = filing.procedure
    if form is None:
        own = {document.field: document.file.name for document in filing.documents.all()}
        form = procedure.form(request.POST, person=filing.person, user=request.user, kept=own,
                              upload_limit=upload_limit(request))
    ended = filing.status in {Filing.Status.REJECTED, Filing.Status.WITHDRAWN}
    if not ended and form.is_valid() and form_to_data(form) == filing.data:
        return redirect("public_services:filing", pk=filing.pk)
    return render(request, "public_services/procedure_form.html", {
        "procedure": procedure, "person": filing.person, "filing": filing, "not_sent": True,
        "form": procedure.form(initial=posted_as_initial(procedure.form_class, request.POST), person=filing.person,
                               user=request.user),
        "multipart": bool(procedure.upload_fields), "action": request.path,
    }, status=409)


@login_required
def filing_document(request, pk, document_pk):
    filing = _filing(request, pk)
    document = next((document for document in filing.documents.all() if document.pk == document_pk), None)
    if document is None:
        raise Http404
    return private_file_response(document.file.name, filename=document.filename, inline=not document.is_several)


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
