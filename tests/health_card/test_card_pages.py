"""The holder's pages, the clinic verify page, the API, the access log, reissue notices."""

import datetime
import json
import re
import subprocess
import time
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Guardianship
from health_card.models import Card, CardCheck
from health_card.qr import Kind, Purpose
from health_card.qr import _hex as qr_hex
from health_card.services import api_token_create, card_qr, reissue_card
from notifications.models import Message
from tests.accounts.helpers import born_years_ago, cccd_for, make_person
from tests.conftest import ZBAR_QR, require_tool
from vssid_portal.text import mask_name

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_card_page_draws_the_card_with_a_placeholder_photo_and_links(holder, card):
    page = text(logged_in(holder).get("/the-bhyt/"))
    for expected in ("7901234567", card.legacy_number, "NGUYỄN VĂN ĐỨC", "15/03/1988", "Nam", "01/01/2024",
                     "01/01/2029", card.facility.name, "Mức 4 – 80 %", "Chưa có ảnh chân dung",
                     'href="/the-bhyt/ma-qr/"', f'href="/the-bhyt/{card.pk}/in/"', 'href="/the-bhyt/ai-da-xem/"'):
        assert expected in page, expected


def test_the_living_area_the_qr_carries_is_on_the_page_and_the_printed_card(holder, card, tmp_path):
    client = logged_in(holder)
    assert "Nơi sinh sống" not in text(client.get("/the-bhyt/"))  # none recorded: no line
    Card.objects.filter(pk=card.pk).update(living_area=Card.LivingArea.K2)
    assert "<dt>Nơi sinh sống</dt><dd>K2 – vùng có điều kiện kinh tế – xã hội khó khăn</dd>" in text(client.get("/the-bhyt/"))
    path = tmp_path / "the.pdf"
    path.write_bytes(client.get(f"/the-bhyt/{card.pk}/in/").content)
    printed = subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"], capture_output=True,
                             check=True).stdout.decode()
    assert "Nơi sinh sống" in printed and "K2 – vùng có điều kiện" in re.sub(r"\s+", " ", printed)


def test_the_living_area_is_english_on_the_english_page_and_vietnamese_on_the_printed_card(holder, card, tmp_path):
    client = logged_in(holder)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    Card.objects.filter(pk=card.pk).update(living_area=Card.LivingArea.K1)
    assert "<dt>Living area</dt><dd>K1 – island commune or island district</dd>" in text(client.get("/the-bhyt/"))
    path = tmp_path / "the.pdf"
    path.write_bytes(client.get(f"/the-bhyt/{card.pk}/in/").content)
    printed = re.sub(r"\s+", " ", subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"],
                                                 capture_output=True, check=True).stdout.decode())
    assert "Nơi sinh sống K1 – xã đảo, huyện đảo" in printed and "island" not in printed


def test_the_printed_card_writes_its_benefit_level_the_vietnamese_way_from_an_english_page(holder, card, tmp_path):
    """The English page writes the level's percentage unspaced ("80%"); the card printed from it is a
    Vietnamese document and writes it as the Vietnamese texts do ("80 %")."""
    client = logged_in(holder)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    level, percent = card.level_id, card.level.percent
    assert f"Level {level} – {percent}%</dd>" in text(client.get("/the-bhyt/"))
    path = tmp_path / "the.pdf"
    path.write_bytes(client.get(f"/the-bhyt/{card.pk}/in/").content)
    printed = re.sub(r"\s+", " ", subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"],
                                                 capture_output=True, check=True).stdout.decode())
    assert f"Mức {level} – {percent} %" in printed and f"{percent}%" not in printed


def test_card_page_needs_a_login_and_pages_without_card(client, reference_data):
    assert client.get("/the-bhyt/").status_code == 302
    from accounts.models import User
    user = User.objects.create_user(username="7908888888", password="x-Strong-Pass-2026",
                                    person=make_person("7908888888", id_number="079088099999"))
    page = text(logged_in(user).get("/the-bhyt/"))
    assert "Chưa có thẻ BHYT" in page
    assert 'href="/the-bhyt/ai-da-xem/"' in page  # a person without a card still has an access log
    client = logged_in(user)
    response = client.get("/the-bhyt/ma-qr/")
    assert response.status_code == 302 and response["Location"] == "/the-bhyt/"
    page = text(client.get("/the-bhyt/"))
    assert "Không có mã QR để xuất trình" in page and "Chưa có thẻ BHYT" in page


@pytest.mark.parametrize("login", ["clinic staff", "officer"])
def test_a_login_without_a_person_is_not_offered_the_access_log(clinic_user, login):
    from tests.accounts.helpers import officer

    user = clinic_user if login == "clinic staff" else officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    client = logged_in(user)
    page = text(client.get("/the-bhyt/"))
    assert "Chưa có thẻ BHYT" in page
    assert "Quyền riêng tư" not in page and 'href="/the-bhyt/ai-da-xem/"' not in page
    assert client.get("/the-bhyt/ai-da-xem/").status_code == 404  # what the link led to
    # where their work is instead, as on their personal page: clinic staff check patients' cards
    html = client.get("/the-bhyt/").content.decode()
    if login == "clinic staff":
        assert '<a href="/xac-thuc/the-bhyt/">Đến trang xác thực thẻ BHYT</a>' in html
    else:
        assert '<a href="/quan-tri/">Đến trang quản trị</a>' in html


def test_portrait_is_shown_through_a_signed_private_link(holder, card):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.models import Registration
    from tests.accounts.helpers import jpeg
    person = holder.person
    registration = Registration.objects.create(
        reference="R-TEST-1", person=person, status=Registration.Status.APPROVED, bhxh_code=person.bhxh_code,
        full_name=person.full_name, birth_date=person.birth_date, province=person.province, ward=person.ward,
        street="1", phone="+84912345678", agency=card.agency, decided_at=timezone.now())
    registration.portrait.save("portrait.jpg", ContentFile(jpeg().read()))
    client = logged_in(holder)
    page = client.get("/the-bhyt/").content.decode()
    url = re.search(r'src="(/tep/[^"]+)"', page)[1]
    assert client.get(url).status_code == 200
    assert Client().get(url).status_code == 404  # bound to the holder's login


def test_qr_page_works_without_javascript_and_links_a_reload(holder, card):
    page = text(logged_in(holder).get("/the-bhyt/ma-qr/"))
    assert f'src="/the-bhyt/{card.pk}/ma-qr.png"' in page
    assert "Tải lại để lấy mã QR mới" in page and "qr-refresh.js" in page and "<script>" not in page


def test_the_qr_page_without_javascript_says_until_when_its_qr_is_good(holder, card, monkeypatch):
    """The on-screen QR is signed at the start of its 5-minute window and good for 10 minutes from
    then: shown late in a window it lasts barely 5. The page says the time it stops."""
    from health_card.views import card as views

    late_in_a_window = views._window(time.time()) + views.QR_WINDOW_SECONDS - 10
    monkeypatch.setattr(views.time, "time", lambda: late_in_a_window)
    page = text(logged_in(holder).get("/the-bhyt/ma-qr/"))
    stops = datetime.datetime.fromtimestamp(late_in_a_window + 10 - views.QR_WINDOW_SECONDS + 600, tz=VIETNAM)
    assert f"Mã QR đang hiện dùng được đến {stops:%H:%M}." in page


