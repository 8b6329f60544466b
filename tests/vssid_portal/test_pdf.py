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


def test_a_table_row_and_a_heading_are_never_split_from_what_they_belong_to(settings, tmp_path):
    """A period of a statement or a line of a declaration is one row: printed across two pages it
    reads as two rows, one without an employer. A heading stays with what follows it."""
    from django.template.loader import render_to_string
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TableRowBox

    folder = tmp_path / "templates"
    (folder / "test").mkdir(parents=True)
    (folder / "test" / "rows.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}{% for section in sections %}<h2>Mục {{ section }}</h2>'
        '<table>{% for row in rows %}<tr id="r{{ section }}-{{ row }}"><td>{{ row }}/2024 – 12/2024</td>'
        "<td>Công ty Cổ phần Cơ khí và Xây dựng Công trình Giao thông Hải Âu số {{ row }}, chi nhánh "
        "Thành phố Hồ Chí Minh</td></tr>{% endfor %}</table>{% endfor %}{% endblock %}",
        encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]
    # rows of several lengths put the page ends at different places; a heading is kept with its
    # table by WeasyPrint's own stylesheet (break-after: avoid), which the portal's must not undo
    for count in range(8, 30, 3):
        html = render_to_string("test/rows.html", {"sections": range(1, 4), "rows": range(1, count)})
        document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher(fail_on_errors=True)).render()
        pages_of_row = {}
        for number, page in enumerate(document.pages):
            boxes = list(page._page_box.descendants())
            for box in boxes:
                if isinstance(box, TableRowBox):
                    pages_of_row.setdefault(box.element.get("id"), set()).add(number)
            blocks = [box.element_tag for box in boxes if box.element_tag in ("h2", "tr")]
            assert blocks[-1] != "h2", f"{count - 1} rows: a heading ends page {number + 1}"
        assert len(pages_of_row) == 3 * (count - 1)
        assert {row: pages for row, pages in pages_of_row.items() if len(pages) > 1} == {}, f"{count - 1} rows"


def test_a_document_names_the_portal_as_its_author(pdf_template, tmp_path):
    path = tmp_path / "author.pdf"
    path.write_bytes(render_pdf(pdf_template, {"heading": "Tờ khai", "text": TEXT}))
    info = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    assert "Author:          Cổng dịch vụ BHXH số – Bảo hiểm xã hội Việt Nam" in info, info
