"""The card-check API answers clinic software in Vietnamese, byte for byte the same whatever language
the caller's cookie asks for: the verify page's result words and form messages are lazy translations
(the page speaks English when asked), and the API builds its whole answer in the portal's language.
What an officer's English admin writes to the database (its change log) stays Vietnamese too."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from health_card.models import Card, CardCheck
from health_card.qr import Kind, Purpose
from health_card.results import OUTCOMES
from health_card.services import api_token_create, card_qr, reissue_card

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db
URL = "/api/xac-thuc/the-bhyt/"


def ask(raw, language, data, content_type="application/json", token=True):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if token else {}
    return client.post(URL, data, content_type=content_type, **auth)


def test_the_api_answers_in_vietnamese_to_a_caller_whose_cookie_asks_for_english(card, holder, facility):
    _token, raw = api_token_create(facility=facility, name="HIS")
    payload = card_qr(card, purpose=Purpose.SCREEN)
    with translation.override("en"):  # the control: the same words are English on the page
        assert str(CardCheck.Channel.API.label) == "Healthcare facility software (API)"
        assert str(OUTCOMES[Kind.VALID].label) == "Valid card"
    questions = {
        "valid": ({"maQR": payload}, "application/json"),
        "expired": ({"maQR": card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) - 3600)},
                    "application/json"),
        "wrong name": ({"maThe": card.number, "hoTen": "Nguyễn Văn Tài", "ngaySinh": "15/03/1988"}, "application/json"),
        "wrong birth date": ({"maThe": card.number, "hoTen": "Nguyễn Văn Đức", "ngaySinh": "01/01/1990"},
                             "application/json"),
        "missing fields": ({}, "application/json"),
        "bad fields": ({"maThe": "1" * 30, "hoTen": "A", "ngaySinh": "31/02/1990"}, "application/json"),
        "bad birth date": ({"maThe": card.number, "hoTen": "A", "ngaySinh": "1990-01-01"}, "application/json"),
        "junk": (b"\xff\xfe\x80", "text/plain"),
        "not json": ("{x", "application/json"),
    }
    for name, (data, content_type) in questions.items():
        vietnamese, english = ask(raw, "vi", data, content_type), ask(raw, "en", data, content_type)
        assert english.status_code == vietnamese.status_code, name
        assert english.content == vietnamese.content, name
        assert english["Content-Language"] == "vi", name
    unauthorised = ask("wrong", "en", {"maQR": payload}, token=False)
    assert unauthorised.status_code == 401 and unauthorised["Content-Language"] == "vi"
    assert unauthorised.json()["thongBao"] == "Thiếu hoặc sai mã truy cập API của cơ sở KCB."

    answer = ask(raw, "en", *questions["valid"]).json()
    assert (answer["thongBao"], answer["ghiChu"], answer["gioiTinh"]) == (
        "Thẻ hợp lệ", "Thẻ đang có giá trị sử dụng.", "Nam")
    answer = ask(raw, "en", *questions["wrong name"]).json()
    assert (answer["thongBao"], answer["ghiChu"]) == ("Sai họ tên", "Họ tên không khớp với thông tin thẻ.")
    answer = ask(raw, "en", *questions["bad fields"]).json()
    assert answer["loi"] == {"maThe": ["Nhập tối đa 20 ký tự (đang có 30 ký tự)."],
                             "ngaySinh": ["Ngày sinh không có thật: kiểm tra lại ngày và tháng."]}
    assert ask(raw, "en", *questions["missing fields"]).json()["loi"] == {
        "maThe": ["Nhập mã thẻ BHYT."], "hoTen": ["Nhập họ và tên ghi trên thẻ."],
        "ngaySinh": ["Nhập ngày sinh theo dạng dd/mm/yyyy."]}
    reissue_card(holder.person, "Mất thẻ")
    answer = ask(raw, "en", payload, "text/plain").json()
    assert answer["thongBao"] == "Thẻ đã được cấp lại"
    assert answer["ghiChu"] == "Đây là thẻ cũ: người bệnh đã được cấp thẻ mới. Hãy dùng mã QR của thẻ mới."


def test_what_the_admin_log_keeps_of_a_card_a_check_or_a_cost_line_is_vietnamese(card, facility):
    """Django's admin stores str(object) in its change log (LogEntry.object_repr, and the names of
    inline rows): an officer whose admin speaks English still writes it in Vietnamese."""
    from tests.health_card.test_visits import line

    check = CardCheck.objects.create(card=card, person=card.person, channel=CardCheck.Channel.API, result="valid")
    with translation.override("en"):
        assert Card.Status(card.status).label == "In use"  # the control
        assert str(card) == f"{card.legacy_number} (lần 1, đang sử dụng)"
        assert "Phần mềm của cơ sở KCB (API) – Thẻ hợp lệ" in str(check)
        assert str(line(category="xet_nghiem", description="Công thức máu")) == "Xét nghiệm: Công thức máu"


def test_a_visit_entered_from_an_english_admin_is_logged_in_vietnamese(holder):
    from health_card.models import VisitEvent
    from health_card.services import visit_save
    from tests.health_card.test_visits import standard_lines, visit

    with translation.override("en"):
        visit_save(visit=visit(holder.person, save=False), lines=standard_lines())
    assert VisitEvent.objects.get().changes.startswith("Nhập lượt khám ngoại trú tại ")


@pytest.mark.parametrize("payload, vietnamese, english", [
    ("0111077012|4e67|29/03", "(chuỗi bị cắt: thiếu phần kết thúc |$)", "(string cut short: the closing |$ is missing)"),
    ("0111077012|4e67|29/03|$", "(chỉ có 3 trường)", "(only 3 fields)"),
])
def test_the_clinic_page_gives_the_technical_detail_of_a_failed_scan_in_the_page_language(
        clinic_user, payload, vietnamese, english):
    from .card_fixtures import logged_in

    pages = {}
    for language in ("vi", "en"):
        client = logged_in(clinic_user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}).content.decode()
    assert vietnamese in pages["vi"] and english not in pages["vi"]
    assert english in pages["en"] and vietnamese not in pages["en"]


def test_a_tampered_card_check_names_what_failed_in_the_page_language(clinic_user, card):
    from .card_fixtures import logged_in

    tampered = card_qr(card, purpose=Purpose.SCREEN).replace("|1|-|", "|2|-|")
    client = logged_in(clinic_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": tampered}).content.decode()
    assert "(the signature is wrong)" in page and "chữ ký không đúng" not in page
