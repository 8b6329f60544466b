"""PDF rendering with WeasyPrint: tagged (PDF/UA-1), fonts from the portal's own static files.

WeasyPrint is imported once per process (it takes about a second). Documents may only load
the portal's static files: no `file://`, no network, so a template can never be made to leak
a server file or call out.
"""

import base64
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .text import PORTAL_NAME

PDF_BASE_URL = "https://pdf.vssid.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves `/static/...` from the portal's static files and `data:` URLs; refuses the rest."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        base = urlsplit(PDF_BASE_URL)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(
            settings.STATIC_URL
        ):
            raise ValueError(f"PDF may not load {url!r}: only the portal's static files are allowed")
        relative = parts.path[len(settings.STATIC_URL) :]
        if ".." in relative.split("/"):
            raise ValueError(f"PDF may not load {url!r}: path leaves the static folder")
        # Development finds the source file; production's templates name the hashed copy that
        # collectstatic wrote (ManifestStaticFilesStorage), which only STATIC_ROOT holds.
        path = finders.find(relative) or _collected(relative)
        if not path:
            raise ValueError(f"PDF asset not found: {relative}")
        with open(path, "rb") as handle:
            body = handle.read()
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def _collected(relative: str) -> str | None:
    root = Path(settings.STATIC_ROOT).resolve()
    path = (root / relative.lstrip("/")).resolve()
    return str(path) if path.is_relative_to(root) and path.is_file() else None


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to a tagged PDF and return its bytes. Declarations and cards are
    Vietnamese documents whatever language the page that asked for them speaks. The template sees
    PORTAL_NAME (in Vietnamese) and PORTAL_HOTLINE, as pages do."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {"PORTAL_NAME": PORTAL_NAME, "PORTAL_HOTLINE": settings.PORTAL_HOTLINE,
                                                **context})
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher(fail_on_errors=True))
    return document.write_pdf(pdf_variant="pdf/ua-1")


def data_uri(mime: str, data: bytes) -> str:
    """A file inlined in the document (a data: URL): the PDF fetches nothing."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def qr_data_uri(payload: str, *, border: int = 4) -> str:
    """A QR code of `payload` as an SVG data: URL: vector in the PDF, no image file."""
    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage,
                        error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    return data_uri("image/svg+xml", image.to_string())
