"""The citizen's application pages on a phone (360 px wide) in a real Chromium: a file attached
under a long name (its spaces become underscores when stored, so the name is one long word) wraps
instead of widening the page, which would otherwise scroll sideways; so does such a name in the
form's error messages when the file is refused."""

import pytest
from django.conf import settings

from .helpers import owner  # noqa: F401
from .test_attachments import logged, real_pdf, submit_with, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LONG_NAME = "Giấy xác nhận mất sổ bảo hiểm xã hội của ông Nguyễn Văn Đức.pdf"


def test_a_long_attached_file_name_does_not_make_the_status_page_scroll_sideways(page, live_server, owner):
    client = logged(owner)
    filing = submit_with(client, [upload(LONG_NAME, real_pdf())])
    stored = filing.documents.get().filename
    assert " " not in stored and len(stored) > 50  # one long word
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dich-vu-cong/ho-so/{filing.pk}/")
    link = page.get_by_role("link", name=stored)
    assert link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_a_refused_file_with_a_long_name_does_not_make_the_form_scroll_sideways(page, live_server, owner, tmp_path):
    """The error summary and the field's message name the refused file; the name is one long word."""
    refused = tmp_path / LONG_NAME.replace(" ", "_").replace(".pdf", ".jpg")
    refused.write_bytes(real_pdf())  # a PDF under a .jpg name: refused, "không khớp"
    client = logged(owner)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dich-vu-cong/cap-lai-so-bhxh/")
    page.locator("input[type=file][name=attached_files]").set_input_files(str(refused))
    page.get_by_role("button", name="Tiếp tục").click()
    summary = page.locator(".error-summary")
    assert refused.name in summary.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    for part in (summary, page.locator(".error-message").filter(has_text=refused.name)):
        box = part.first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