def test_pdf_of_the_card_has_its_text_and_a_print_qr(holder, card, tmp_path):
    response = logged_in(holder).get(f"/the-bhyt/{card.pk}/in/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "the.pdf"
    path.write_bytes(response.content)
    content = subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"], capture_output=True,
                             check=True).stdout.decode()
    squeezed = re.sub(r"\s+", "", content)
    for expected in ("THẺBẢOHIỂMYTẾ", "NGUYỄNVĂNĐỨC", "7901234567", card.legacy_number, "15/03/1988"):
        assert expected in squeezed, expected
    subprocess.run([require_tool("pdftoppm", "poppler-utils"), "-r", "150", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    page = sorted(tmp_path.glob("page*.png"))[0]
    decoded = subprocess.run([require_tool("zbarimg", "zbar-tools"), *ZBAR_QR, str(page)],
                             capture_output=True, check=True).stdout.decode().strip()
    from health_card import qr
    assert qr.parse(decoded).purpose == Purpose.PRINT
    from health_card.services import card_check
    assert card_check(channel="qr", payload=decoded).kind == Kind.VALID


def test_the_printed_card_names_its_holder_in_the_title_and_the_portal_as_author(holder, card, tmp_path):
    path = tmp_path / "the.pdf"
    path.write_bytes(logged_in(holder).get(f"/the-bhyt/{card.pk}/in/").content)
    info = subprocess.run([require_tool("pdfinfo", "poppler-utils"), str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert "Title:           Thẻ BHYT – Nguyễn Văn Đức" in info, info
    assert "Author:          Cổng dịch vụ BHXH số – Bảo hiểm xã hội Việt Nam" in info, info


def test_idor_other_peoples_card_qr_pdf_and_log_are_404(holder, card, stranger):
    client = logged_in(stranger)
    assert client.get(f"/the-bhyt/{card.pk}/in/").status_code == 404
    assert client.get(f"/the-bhyt/{card.pk}/ma-qr.png").status_code == 404
    CardCheck.objects.create(card=card, person=card.person, channel="qr", result="valid")
    log = text(client.get("/the-bhyt/ai-da-xem/"))
    assert "Chưa có lần xác thực nào" in log
    # switching the view to somebody who is not one's child changes nothing
    client.post("/ca-nhan/xem/", {"child": card.person.pk})
    assert "Chưa có lần xác thực nào" in text(client.get("/the-bhyt/ai-da-xem/"))
    assert "7901234567" not in text(client.get("/the-bhyt/"))


def test_a_parent_sees_the_childs_card_and_its_access_log(holder, facility, clinic_user):
    born = born_years_ago(2)  # a child under six whenever the tests run: the TE card runs past today
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    child_card = issue(child, facility, group="TE", valid_from=born)
    client = logged_in(holder)
    session = client.session
    session["viewing_person_id"] = child.pk
    session.save()
    assert "NGUYỄN GIA BẢO" in text(client.get("/the-bhyt/"))
    assert client.get(f"/the-bhyt/{child_card.pk}/in/").status_code == 200
    logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": card_qr(child_card, purpose=Purpose.SCREEN)})
    log = text(client.get("/the-bhyt/ai-da-xem/"))
    assert "Phạm Thu Hà" in log  # the Vietnamese order, never "Hà Phạm Thu"
    assert facility.name in log and "Thẻ hợp lệ" in log


def test_access_log_lists_who_checked_and_only_the_holder_sees_it(holder, card, clinic_user, stranger):
    payload = card_qr(card, purpose=Purpose.SCREEN)
    logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    checks = CardCheck.objects.filter(person=holder.person)
    assert checks.count() == 2
    assert {c.channel for c in checks} == {"qr", "public"}
    log = text(logged_in(holder).get("/the-bhyt/ai-da-xem/"))
    assert "Khách (không đăng nhập)" in log and clinic_user.facility.name in log
    assert "Chưa có lần xác thực nào" in text(logged_in(stranger).get("/the-bhyt/ai-da-xem/"))


def test_the_access_log_names_no_citizen_who_checked_the_card(holder, card, clinic_user, stranger, settings):
    """Another citizen logged in who checks the card on the public page is not named to its holder,
    by name or BHXH code; an officer is named by their agency, clinic staff with their facility, and
    the holder's own check as theirs."""
    from tests.accounts.helpers import officer

    stranger.last_name = stranger.person.full_name  # as the approval of a registration writes it
    stranger.save()
    payload = card_qr(card, purpose=Purpose.SCREEN)
    for user in (stranger, officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"), clinic_user, holder):
        logged_in(user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    client = logged_in(holder)
    log = text(client.get("/the-bhyt/ai-da-xem/"))
    assert "Trần Thị Bình" not in log and stranger.person.bhxh_code not in log and "canbo07901" not in log
    assert 'data-label="Ai xác thực">Người dùng khác (đã đăng nhập)</td>' in log
    assert 'data-label="Ai xác thực">Cán bộ BHXH Quận 1</td>' in log
    assert 'data-label="Ai xác thực">Phạm Thu Hà</td>' in log and clinic_user.facility.name in log
    assert 'data-label="Ai xác thực">Bạn</td>' in log
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    log = text(client.get("/the-bhyt/ai-da-xem/"))
    assert ">Another user (logged in)</td>" in log and ">Officer of BHXH Quận 1</td>" in log and ">You</td>" in log


def test_the_access_log_names_the_holders_own_check_and_their_parents_as_such(holder, facility, settings):
    """A parent checking a child's card, and the child checking it with a login of their own, were
    each shown to the other as another logged-in user."""
    from accounts.models import User

    born = born_years_ago(15)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    child_login = User.objects.create_user(username=child.bhxh_code, password="x-Strong-Pass-2026", person=child)
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    payload = card_qr(issue(child, facility, group="HS", valid_from=born), purpose=Purpose.SCREEN)
    for user in (holder, child_login):
        logged_in(user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    assert CardCheck.objects.filter(person=child).count() == 2

    childs_own = logged_in(child_login)
    log = text(childs_own.get("/the-bhyt/ai-da-xem/"))
    assert 'data-label="Ai xác thực">Cha, mẹ hoặc người giám hộ</td>' in log
    assert 'data-label="Ai xác thực">Bạn</td>' in log and "Người dùng khác (đã đăng nhập)" not in log
    parents = logged_in(holder)
    session = parents.session
    session["viewing_person_id"] = child.pk
    session.save()
    log = text(parents.get("/the-bhyt/ai-da-xem/"))
    assert 'data-label="Ai xác thực">Chủ thẻ</td>' in log
    assert 'data-label="Ai xác thực">Bạn</td>' in log and "Người dùng khác (đã đăng nhập)" not in log
    for client in (childs_own, parents):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Parent or guardian</td>" in text(childs_own.get("/the-bhyt/ai-da-xem/"))
    assert ">Card holder</td>" in text(parents.get("/the-bhyt/ai-da-xem/"))


def test_a_wrong_name_or_birth_date_is_logged_against_the_card_for_its_holder_and_officers(
        holder, card, clinic_user, facility):
    """Guessing a holder's name or birth date against their card number leaves a trace the holder and
    the card's officers can see, while the one guessing still learns nothing about the holder."""
    from health_card.selectors import checks_visible_to
    from tests.accounts.helpers import officer

    from .test_card_qr import unsigned_qr

    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {
        "cach": "nhap", "so_the": card.legacy_number, "ho_ten": "Nguyễn Văn Tài", "ngay_sinh": "15/03/1988"}))
    assert "Sai họ tên" in page and "NGUYỄN VĂN ĐỨC" not in page and "15/03/1988" not in page.split("</section>")[0]
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức",
                                                       "ngaySinh": "01/01/1990"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert answer["maKetQua"] == "070" and "hoTen" not in answer and "maSoBHXH" not in answer
    logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {
        "cach": "quet", "ma_qr": unsigned_qr(card).replace("15/03/1988", "16/03/1988")})
    logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {
        "cach": "nhap", "so_the": "7909999990", "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"})  # no such card

    failed = CardCheck.objects.exclude(result="not_found")
    assert sorted(c.result for c in failed) == ["wrong_birth_date", "wrong_birth_date", "wrong_name"]
    assert all(c.card == card and c.person == holder.person for c in failed)
    log = text(logged_in(holder).get("/the-bhyt/ai-da-xem/"))
    assert "Sai họ tên" in log and log.count("Sai ngày sinh") == 2 and "Phần mềm: HIS" in log
    assert set(checks_visible_to(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))) == set(failed)


def test_clinic_staff_see_the_whole_result(holder, card, clinic_user, other_facility):
    client = logged_in(clinic_user)
    page = text(client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}))
    for expected in ("Thẻ hợp lệ", "NGUYỄN VĂN ĐỨC", "15/03/1988", "Nam", "Mức 4 – 80 %", "đúng cơ sở này",
                     "01/01/2029", "check-result--success", "✔"):
        assert expected in page, expected
    page = text(client.post("/xac-thuc/the-bhyt/", {"cach": "nhap", "so_the": card.legacy_number,
                                                   "ho_ten": "nguyen van duc", "ngay_sinh": "15/03/1988"}))
    assert "Thẻ hợp lệ" in page
    page = text(client.post("/xac-thuc/the-bhyt/", {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức",
                                                   "ngay_sinh": "16/03/1988"}))
    assert "Sai ngày sinh" in page and "NGUYỄN VĂN ĐỨC" not in page
    Card.objects.filter(pk=card.pk).update(facility=other_facility)
    page = text(client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": card_qr(Card.objects.get(pk=card.pk), purpose=Purpose.SCREEN)}))
    assert "không phải cơ sở này" in page


def test_the_scan_field_has_the_focus_on_the_first_visit_and_the_verdict_after_a_check(card, clinic_user):
    client = logged_in(clinic_user)
    autofocused = re.compile(r"<[^>]*\bautofocus\b[^>]*>")
    assert [tag for tag in autofocused.findall(client.get("/xac-thuc/the-bhyt/").content.decode())
            if 'name="ma_qr"' in tag]
    for data in ({"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)},
                 {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Tài", "ngay_sinh": "15/03/1988"}):
        tags = autofocused.findall(client.post("/xac-thuc/the-bhyt/", data).content.decode())
        assert len(tags) == 1 and tags[0].startswith('<h2 id="ket-qua" tabindex="-1"'), tags
    errors = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": ""}).content.decode()
    assert 'class="error-summary"' in errors and not autofocused.search(errors)


def test_anyone_but_clinic_staff_opens_the_verify_page_at_its_top(card, holder):
    """No hand-held scanner there: a focused field would open a phone's keyboard over the page and
    pass over the skip link."""
    autofocused = re.compile(r"<[^>]*\bautofocus\b[^>]*>")
    for client in (Client(), logged_in(holder)):
        page = client.get("/xac-thuc/the-bhyt/").content.decode()
        assert 'name="ma_qr"' in page and not autofocused.search(page)


def test_a_failed_typed_check_keeps_what_was_typed_and_a_valid_one_clears_it(card, clinic_user):
    client = logged_in(clinic_user)
    typed = {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đứ", "ngay_sinh": "15/03/1988"}
    page = client.post("/xac-thuc/the-bhyt/", typed).content.decode()
    assert "Sai họ tên" in page
    for value in ("7901234567", "Nguyễn Văn Đứ", "15/03/1988"):
        assert f'value="{value}"' in page, value
    page = client.post("/xac-thuc/the-bhyt/", {**typed, "ho_ten": "Nguyễn Văn Đức"}).content.decode()
    assert "Thẻ hợp lệ" in page
    assert not re.search(r'<input[^>]*name="(so_the|ho_ten|ngay_sinh)"[^>]*value=', page)


def test_a_birth_date_typed_on_a_phones_number_pad_checks_the_card(card, clinic_user):
    """The birth date box brings up a phone's number pad, which on an iPhone has no slash: its hint
    says the date may be typed as eight digits, and so typed it is read as the date."""
    client = logged_in(clinic_user)
    page = client.get("/xac-thuc/the-bhyt/").content.decode()
    assert re.search(r'<input[^>]*name="ngay_sinh"[^>]*inputmode="numeric"|<input[^>]*inputmode="numeric"[^>]*'
                     r'name="ngay_sinh"', page)
    assert "ddmmyyyy" in page
    typed = {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15031988"}
    assert "Thẻ hợp lệ" in text(client.post("/xac-thuc/the-bhyt/", typed))


@pytest.mark.parametrize("data, message", [
    ({"cach": "nhap", "so_the": "12", "ho_ten": "A", "ngay_sinh": "15/03/1988"}, "Mã thẻ gồm 10 chữ số"),
    ({"cach": "nhap", "so_the": "7901234567", "ho_ten": "A", "ngay_sinh": "31/02/1988"}, "Ngày sinh không có thật"),
    ({"cach": "nhap", "so_the": "7901234567", "ho_ten": "", "ngay_sinh": "hôm qua"}, "Nhập họ và tên"),
    ({"cach": "nhap", "so_the": "7901234567", "ho_ten": "A", "ngay_sinh": "2999"}, "Năm sinh không được sau năm nay"),
    ({"cach": "quet", "ma_qr": ""}, "Quét hoặc dán chuỗi mã QR"),
    ({"cach": "quet", "ma_qr": "x" * 3000}, "Chuỗi quá dài"),
])
def test_bad_input_gets_a_vietnamese_message_never_a_500(clinic_user, data, message):
    response = logged_in(clinic_user).post("/xac-thuc/the-bhyt/", data)
    assert response.status_code == 400 and message in text(response)
    assert "<title>Lỗi: Xác thực thẻ BHYT" in response.content.decode()


def test_fullwidth_digits_are_read_as_digits_and_other_scripts_digits_are_refused(card, clinic_user):
    from health_card.qr import QrError, parse

    client = logged_in(clinic_user)
    typed = {"cach": "nhap", "ho_ten": "Nguyễn Văn Đức"}
    page = text(client.post("/xac-thuc/the-bhyt/", {**typed, "so_the": "７９０１２３４５６７", "ngay_sinh": "１５/０３/１９８８"}))
    assert "Thẻ hợp lệ" in page and "NGUYỄN VĂN ĐỨC" in page
    for number in ("٧٩٠١٢٣٤٥٦٧", "७९०१२३४५६७"):  # Arabic-Indic, Devanagari
        response = client.post("/xac-thuc/the-bhyt/", {**typed, "so_the": number, "ngay_sinh": "15/03/1988"})
        assert response.status_code == 400 and "Mã thẻ gồm 10 chữ số" in text(response)
    response = client.post("/xac-thuc/the-bhyt/", {**typed, "so_the": "7901234567", "ngay_sinh": "١٥/٠٣/١٩٨٨"})
    assert response.status_code == 400 and "Nhập ngày sinh theo dạng dd/mm/yyyy" in text(response)
    assert not CardCheck.objects.exclude(result="valid").exists()
    qr = card_qr(card, purpose=Purpose.PRINT)
    with pytest.raises(QrError) as refused:
        parse(qr.replace("7901234567", "٧٩٠١٢٣٤٥٦٧", 1))
    assert refused.value.kind == Kind.MALFORMED  # a letter no card's QR holds: a keyboard's, not a changed card


@pytest.mark.parametrize("payload, label", [("rác", "Không đọc được mã QR"), ("0111077012|4e67|29/03", "Mã QR bị đọc thiếu")])
def test_junk_is_answered_clearly(clinic_user, payload, label):
    response = logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    assert response.status_code == 200 and label in text(response)


@pytest.mark.parametrize("typed, number", [("7901234567", "7901234567"), ("dn4 79 7901234567", "DN4797901234567"),
                                           ("079088012345", "079088012345")])
def test_a_card_number_typed_into_the_scan_field_is_not_answered_as_a_qr_to_scan_again(card, clinic_user, typed,
                                                                                      number):
    """Without a scanner or a camera (or JavaScript), a desk types the number on the card into the
    first field: it is told where a typed number is checked, the typed check begins with it, and no
    unreadable QR is logged."""
    response = logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": typed})
    page = text(response)
    assert response.status_code == 400 and "Không đọc được mã QR" not in page and "quét lại" not in page
    assert "Đây là mã thẻ, không phải chuỗi mã QR trên thẻ" in page and "«Hoặc nhập thông tin trên thẻ»" in page
    assert re.search(rf'<input[^>]*name="so_the"[^>]*value="{number}"', page)
    response = Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": typed})
    assert response.status_code == 400 and "Đây là mã thẻ, không phải chuỗi mã QR trên thẻ" in text(response)
    assert 'name="so_the"' not in text(response) and not CardCheck.objects.exists()


@pytest.mark.parametrize("number", ["7901234567", "dn4 79 7901234567", "079088012345"])
def test_the_api_answers_a_card_number_sent_as_the_qr_string_as_a_number_not_an_unreadable_qr(card, facility,
                                                                                              number):
    """Clinic software without a QR sends the number on the card in maQR (or as the raw body): it is
    told to send it in maThe with hoTen and ngaySinh, and no unreadable QR is checked or logged."""
    _token, raw = api_token_create(facility=facility, name="HIS")
    url, auth = "/api/xac-thuc/the-bhyt/", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for response in (Client().post(url, {"maQR": number}, content_type="application/json", **auth),
                     Client().post(url, number, content_type="text/plain", **auth)):
        answer = response.json()
        assert response.status_code == 400 and answer["maKetQua"] == "205" and answer["ketQua"] == "card_number"
        assert answer["hopLe"] is False and "maQR chứa mã thẻ, không phải chuỗi mã QR" in answer["thongBao"]
        assert "maThe" in answer["thongBao"] and answer["loi"] == {"maQR": [answer["thongBao"]]}
    assert not CardCheck.objects.exists()
    malformed = Client().post(url, {"maQR": "7901234567|x|$"}, content_type="application/json", **auth).json()
    assert malformed["ketQua"] == "truncated"  # a string that is no number is still read as a QR


def test_the_api_answers_a_qr_string_too_long_for_a_card_as_too_long_not_an_unreadable_qr(card, facility):
    """As the verify page says "Chuỗi quá dài" and checks nothing: no "scan again" for a string no
    card's QR can be, and no check logged. A card's own QR, even with a scanner's spaces, is checked."""
    from health_card.qr import MAX_LENGTH

    _token, raw = api_token_create(facility=facility, name="HIS")
    url, auth = "/api/xac-thuc/the-bhyt/", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    too_long = "x" * (MAX_LENGTH + 1)
    for response in (Client().post(url, {"maQR": too_long}, content_type="application/json", **auth),
                     Client().post(url, too_long, content_type="text/plain", **auth)):
        answer = response.json()
        assert response.status_code == 400 and answer["maKetQua"] == "205" and answer["hopLe"] is False
        assert f"Chuỗi mã QR quá dài (tối đa {MAX_LENGTH} ký tự)" in answer["thongBao"]
        assert "quét lại" not in answer["thongBao"].lower() and answer["loi"] == {"maQR": [answer["thongBao"]]}
    assert not CardCheck.objects.exists()
    scanned = Client().post(url, {"maQR": f"  {card_qr(card, purpose=Purpose.SCREEN)}\n"},
                            content_type="application/json", **auth)
    assert scanned.status_code == 200 and scanned.json()["hopLe"] is True


def test_public_result_is_masked_and_offers_no_typed_check(card):
    page = text(Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}))
    assert "Thẻ hợp lệ" in page and "NGUYỄN V*** Đ" in page
    assert "NGUYỄN VĂN ĐỨC" not in page and "15/03/1988" not in page and card.facility.name not in page
    page = text(Client().post("/xac-thuc/the-bhyt/", {"cach": "nhap", "so_the": "7901234567",
                                                      "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"}))
    assert "Thẻ hợp lệ" not in page and 'name="so_the"' not in page
    tampered = card_qr(card, purpose=Purpose.SCREEN).replace("|1|-|", "|2|-|")
    page = text(Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": tampered}))
    assert "Mã QR giả mạo" in page and "NGUYỄN" not in page  # what the string itself shows may be said


def test_the_public_is_told_why_a_qr_fails_only_when_the_qr_itself_says_so(card, holder):
    """An on-screen QR past its 10 minutes, a cut or forged string: the holder can read that from
    the QR, so anyone is told (and can ask for a fresh QR). A card revoked or reissued is known
    only to the registry: the public page says "not valid", no more."""
    import time

    def public(payload):
        return text(Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))

    old = card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) - 11 * 60)
    page = public(old)
    assert "Mã QR đã hết hạn" in page and "Mã QR trên màn hình chỉ dùng được 10 phút" in page and "NGUYỄN V*** Đ<" in page
    page = public("0111077012|4e67|29/03/1988|$")
    assert "Mã QR bị đọc thiếu" in page and "thiếu trường hoặc phần kết thúc" in page
    printed = card_qr(card, purpose=Purpose.PRINT)
    reissue_card(holder.person, "Mất thẻ")
    page = public(printed)
    assert "Thẻ không hợp lệ" in page and "cấp lại" not in page and "Thẻ đã được cấp lại" not in page
    Card.objects.filter(person=holder.person).update(status=Card.Status.REVOKED)
    page = public(card_qr(Card.objects.filter(person=holder.person).latest("version"), purpose=Purpose.SCREEN))
    assert "Thẻ không hợp lệ" in page and "thu hồi" not in page


def test_an_expired_card_and_a_stale_or_early_screen_qr_are_told_apart(card, clinic_user, facility):
    """Clinic software keeps its codes (010 expired, 011 not yet valid) for the card and for the QR
    alike; the words say which of the two is at fault, so the desk knows whether a fresh QR helps."""
    import time

    client = logged_in(clinic_user)
    _token, raw = api_token_create(facility=facility, name="HIS")

    def both(payload):
        page = text(client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
        answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        return page, answer

    page, answer = both(card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) - 11 * 60))
    assert "Mã QR đã hết hạn" in page and "chỉ dùng được 10 phút" in page and "Thẻ hết hạn" not in page
    assert answer["maKetQua"] == "010" and answer["ketQua"] == "qr_expired"
    assert answer["thongBao"] == "Mã QR đã hết hạn" and "10 phút" in answer["ghiChu"]

    page, answer = both(card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) + 3600))
    assert "Mã QR chưa dùng được" in page and "Thẻ chưa đến ngày bắt đầu" not in page
    assert answer["maKetQua"] == "011" and answer["ketQua"] == "qr_issued_ahead" and "mở lại mã QR" in answer["ghiChu"]

    Card.objects.filter(pk=card.pk).update(valid_to=datetime.date(2024, 12, 31))
    page, answer = both(card_qr(Card.objects.get(pk=card.pk), purpose=Purpose.SCREEN))
    assert "Thẻ hết hạn" in page and "Thẻ đã hết giá trị sử dụng" in page
    assert "10 phút" not in page and "mở lại mã QR" not in page
    assert answer["maKetQua"] == "010" and answer["ketQua"] == "expired" and "10 phút" not in answer["ghiChu"]


