"""The clinic verify page's limit per login on answers of a wrong name or birth date: the typed
check (and a CCCD's QR) tells a wrong name (060) from a wrong birth date (070), so without a limit
a clinic login could try birth dates for a known card number and name until one matched. Scans of
signed QRs are not limited: a busy desk scans all day. The public page keeps its own limit per IP
(test_card_pages.py)."""

import datetime
import re
import threading
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connections
from django.test import Client

from accounts.models import User
from accounts.roles import CLINIC_STAFF, sync_groups
from health_card.models import CardCheck
from health_card.qr import Purpose
from health_card.services import card_qr
from health_card.views.verify import CLINIC_MISMATCHES

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

URL = "/xac-thuc/the-bhyt/"
TYPED = {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức"}
LIMITED = "Tài khoản này đã có quá nhiều lần xác thực sai họ tên hoặc ngày sinh trong một giờ"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def guess(number: int) -> str:
    return f"{number % 28 + 1:02d}/{number % 12 + 1:02d}/1987"



def colleague_at(facility):
    """Another clinic-staff login of the same facility, whose checks are counted apart."""
    colleague = User.objects.create_user(username="nhanvienkcb2", password="x-Strong-Pass-2026", facility=facility,
                                         is_staff=True)
    colleague.groups.add(sync_groups(Group, Permission)[CLINIC_STAFF])
    return colleague

def test_wrong_birth_dates_are_answered_thirty_times_an_hour_per_clinic_login(card, clinic_user, facility):
    assert CLINIC_MISMATCHES == "30/h"
    client = logged_in(clinic_user)
    for number in range(30):  # birth dates tried for a known card number and name
        response = client.post(URL, {**TYPED, "ngay_sinh": guess(number)})
        assert response.status_code == 200 and "Sai ngày sinh" in text(response)
    limited = client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"})
    page = text(limited)
    assert limited.status_code == 429 and LIMITED in page
    assert 1 <= int(limited["Retry-After"]) <= 3600  # what is left of the limit's hour
    minutes = -(-int(limited["Retry-After"]) // 60)  # said in minutes too, not a whole hour whenever refused
    assert f"Hãy thử lại sau {minutes} phút; nếu cần ngay, liên hệ cơ quan BHXH." in page and "sau 1 giờ" not in page
    assert "Thẻ hợp lệ" not in page and "NGUYỄN VĂN ĐỨC" not in page and facility.name in page
    assert client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}).status_code == 429
    assert CardCheck.objects.count() == 30  # a refused post checks nothing
    assert client.get(URL).status_code == 200

    colleague = colleague_at(facility)
    assert "Thẻ hợp lệ" in text(logged_in(colleague).post(URL, {**TYPED, "ngay_sinh": "15/03/1988"}))
    public = Client().post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
    assert public.status_code == 200 and "Thẻ hợp lệ" in text(public)


