"""Correct-and-resubmit a filing the agency returned: its answers again, corrected, and sent back as the
same filing. What is typed and uploaded meanwhile is a draft of the filing's revision in the session of
the login correcting it, forgotten, with its files, once the filing is no longer returned.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from participation.services.statements import verify_base_for
from vssid_portal.files import delete_files_once_committed
from vssid_portal.forms import posted_as_initial, refreshed_by_script, typed_to_keep
from vssid_portal.middleware import handles_upload_limits, upload_limit

from ..models import Filing
from ..procedures.base import form_to_data, is_several
from ..selectors import correction_initial, resubmit_refused
from ..services import UPLOAD_DIR, FilingReturnedAgain, filing_resubmit
from .drafts import (
    REMOVE_FILES,
    attached_list,
    keep_uploads,
    posted_form,
    preview_links,
    reauthenticated,
    remove_files,
    save_drafts,
    session_drafts,
    upload_post_counted,
)
from .filings import filing_or_404, named_documents


@sensitive_post_parameters()
@handles_upload_limits
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def filing_edit(request, pk):
    """A returned filing: the answers again, corrected, and sent back as the same filing."""
    counted = upload_post_counted(request)  # before any answer: one that reads no file is counted too
    filing = filing_or_404(request, pk)
    if not filing.can_edit:
        _forget_corrections(request, filing)
        return _not_returned(request, filing)
    procedure = filing.procedure
    if reason := resubmit_refused(filing, user=request.user):  # the resubmission would be refused: said before any correction
        return render(request, "public_services/unavailable.html", {
            "procedure": procedure, "person": filing.person, "reason": reason, "filing": filing,
        }, status=403 if request.method == "POST" else 200)
    drafts = session_drafts(request)
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
            remove_files(request, draft["uploads"])
            save_drafts(request)
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
        form = posted_form(request, procedure, person=filing.person, user=request.user, kept=kept)
        valid = form.is_valid()
        keep_uploads(request, form, draft["uploads"], draft["folder"], existing=kept)
        kept |= draft["uploads"]  # listed at once, even when another answer is refused
        removing -= draft["uploads"].keys()  # a file chosen now took the key: it replaces the one taken out
        save_drafts(request)
        if valid:
            reauthenticated(request, procedure)
            try:
                filing_resubmit(filing=filing, user=request.user, data=form_to_data(form), uploads=draft["uploads"],
                                removed=sorted(removing), revision=_posted_revision(request),
                                link_base=verify_base_for(request))
            except FilingReturnedAgain:  # returned again while this post was read: as a post of a page opened before
                _forget_correction(request, draft_name)  # of a revision no page sends any more
                return _returned_again(request, filing_or_404(request, pk))
            except ValidationError as error:
                filing.refresh_from_db(fields=["status", "revision", "data"])
                if not filing.can_edit:  # resubmitted meanwhile: by this tap's twin, or another tab
                    _forget_correction(request, draft_name)
                    return _not_returned(request, filing, form)
                form.add_error(None, error)
            else:
                drafts.pop(draft_name, None)
                save_drafts(request)
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
    save_drafts(request)


def _forget_corrections(request, filing: Filing) -> None:
    """Forget the drafts of `filing`'s correction, every revision's, once it is no longer returned:
    what was typed there is never shown again, and the files uploaded to them are deleted at once."""
    for name in [name for name in session_drafts(request) if name.startswith(f"edit-{filing.pk}-r")]:
        _forget_correction(request, name)


def _forget_correction(request, name: str) -> None:
    """Forget the correction draft `name`, which no page sends any more (the filing is no longer returned,
    or returned again at a later revision, whose draft is another), and delete the files uploaded to it:
    never the filing's own documents, stored elsewhere, nor another draft's, each in a folder of its own.
    Without it they waited for the sweep of stale uploads (`uploads_sweep`). The draft is forgotten
    first: a file the storage will not delete is logged and left to that sweep, and neither this page
    nor a later visit fails for it (delete_files_once_committed)."""
    draft = session_drafts(request).pop(name, None)
    if draft is None:
        return
    save_drafts(request)
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
    draft = session_drafts(request).get(_correction_name(filing)) or {"uploads": {}}
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
        "previews": preview_links(request, procedure, draft["uploads"]),
        "attached": attached_list(request, own | draft["uploads"], filing), "removing": removing, "removable": True,
        "documents": named_documents(procedure, [document for document in filing.documents.all()
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
