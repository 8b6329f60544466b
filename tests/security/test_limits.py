"""Brute force (passwords, SMS codes, authenticator-app codes), SMS pumping and enumeration, each
stopped exactly at its configured limit.

The limits are read from where they are configured (settings.ACCOUNT_RATE_LIMITS, accounts.otp,
the views' rate constants), so a changed limit moves the boundary these tests probe: the last
allowed attempt still works, the next one is refused.
"""

import math
import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import Client as DjangoClient
from django.test import TestCase

from accounts import otp
from accounts.views import code_lookup as code_lookup_view
from accounts.views import registration as registration_view
from health_card.views import verify as verify_view
from lookup.models import Agency, Province, Ward
from participation.views import statements as statement_views
from public_services.services import feedback as feedback_services
from public_services.views import feedback as feedback_views
from tests.accounts.helpers import jpeg, make_person, reset_request
from tests.accounts.test_otp import clock  # noqa: F401 (a fixture)
from tests.public_services.helpers import citizen

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PASSWORD = "x-Pass-2026!"


class Client(DjangoClient):
    """Each request's on-commit work (the SMS outbox) runs as it would after a real commit."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def limit(rate: str, part: str | None = None) -> int:
    """'30/15m/ip,5/15m/key' → the count for `part` ('ip' or 'key'); '10/m' → 10."""
    for rule in rate.split(","):
        pieces = rule.split("/")
        if part is None or pieces[-1] == part:
            return int(pieces[0])
    raise AssertionError(f"no {part} rule in {rate}")


LOGIN_PER_KEY = limit(django_settings.ACCOUNT_RATE_LIMITS["login_failed"], "key")
LOGIN_PER_IP = limit(django_settings.ACCOUNT_RATE_LIMITS["login_failed"], "ip")
OTP_PER_PHONE = limit(django_settings.ACCOUNT_RATE_LIMITS["otp_send"], "key")
RESET_CODES_PER_CLIENT = limit(django_settings.ACCOUNT_RATE_LIMITS["otp_send_reset_client"], "key")


def test_the_limits_are_the_documented_ones():
    assert (LOGIN_PER_KEY, LOGIN_PER_IP, OTP_PER_PHONE, RESET_CODES_PER_CLIENT) == (5, 30, 5, 3)
    assert (otp.MAX_ATTEMPTS, otp.LIFETIME, otp.RESEND_AFTER, otp.CODE_DIGITS) == (5, 300, 60, 6)


# --- Login brute force ------------------------------------------------------------------------

def login(client, username, password):
    return client.post("/tai-khoan/dang-nhap/", {"login": username, "password": password})


def locked(response) -> bool:
    return response.status_code == 200 and "quá nhiều lần" in response.content.decode()


def turned_away(response) -> bool:
    """A wrong password judged as such: the form again saying so, not a refusal by a limit (whose
    answer, a 429 or the lock message, would pass for "not locked")."""
    text = response.content.decode()
    return response.status_code == 200 and "hoặc mật khẩu không đúng" in text and "quá nhiều lần" not in text


def logged_in(response) -> bool:
    """The password was accepted: on to the new-device code (or straight in)."""
    return response.status_code == 302 and "dang-nhap/" not in response["Location"].replace("dang-nhap/xac-nhan/", "")


def test_login_per_account_stops_after_the_configured_failures(reference_data):
    user = citizen()
    client = Client(REMOTE_ADDR="198.51.100.1")
    for attempt in range(LOGIN_PER_KEY - 1):
        assert turned_away(login(client, user.username, f"wrong-{attempt}")), attempt
    assert logged_in(login(Client(REMOTE_ADDR="198.51.100.1"), user.username, PASSWORD))  # the last allowed try

    cache.clear()
    for attempt in range(LOGIN_PER_KEY):
        response = login(Client(REMOTE_ADDR=f"198.51.100.{attempt + 2}"), user.username, f"wrong-{attempt}")
        assert turned_away(response), attempt
    # Another address, the right password: the account is locked, not the address.
    response = login(Client(REMOTE_ADDR="203.0.113.99"), user.username, PASSWORD)
    assert locked(response) and not logged_in(response)


# The portal's host as ALLOWED_HOSTS accepts it, written otherwise: with a port, with the trailing dot of a
# fully qualified name, in capitals. Each is the same portal and the same account.
SAME_HOST_WRITTEN_OTHERWISE = ["testserver:1", "testserver:8443", "testserver.", "TESTSERVER"]


@pytest.mark.parametrize("host", SAME_HOST_WRITTEN_OTHERWISE)
def test_a_locked_account_stays_locked_under_another_host_header(reference_data, host):
    user = citizen()
    for attempt in range(LOGIN_PER_KEY):
        response = login(Client(REMOTE_ADDR=f"198.51.100.{attempt + 2}"), user.username, f"wrong-{attempt}")
        assert turned_away(response), attempt
    response = login(Client(REMOTE_ADDR="203.0.113.99", HTTP_HOST=host), user.username, PASSWORD)
    assert locked(response) and not logged_in(response)


def test_failed_logins_under_several_host_headers_count_on_one_account(reference_data):
    user = citizen()
    for attempt in range(LOGIN_PER_KEY):
        client = Client(REMOTE_ADDR=f"198.51.100.{attempt + 2}", HTTP_HOST=f"testserver:{attempt + 1}")
        assert turned_away(login(client, user.username, f"wrong-{attempt}")), attempt
    response = login(Client(REMOTE_ADDR="203.0.113.99", HTTP_HOST="testserver."), user.username, PASSWORD)
    assert locked(response) and not logged_in(response)


@pytest.mark.parametrize("host", SAME_HOST_WRITTEN_OTHERWISE)
def test_a_reset_lifts_the_accounts_lock_counted_under_another_host_header(reference_data, sms_outbox, host):
    user = citizen()
    for attempt in range(LOGIN_PER_KEY):
        client = Client(REMOTE_ADDR=f"198.51.100.{attempt + 2}", HTTP_HOST=host)
        assert turned_away(login(client, user.username, f"wrong-{attempt}")), attempt
    assert locked(login(Client(REMOTE_ADDR="203.0.113.99", HTTP_HOST=host), user.username, PASSWORD))

    owner = Client(REMOTE_ADDR="203.0.113.50")
    start_reset(owner, user.username)
    response = owner.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"action": "verify", "code": codes(sms_outbox)[-1]})
    assert response.status_code == 302 and response["Location"].endswith("/quen-mat-khau/mat-khau-moi/")
    new = "Mat-khau-sau-khi-quen-2026"
    owner.post("/tai-khoan/quen-mat-khau/mat-khau-moi/", {"password1": new, "password2": new})
    for under in (host, "testserver"):
        assert logged_in(login(Client(REMOTE_ADDR="203.0.113.51", HTTP_HOST=under), user.username, new)), under


def test_login_per_address_stops_after_the_configured_failures(reference_data):
    user = citizen()
    client = Client(REMOTE_ADDR="198.51.100.7")
    for attempt in range(LOGIN_PER_IP):
        assert turned_away(login(client, f"79000{attempt:05d}", "wrong-password")), attempt
    response = login(client, user.username, PASSWORD)
    assert not logged_in(response) and (locked(response) or response.status_code == 429)
    assert logged_in(login(Client(REMOTE_ADDR="198.51.100.8"), user.username, PASSWORD))


def test_login_per_address_counts_an_ipv4_mapped_client_as_its_ipv4_address(reference_data):
    """Behind a dual-stack socket IPv4 clients arrive as ::ffff:a.b.c.d; allauth keys IPv6 by the
    /64, which is ::/64 for all of them: one address's failures must not lock out every other."""
    user = citizen()
    client = Client(REMOTE_ADDR="::ffff:198.51.100.7")
    for attempt in range(LOGIN_PER_IP):
        assert turned_away(login(client, f"79000{attempt:05d}", "wrong-password")), attempt
    assert not logged_in(login(Client(REMOTE_ADDR="198.51.100.7"), user.username, PASSWORD))
    assert logged_in(login(Client(REMOTE_ADDR="::ffff:198.51.100.8"), user.username, PASSWORD))