def test_an_unsigned_qr_passes_only_as_unsigned_and_a_cut_signature_is_forged(card, clinic_user, facility):
    from .test_card_qr import unsigned_qr, without_signature

    _token, raw = api_token_create(facility=facility, name="HIS")

    def api(payload):
        return Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {raw}").json()

    printed = unsigned_qr(card)  # a card printed before the portal signed its QRs
    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}))
    assert "Thẻ hợp lệ" in page and "Mã QR không có chữ ký số" in page and "giấy tờ tùy thân có ảnh" in page
    answer = api(printed)
    assert answer["maKetQua"] == "000" and answer["coChuKy"] is False and "Mã QR không có chữ ký số" in answer["ghiChu"]
    signed = api(card_qr(card, purpose=Purpose.SCREEN))
    assert signed["maKetQua"] == "000" and signed["coChuKy"] is True and "chữ ký" not in signed["ghiChu"]
    cut = api(without_signature(card_qr(card, purpose=Purpose.SCREEN)))
    assert cut["maKetQua"] == "901" and cut["hopLe"] is False and "hoTen" not in cut
    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {
        "cach": "quet", "ma_qr": without_signature(card_qr(card, purpose=Purpose.SCREEN))}))
    assert "Mã QR giả mạo" in page and "mã QR do Cổng cấp đã bị bỏ chữ ký" in page and "NGUYỄN VĂN ĐỨC" not in page


