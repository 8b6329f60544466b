"""What a new filing's form (procedures.py) and a returned filing's correction (correction.py) share: the
drafts kept in the session between their posts, the images and files a post brought stored privately at
once (even when another answer is refused) with their links and previews, the files the citizen takes
out, the password asked again before a procedure that wants it is sent, the count of posts carrying
files per login (UPLOAD_POSTS_PER_LOGIN), and the person the login views (also the filings list's).
"""

import secrets

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from accounts.selectors import person_in_view
from vssid_portal.documents import DocumentsField
from vssid_portal.files import delete_files_once_committed, private_file_url
from vssid_portal.middleware import upload_limit
from vssid_portal.ratelimit import counted_or_let_through, minutes_left

from ..procedures.base import document_field, documents_kept, file_name, is_several
from ..services import UPLOAD_DIR

DRAFTS = "public_services_drafts"
REMOVE_FILES = "remove_files"
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


def upload_post_counted(request):
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


def person_or_404(request):
    """The person whose records the login is viewing (its own, or a child's it switched to); 404 without one.
    Also the filings list's."""
    person = person_in_view(request)
    if person is None:
        raise Http404
    return person


def reauthenticated(request, procedure) -> None:
    """A procedure that asks it (`reauthenticate`) is submitted only with the password given again
    recently: otherwise allauth's page asks for it and then replays this post (its fields, not its
    files: the registry refuses `reauthenticate` on a procedure with file fields)."""
    if procedure.reauthenticate:
        reauthentication_required(lambda request: None)(request)


def session_drafts(request) -> dict:
    return request.session.setdefault(DRAFTS, {})


def save_drafts(request) -> None:
    request.session.modified = True


def posted_form(request, procedure, **kwargs):
    """The procedure's form bound to the post; a post cut at Django's upload limits never passes
    and says why (ProcedureForm)."""
    return procedure.form(request.POST, request.FILES, upload_limit=upload_limit(request), **kwargs)


def keep_uploads(request, form, kept: dict, folder: str, *, existing: dict | None = None) -> None:
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


def attached_list(request, kept: dict, filing=None) -> list[tuple[str, str, str]]:
    """The several-files uploads as (key, file name, download link), in their order: the draft's,
    and the filing's own when correcting it (served by the filing's document view)."""
    own = {document.field: document.pk for document in filing.documents.all()} if filing is not None else {}
    files = sorted((key for key in kept if is_several(key)),
                   key=lambda key: (document_field(key), int(key.rpartition("-")[2])))
    return [(key, file_name(kept[key]),
             reverse("public_services:document", args=[filing.pk, own[key]]) if not kept[key].startswith(UPLOAD_DIR)
             else private_file_url(kept[key], user=request.user, filename=file_name(kept[key]), back=request.path))
            for key in files]


def remove_files(request, kept: dict) -> list[str]:
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


def preview_links(request, procedure, kept: dict) -> list[tuple[str, str]]:
    labels = {name: str(field.label) for name, field in procedure.form_class.base_fields.items()}
    return [(labels.get(name, name), private_file_url(name_, user=request.user, inline=True))
            for name, name_ in kept.items() if not is_several(name)]