def app_login(username):
    """A client past the password of an account with an authenticator app, at the app's code."""
    client = Client(REMOTE_ADDR="198.51.100.60")
    response = login(client, username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/2fa/authenticate/"
    return client


def app_code(client, code):
    return client.post("/tai-khoan/2fa/authenticate/", {"code": code})


def wrong_app_code(response) -> bool:
    text = response.content.decode()
    return response.status_code == 200 and "Mã xác thực không đúng." in text and "quá nhiều lần" not in text


def test_authenticator_app_codes_stop_after_the_configured_failures(reference_data, clock):
    """The second step of an officer's login: allauth.mfa counts wrong app codes per account on
    the login limit. The last allowed try with the right code still logs in; after the limit even
    the right code is refused. The clock stands still, so the right code cannot go stale between
    building and checking it (MFA_TOTP_TOLERANCE is 0)."""
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

    from tests.accounts.helpers import officer
    from tests.public_services.helpers import DISTRICT

    secrets = {}
    for username in ("canbo-app-1", "canbo-app-2"):
        secrets[username] = generate_totp_secret()
        TOTP.activate(officer(username, "07901", DISTRICT), secrets[username])

    def right(username):
        return format_hotp_value(hotp_value(secrets[username], int(clock.now) // 30))

    def wrong(username):
        return f"{(int(right(username)) + 1) % 10**6:06d}"

    client = app_login("canbo-app-1")
    for attempt in range(LOGIN_PER_KEY - 1):
        assert wrong_app_code(app_code(client, wrong("canbo-app-1"))), attempt
    response = app_code(client, right("canbo-app-1"))  # the last allowed try
    assert response.status_code == 302 and "_auth_user_id" in client.session

    client = app_login("canbo-app-2")
    for attempt in range(LOGIN_PER_KEY):
        assert wrong_app_code(app_code(client, wrong("canbo-app-2"))), attempt
    response = app_code(client, right("canbo-app-2"))
    assert response.status_code in {200, 429} and "quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- OTP brute force ----------------------------------------------------------------------------

def start_reset(client, username):
    response = client.post("/tai-khoan/quen-mat-khau/", reset_request(username))
    assert response.status_code == 302 and response["Location"].endswith("/quen-mat-khau/xac-thuc/")


def codes(sms_outbox):
    return [re.search(r"\b\d{6}\b", message["text"]).group() for message in sms_outbox()]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_last_allowed_code_try_still_works(reference_data, sms_outbox):
    user, client = citizen(), Client()
    start_reset(client, user.username)
    [code] = codes(sms_outbox)
    for _ in range(otp.MAX_ATTEMPTS - 1):
        response = client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"code": wrong(code)})
        assert response.status_code == 200 and "không đúng" in response.content.decode()
    response = client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"code": code})
    assert response.status_code == 302 and response["Location"].endswith("/quen-mat-khau/mat-khau-moi/")