def test_scans_and_right_answers_are_not_counted(card, clinic_user):
    client = logged_in(clinic_user)
    for _ in range(40):
        assert "Thẻ hợp lệ" in text(client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}))
        assert "Thẻ hợp lệ" in text(client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"}))
    for number in range(29):
        assert client.post(URL, {**TYPED, "ngay_sinh": guess(number)}).status_code == 200
    assert "Thẻ hợp lệ" in text(client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"}))


def test_the_api_answers_three_hundred_wrong_birth_dates_an_hour_per_token(card, facility):
    from health_card.services import api_token_create
    from health_card.views.verify import API_MISMATCHES

    assert API_MISMATCHES == "300/h"
    _token, raw = api_token_create(facility=facility, name="HIS")
    _other, other_raw = api_token_create(facility=facility, name="HIS 2")

    def check(birth_date, bearer=raw):
        return Client().post("/api/xac-thuc/the-bhyt/", {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức",
                                                          "ngaySinh": birth_date},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {bearer}")

    for number in range(300):
        assert check(guess(number)).json()["maKetQua"] == "070"
    refused = check("15/03/1988")
    assert refused.status_code == 429 and "sai họ tên hoặc ngày sinh" in refused.json()["thongBao"]
    assert "hoTen" not in refused.json()
    assert check("15/03/1988", other_raw).json()["maKetQua"] == "000"  # another token of the clinic


def test_the_apis_answer_past_its_wrong_guesses_says_when_to_try_again(card, facility, monkeypatch):
    from health_card.services import api_token_create
    from health_card.views import verify

    monkeypatch.setattr(verify, "API_MISMATCHES", "2/h")
    _token, raw = api_token_create(facility=facility, name="HIS")

    def check(birth_date):
        return Client().post("/api/xac-thuc/the-bhyt/", {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức",
                                                          "ngaySinh": birth_date},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert [check(guess(number)).json()["maKetQua"] for number in range(2)] == ["070", "070"]
    refused = check("15/03/1988")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600


CHECKS_LIMITED = ("Tài khoản này đã xác thực quá nhiều thẻ trong thời gian ngắn nên tạm thời không xác thực được. "
                  "Hãy thử lại sau 1 phút")


def test_every_check_of_a_clinic_login_is_counted_against_a_limit_no_desk_meets(card, clinic_user, facility,
                                                                                   settings):
    """Scans and right answers were not limited at all: a scanner stuck sending, or a script behind
    a clinic login, checked without end."""
    assert settings.HEALTH_CARD_CLINIC_CHECK_RATE == "600/m"  # ten a second, a minute long
    settings.HEALTH_CARD_CLINIC_CHECK_RATE = "4/m"
    client = logged_in(clinic_user)
    scan = {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}
    for _ in range(2):
        assert "Thẻ hợp lệ" in text(client.post(URL, scan))
        assert "Thẻ hợp lệ" in text(client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"}))
    limited = client.post(URL, scan)
    page = text(limited)
    assert limited.status_code == 429 and CHECKS_LIMITED in page and facility.name in page
    assert 1 <= int(limited["Retry-After"]) <= 60  # what is left of the limit's minute
    assert "Thẻ hợp lệ" not in page and "NGUYỄN VĂN ĐỨC" not in page and LIMITED not in page
    assert client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"}).status_code == 429
    assert CardCheck.objects.count() == 4  # a refused post checks nothing
    assert client.get(URL).status_code == 200

    colleague = colleague_at(facility)
    assert "Thẻ hợp lệ" in text(logged_in(colleague).post(URL, scan))  # counted per login
    assert "Thẻ hợp lệ" in text(Client().post(URL, scan))  # the public page keeps its own limit


def test_the_clinic_check_limit_is_said_in_english(card, clinic_user, settings):
    from django.conf import settings as django_settings

    settings.HEALTH_CARD_CLINIC_CHECK_RATE = "1/m"
    client = logged_in(clinic_user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    scan = {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}
    assert client.post(URL, scan).status_code == 200
    limited = client.post(URL, scan)
    assert limited.status_code == 429 and "This account has checked too many cards in a short time" in text(limited)
    assert "Tài khoản này" not in text(limited)


def sent_at_once(posts: list, checked) -> list:
    """`posts` (functions sending one check each) sent in threads together, each check held at the card
    check (`checked`: what it answers) until every post has reached it or been answered without it, so
    that none is answered before all have passed the limit's test: the responses, in order."""
    from health_card.views import verify

    held, go, entered, responses = threading.Lock(), threading.Event(), [], [None] * len(posts)

    def card_check(**_kwargs):
        with held:
            entered.append(1)
        go.wait(10)
        return checked

    def send(index):
        try:
            responses[index] = posts[index]()
        finally:
            connections.close_all()

    with mock.patch.object(verify, "card_check", card_check):
        threads = [threading.Thread(target=send, args=(index,)) for index in range(len(posts))]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while len(entered) + sum(not thread.is_alive() for thread in threads) < len(posts):
            assert time.monotonic() < deadline, "the posts neither reached the check nor were answered"
            time.sleep(0.01)
        go.set()
        for thread in threads:
            thread.join(20)
    return responses


@pytest.mark.django_db(transaction=True)
def test_wrong_guesses_sent_at_once_are_answered_no_more_than_the_limit(card, clinic_user, monkeypatch):
    """Each check takes its slot before the card is checked: read first and counted after the check,
    six sent together all found the limit of three unused, and all six were answered."""
    from health_card.services import card_check
    from health_card.views import verify

    monkeypatch.setattr(verify, "CLINIC_MISMATCHES", "3/h")
    wrong = card_check(channel=CardCheck.Channel.TYPED, user=clinic_user, number="7901234567",
                       full_name="Nguyễn Văn Đức", birth_date=datetime.date(1987, 1, 1), birth_year=1987)
    assert wrong.wrong_guess
    clients = [logged_in(clinic_user) for _ in range(6)]
    responses = sent_at_once([lambda client=client: client.post(URL, {**TYPED, "ngay_sinh": "01/01/1987"})
                              for client in clients], wrong)
    answered = [response for response in responses if response.status_code == 200]
    assert len(answered) == 3 and all("Sai ngày sinh" in text(response) for response in answered)
    assert [response.status_code for response in responses].count(429) == 3
    assert client_refused(clients[0])  # the three answered are counted: the next is refused


@pytest.mark.django_db(transaction=True)
def test_the_apis_wrong_guesses_sent_at_once_are_answered_no_more_than_the_limit(card, facility, monkeypatch):
    from health_card.services import api_token_create, card_check
    from health_card.views import verify

    monkeypatch.setattr(verify, "API_MISMATCHES", "3/h")
    token, raw = api_token_create(facility=facility, name="HIS")
    wrong = card_check(channel=CardCheck.Channel.API, token=token, number="7901234567", full_name="Nguyễn Văn Đức",
                       birth_date=datetime.date(1987, 1, 1), birth_year=1987)

    def post():
        return Client().post("/api/xac-thuc/the-bhyt/", {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức",
                                                          "ngaySinh": "01/01/1987"},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")

    responses = sent_at_once([post] * 6, wrong)
    assert sorted(response.status_code for response in responses) == [200] * 3 + [429] * 3
    assert all(response.json()["maKetQua"] == "070" for response in responses if response.status_code == 200)


def client_refused(client) -> bool:
    return client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"}).status_code == 429


@pytest.mark.parametrize("posted", [{**TYPED, "ngay_sinh": "15/03/1988"}, {**TYPED, "ngay_sinh": "31/02/1988"},
                                    {"cach": "quet", "ma_qr": ""}])
def test_a_check_that_answers_no_wrong_guess_gives_its_slot_back(card, clinic_user, monkeypatch, posted):
    """A right answer, or a form refused before any check, leaves the slot it took for the next wrong guess."""
    from health_card.views import verify

    monkeypatch.setattr(verify, "CLINIC_MISMATCHES", "1/h")
    client = logged_in(clinic_user)
    for _ in range(3):
        assert client.post(URL, posted).status_code in (200, 400)
    assert "Sai ngày sinh" in text(client.post(URL, {**TYPED, "ngay_sinh": guess(1)}))
    assert client.post(URL, {**TYPED, "ngay_sinh": guess(2)}).status_code == 429


API_URL = "/api/xac-thuc/the-bhyt/"
RIGHT_API = {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức", "ngaySinh": "15/03/1988"}


def test_a_body_too_big_to_read_gives_the_apis_slot_back(card, facility, monkeypatch, settings):
    """The body was read after the slot of a wrong guess was taken: one too big for
    DATA_UPLOAD_MAX_MEMORY_SIZE was answered 400, nothing checked, and the slot kept, so that the token's
    next right check was refused for an hour."""
    from health_card.services import api_token_create
    from health_card.views import verify

    monkeypatch.setattr(verify, "API_MISMATCHES", "1/h")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _token, raw = api_token_create(facility=facility, name="HIS")

    def post(body):
        return Client().post(API_URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert post({"maQR": "x" * 2000}).status_code == 400
    right = post(RIGHT_API)
    assert right.status_code == 200 and right.json()["maKetQua"] == "000"
    assert post({**RIGHT_API, "ngaySinh": guess(1)}).json()["maKetQua"] == "070"  # the slot counts still
    assert post(RIGHT_API).status_code == 429
    assert CardCheck.objects.count() == 2


def test_a_check_that_fails_on_the_page_gives_its_slot_back(card, clinic_user, monkeypatch):
    """A database error in the check (or any other) kept the slot of a wrong guess the check had taken."""
    from django.db import DatabaseError

    from health_card.views import verify

    monkeypatch.setattr(verify, "CLINIC_MISMATCHES", "1/h")
    client = logged_in(clinic_user)
    with mock.patch.object(verify, "card_check", side_effect=DatabaseError("the database went away")):
        with pytest.raises(DatabaseError):
            client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"})
    right = client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"})
    assert right.status_code == 200 and "Thẻ hợp lệ" in text(right)
    assert "Sai ngày sinh" in text(client.post(URL, {**TYPED, "ngay_sinh": guess(1)}))
    assert client_refused(client)


def holding_the_limiters_lock(caller: str, rate: str, monkeypatch):
    """Take allauth's cache_lock of `caller`'s count of wrong guesses, as a request counting at that
    moment holds it, the lock's wait shortened from its second: the key of the lock held."""
    from allauth.core.internal import ratelimit as ratelimit_internals
    from django.core.cache import cache

    from health_card.mismatches import ACTION

    monkeypatch.setattr(ratelimit_internals, "CACHE_LOCK_WAIT_TIMEOUT", 0.05)
    (counted,) = ratelimit_internals.get_rates(app="allauth.account", action=ACTION, config={ACTION: f"{rate}/key"})
    key = ratelimit_internals.get_cache_key(None, app="allauth.account", action=ACTION, rate=counted, key=caller)
    assert cache.add(f"{key}:lock", True, 60)
    return f"{key}:lock"


UNAVAILABLE_SAID = "Xác thực thẻ BHYT đang tạm gián đoạn. Hãy thử lại sau vài phút."


def test_a_busy_count_of_wrong_guesses_is_answered_as_a_count_not_kept_not_as_too_many(card, clinic_user, facility,
                                                                                      monkeypatch):
    """allauth's lock of the count, held by another request past its second, refused the check as if the
    login's wrong guesses were used up: 429 "Quá nhiều lần xác thực sai …" to a login that made none,
    without Retry-After, the API's too."""
    from django.core.cache import cache

    from health_card.mismatches import clinic_caller
    from health_card.services import api_token_create
    from health_card.views import verify
    from vssid_portal.cache import UNAVAILABLE_RETRY_AFTER

    monkeypatch.setattr(verify, "CLINIC_MISMATCHES", "5/h")
    monkeypatch.setattr(verify, "API_MISMATCHES", "5/h")
    client = logged_in(clinic_user)
    token, raw = api_token_create(facility=facility, name="HIS")
    locks = [holding_the_limiters_lock(clinic_caller(clinic_user), "5/h", monkeypatch),
             holding_the_limiters_lock(f"token-{token.pk}", "5/h", monkeypatch)]

    busy = client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"})
    page = text(busy)
    assert busy.status_code == 503 and busy["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert UNAVAILABLE_SAID in page and LIMITED not in page and "NGUYỄN VĂN ĐỨC" not in page
    answer = Client().post(API_URL, RIGHT_API, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 503 and answer["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert answer.json()["maKetQua"] == "503" and "sai họ tên" not in answer.json()["thongBao"]
    assert CardCheck.objects.count() == 0

    for lock in locks:
        cache.delete(lock)
    assert "Thẻ hợp lệ" in text(client.post(URL, {**TYPED, "ngay_sinh": "15/03/1988"}))
    assert Client().post(API_URL, RIGHT_API, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}").json()["maKetQua"] == "000"
