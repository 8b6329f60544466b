"""Whole pages stored once and served until what they show changes.

A page is stored under everything that decides its HTML: the code (a digest of the portal's
Python, templates and translations, the installed packages' versions, the static manifest and the
settings every page shows, taken once per process), the language, today's date, the path and
query string, the user, and a content version that the caller reads from the database and that
moves with every write to what the page shows (accounts.selectors.content_version). Without a
version (SQLite) nothing is stored.

The parts that belong to one request — the CSRF token, the header's unread-notice badge and the
session's absolute end (two logins of one user share the stored page, not their sessions) — are
holes in the stored HTML, filled on the way out with the values of the same context processors a
normal render uses. Every page goes through the holes, stored or not, so both paths give the same
HTML. A request with flash messages to show, or with a query string the view did not declare, is
rendered without being stored.
"""

import hashlib
import os
import sys
from functools import cache as once
from importlib.metadata import distributions
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template import engines
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from .context_processors import portal

HOLES = ("csrf_token", "unread_notice_badge", "session_ends_in", "session_ends_at")
PAGE_SECONDS = 60 * 60
CODE_SUFFIXES = {".py", ".html", ".txt", ".mo"}


def hole(name: str) -> str:
    return f"\ue000{name}\ue000"  # a private-use character: never in a template or a form's clean data


_HOLE_BYTES = {name: hole(name).encode() for name in HOLES}


@once
def code_version() -> str:
    """A digest of what shapes a page — the project's files, the installed packages' versions, the
    static manifest, the settings shown — so a deploy that changes any of them starts afresh."""
    base = Path(settings.BASE_DIR).resolve()
    roots = {Path(config.path).resolve() for config in apps.get_app_configs()}
    roots |= {Path(folder).resolve() for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])}
    roots |= {Path(folder).resolve() for folder in getattr(settings, "LOCALE_PATHS", [])}
    digest = hashlib.blake2b(digest_size=12)
    installed = Path(sys.prefix).resolve()  # a virtualenv inside the project counts by its versions, below
    for root in sorted(root for root in roots if root.is_relative_to(base) and not root.is_relative_to(installed)):
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(name for name in subfolders if name not in {"__pycache__", "static"})
            for name in sorted(files):
                path = Path(folder, name)
                if path.suffix in CODE_SUFFIXES:
                    digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT, "staticfiles.json")
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    digest.update(repr(sorted(portal(None).items())).encode())  # the hotline shown on every page comes from settings
    digest.update(repr(sorted((dist.metadata["Name"] or "", dist.version) for dist in distributions())).encode())
    return digest.hexdigest()


class Page:
    """One page of one request: `cached()` gives the stored HTML or None, `render(context)` renders
    (and stores it when it may), `response(html)` fills the holes. The HTML is kept as UTF-8 bytes:
    a 40-year participation page is about 400 KB, and bytes are read from Redis, searched and sent
    without decoding or encoding them again."""

    def __init__(self, request, template_name: str, *, version: str | None, parts=(), queries=("",),
                 seconds: int = PAGE_SECONDS):
        self.request, self.template_name, self.seconds = request, template_name, seconds
        self.key = None
        query = request.META.get("QUERY_STRING", "")
        if version is not None and query in queries and not len(get_messages(request)):
            raw = "|".join(str(part) for part in (
                code_version(), translation.get_language(), timezone.localdate().isoformat(), request.path, query,
                request.user.pk, version, *parts,
            ))
            self.key = "page:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()

    def cached(self) -> bytes | None:
        return cache.get(self.key) if self.key else None

    def render(self, context: dict, *, store: bool = True) -> bytes:
        holes = {name: mark_safe(hole(name)) for name in HOLES}  # fixed markers, no input
        html = render_to_string(self.template_name, {**context, **holes}, self.request).encode()
        if self.key and store:
            cache.set(self.key, html, self.seconds)
        return html

    def response(self, html: bytes) -> HttpResponse:
        return HttpResponse(fill_holes(self.request, html))


def fill_holes(request, html: bytes) -> bytes:
    values = csrf(request)
    for processor in engines["django"].engine.template_context_processors:
        values.update(processor(request))
    for name in HOLES:
        html = html.replace(_HOLE_BYTES[name], str(values.get(name, "")).encode())
    return html