def test_a_code_is_void_after_the_configured_wrong_tries(reference_data, sms_outbox):
    user, client = citizen(), Client()
    start_reset(client, user.username)
    [code] = codes(sms_outbox)
    for _ in range(otp.MAX_ATTEMPTS):
        client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"code": wrong(code)})
    for attempt in (code, code):  # the right code, even from a fresh browser, opens nothing now
        response = client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"code": attempt})
        assert response.status_code == 200 and "bị hủy" in response.content.decode()
        client = Client()
        start_reset(client, user.username)  # within the cooldown: no new code is sent
    assert len(codes(sms_outbox)) == 1


# --- SMS pumping ---------------------------------------------------------------------------------

def cooldown_over(subject: str) -> None:
    """What 60 s of waiting does: the resend cooldown of this reset ends."""
    cache.delete(f"{otp._key(otp.Purpose.PASSWORD_RESET, subject)}:cooldown")


def test_resend_waits_for_the_cooldown(reference_data, sms_outbox):
    user, client = citizen(), Client()
    start_reset(client, user.username)
    response = client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"action": "resend"}, follow=True)
    assert "Bạn có thể yêu cầu mã mới sau" in response.content.decode()
    assert len(sms_outbox()) == 1
    cooldown_over(user.username)
    client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"action": "resend"})
    assert len(sms_outbox()) == 2


def test_one_phone_gets_at_most_the_hourly_cap_of_codes(reference_data, sms_outbox):
    # Two accounts with the same registered phone: the cap is per phone, not per account.
    first = citizen()
    second = citizen("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345", agency_code="07902")
    assert first.person.phone == second.person.phone
    for number in range(OTP_PER_PHONE + 2):
        user = (first, second)[number % 2]
        cooldown_over(user.username)
        start_reset(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), user.username)
        assert len(sms_outbox()) == min(number + 1, OTP_PER_PHONE), number


