"""The hotline is one setting (PORTAL_HOTLINE): the pages and their tel: links, the messages sent by
SMS, e-mail and notice, the PDFs and the Vietnamese and English error texts all name it from there."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.adapter import SESSION_END_MESSAGES
from accounts.views.code_lookup import NOT_FOUND
from notifications.models import Message
from notifications.services import send_message
from public_services.procedures.base import default_agency
from tests.accounts.helpers import make_person
from vssid_portal.pdf import render_pdf

NEW = "1900 1234"


@pytest.fixture
def hotline(settings):
    settings.PORTAL_HOTLINE = NEW
    return NEW


def test_the_server_error_page_names_the_hotline_of_the_setting(rf, hotline):
    from django.urls import get_resolver

    response = get_resolver().resolve_error_handler(500)(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert f'href="tel:19001234">{NEW}</a>' in page
    assert "9068" not in page


@pytest.mark.django_db
def test_the_pages_link_the_hotline_to_dial(client, hotline):
    for path in ("/", "/ho-tro/", "/dich-vu-cong/phan-anh/"):
        page = client.get(path).content.decode()
        assert f'href="tel:19001234">{NEW}</a>' in page, path
        assert "tel:19009068" not in page, path  # the FAQ answers, data an officer edits, may name it


def test_the_error_texts_name_it_in_either_language(hotline):
    for language, said in (("vi", f"hãy đổi mật khẩu ngay hoặc gọi tổng đài {NEW}."),
                           ("en", f"change your password now or call the helpline on {NEW}.")):
        with translation.override(language):
            assert str(SESSION_END_MESSAGES["logged_in_elsewhere"]).endswith(said)
            assert str(NOT_FOUND).endswith(f"{NEW}.")


@pytest.mark.django_db
def test_the_messages_sent_name_it(hotline):
    message = send_message(channel=Message.Channel.SMS, template="security_password_changed", recipient="+84901234567",
                           idempotency_key="hotline-1", context={"at": timezone.now()})
    assert message.body.endswith(f"hãy gọi ngay tổng đài {NEW}.")


@pytest.mark.django_db
def test_a_procedure_without_an_agency_names_it(hotline, reference_data):
    # Said of whoever the filing is for: a parent filing for a child reads the child's name, not "bạn".
    person = make_person(name="Nguyễn Gia Bảo")
    person.agency_id = person.province_id = None
    with pytest.raises(ValidationError) as refused:
        default_agency(person)
    assert refused.value.messages == [f"Chưa xác định được cơ quan BHXH quản lý hồ sơ BHXH của Nguyễn Gia Bảo. "
                                      f"Hãy gọi {NEW} để được hướng dẫn."]


def test_a_pdf_template_sees_it(hotline, monkeypatch):
    seen = {}
    monkeypatch.setattr("vssid_portal.pdf.render_to_string", lambda name, context: seen.update(context) or "<p></p>")
    render_pdf("participation/pdf/statement.html", {})
    assert seen["PORTAL_HOTLINE"] == NEW
