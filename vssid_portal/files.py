"""Sealed, expiring links to private files, and the view that serves them.

A view that has checked who may see a file calls `private_file_url()`; the link carries the
file name, an expiry and (normally) the user it was made for, sealed (AES-GCM, with a key drawn
from SECRET_KEY): links end up in access logs, browser histories and forwarded mails, and the
storage name or the citizen's own file name must not be read there. The
download view refuses a forged or someone-else's link with a 404, so nothing can be reached by
guessing a URL. A genuine link opened after it expired (a page left open, a link kept) answers
410 with a page that says so and leads back to the page that gave it (`back`), where a fresh
one is made.
"""

import base64
import binascii
import json
import logging
import mimetypes
import os
import time
import zlib
from contextlib import contextmanager
from pathlib import PurePosixPath

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_safe

from .secret_keys import secret_keys

logger = logging.getLogger(__name__)

SALT = "vssid_portal.files.private"
DEFAULT_MAX_AGE = 15 * 60


def private_file_url(name: str, *, user, filename: str | None = None, inline: bool = False,
                     max_age: int = DEFAULT_MAX_AGE, session_key: str | None = None, back: str | None = None) -> str:
    """A sealed link to `name` in private storage for `user` (None: anyone holding the link),
    optionally bound to one browser session (an anonymous visitor's own uploads). `back`: the
    portal path of the page that offers the link, where an expired one is replaced."""
    payload = {
        "n": name,
        "u": user.pk if user is not None else None,
        "s": _session_tag(session_key) if session_key else None,
        "f": filename or PurePosixPath(name).name,
        "i": inline,
        "e": int(time.time()) + max_age,
    }
    if back:
        payload["b"] = back
    return reverse("private_file", args=[_sealed(payload)])


def _keys(salt: str = SALT) -> list[bytes]:
    """The key texts are sealed with under `salt`, then those of the fallback keys (`secret_keys`)."""
    return [salted_hmac(salt, "sealed links", secret=secret, algorithm="sha256").digest() for secret in secret_keys()]


def _sealed(payload: dict, *, salt: str = SALT) -> str:
    """`payload` sealed (AES-GCM, with a key drawn from SECRET_KEY and `salt`: what is sealed under one salt
    opens under no other), as URL-safe text: a private file's link, or what another part of the portal must
    carry through a place that keeps it (a task's message) without it being read there."""
    nonce = os.urandom(12)
    data = zlib.compress(json.dumps(payload, separators=(",", ":")).encode())
    sealed = nonce + AESGCM(_keys(salt)[0]).encrypt(nonce, data, salt.encode())
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


def _opened(token: str, *, salt: str = SALT) -> dict | None:
    """The payload this portal sealed under `salt`; None for anything else (forged, altered, cut, sealed
    under another salt or with a key no longer kept)."""
    try:
        sealed = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
    except (ValueError, binascii.Error, UnicodeEncodeError):
        return None
    nonce, data = sealed[:12], sealed[12:]
    for key in _keys(salt):
        try:
            return json.loads(zlib.decompress(AESGCM(key).decrypt(nonce, data, salt.encode())))
        except (InvalidTag, ValueError):
            continue
    return None


# By their public names for the rest of the portal (a password reset's task: accounts.services.password_reset).
sealed = _sealed
opened = _opened


def _session_tag(session_key: str, secret: str | None = None) -> str:
    """The browser session a link is bound to, keyed with SECRET_KEY (or `secret`)."""
    return salted_hmac(SALT, session_key, secret=secret).hexdigest()[:20]


def _bound_to(tag, session_key: str | None) -> bool:
    """Whether a link's session tag names this session, with the key it was made with (`secret_keys`)."""
    return bool(session_key) and isinstance(tag, str) and any(
        constant_time_compare(tag, _session_tag(session_key, secret)) for secret in secret_keys())


def private_file_response(name: str, *, filename: str, inline: bool = False) -> FileResponse:
    """Stream a private file with headers that keep browsers and proxies from misusing it."""
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Không tìm thấy tệp.") from exc
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def private_file(request, token):
    payload = _opened(token)
    if payload is None:
        raise Http404("Liên kết không hợp lệ.")
    if payload["u"] is not None and request.user.is_authenticated and payload["u"] != request.user.pk:
        raise Http404("Liên kết không dành cho tài khoản này.")
    session_key = request.session.session_key
    if payload.get("s") and not _bound_to(payload["s"], session_key):
        raise Http404("Liên kết không dành cho phiên làm việc này.")
    if payload["e"] < time.time():  # genuine (sealed here) but late: said, with the way to a fresh one
        return _expired(request, payload)
    if payload["u"] is not None and payload["u"] != request.user.pk:
        raise Http404("Liên kết không dành cho tài khoản này.")
    return private_file_response(payload["n"], filename=payload["f"], inline=payload["i"])


def _expired(request, payload: dict):
    back = payload.get("b")
    if not (isinstance(back, str) and back.startswith("/") and not back.startswith("//")):
        back = None
    response = render(request, "link_expired.html", {"back": back, "minutes": DEFAULT_MAX_AGE // 60}, status=410)
    response["Cache-Control"] = "private, no-store"
    return response


def delete_files(names) -> None:
    """Delete these stored files; empty names are skipped."""
    for name in names:
        if name:
            default_storage.delete(name)


def delete_files_once_committed(names) -> None:
    """Delete these stored files after the transaction commits (files its rows no longer need).
    Tidying only: a file the storage will not delete is logged and left in place (a temporary
    upload is swept later), the others still deleted, never an error that hides the commit from
    the citizen or stops the callbacks after it."""
    names = [name for name in names if name]

    def tidy():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.error("stored file %s no longer needed could not be deleted", name, exc_info=True)

    transaction.on_commit(tidy, robust=True)


def delete_stale_uploads(folder: str, *, cutoff) -> int:
    """Delete the files under `folder`/<one level of sub-folders>/ last modified before `cutoff`:
    uploads kept between the steps of a form the visitor never submitted; a sub-folder left empty
    goes too. Returns how many files."""
    try:
        subfolders, _files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    count = 0
    for subfolder in subfolders:
        try:
            names = default_storage.listdir(f"{folder}/{subfolder}")[1]
        except FileNotFoundError:  # removed meanwhile (a sweep running at the same time)
            continue
        for name in names:
            path = f"{folder}/{subfolder}/{name}"
            try:
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    count += 1
            except FileNotFoundError:  # submitted or swept meanwhile
                continue
            except OSError:  # this file only: the others are still swept
                logger.error("stale upload %s could not be deleted", path, exc_info=True)
        try:
            os.rmdir(default_storage.path(f"{folder}/{subfolder}"))  # only when empty
        except (OSError, NotImplementedError):
            pass
    return count


@contextmanager
def kept_only_if_committed(storage=default_storage):
    """Yields a list; the names of files saved under it are deleted again if the block fails, the
    commit included. Wrap the transaction that saves a file and its row: a failed or retried build
    leaves no file that no row points to."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            storage.delete(name)
        raise