def test_resets_from_one_address_leave_the_holder_codes_of_the_hour(reference_data, sms_outbox, clock):
    """Anyone who knows a BHXH code may ask for its reset: from one address at most
    RESET_CODES_PER_CLIENT of the phone's codes of the hour go out, so a stranger cannot spend them
    all, and the holder, from another address, still gets a reset code and a login code."""
    user = citizen()
    stranger = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(OTP_PER_PHONE):
        start_reset(stranger, user.username)
        clock.advance(61)
    assert len(codes(sms_outbox)) == RESET_CODES_PER_CLIENT < OTP_PER_PHONE
    page = stranger.post("/tai-khoan/quen-mat-khau/", reset_request(user.username), follow=True).content.decode()
    assert "Chưa gửi mã mới vì mạng bạn đang dùng đã yêu cầu đủ số mã cho phép mỗi giờ" in page
    assert "đã gửi đủ số mã" not in page  # fewer than the phone's codes went out

    holder = Client(REMOTE_ADDR="198.51.100.20")
    start_reset(holder, user.username)
    assert len(codes(sms_outbox)) == RESET_CODES_PER_CLIENT + 1
    response = holder.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"code": codes(sms_outbox)[-1]})
    assert response.status_code == 302 and response["Location"].endswith("/quen-mat-khau/mat-khau-moi/")
    assert logged_in(login(Client(REMOTE_ADDR="198.51.100.20"), user.username, PASSWORD))
    assert len(codes(sms_outbox)) == RESET_CODES_PER_CLIENT + 2


def test_resets_from_many_addresses_still_stop_at_the_phones_hourly_cap(reference_data, sms_outbox, clock):
    user = citizen()
    for number in range(OTP_PER_PHONE * RESET_CODES_PER_CLIENT):
        start_reset(Client(REMOTE_ADDR=f"203.0.113.{number % (OTP_PER_PHONE + 1) + 1}"), user.username)
        clock.advance(61)
    assert len(codes(sms_outbox)) == OTP_PER_PHONE


def registration_session(client, photos: dict) -> None:
    session = client.session
    session["registration"] = {"token": "lim0123456789abcdef01234", "photos": photos, "declaration": {
        "bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "id_type": "cccd", "id_number": "079088012345",
        "street": "12 Lê Lợi", "email": "", "birth_date": "1988-03-15",
        "province": Province.objects.get(code="79").pk, "ward": Ward.objects.get(name="Phường Sài Gòn").pk,
        "phone": "+84987654321"}}
    session.save()


def test_registration_submissions_text_the_phone_at_most_the_hourly_limit(reference_data, sms_outbox):
    # The same BHXH code and phone each time: the smaller of the two limits stops the submissions.
    allowed = min(limit(registration_view.SUBMISSIONS_PER_CODE[1]), limit(registration_view.SUBMISSIONS_PER_PHONE[1]))
    make_person()
    agency = Agency.objects.get(code="07901")
    for number in range(allowed + 1):
        photos = {f: default_storage.save(f"registrations/tmp/lim{number}/{f}.jpg", jpeg()) for f in
                  ("portrait", "id_front", "id_back")}
        client = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        registration_session(client, photos)
        response = client.post("/dang-ky/co-quan/", {"agency": agency.pk})
        if number < allowed:
            assert response.status_code == 302 and "/dang-ky/ho-so/" in response["Location"], number
        else:
            assert response.status_code == 429 and "thử quá nhiều lần" in response.content.decode()
    assert len([m for m in sms_outbox() if m["to"] == "+84987654321"]) == allowed


def test_feedback_submissions_stop_at_the_limit(reference_data, sms_outbox):
    """Feedbacks recorded are counted: the one beyond the limit is refused, and so is that form
    posted again."""
    allowed = limit(feedback_services.SUBMIT_RATE)
    client = Client(REMOTE_ADDR="198.51.100.30")
    data = {"kind": "phan_anh", "topic": "khac", "full_name": "Trần Văn Bình", "phone": "0912345678",
            "agency": Agency.objects.get(code="07901").pk}
    for number in range(allowed + 1):
        key = re.search(r'name="idempotency_key" value="([^"]+)"',
                        client.get("/dich-vu-cong/phan-anh/").content.decode()).group(1)
        response = client.post("/dich-vu-cong/phan-anh/", {**data, "content": f"Phản ánh số {number}",
                                                           "idempotency_key": key})
        assert response.status_code == (302 if number < allowed else 429), number
    again = client.post("/dich-vu-cong/phan-anh/", {**data, "content": "Phản ánh số 5", "idempotency_key": key})
    assert again.status_code == 429
    assert len(sms_outbox()) == allowed


