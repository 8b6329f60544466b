"""The PDF helper: Vietnamese text survives a pdftotext round trip, fonts are embedded, and a
document can reach nothing but the portal's static files."""

import logging
import shutil
import subprocess

import pytest
from weasyprint.urls import FatalURLFetchingError

from tests.conftest import missing
from vssid_portal.pdf import PDF_BASE_URL, StaticOnlyFetcher, render_pdf

TEXT = "Tờ khai đăng ký sử dụng phương thức giao dịch điện tử – Nguyễn Văn Đức, phường Sài Gòn, ĐẮK LẮK"


@pytest.fixture
def pdf_template(settings, tmp_path):
    folder = tmp_path / "templates"
    (folder / "test").mkdir(parents=True)
    (folder / "test" / "sample.html").write_text(
        '{% extends "pdf/base.html" %}{% block title %}Mẫu{% endblock %}'
        "{% block content %}<h1>{{ heading }}</h1><p>{{ text }}</p>{% endblock %}",
        encoding="utf-8",
    )
    (folder / "test" / "leaky.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<img src="{{ src }}" alt="">{% endblock %}', encoding="utf-8"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]
    return "test/sample.html"


def tool(name):
    if not shutil.which(name):
        missing(f"{name} is not installed (apt-get install poppler-utils)")
    return name


def test_vietnamese_text_round_trips_through_pdftotext(pdf_template, tmp_path, caplog):
    with caplog.at_level(logging.ERROR):
        pdf = render_pdf(pdf_template, {"heading": "Tờ khai", "text": TEXT})
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    squeeze = lambda s: "".join(s.split())  # noqa: E731 — pdftotext drops spaces between letters
    assert squeeze(TEXT) in squeeze(text)
    assert "CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM" in squeeze(text)
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.ERROR]
    fonts = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())  # every font embedded


def test_pdf_is_tagged_for_accessibility(pdf_template, tmp_path):
    path = tmp_path / "tagged.pdf"
    path.write_bytes(render_pdf(pdf_template, {"heading": "Tờ khai", "text": TEXT}))
    info = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/a.css",
     f"{PDF_BASE_URL}etc/passwd", f"{PDF_BASE_URL}static/../settings.py"],
)
def test_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


@pytest.mark.parametrize("src", ["file:///etc/passwd", "http://127.0.0.1:9/x.png"])
def test_a_document_that_reaches_outside_static_files_is_not_rendered(pdf_template, src):
    with pytest.raises(FatalURLFetchingError):
        render_pdf("test/leaky.html", {"src": src})


def test_fetcher_serves_the_shipped_font():
    response = StaticOnlyFetcher().fetch(f"{PDF_BASE_URL}static/fonts/NotoSans-Regular.ttf")
    assert response.read()[:4] == b"\x00\x01\x00\x00"