def test_mask_name():
    assert mask_name("Nguyễn Văn A", given_initial=True) == "NGUYỄN V*** A"
    assert mask_name("Trần Thị Minh Khai", given_initial=True) == "TRẦN T*** M*** K"
    assert mask_name("Hà", given_initial=True) == "H***"


def test_public_checks_are_rate_limited_per_ip(card):
    payload = card_qr(card, purpose=Purpose.SCREEN)
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(20):
        assert client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}).status_code == 200
    response = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    assert response.status_code == 429 and "quá nhiều lần" in text(response)
    assert 1 <= int(response["Retry-After"]) <= 60  # what is left of the limit's minute
    assert Client(REMOTE_ADDR="203.0.113.10").post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}).status_code == 200


def test_clinic_staff_are_not_rate_limited_like_the_public(card, clinic_user):
    client = logged_in(clinic_user)
    payload = card_qr(card, purpose=Purpose.SCREEN)
    for _ in range(25):
        assert client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}).status_code == 200


def test_a_birth_year_alone_matches_only_a_card_that_shows_the_year_alone(holder, card, clinic_user, facility):
    """Card number, name and year must not be enough to learn a holder's full date of birth."""
    client = logged_in(clinic_user)
    typed = {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức"}
    page = text(client.post("/xac-thuc/the-bhyt/", {**typed, "ngay_sinh": "1988"}))
    assert "Sai ngày sinh" in page and "15/03/1988" not in page and "NGUYỄN VĂN ĐỨC" not in page
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức",
                                                       "ngaySinh": "1988"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert answer["maKetQua"] == "070" and "ngaySinh" not in answer

    holder.person.birth_year_only = True  # the card prints "1988": the year is all the clinic can type
    holder.person.save(update_fields=["birth_year_only"])
    for birth in ("1988", "15/03/1988"):
        assert "Thẻ hợp lệ" in text(client.post("/xac-thuc/the-bhyt/", {**typed, "ngay_sinh": birth})), birth
    assert "Sai ngày sinh" in text(client.post("/xac-thuc/the-bhyt/", {**typed, "ngay_sinh": "1989"}))


def test_api_needs_a_valid_token_and_answers_in_the_card_check_names(card, facility, holder):
    payload = card_qr(card, purpose=Purpose.SCREEN)
    client = Client(enforce_csrf_checks=True)
    url = "/api/xac-thuc/the-bhyt/"
    assert client.post(url, {"maQR": payload}, content_type="application/json").status_code == 401
    assert client.post(url, {"maQR": payload}, content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer bhyt_wrong").status_code == 401
    token, raw = api_token_create(facility=facility, name="HIS")
    assert raw not in json.dumps(list(type(token).objects.values()), default=str)  # only the hash is stored
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    answer = client.post(url, {"maQR": payload}, content_type="application/json", **auth).json()
    assert answer["maKetQua"] == "000" and answer["hopLe"] is True
    assert answer["hoTen"] == "Nguyễn Văn Đức" and answer["gioiTinh"] == "Nam" and answer["maDKBD"] == facility.code
    assert answer["gtTheTu"] == "01/01/2024" and answer["gtTheDen"] is None and answer["ngayDu5Nam"] == "01/01/2029"
    assert answer["maSoBHXH"] == "7901234567" and answer["tyLeHuong"] == 80
    typed = client.post(url, {"maThe": "7901234567", "hoTen": "Nguyễn Văn Tài", "ngaySinh": "15/03/1988"},
                        content_type="application/json", **auth).json()
    assert typed["maKetQua"] == "060" and "hoTen" not in typed
    assert client.post(url, {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức", "ngaySinh": "01/01/1990"},
                       content_type="application/json", **auth).json()["maKetQua"] == "070"
    junk = client.post(url, b"\xff\xfe\x80", content_type="text/plain", **auth).json()
    assert junk["ketQua"] == "junk" and junk["hopLe"] is False
    assert client.post(url, "{not json", content_type="application/json", **auth).status_code == 400
    new = reissue_card(holder.person, "Mất thẻ")
    replaced = client.post(url, payload, content_type="text/plain", **auth).json()
    assert replaced["maKetQua"] == "003" and replaced["maTheCu"] == card.legacy_number
    assert replaced["maTheMoi"] == new.legacy_number
    logged = CardCheck.objects.filter(token=token)
    assert logged.count() == 5 and all(c.facility == facility for c in logged)
    token.revoked_at = datetime.datetime.now(datetime.UTC)
    token.save()
    assert client.post(url, {"maQR": payload}, content_type="application/json", **auth).status_code == 401


def test_the_api_limit_counts_per_token_however_the_header_is_written(card, facility, monkeypatch):
    from health_card.views import verify

    monkeypatch.setattr(verify, "API_RATE", "3/m")
    payload = card_qr(card, purpose=Purpose.SCREEN)
    _token, raw = api_token_create(facility=facility, name="HIS")
    _other, other = api_token_create(facility=facility, name="HIS 2")

    def post(header):
        return Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                             HTTP_AUTHORIZATION=header)

    assert [post(header).status_code for header in (f"Bearer {raw}", f"bearer {raw}", f"BEARER  {raw} ")] == [200] * 3
    limited = post(f"bearer   {raw}")
    assert limited.status_code == 429 and limited.json()["maKetQua"] == "429"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert post(f"Bearer {other}").status_code == 200  # another clinic's token has its own count
    assert CardCheck.objects.count() == 4  # the refused call checked nothing


def test_the_api_names_its_own_fields_answers_a_get_in_json_and_reads_typed_fields_beside_an_empty_qr(
        card, facility):
    _token, raw = api_token_create(facility=facility, name="HIS")
    url, auth = "/api/xac-thuc/the-bhyt/", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = Client().get(url, **auth)
    assert response.status_code == 405 and response["Allow"] == "POST" and response["Content-Type"] == "application/json"
    assert response.json() == {"maKetQua": "405", "hopLe": False, "thongBao": "Chỉ nhận yêu cầu POST."}
    assert Client().head(url).status_code == 405
    typed = {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức", "ngaySinh": "15/03/1988"}
    answer = Client().post(url, {"maQR": "", **typed}, content_type="application/json", **auth).json()
    assert answer["maKetQua"] == "000" and answer["hoTen"] == "Nguyễn Văn Đức" and "coChuKy" not in answer
    assert Client().post(url, {"maQR": "  ", **typed}, content_type="application/json", **auth).json()["maKetQua"] == "000"
    refused = Client().post(url, {"maQR": "", "maThe": "12", "ngaySinh": "31/02/1988"}, content_type="application/json",
                            **auth)
    assert refused.status_code == 400 and set(refused.json()["loi"]) == {"maThe", "hoTen", "ngaySinh"}
    assert refused.json()["loi"]["ngaySinh"] == ["Ngày sinh không có thật: kiểm tra lại ngày và tháng."]


def test_reissue_marks_the_old_card_replaced_and_notifies_the_holder(holder, card):
    new = reissue_card(holder.person, "Thẻ bị hỏng")
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED and new.status == Card.Status.ACTIVE and new.version == 2
    notice = Message.objects.get(user=holder, channel=Message.Channel.INBOX, template="bhyt_card_reissued")
    # The card's issue number, as the card shows it: not "reissued for the 2nd time".
    assert "(lần cấp 2)" in notice.body and "cấp lại (lần" not in notice.body and "Thẻ bị hỏng" in notice.body
    assert Message.objects.filter(user=holder, channel=Message.Channel.SMS, template="bhyt_card_reissued").exists()
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        reissue_card(holder.person, "")


def test_reissue_is_atomic(holder, card, monkeypatch):
    from health_card.services import cards

    def broken(**kwargs):
        raise RuntimeError("gateway down")
    monkeypatch.setattr(cards, "person_notify", broken)
    with pytest.raises(RuntimeError):
        reissue_card(holder.person, "Thẻ bị hỏng")
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE and Card.objects.filter(person=holder.person).count() == 1


def test_card_page_and_a_clinic_check_stay_under_their_query_ceilings(holder, card, clinic_user,
                                                                     django_assert_max_num_queries, monkeypatch):
    """Counted on a card page rendered, not served from the page cache (tests/test_page_cache.py)."""
    import accounts.pages

    monkeypatch.setattr(accounts.pages, "content_version", lambda *ids: None)
    client = logged_in(holder)
    client.get("/the-bhyt/")
    payload = card_qr(card, purpose=Purpose.SCREEN)
    clinic = logged_in(clinic_user)
    for _ in range(3):
        clinic.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    with django_assert_max_num_queries(12):
        page = client.get("/the-bhyt/")
    assert page.status_code == 200 and card.number in page.content.decode()
    with django_assert_max_num_queries(16):
        check = clinic.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    assert check.status_code == 200 and "Thẻ hợp lệ" in check.content.decode()


def test_the_access_log_reads_the_same_three_queries_for_1_and_30_checks(holder, card, clinic_user, facility):
    """The person in view, the number of checks, then a page of them with who checked, the API
    token and the facility in the same query: nothing per row, whether one check or thirty."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, _ = api_token_create(facility=facility, name="Phần mềm HIS khoa Khám bệnh")
    # Every row of the log names someone: the clinic's staff member, the clinic's software, a guest.
    who = [{"checked_by": clinic_user, "facility": facility, "channel": CardCheck.Channel.QR},
           {"token": token, "facility": facility, "channel": CardCheck.Channel.API},
           {"channel": CardCheck.Channel.PUBLIC}]
    client = logged_in(holder)

    def queries_for_log(count):
        CardCheck.objects.all().delete()
        CardCheck.objects.bulk_create([CardCheck(card=card, person=card.person, result=Kind.VALID, **who[i % 3])
                                       for i in range(count)])
        client.get("/the-bhyt/ai-da-xem/")  # session, user and the unread count cached
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/the-bhyt/ai-da-xem/")
        page = text(response)
        assert response.status_code == 200 and page.count('data-label="Kết quả">Thẻ hợp lệ</td>') == count
        assert "Phạm Thu Hà" in page  # the clinic's staff member, in Vietnamese order
        if count >= 3:
            assert "Phần mềm: Phần mềm HIS khoa Khám bệnh" in page
            assert "Khách (không đăng nhập)" in page
        return len(queries)

    one, thirty = queries_for_log(1), queries_for_log(30)
    assert one == thirty == 3


def check_queries(client, url, data, **extra) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # session, user and permissions cached
        client.post(url, data, **extra)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data, **extra).status_code == 200
    return [q["sql"] for q in queries]


def test_a_clinic_check_costs_the_card_the_log_row_and_the_portrait(card, clinic_user):
    """The staff member's permission comes with the cached user; the card is read by its unique
    number + version with no ordering (Card's default ordering would join the person to sort)."""
    payload = card_qr(card, purpose=Purpose.SCREEN)
    sql = check_queries(logged_in(clinic_user), "/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload})
    assert len(sql) == 3, sql
    card_sql, insert_sql, portrait_sql = sql
    assert 'FROM "health_card_card"' in card_sql and "ORDER BY" not in card_sql
    assert insert_sql.startswith('INSERT INTO "health_card_cardcheck"')
    assert 'FROM "accounts_registration"' in portrait_sql


def test_an_api_check_costs_the_card_and_the_log_row_once_the_token_is_cached(card, facility):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, raw = api_token_create(facility=facility, name="HIS")
    data, auth = {"maQR": card_qr(card, purpose=Purpose.SCREEN)}, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with CaptureQueriesContext(connection) as first:
        Client().post("/api/xac-thuc/the-bhyt/", data, content_type="application/json", **auth)
    token_sql = [q["sql"] for q in first if 'FROM "health_card_facilityapitoken"' in q["sql"]]
    assert len(token_sql) == 1 and token_sql[0].count("JOIN") == 1  # its clinic: does it still have a contract?
    assert 'JOIN "lookup_medicalfacility"' in token_sql[0]
    sql = check_queries(Client(), "/api/xac-thuc/the-bhyt/", data, content_type="application/json", **auth)
    assert len(sql) == 2, sql
    card_sql, insert_sql = sql
    assert 'FROM "health_card_card"' in card_sql and "ORDER BY" not in card_sql
    assert insert_sql.startswith('INSERT INTO "health_card_cardcheck"')
    assert CardCheck.objects.filter(token=token, facility=facility).count() == 4


@pytest.mark.parametrize("how", ["service", "admin save", "delete"])
def test_a_revoked_token_is_refused_at_once_though_it_was_cached(card, facility, how):
    from health_card.services import api_token_revoke

    token, raw = api_token_create(facility=facility, name="HIS")
    data, auth = {"maQR": card_qr(card, purpose=Purpose.SCREEN)}, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    for _ in range(2):
        assert client.post("/api/xac-thuc/the-bhyt/", data, content_type="application/json", **auth).status_code == 200
    if how == "service":
        api_token_revoke(token=token)
    elif how == "admin save":
        token.revoked_at = datetime.datetime.now(datetime.UTC)
        token.save()
    else:
        token.delete()
    assert client.post("/api/xac-thuc/the-bhyt/", data, content_type="application/json", **auth).status_code == 401


def test_a_cached_token_still_records_its_last_use_to_the_minute(facility, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from health_card.services import tokens

    token, raw = api_token_create(facility=facility, name="HIS")
    assert tokens.api_token_authenticate(raw).pk == token.pk  # first use written, cache dropped
    tokens.api_token_authenticate(raw)  # read again and cached
    with CaptureQueriesContext(connection) as queries:
        assert tokens.api_token_authenticate(raw).pk == token.pk
    assert len(queries) == 0
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(tokens.timezone, "now", lambda: later)
    tokens.api_token_authenticate(raw)  # the cached row says "used 2 minutes ago"
    token.refresh_from_db()
    assert token.last_used_at == later


def test_demo_seed_gives_the_demo_citizen_an_active_card(reference_data):
    from django.core.management import call_command
    call_command("seed_demo", persons=3, seed=2026, verbosity=0)
    card = Card.objects.get(number="7901234567", status=Card.Status.ACTIVE)
    from health_card.services import card_check
    assert card_check(channel="qr", payload=card_qr(card, purpose=Purpose.SCREEN)).kind == Kind.VALID


def test_the_access_log_reaches_every_check_a_page_at_a_time(holder, card, facility):
    """The log showed the latest 200 checks and silently dropped the rest."""
    from health_card.views.card import CHECKS_PER_PAGE

    CardCheck.objects.bulk_create(CardCheck(card=card, person=holder.person, facility=facility, channel="qr",
                                            result="valid") for _ in range(2 * CHECKS_PER_PAGE + 5))
    oldest = CardCheck.objects.filter(person=holder.person).order_by("pk").first()
    CardCheck.objects.filter(pk=oldest.pk).update(at=timezone.now() - datetime.timedelta(days=400))
    client = logged_in(holder)
    first = text(client.get("/the-bhyt/ai-da-xem/"))
    assert first.count('<tr role="row">') == CHECKS_PER_PAGE + 1  # the header row and a page of checks
    assert 'href="?trang=3"' in first and 'aria-current="page"' in first
    last = text(client.get("/the-bhyt/ai-da-xem/?trang=3"))
    assert last.count('<tr role="row">') == 5 + 1
    assert f"{timezone.localtime(oldest.at - datetime.timedelta(days=400)):%d/%m/%Y}" in last
    assert '<span aria-current="page"><span class="visually-hidden">Trang </span>1</span>' in text(
        client.get("/the-bhyt/ai-da-xem/?trang=0"))


def shared_cccd(facility):
    """A second record holding the demo holder's CCCD 079088012345 (a number entered on the wrong
    record), whose card is a second issue: newer than the holder's."""
    other = make_person("7908888888", "Trần Văn Nam", birth=datetime.date(1970, 1, 2), id_number="079088012345")
    return reissue_card(issue(other, facility).person, "Mất thẻ")


def api_check(facility, **typed) -> dict:
    _token, raw = api_token_create(facility=facility, name="HIS")
    return Client().post("/api/xac-thuc/the-bhyt/", typed, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}").json()


def test_a_cccd_held_by_two_records_checks_the_card_of_the_one_whose_name_and_birth_date_were_typed(
        card, holder, facility, clinic_user):
    """Two records share a CCCD: the typed name and birth date, compared as any typed check compares
    them (without accents or case), pick the one record they belong to, and its card is checked."""
    other_card = shared_cccd(facility)
    client = logged_in(clinic_user)
    typed = {"cach": "nhap", "so_the": "079088012345", "ho_ten": "nguyen van duc", "ngay_sinh": "15/03/1988"}
    page = text(client.post("/xac-thuc/the-bhyt/", typed))
    assert "Thẻ hợp lệ" in page and "NGUYỄN VĂN ĐỨC" in page and "TRẦN VĂN NAM" not in page
    assert "Không xác định được thẻ theo số CCCD" not in page
    page = text(client.post("/xac-thuc/the-bhyt/", {**typed, "ho_ten": "Trần Văn Nam", "ngay_sinh": "02/01/1970"}))
    assert "Thẻ hợp lệ" in page and "TRẦN VĂN NAM" in page and "lần cấp 2" in page and "NGUYỄN VĂN ĐỨC" not in page
    assert [(c.result, c.card) for c in CardCheck.objects.order_by("pk")] == [("valid", card), ("valid", other_card)]
    answer = api_check(facility, maThe="079088012345", hoTen="Nguyễn Văn Đức", ngaySinh="15/03/1988")
    assert (answer["maKetQua"], answer["ketQua"], answer["maSoBHXH"]) == ("000", "valid", "7901234567")
    answer = api_check(facility, maThe="079088012345", hoTen="TRẦN VĂN NAM", ngaySinh="02/01/1970")
    assert (answer["maKetQua"], answer["maSoBHXH"], answer["lanCap"]) == ("000", "7908888888", 2)


def shared_check_limited_to_one_miss(monkeypatch, facility):
    """The desk's and the software's limits of wrong names or birth dates set to one."""
    from health_card.views import verify

    monkeypatch.setattr(verify, "CLINIC_MISMATCHES", "1/h")
    monkeypatch.setattr(verify, "API_MISMATCHES", "1/h")
    _token, raw = api_token_create(facility=facility, name="HIS")
    return lambda **typed: Client().post("/api/xac-thuc/the-bhyt/", typed, content_type="application/json",
                                         HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize("name, birth", [("Lê Thị Hoa", "15/03/1988"), ("Nguyễn Văn Đức", "16/03/1988"),
                                         ("Trần Văn Nam", "15/03/1988")])
def test_a_cccd_held_by_two_records_names_no_card_when_the_name_and_birth_date_are_neither_ones(
        card, holder, facility, clinic_user, monkeypatch, name, birth):
    """Neither record has the typed name and birth date: no card is named (not the newest card of
    either, which would answer "wrong name" about another person's card) and the page says to type
    the BHXH code. It is a wrong guess all the same (a right one would show a card), counted against
    the desk's limit: else a login could try the birth dates of a shared CCCD and a name without end."""
    shared_cccd(facility)
    api = shared_check_limited_to_one_miss(monkeypatch, facility)
    typed = {"cach": "nhap", "so_the": "079088012345", "ho_ten": name, "ngay_sinh": birth}
    client = logged_in(clinic_user)
    response = client.post("/xac-thuc/the-bhyt/", typed)
    page = text(response)
    assert response.status_code == 200, page
    assert "Không xác định được thẻ theo số CCCD" in page and "Hãy nhập mã số BHXH 10 chữ số in trên thẻ BHYT" in page
    assert "Sai họ tên" not in page and "Sai ngày sinh" not in page
    assert "TRẦN VĂN NAM" not in page and "NGUYỄN VĂN ĐỨC" not in page
    assert list(CardCheck.objects.values_list("result", "card", "person")) == [("shared_id", None, None)]
    right = {**typed, "so_the": card.number, "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"}
    response = client.post("/xac-thuc/the-bhyt/", right)
    assert response.status_code == 429 and "quá nhiều lần xác thực sai họ tên hoặc ngày sinh" in text(response)
    answer = api(maThe="079088012345", hoTen=name, ngaySinh=birth).json()
    assert (answer["maKetQua"], answer["ketQua"], answer["hopLe"]) == ("050", "shared_id", False)
    assert "hoTen" not in answer and "mã số BHXH 10 chữ số" in answer["ghiChu"]
    assert api(maThe=card.number, hoTen="Nguyễn Văn Đức", ngaySinh="15/03/1988").status_code == 429


def test_an_unsigned_qr_naming_a_shared_cccd_with_neither_ones_name_counts_as_a_wrong_guess(
        card, holder, facility, clinic_user, monkeypatch):
    """A card printed before the portal is compared with the registry as a typed check is: an unsigned
    QR whose first field is a CCCD two records share, with a name neither has, is a wrong guess as the
    typed one is, counted against the desk's and the software's limits; else a QR written by hand
    would try the birth dates of a shared CCCD without end."""
    from .test_card_qr import unsigned_qr

    shared_cccd(facility)
    api = shared_check_limited_to_one_miss(monkeypatch, facility)
    guess = unsigned_qr(card).replace(card.legacy_number, "079088012345", 1).replace(
        qr_hex("NGUYỄN VĂN ĐỨC"), qr_hex("Lê Thị Hoa"))
    client = logged_in(clinic_user)
    page = text(client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": guess}))
    assert "Không xác định được thẻ theo số CCCD" in page
    right = {"cach": "nhap", "so_the": card.number, "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"}
    assert client.post("/xac-thuc/the-bhyt/", right).status_code == 429
    answer = api(maQR=guess).json()
    assert (answer["maKetQua"], answer["ketQua"]) == ("050", "shared_id")
    assert api(maThe=card.number, hoTen="Nguyễn Văn Đức", ngaySinh="15/03/1988").status_code == 429


def test_a_cccd_held_by_two_records_of_the_same_name_and_birth_date_names_no_card(card, holder, facility,
                                                                                 clinic_user, monkeypatch):
    """A duplicate record of the same person (same name and birth date under a second BHXH code):
    the typed details fit both, so neither card is taken for the patient's. Nothing typed was wrong:
    the desk's limit of wrong guesses is not used."""
    twin = make_person("7908888888", "Nguyễn Văn Đức", birth=datetime.date(1988, 3, 15), id_number="079088012345")
    reissue_card(issue(twin, facility).person, "Mất thẻ")
    api = shared_check_limited_to_one_miss(monkeypatch, facility)
    typed = {"cach": "nhap", "so_the": "079088012345", "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"}
    client = logged_in(clinic_user)
    for _ in range(2):
        page = text(client.post("/xac-thuc/the-bhyt/", typed))
        assert "Không xác định được thẻ theo số CCCD" in page and "NGUYỄN VĂN ĐỨC" not in page
        answer = api(maThe="079088012345", hoTen="Nguyễn Văn Đức", ngaySinh="15/03/1988").json()
        assert (answer["maKetQua"], answer["ketQua"]) == ("050", "shared_id") and "hoTen" not in answer


def test_a_typed_check_by_a_cccd_of_one_record_costs_the_card_the_log_row_and_the_portrait(card, clinic_user,
                                                                                          stranger):
    """Whether the CCCD is shared is read in the card's own query: a CCCD of one record (the usual
    case) costs no more than before."""
    typed = {"cach": "nhap", "so_the": "079088012345", "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"}
    sql = check_queries(logged_in(clinic_user), "/xac-thuc/the-bhyt/", typed)
    assert len(sql) == 3, sql
    assert 'FROM "health_card_card"' in sql[0] and sql[1].startswith('INSERT INTO "health_card_cardcheck"')
    assert CardCheck.objects.filter(result="valid").count() == 3


def test_a_scan_of_spaces_only_asks_for_the_qr_and_logs_no_unreadable_qr(card, clinic_user, facility):
    """A desk that presses Enter with a stray space in the scan field (or software that posts a blank
    body) scanned nothing: it is asked for the QR, not told the QR is unreadable, and nothing is logged."""
    response = logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": "   "})
    page = text(response)
    assert response.status_code == 400 and "Quét hoặc dán chuỗi mã QR trên thẻ BHYT." in page
    assert "Không đọc được mã QR" not in page
    _token, raw = api_token_create(facility=facility, name="HIS")
    for body in ("", " \r\n"):
        response = Client().post("/api/xac-thuc/the-bhyt/", body, content_type="text/plain",
                                 HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 400 and response.json()["maKetQua"] == "205" and "ketQua" not in response.json()
    assert not CardCheck.objects.exists()


# What a file saved by Notepad (a byte order mark), a clipboard or a scanner's prefix (a zero-width
# space, a no-break space) puts around what a clinic scans, pastes or types.
INVISIBLE = [("\ufeff", ""), ("", "\ufeff"), ("\u200b", "\u200b"), ("\xa0", "\xa0"), ("\ufeff\u200b", "\r\n")]


@pytest.mark.parametrize("before, after", INVISIBLE)
def test_the_api_reads_a_card_number_or_a_qr_with_invisible_characters_around_it_as_what_it_is(card, facility, before,
                                                                                               after):
    _token, raw = api_token_create(facility=facility, name="HIS")
    url, auth = "/api/xac-thuc/the-bhyt/", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    number, qr = f"{before}7901234567{after}", f"{before}{card_qr(card, purpose=Purpose.PRINT)}{after}"
    for response in (Client().post(url, number.encode(), content_type="text/plain", **auth),
                     Client().post(url, {"maQR": number}, content_type="application/json", **auth)):
        assert response.status_code == 400 and response.json()["ketQua"] == "card_number"
    assert not CardCheck.objects.exists()
    for response in (Client().post(url, qr.encode(), content_type="text/plain", **auth),
                     Client().post(url, {"maQR": qr}, content_type="application/json", **auth)):
        assert response.status_code == 200 and response.json()["ketQua"] == "valid", response.json()
    typed = {"maThe": number, "hoTen": f"{before}Nguyễn Văn Đức{after}", "ngaySinh": f"{before}15/03/1988{after}"}
    response = Client().post(url, typed, content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["ketQua"] == "valid", response.json()


def test_a_body_of_a_byte_order_mark_only_asks_for_the_qr_and_logs_no_unreadable_qr(card, facility):
    _token, raw = api_token_create(facility=facility, name="HIS")
    url, auth = "/api/xac-thuc/the-bhyt/", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for response in (Client().post(url, "\ufeff\r\n".encode(), content_type="text/plain", **auth),
                     Client().post(url, {"maQR": "\ufeff\u200b"}, content_type="application/json", **auth)):
        answer = response.json()
        assert response.status_code == 400 and answer["maKetQua"] == "205" and "ketQua" not in answer
        assert answer["thongBao"].startswith("Cần maQR")
    assert not CardCheck.objects.exists()


@pytest.mark.parametrize("before, after", INVISIBLE)
def test_the_verify_page_reads_what_a_clinic_pastes_with_invisible_characters_around_it(card, clinic_user, before,
                                                                                       after):
    client = logged_in(clinic_user)
    qr = f"{before}{card_qr(card, purpose=Purpose.PRINT)}{after}"
    response = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": qr})
    assert response.status_code == 200 and "Thẻ hợp lệ" in text(response)
    response = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": f"{before}7901234567{after}"})
    page = text(response)
    assert response.status_code == 400 and "Đây là mã thẻ, không phải chuỗi mã QR trên thẻ" in page
    assert re.search(r'<input[^>]*name="so_the"[^>]*value="7901234567"', page)
    response = client.post("/xac-thuc/the-bhyt/", {
        "cach": "nhap", "so_the": f"{before}7901234567{after}", "ho_ten": f"{before}Nguyễn Văn Đức{after}",
        "ngay_sinh": f"{before}15/03/1988{after}"})
    assert response.status_code == 200 and "Thẻ hợp lệ" in text(response)
    response = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": f"{before}{after}"})
    assert response.status_code == 400 and "Quét hoặc dán chuỗi mã QR trên thẻ BHYT." in text(response)
    assert list(CardCheck.objects.values_list("result", flat=True)) == ["valid", "valid"]


@pytest.mark.parametrize("clinic", [True, False])
def test_the_verify_page_trims_a_scan_before_judging_its_length_as_the_api_does(card, clinic_user, facility, clinic):
    """A card's QR with a scanner's or a clipboard's spaces around it, thousands of them, is that QR: the
    page checked the length first and answered "Chuỗi quá dài", where the API, trimming first, checks
    the card. A string too long once trimmed is still refused by both, and spaces alone ask for the QR."""
    from health_card.qr import MAX_LENGTH

    client = logged_in(clinic_user) if clinic else Client()
    qr = card_qr(card, purpose=Purpose.PRINT)
    padded = "\ufeff" + " " * 2000 + qr + " \xa0" * 2000 + "\r\n"
    page = text(client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": padded}))
    assert "Thẻ hợp lệ" in page and "Chuỗi quá dài" not in page
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": padded}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert answer["hopLe"] is True
    too_long = " " + "x" * (MAX_LENGTH + 1) + " "
    response = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": too_long})
    assert response.status_code == 400 and "Chuỗi quá dài" in text(response)
    response = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": " " * (MAX_LENGTH + 1)})
    assert response.status_code == 400 and "Quét hoặc dán chuỗi mã QR trên thẻ BHYT." in text(response)