# --- Lookup enumeration -------------------------------------------------------------------------

def statuses(client_or_clients, method, url, data, count):
    clients = client_or_clients if isinstance(client_or_clients, list) else [client_or_clients] * count
    return [getattr(client, method)(url, data).status_code for client in clients[:count]]


def test_code_lookup_per_address_and_per_network(reference_data):
    """Searches count (a valid form, the challenge passed); a typo or a failed challenge does not."""
    from tests.accounts.test_code_lookup import lookup

    per_ip = limit(code_lookup_view.DEFAULT_RATES["ip"])
    per_network = limit(code_lookup_view.DEFAULT_RATES["network"])
    client = Client()
    assert [lookup(client, ip="192.0.2.10", id_number="").status_code for _ in range(per_ip + 1)] == [400] * (per_ip + 1)
    results = [lookup(client, ip="192.0.2.10", full_name="ai do").status_code for _ in range(per_ip + 1)]
    assert 429 not in results[:per_ip] and results[per_ip] == 429

    cache.clear()
    addresses = [f"192.0.2.{1 + n // (per_ip - 1)}" for n in range(per_network + 1)]
    results = [lookup(client, ip=address, full_name="ai do").status_code for address in addresses]
    assert 429 not in results[:per_network] and results[per_network] == 429
    assert lookup(client, ip="192.0.3.1", full_name="ai do").status_code != 429


# The public lookups with their own limit: the address, the method, what is sent, the limit. The
# reference lookups' limit, far above what a test should send to reach it, is lowered to REFERENCE_RATE.
REFERENCE_RATE = "8/m"
PUBLIC_LOOKUPS = [
    ("/dang-ky/tra-cuu/", "post", {"reference": "DK2611ABC234", "bhxh_code": "7901234567", "birth_date": "15/03/1988"},
     "10/m"),
    ("/dich-vu-cong/phan-anh/tra-cuu/", "post", {"tracking_number": "PA2611ABCD2345", "contact": "0912345678"},
     feedback_views.LOOKUP_RATE),
    ("/xac-thuc/van-ban/", "get", {"ma": "ABCD-EFGH-JKMN-PQRS"}, statement_views.VERIFY_RATE),
    ("/xac-thuc/the-bhyt/", "post", {"ma_qr": "HS4010120878837|4e67|01/01/2000|1|-|79 - 032|$"},
     verify_view.PUBLIC_RATE),
    ("/tra-cuu/co-so-kcb/", "get", {"q": "benh vien", "province": "79"}, REFERENCE_RATE),
    ("/tra-cuu/don-vi/", "get", {"q": "det may"}, REFERENCE_RATE),
]


@pytest.mark.parametrize(("url", "method", "data", "rate"), PUBLIC_LOOKUPS)
def test_public_lookups_stop_at_their_limit(reference_data, settings, url, method, data, rate):
    settings.PUBLIC_LOOKUP_RATE = REFERENCE_RATE
    allowed = limit(rate)
    results = statuses(Client(REMOTE_ADDR="192.0.2.50"), method, url, data, allowed + 1)
    assert 429 not in results[:allowed] and results[allowed] == 429, results
    assert getattr(Client(REMOTE_ADDR="192.0.2.51"), method)(url, data).status_code != 429


@pytest.mark.parametrize(("url", "method", "data", "rate"), PUBLIC_LOOKUPS)
def test_public_lookups_count_an_ipv6_client_by_its_64_network(reference_data, settings, url, method, data, rate):
    """An IPv6 subscriber is given a /64 and may send each request from another of its addresses:
    counted per address, no limit would ever stop it. Counted per /64, as allauth's login limits are."""
    settings.PUBLIC_LOOKUP_RATE = REFERENCE_RATE
    allowed = limit(rate)
    clients = [Client(REMOTE_ADDR=f"2001:db8:5:6::{n + 1:x}") for n in range(allowed + 1)]
    results = statuses(clients, method, url, data, allowed + 1)
    assert 429 not in results[:allowed] and results[allowed] == 429, results
    assert getattr(Client(REMOTE_ADDR="2001:db8:5:7::1"), method)(url, data).status_code != 429


def test_feedbacks_from_one_ipv6_network_count_as_one_client(reference_data):
    allowed = limit(feedback_services.SUBMIT_RATE)
    agency = Agency.objects.get(code="07901")
    data = {"kind": "phan_anh", "topic": "khac", "agency": agency.pk, "full_name": "Nguyễn Văn A",
            "email": "a@example.com"}
    results = []
    for number in range(allowed + 1):
        client = Client(REMOTE_ADDR=f"2001:db8:5:6::{number + 1:x}")
        key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get("/dich-vu-cong/phan-anh/")
                        .content.decode())[1]
        results.append(client.post("/dich-vu-cong/phan-anh/", {**data, "content": f"Phản ánh số {number}",
                                                                "idempotency_key": key}).status_code)
    assert 429 not in results[:allowed] and results[allowed] == 429, results


def test_registration_declaration_check_per_code_and_per_address(reference_data):

    per_code, per_ip = limit(registration_view.CHECKS_PER_CODE[1]), limit(registration_view.CHECKS_PER_CLIENT[1])
    assert per_code < per_ip  # the per-code limit is reached from many addresses before any address's
    make_person()
    data = {"bhxh_code": "7901234567", "full_name": "Nguyen Van X", "id_type": "cccd", "id_number": "079088012345",
            "birth_date": "15/03/1988", "province": str(Province.objects.get(code="79").pk),
            "ward": str(Ward.objects.get(name="Phường Sài Gòn").pk), "street": "1", "phone": "0987654321"}
    clients = [Client(REMOTE_ADDR=f"192.0.2.{n + 100}") for n in range(per_code + 1)]
    results = [client.post("/dang-ky/", data).status_code for client in clients]
    assert 429 not in results[:per_code] and results[per_code] == 429
    cache.clear()
    client = Client(REMOTE_ADDR="192.0.2.99")
    results = [client.post("/dang-ky/", {**data, "bhxh_code": f"79012{n:05d}"}).status_code for n in range(per_ip + 1)]
    assert 429 not in results[:per_ip] and results[per_ip] == 429


def test_a_code_refused_for_both_the_account_and_the_network_says_the_network_and_speaks_of_codes(reference_data):
    """With both locks on codes full the network's is named, as for a password: allauth checks the
    address first, so the account's lock lifting sooner would not let the next code through. The
    refusal speaks of entering codes (it also comes while already logged in, when reauthenticating),
    not of logging in."""
    from allauth.core import ratelimit
    from django.test import RequestFactory

    from accounts.adapter import code_attempts_refusal

    user, request = citizen(), RequestFactory().post("/")
    for attempt in range(LOGIN_PER_IP):  # the account's failures, then others' from the same network
        key = f"mfa-auth-user-{user.pk}" if attempt < LOGIN_PER_KEY else f"mfa-auth-user-other-{attempt}"
        ratelimit.consume(request, action="login_failed", key=key)
    message = " ".join(code_attempts_refusal(request, user).messages)
    assert "việc nhập mã xác thực từ mạng này tạm bị khóa" in message
    assert "Hãy thử lại sau" in message and "đăng nhập" not in message


# The public reference lookups, counted together per client (lookup/views.py).
REFERENCE_LOOKUPS = ["/tra-cuu/co-quan-bhxh/", "/tra-cuu/co-so-kcb/", "/tra-cuu/co-so-kcb/cap-giay-nghi-om/",
                     "/tra-cuu/don-vi/", "/tra-cuu/diem-thu/"]


def test_reference_lookups_share_one_limit_refused_in_vietnamese_with_retry_after(reference_data, settings):
    settings.PUBLIC_LOOKUP_RATE = "5/m"
    client = Client(REMOTE_ADDR="192.0.2.60")
    for _ in range(3):  # the empty pages search nothing and are not counted
        assert [client.get(url).status_code for url in REFERENCE_LOOKUPS] == [200] * len(REFERENCE_LOOKUPS)
    assert [client.get(url, {"q": "phu nhuan"}).status_code for url in REFERENCE_LOOKUPS] == [200] * 5
    for url in REFERENCE_LOOKUPS:
        refused = client.get(url, {"q": "phu nhuan", "trang": "2"})
        assert refused.status_code == 429, url
        assert 1 <= int(refused["Retry-After"]) <= 60
        text = refused.content.decode()
        assert "Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau 1 phút." in text
        assert 'value="phu nhuan"' in text  # the search is put back for the next try
        # nothing was searched: no "0 kết quả" announced, no advice to change a query that may be right
        assert "kết quả" not in text and 'role="status"' not in text, url
        assert "Không có kết quả phù hợp" not in text, url
    assert Client(REMOTE_ADDR="192.0.2.61").get(REFERENCE_LOOKUPS[0], {"q": "phu nhuan"}).status_code == 200


def test_a_refused_lookup_is_headed_as_a_request_not_carried_out_not_as_errors_to_fix(reference_data, settings):
    """Nothing in a refused search is wrong: its summary does not ask the citizen to fix anything,
    in either language, while a query that is wrong still does."""
    settings.PUBLIC_LOOKUP_RATE = "1/m"
    client = Client(REMOTE_ADDR="192.0.2.63")
    assert client.get(REFERENCE_LOOKUPS[0], {"q": "phu nhuan"}).status_code == 200
    refused = client.get(REFERENCE_LOOKUPS[0], {"q": "phu nhuan"})
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Yêu cầu chưa được thực hiện" in text and "Có lỗi cần sửa" not in text
    client.cookies["django_language"] = "en"
    text = client.get(REFERENCE_LOOKUPS[0], {"q": "phu nhuan"}).content.decode()
    assert "Your request was not carried out" in text and "There is a problem" not in text
    client = Client(REMOTE_ADDR="192.0.2.64")
    client.get(REFERENCE_LOOKUPS[0])  # the session's language: Vietnamese
    wrong = client.get(REFERENCE_LOOKUPS[0], {"q": "x" * 101})  # longer than the box takes
    assert wrong.status_code == 200 and "Có lỗi cần sửa" in wrong.content.decode()


def test_reference_lookups_let_a_class_on_one_address_search_together(reference_data):
    """Many people share one IPv4 address (a school's network, a mobile operator's NAT): 40 pupils
    each searching and paging 4 times in the same minute are not refused."""
    pupils = [Client(REMOTE_ADDR="192.0.2.62") for _ in range(40)]
    answered = [pupil.get(REFERENCE_LOOKUPS[1], {"q": "benh vien", "trang": str(page)}).status_code
                for page in (1, 2) for pupil in pupils for _search in range(2)]
    assert answered == [200] * 160


def test_feedback_posts_with_an_attachment_stop_at_the_limit_before_it_is_read(reference_data, monkeypatch):
    """An attachment is decoded and re-encoded before the form is judged: posts left invalid on purpose
    (no content) never reach SUBMIT_RATE, so those carrying a file are counted before it is read."""
    from public_services import forms as feedback_forms

    monkeypatch.setattr(feedback_services, "ATTACHMENT_POSTS_RATE", "3/h", raising=False)  # fails, not errs, without it
    read = []
    original = feedback_forms.clean_attachment
    monkeypatch.setattr(feedback_forms, "clean_attachment", lambda upload: read.append(upload.name) or original(upload))
    client = Client(REMOTE_ADDR="198.51.100.40")
    data = {"kind": "phan_anh", "topic": "khac", "full_name": "Trần Văn Bình", "phone": "0912345678",
            "agency": Agency.objects.get(code="07901").pk}

    def post(**files):
        key = re.search(r'name="idempotency_key" value="([^"]+)"',
                        client.get("/dich-vu-cong/phan-anh/").content.decode()).group(1)
        return client.post("/dich-vu-cong/phan-anh/", {**data, "idempotency_key": key, **files})

    assert [post(attachment=jpeg()).status_code for _ in range(3)] == [200] * 3  # no content: refused, not sent
    refused = post(attachment=jpeg())
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600
    # what was sent too often, that nothing was sent nor the file kept, and that a feedback without a
    # file may go meanwhile (three posts left invalid sent no feedback at all); the minutes left of the
    # hour, as Retry-After says them, not "a few minutes" for a wait of up to an hour
    minutes = math.ceil(int(refused["Retry-After"]) / 60)
    assert (f"Bạn đã gửi kèm tệp quá nhiều lần trong một giờ nên phản ánh này chưa được gửi và tệp chưa được nhận. "
            f"Hãy gửi kèm tệp sau {minutes} phút, hoặc gửi phản ánh không kèm tệp.") in refused.content.decode()
    assert "quá nhiều phản ánh" not in refused.content.decode()
    assert len(read) == 3
    assert post().status_code == 200  # without a file: judged as before (no content), not refused
