"""The public BHXH-code lookup: exact match only, no leak on near misses, rate limits per
address and per network, the challenge (proof of work or arithmetic; single use), the audit."""

import datetime
import hashlib
import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.models import CodeLookupAudit
from accounts.services.challenge import ChallengePurpose, challenge_issue, challenge_spend, leading_zero_bits
from lookup.models import Province
from tests.accounts.helpers import cccd_for, make_person, seconds_left, solve
from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import mask_name

URL = "/tra-cuu/ma-so-bhxh/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def person(reference_data):
    person = make_person("7901234567", "Nguyễn Văn Đức", birth=datetime.date(1988, 3, 15), id_number="079088012345")
    person.mother_name = "Trần Thị Hoa"
    person.save()
    return person


def token_from(response) -> str:
    return re.search(r'name="challenge" value="([^"]+)"', response.content.decode()).group(1)


def answer_from(response) -> str:
    match = re.search(r"Câu hỏi kiểm tra: (\d+) cộng (\d+) bằng mấy", response.content.decode())
    return str(int(match.group(1)) + int(match.group(2)))


def lookup(client, *, work=True, ip="203.0.113.7", **fields):
    page = client.get(URL, REMOTE_ADDR=ip)
    token = token_from(page)
    data = {
        "full_name": "nguyen van duc", "birth_date": "15/03/1988", "province": Province.objects.get(code="79").pk,
        "id_number": "079088012345", "parent_name": "", "challenge": token,
        "work": solve(token, 14) if work else "", "answer": "" if work else answer_from(page),
    }
    data.update(fields)
    return client.post(URL, data, REMOTE_ADDR=ip)


def test_the_page_needs_no_login_and_carries_the_challenge(client, reference_data):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert "data-pow-token" in html and "js/code-lookup-pow.js" in html and "Câu hỏi kiểm tra" in html
    assert "<script>" not in html  # CSP: no inline script


def test_exact_match_shows_the_code_and_the_masked_name_only(client, person):
    response = lookup(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "7901234567" in html and mask_name("Nguyễn Văn Đức") == "NGUYỄN V*** Đ***" and "NGUYỄN V*** Đ***" in html
    assert "Nguyễn Văn Đức" not in html and "079088012345" not in html.split("Đã tìm thấy")[1]


def test_accents_and_case_do_not_matter_but_every_field_must_match(client, person):
    assert "7901234567" in lookup(client, full_name="NGUYỄN văn đức").content.decode()


@pytest.fixture
def child(reference_data):
    child = make_person("7920000001", "Nguyễn Minh Anh", birth=datetime.date(2022, 5, 10), id_number="")
    child.mother_name = "Trần Thị Mai"
    child.save()
    return child


def lookup_child(client, **fields):
    return lookup(client, **{"full_name": "nguyen minh anh", "birth_date": "10/05/2022", "id_number": "",
                             "parent_name": "tran thi mai", **fields})


def test_the_parent_name_replaces_the_id_number_of_someone_without_one(client, child):
    assert "7920000001" in lookup_child(client).content.decode()
    assert "7920000001" not in lookup_child(client, parent_name="tran thi").content.decode()


def test_someone_with_an_id_number_is_not_found_by_a_parent_name(client, person, child):
    child.id_number = "079322001234"
    child.save()
    html = lookup_child(client).content.decode()
    assert "Không tìm thấy mã số BHXH khớp" in html and "7920000001" not in html
    assert "7901234567" not in lookup(client, id_number="", parent_name="tran thi hoa").content.decode()
    assert "7920000001" in lookup_child(client, id_number="079322001234", parent_name="").content.decode()


@pytest.mark.parametrize("change", [
    {"full_name": "nguyen van du"},            # one letter short
    {"full_name": "nguyen van duc anh"},
    {"birth_date": "16/03/1988"},
    {"id_number": "079088012346"},
    {"province": "__other__"},
    {"id_number": "", "parent_name": "Lê Thị Hoa"},
    {"full_name": "pham thi lan"},              # nobody at all
])
def test_near_misses_and_strangers_get_the_same_answer(client, person, change):
    if change.get("province") == "__other__":
        change = {"province": Province.objects.get(code="01").pk}
    response = lookup(client, **change)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không tìm thấy mã số BHXH khớp" in html and "7901234567" not in html and "NGUYỄN V***" not in html
    stranger = lookup(client, **{**change, "full_name": "hoang thi mai"})
    # Same status, same message, same page apart from the fresh challenge and CSRF token.
    strip = lambda r: re.sub(r'value="[^"]*"|data-pow-token="[^"]*"|Câu hỏi kiểm tra: [^<]*', "", r.content.decode())
    assert stranger.status_code == response.status_code
    assert strip(stranger).replace("hoang thi mai", "X") == strip(response).replace(
        change.get("full_name", "nguyen van duc"), "X")
    assert not CodeLookupAudit.objects.exists()


def test_two_people_alike_answer_nothing(client, child):
    twin = make_person("7920000002", "Nguyễn Minh Anh", birth=datetime.date(2022, 5, 10), id_number="")
    twin.mother_name = "Trần Thị Mai"
    twin.save()
    html = lookup_child(client, parent_name="Trần Thị Mai").content.decode()
    assert "Không tìm thấy" in html and "792000000" not in html


def test_the_arithmetic_challenge_works_without_javascript(client, person):
    assert "7901234567" in lookup(client, work=False).content.decode()


def test_without_javascript_a_failed_attempt_asks_a_new_question_that_the_next_attempt_answers(client, person):
    """Each answer spends its question: the page given back asks the next one, with its hint, so
    someone without JavaScript can try again (and the question is read out with the field)."""
    missed = lookup(client, work=False, birth_date="16/03/1988")
    html = missed.content.decode()
    assert "7901234567" not in html and "Nhập kết quả bằng chữ số." in html
    data = {"full_name": "nguyen van duc", "birth_date": "15/03/1988", "province": Province.objects.get(code="79").pk,
            "id_number": "079088012345", "parent_name": "", "challenge": token_from(missed), "work": "",
            "answer": answer_from(missed)}
    assert "7901234567" in client.post(URL, data, REMOTE_ADDR="203.0.113.7").content.decode()


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("written", [
    lambda answer: answer.translate(FULLWIDTH),  # as some keyboards type digits, and the code fields read them
    lambda answer: "0" + answer,
])
def test_the_answer_is_read_as_the_number_it_writes(client, person, written):
    """Without JavaScript the sum is typed: in fullwidth digits or with a leading zero it is still the
    right number, as the form's other numbers are read."""
    page = client.get(URL, REMOTE_ADDR="203.0.113.7")
    data = {"full_name": "nguyen van duc", "birth_date": "15/03/1988", "province": Province.objects.get(code="79").pk,
            "id_number": "079088012345", "parent_name": "", "challenge": token_from(page), "work": "",
            "answer": written(answer_from(page))}
    assert "7901234567" in client.post(URL, data, REMOTE_ADDR="203.0.113.7").content.decode()


@pytest.mark.parametrize("challenge", ["missing", "forged", "wrong_answer", "weak_work", "expired"])
def test_a_bad_challenge_is_refused_before_any_search(client, person, challenge, monkeypatch):
    page = client.get(URL)
    token = token_from(page)
    data = {"full_name": "Nguyễn Văn Đức", "birth_date": "15/03/1988", "province": person.province_id,
            "id_number": "079088012345", "challenge": token, "work": "", "answer": ""}
    if challenge == "missing":
        data["challenge"] = ""
        data["answer"] = answer_from(page)
    elif challenge == "forged":
        payload = signing.loads(token, salt=ChallengePurpose.CODE_LOOKUP.salt)
        data["challenge"] = signing.dumps({**payload, "b": 0}, salt="another-salt")
        data["work"] = "0"
    elif challenge == "wrong_answer":
        data["answer"] = str(int(answer_from(page)) + 1)
    elif challenge == "weak_work":
        counter = 0
        while leading_zero_bits(hashlib.sha256(f"{token}:{counter}".encode()).digest()) >= 14:
            counter += 1
        data["work"] = str(counter)
    elif challenge == "expired":
        data["work"] = solve(token, 14)
        monkeypatch.setattr("accounts.services.challenge.CHALLENGE_MAX_AGE", -1)
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Câu trả lời kiểm tra chưa đúng" in html and "7901234567" not in html
    # The new question is asked of everyone (the page's script leaves it in sight): its hint does not say to skip it.
    assert '<span class="hint" id="id_answer_helptext">Nhập kết quả bằng chữ số.</span>' in html
    assert not CodeLookupAudit.objects.exists()


@pytest.mark.parametrize("work", ["²", "١٢", "1²", "𝟙"])
def test_work_that_is_no_ascii_number_is_a_failed_challenge_not_a_500(client, person, work):
    token = token_from(client.get(URL))  # a fresh, genuine challenge: the work itself is what is wrong
    response = client.post(URL, {
        "full_name": "Nguyễn Văn Đức", "birth_date": "15/03/1988", "province": person.province_id,
        "id_number": "079088012345", "challenge": token, "work": work, "answer": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Câu trả lời kiểm tra chưa đúng" in html and "7901234567" not in html
    assert not CodeLookupAudit.objects.exists()


def test_a_challenge_serves_once(client, person):
    page = client.get(URL)
    token = token_from(page)
    data = {"full_name": "Nguyễn Văn Đức", "birth_date": "15/03/1988", "province": person.province_id,
            "id_number": "079088012345", "challenge": token, "work": solve(token, 14), "answer": ""}
    assert "7901234567" in client.post(URL, data).content.decode()
    replay = client.post(URL, data)
    assert replay.status_code == 400 and "7901234567" not in replay.content.decode()
    assert CodeLookupAudit.objects.count() == 1


def test_challenge_unit(settings):
    settings.CHALLENGE_POW_BITS = 8
    challenge = challenge_issue(purpose=ChallengePurpose.CODE_LOOKUP)
    assert challenge.bits == 8 and "cộng" in challenge.question
    assert challenge_spend(purpose=ChallengePurpose.CODE_LOOKUP, token=challenge.token, work=solve(challenge.token, 8))
    assert not challenge_spend(purpose=ChallengePurpose.CODE_LOOKUP, token=challenge.token, work=solve(challenge.token, 8))


@pytest.mark.parametrize("drawn", ["lowest", "highest"])
def test_the_question_adds_two_two_digit_numbers_so_a_guess_is_right_once_in_90_tries_at_most(monkeypatch, drawn):
    """Without JavaScript the question is the sum of two numbers from 10 to 99: its answers run from 20
    to 198, the likeliest (109) drawn once in 90; a sum of two digits had 17, one of them right once in 9."""
    from accounts.services import challenge

    monkeypatch.setattr(challenge.secrets, "randbelow", lambda below: 0 if drawn == "lowest" else below - 1)
    asked = challenge_issue(purpose=ChallengePurpose.CODE_LOOKUP)
    first, second, total = {"lowest": (10, 10, 20), "highest": (99, 99, 198)}[drawn]
    assert asked.question == f"{first} cộng {second} bằng mấy?"
    assert challenge_spend(purpose=ChallengePurpose.CODE_LOOKUP, token=asked.token, answer=str(total))
    assert list(challenge.OPERANDS) == list(range(10, 100))


def test_an_answer_to_a_question_asked_before_the_secret_key_was_rotated_is_right(rotate_secret_key, monkeypatch):
    """A visitor reading the question while SECRET_KEY is rotated: the answer's MAC in the token is checked
    with the fallback keys too, as the token's signature is; a new question is keyed with the new key alone."""
    from accounts.services import challenge

    monkeypatch.setattr(challenge.secrets, "randbelow", lambda below: 3)  # "13 cộng 13 bằng mấy?"
    asked, wrong = challenge_issue(purpose=ChallengePurpose.CODE_LOOKUP), challenge_issue(purpose=ChallengePurpose.CODE_LOOKUP)
    assert asked.question == "13 cộng 13 bằng mấy?"
    rotate_secret_key()
    assert challenge_spend(purpose=ChallengePurpose.CODE_LOOKUP, token=asked.token, answer="26")
    assert not challenge_spend(purpose=ChallengePurpose.CODE_LOOKUP, token=wrong.token, answer="27")
    asked_now = challenge_issue(purpose=ChallengePurpose.CODE_LOOKUP)
    rotate_secret_key.drop_old()
    assert challenge_spend(purpose=ChallengePurpose.CODE_LOOKUP, token=asked_now.token, answer="26")


def test_rate_limit_per_address(client, person, settings):
    settings.CODE_LOOKUP_RATES = {"ip": "3/h", "network": "100/h"}
    for _ in range(3):
        assert lookup(client, ip="198.51.100.10", full_name="ai do").status_code == 200
    limited = lookup(client, ip="198.51.100.10")
    assert limited.status_code == 429 and "quá nhiều lần" in limited.content.decode()
    assert "<title>Lỗi: Tra cứu mã số BHXH" in limited.content.decode()  # the error is in the title too
    assert "7901234567" not in limited.content.decode()
    # the seconds left of the address's hour, which refused, not of its network's, which let it through
    assert abs(int(limited["Retry-After"]) - seconds_left("3/h", "198.51.100.10")) <= 1
    assert "7901234567" in lookup(client, ip="192.0.2.44").content.decode()  # another address is served


@pytest.mark.parametrize("rate", ["3/h", "3/m"])
def test_the_refusal_says_the_minutes_left_of_the_window_that_refused(client, person, settings, rate):
    """The page says the wait Retry-After gives, in minutes, whatever the configured window, not a
    fixed hour."""
    settings.CODE_LOOKUP_RATES = {"ip": rate, "network": "100/h"}
    for _ in range(3):
        lookup(client, ip="198.51.100.11", full_name="ai do")
    limited = lookup(client, ip="198.51.100.11")
    minutes = -(-int(limited["Retry-After"]) // 60)
    html = limited.content.decode()
    assert limited.status_code == 429
    assert f"Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau {minutes} phút." in html and "một giờ" not in html


def test_the_english_refusal_says_the_minutes_left_too(client, person, settings):
    settings.CODE_LOOKUP_RATES = {"ip": "3/h", "network": "100/h"}
    client.cookies["django_language"] = "en"
    for _ in range(3):
        lookup(client, ip="198.51.100.12", full_name="ai do")
    limited = lookup(client, ip="198.51.100.12")
    minutes = -(-int(limited["Retry-After"]) // 60)
    unit = "minute" if minutes == 1 else "minutes"
    assert f"You have made too many look-ups. Try again in {minutes} {unit}." in limited.content.decode()


def test_a_search_whose_last_one_another_took_meanwhile_says_its_wait_too(client, person, settings, monkeypatch):
    """Checked as having a search left, then refused when counted because another request from the
    same address took the last one in the meantime: the 429 says the seconds left of the address's
    hour as well."""
    from django.test import RequestFactory
    from django_ratelimit.core import get_usage

    from accounts import forms_challenge
    from accounts.views import code_lookup as views

    settings.CODE_LOOKUP_RATES = {"ip": "1/h", "network": "100/h"}
    spend = forms_challenge.challenge_spend

    def spent_while_another_searches(**kwargs):
        group, key, rate = views.LIMITS[0]
        get_usage(RequestFactory().post(URL, REMOTE_ADDR="198.51.100.10"), group=group, key=key, rate=rate,
                  method="POST", increment=True)
        return spend(**kwargs)

    monkeypatch.setattr(forms_challenge, "challenge_spend", spent_while_another_searches)
    limited = lookup(client, ip="198.51.100.10")
    assert limited.status_code == 429 and "7901234567" not in limited.content.decode()
    assert abs(int(limited["Retry-After"]) - seconds_left("1/h", "198.51.100.10")) <= 1


def test_rate_limit_per_network_ipv4_and_ipv6(client, person, settings):
    settings.CODE_LOOKUP_RATES = {"ip": "100/h", "network": "3/h"}
    for last in (1, 2, 3):
        assert lookup(client, ip=f"198.51.100.{last}", full_name="ai do").status_code == 200
    limited = lookup(client, ip="198.51.100.200")  # same /24, new address
    assert limited.status_code == 429
    # the seconds left of the network's hour, which refused, not of the address's, which let it through
    assert abs(int(limited["Retry-After"]) - seconds_left("3/h", "198.51.100.0/24")) <= 1
    assert lookup(client, ip="198.51.101.1").status_code == 200     # next /24
    for n in (1, 2, 3):
        assert lookup(client, ip=f"2001:db8:1:2::{n}", full_name="ai do").status_code == 200
    assert lookup(client, ip="2001:db8:1:2:ffff::9").status_code == 429  # same /64
    assert lookup(client, ip="2001:db8:1:3::1").status_code == 200


def test_an_ipv4_client_arriving_ipv4_mapped_is_limited_by_its_own_network(client, person, settings):
    """Behind gunicorn bound to [::] an IPv4 client arrives as ::ffff:a.b.c.d: keyed by the IPv6
    /64 of that form, every IPv4 client in the country shared the network limit."""
    settings.CODE_LOOKUP_RATES = {"ip": "100/h", "network": "3/h"}
    for last in (1, 2, 3):
        assert lookup(client, ip=f"::ffff:198.51.100.{last}", full_name="ai do").status_code == 200
    assert lookup(client, ip="198.51.100.200").status_code == 429  # the same /24, written as IPv4
    assert lookup(client, ip="::ffff:198.51.101.1").status_code == 200  # another /24 is served


def test_typos_and_failed_challenges_cost_no_search(client, person, settings):
    """Ten attempts with a typo (no ID number, a birth year of two digits) or a wrong answer
    used up the hourly limit, and the eleventh, correct, lookup was refused."""
    settings.CODE_LOOKUP_RATES = {"ip": "3/h", "network": "3/h"}
    for _ in range(4):
        assert lookup(client, id_number="").status_code == 400
        assert lookup(client, birth_date="15/03/88").status_code == 400
        page = client.get(URL)
        wrong = {"full_name": "nguyen van duc", "birth_date": "15/03/1988", "province": person.province_id,
                 "id_number": "079088012345", "challenge": token_from(page), "answer": str(int(answer_from(page)) + 1)}
        assert client.post(URL, wrong, REMOTE_ADDR="203.0.113.7").status_code == 400
    assert "7901234567" in lookup(client).content.decode()


def test_at_the_limit_even_a_typo_is_refused_and_the_notice_is_no_form_error(client, person, settings):
    settings.CODE_LOOKUP_RATES = {"ip": "2/h", "network": "100/h"}
    for _ in range(2):
        assert lookup(client, full_name="ai do").status_code == 200
    for typo in ({"id_number": ""}, {}):
        limited = lookup(client, **typo)
        html = limited.content.decode()
        assert limited.status_code == 429 and "quá nhiều lần" in html and "7901234567" not in html
        assert "Có lỗi cần sửa" not in html and 'aria-invalid="true"' not in html
        assert "Nhập số giấy tờ (CCCD, CMND hoặc hộ chiếu), hoặc họ tên cha hoặc mẹ" not in html
        assert 'value="nguyen van duc"' in html  # the form keeps what was typed, for later
    assert not CodeLookupAudit.objects.exists()


def test_every_answered_lookup_is_audited(client, person):
    lookup(client, ip="203.0.113.7")
    lookup(client, ip="203.0.113.7", full_name="ai do")  # unanswered: not an audit row
    audit = CodeLookupAudit.objects.get()
    assert audit.person == person and audit.user is None and audit.answered_at
    assert "203.0.113.7" not in audit.ip_hash and len(audit.ip_hash) == 40
    assert audit.network_hash != audit.ip_hash


def test_the_lookups_from_one_address_stay_linked_across_a_secret_key_rotation(client, person, rotate_secret_key):
    """The audit links the lookups from one place by its hashed address, keyed with SECRET_KEY: the same address
    hashed otherwise after a rotation, so counting or joining by it split one client in two. The hash has its own
    key, CODE_LOOKUP_AUDIT_KEY, which no rotation of SECRET_KEY changes."""
    lookup(client, ip="203.0.113.7")
    rotate_secret_key()
    rotate_secret_key.drop_old()
    lookup(client, ip="203.0.113.7")
    lookup(client, ip="198.51.100.9")
    before, after, elsewhere = CodeLookupAudit.objects.order_by("pk")
    assert (after.ip_hash, after.network_hash) == (before.ip_hash, before.network_hash)
    assert elsewhere.ip_hash != before.ip_hash and elsewhere.network_hash != before.network_hash


def test_the_address_hash_is_keyed_with_its_own_key(client, person, settings):
    lookup(client, ip="203.0.113.7")
    settings.CODE_LOOKUP_AUDIT_KEY = "another-audit-key-" + "0" * 40
    lookup(client, ip="203.0.113.7")
    first, second = CodeLookupAudit.objects.order_by("pk")
    assert first.ip_hash != second.ip_hash  # keyed: the address alone does not give its hash


def test_a_missing_id_and_parent_name_is_a_form_error(client, person):
    response = lookup(client, id_number="", parent_name="")
    assert response.status_code == 400 and "Nhập số giấy tờ (CCCD, CMND hoặc hộ chiếu), hoặc họ tên cha hoặc mẹ" in response.content.decode()


def test_the_lookup_is_in_the_lookup_hub(client, reference_data):
    html = client.get(reverse("lookup:index")).content.decode()
    assert URL in html


@pytest.fixture
def year_only_person(reference_data):
    """Someone whose registry holds only the birth year (kept as 1 January of it)."""
    return make_person("7901230001", "Lê Thị Lan", birth=datetime.date(2001, 1, 1), sex=2, id_number="079301004567",
                       year_only=True)


@pytest.mark.parametrize("typed", ["2001", "２００１", "20/06/2001", "01/01/2001"])
def test_someone_whose_registry_holds_only_the_year_is_found_by_the_year(client, year_only_person, typed):
    response = lookup(client, full_name="le thi lan", birth_date=typed, id_number="079301004567")
    assert response.status_code == 200 and "7901230001" in response.content.decode()


def test_a_year_never_finds_someone_with_a_full_birth_date(client, person):
    person.birth_date = datetime.date(1988, 1, 1)  # even born on 1 January: the registry holds the full date
    person.save()
    html = lookup(client, birth_date="1988").content.decode()
    assert "Không tìm thấy mã số BHXH khớp" in html and "7901234567" not in html
    assert "7901234567" in lookup(client, birth_date="01/01/1988").content.decode()


def test_a_year_of_another_year_finds_nobody(client, year_only_person):
    """Searched by a number that encodes no birth year (a CMND's: a CCCD's of another year is refused
    before any search), so that the record's year is what tells."""
    from accounts.models import Person

    Person.objects.filter(pk=year_only_person.pk).update(id_type="cmnd", id_number="079301004")
    html = lookup(client, full_name="le thi lan", birth_date="2002", id_number="079301004").content.decode()
    assert "Không tìm thấy mã số BHXH khớp" in html and "7901230001" not in html
    assert "7901230001" in lookup(client, full_name="le thi lan", birth_date="2001", id_number="079301004",
                                  ip="203.0.113.8").content.decode()


@pytest.mark.parametrize("typed", ["0000", "88", "03/1988", "1988-03-15"])
def test_a_birth_date_of_no_accepted_shape_says_which_shapes_are(client, person, typed):
    response = lookup(client, birth_date=typed)
    assert response.status_code == 400
    assert "hoặc chỉ năm sinh nếu sổ BHXH chỉ ghi năm" in response.content.decode()


@pytest.mark.parametrize("typed,message", [
    ("15/03/2099", "Ngày sinh không được sau ngày hôm nay."),
    ("2999", "Năm sinh không được sau năm nay."),
    ("01/01/0001", "Ngày sinh phải từ ngày 01/01/1900 trở về sau."),
    ("31/12/1899", "Ngày sinh phải từ ngày 01/01/1900 trở về sau."),
    ("0001", "Năm sinh phải từ năm 1900 trở về sau."),
    ("1899", "Năm sinh phải từ năm 1900 trở về sau."),
])
def test_a_birth_date_nobody_can_have_is_a_field_error_that_costs_no_search(client, person, settings, typed, message):
    settings.CODE_LOOKUP_RATES = {"ip": "1/h", "network": "1/h"}
    response = lookup(client, birth_date=typed)
    html = response.content.decode()
    assert response.status_code == 400 and message in html and 'href="#id_birth_date"' in html
    assert "7901234567" in lookup(client).content.decode()  # the hour's one search is still there


def test_the_birth_date_may_be_today_or_from_1900(client, person):
    today = timezone.localdate()
    for typed in (vn_date(today), str(today.year), "01/01/1900", "1900"):
        # by the parent's name: a CCCD of 1988 typed beside another year is refused before any search
        html = lookup(client, birth_date=typed, id_number="", parent_name="Trần Thị Hoa").content.decode()
        assert "Không tìm thấy mã số BHXH khớp" in html, typed


def test_the_lookup_asks_the_name_and_birth_date_index_for_two_dates_at_most(person, year_only_person):
    """Name equal and birth date in a list of two: what the index on (name_key, birth_date) answers
    at any size (bench/README.md, "Lookups at scale"); a year compared by extraction could not use it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.selectors import person_for_code_lookup

    province = Province.objects.get(code="79")
    with CaptureQueriesContext(connection) as queries:
        assert person_for_code_lookup(full_name="Le Thi Lan", birth_date=datetime.date(2001, 6, 20), province=province,
                                      id_number="079301004567") == year_only_person
        assert person_for_code_lookup(full_name="Le Thi Lan", birth_date=2001, province=province,
                                      id_number="079301004567") == year_only_person
    by_date, by_year = (query["sql"] for query in queries.captured_queries)
    date = r"'(2001-\d\d-\d\d)'(?:::date)?"  # PostgreSQL writes the cast
    assert '"name_key" = ' in by_date and re.search(rf'"birth_date" IN \({date}, {date}\)', by_date)
    assert re.search(rf'"birth_date" IN \({date}\)', by_year)


def test_a_namesake_past_the_twentieth_is_found_by_the_id_number_or_the_parent_name(reference_data):
    """Old records hold the birth year only, so a common name born the same year in the same province
    can be shared by dozens: the ID number typed (or, without one, the parent's name) finds the one
    whose code sorts after them all."""
    from accounts.selectors import person_for_code_lookup

    province = Province.objects.get(code="79")
    born = datetime.date(1960, 1, 1)
    for n in range(25):
        make_person(f"79000000{n:02d}", "Nguyễn Văn Hùng", birth=born, id_number=cccd_for(born, serial=f"1000{n:02d}"),
                    year_only=True)
    last = make_person("7999999999", "Nguyễn Văn Hùng", birth=born, id_number=cccd_for(born, serial="999999"),
                       year_only=True)
    assert person_for_code_lookup(full_name="nguyen van hung", birth_date=1960, province=province,
                                  id_number=cccd_for(born, serial="999999")) == last
    child_born = datetime.date(2020, 5, 10)
    for n in range(25):
        child = make_person(f"79200000{n:02d}", "Nguyễn Minh Anh", birth=child_born, id_number="")
        child.mother_name = f"Trần Thị Mai {n}" if n else "Lê Thị Hoa"
        child.save()
    youngest = make_person("7929999999", "Nguyễn Minh Anh", birth=child_born, id_number="")
    youngest.father_name = "Phạm Văn Bình"
    youngest.save()
    assert person_for_code_lookup(full_name="nguyen minh anh", birth_date=child_born, province=province,
                                  parent_name="pham van binh") == youngest


def namesakes_without_id(count: int, born: datetime.date) -> list:
    """`count` people called Nguyễn Minh Anh born on `born` in TP. Hồ Chí Minh, none with an ID number,
    each with a mother of their own (Trần Thị Mai 0, 1, ...)."""
    people = []
    for n in range(count):
        person = make_person(f"79300000{n:02d}", "Nguyễn Minh Anh", birth=born, id_number="")
        person.mother_name = f"Trần Thị Mai {n}"
        person.save()
        people.append(person)
    return people


def test_among_many_namesakes_the_parent_name_decides_in_one_query_of_two_rows_at_most(reference_data):
    """Thirty namesakes born the same day, none with an ID number: the query itself compares the parent's
    name (the folded keys of the mother's and father's names) and asks two rows at most, enough to tell
    one match from several, instead of reading every namesake to compare the names in Python."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.selectors import person_for_code_lookup

    province, born = Province.objects.get(code="79"), datetime.date(2020, 5, 10)
    people = namesakes_without_id(30, born)
    people[17].father_name = "Phạm Văn Bình"
    people[17].save()
    people[3].father_name = "Trần Thị Mai 5"  # a father's name equal to another's mother's: two alike
    people[3].save()
    answers = {}
    with CaptureQueriesContext(connection) as queries:
        for typed in ("TRẦN THỊ MAI 12", "pham van binh", "tran thi mai 5", "tran thi mai", "Lê Văn Tám"):
            answers[typed] = person_for_code_lookup(full_name="nguyen minh anh", birth_date=born, province=province,
                                                    parent_name=typed)
    assert answers == {"TRẦN THỊ MAI 12": people[12], "pham van binh": people[17], "tran thi mai 5": None,
                       "tran thi mai": None, "Lê Văn Tám": None}
    assert len(queries) == 5
    for query in queries.captured_queries:
        sql = query["sql"]
        assert '"mother_key" = ' in sql and '"father_key" = ' in sql and sql.rstrip().endswith("LIMIT 2"), sql


def test_without_an_id_number_nor_a_parent_name_nobody_is_looked_for(reference_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.selectors import person_for_code_lookup

    province, born = Province.objects.get(code="79"), datetime.date(2020, 5, 10)
    namesakes_without_id(1, born)
    with CaptureQueriesContext(connection) as queries:
        assert person_for_code_lookup(full_name="nguyen minh anh", birth_date=born, province=province,
                                      parent_name=" ") is None
    assert not queries.captured_queries


def test_the_parent_name_keys_follow_the_names_however_they_are_saved(reference_data):
    from accounts.models import Person
    from accounts.selectors import person_for_code_lookup

    province, born = Province.objects.get(code="79"), datetime.date(2020, 5, 10)
    child = namesakes_without_id(1, born)[0]
    child.mother_name, child.father_name = "Đặng Thị Ngọc", "  Võ   Văn Đức "
    child.save(update_fields=["mother_name", "father_name"])
    stored = Person.objects.get(pk=child.pk)
    assert (stored.mother_key, stored.father_key) == ("dang thi ngoc", "vo van duc")
    assert person_for_code_lookup(full_name="nguyen minh anh", birth_date=born, province=province,
                                  parent_name="vo van duc") == child
    child.mother_name = None
    child.save()
    assert Person.objects.get(pk=child.pk).mother_key == ""
    assert person_for_code_lookup(full_name="nguyen minh anh", birth_date=born, province=province,
                                  parent_name="dang thi ngoc") is None



FAILURES_LIMITED = "Câu hỏi kiểm tra đã bị trả lời sai quá nhiều lần từ mạng bạn đang dùng. Hãy thử lại sau"


def fail_challenge(client, ip="203.0.113.7"):
    """A lookup posted with a wrong answer to its question, as a script guessing it would."""
    page = client.get(URL, REMOTE_ADDR=ip)
    data = {"full_name": "nguyen van duc", "birth_date": "15/03/1988", "province": Province.objects.get(code="79").pk,
            "id_number": "079088012345", "challenge": token_from(page), "answer": str(int(answer_from(page)) + 1)}
    return client.post(URL, data, REMOTE_ADDR=ip)


def test_past_the_failed_challenges_a_client_may_have_its_tries_are_refused_with_the_wait(client, person, settings):
    """A script guessing the question instead of doing the work fails most tries: each failure is counted under
    the client's address, and past CHALLENGE_FAILURE_RATE even a solved challenge is refused, with a 429 saying the
    wait, until the window ends; another address is served."""
    settings.CHALLENGE_FAILURE_RATE = "3/h"
    for _ in range(3):
        assert fail_challenge(client, ip="198.51.100.10").status_code == 400
    limited = lookup(client, ip="198.51.100.10")
    html = limited.content.decode()
    assert limited.status_code == 429 and FAILURES_LIMITED in html and "7901234567" not in html
    assert abs(int(limited["Retry-After"]) - seconds_left("3/h", "198.51.100.10")) <= 1
    assert "Câu trả lời kiểm tra chưa đúng" not in html and 'value="nguyen van duc"' in html  # nothing typed is wrong
    assert not CodeLookupAudit.objects.exists()
    assert "7901234567" in lookup(client, ip="192.0.2.44").content.decode()


def test_the_failed_challenges_of_an_ipv6_network_are_counted_as_one_clients(client, person, settings):
    settings.CHALLENGE_FAILURE_RATE = "2/h"
    assert fail_challenge(client, ip="2001:db8:1:2::1").status_code == 400
    assert fail_challenge(client, ip="2001:db8:1:2::99").status_code == 400
    assert lookup(client, ip="2001:db8:1:2:ffff::9").status_code == 429
    assert "7901234567" in lookup(client, ip="2001:db8:1:3::1").content.decode()


def test_challenges_passed_count_no_failure(client, person, settings):
    settings.CHALLENGE_FAILURE_RATE = "1/h"
    for _ in range(3):
        assert "7901234567" in lookup(client).content.decode()
        assert lookup(client, work=False, full_name="ai do").status_code == 200  # found nobody: no failed challenge


def test_a_spent_expired_or_forged_challenge_is_stale_and_only_a_wrong_answer_on_a_good_one_is_wrong(monkeypatch):
    """What spending a challenge found: a wrong answer or wrong work on a challenge still good is WRONG, the
    failure CHALLENGE_FAILURE_RATE counts; a replayed, expired, forged or other form's token is STALE,
    refused too but counted as no failure."""
    from accounts.services.challenge import CHALLENGE_MAX_AGE, ChallengeSpent

    purpose = ChallengePurpose.CODE_LOOKUP
    wrong = challenge_issue(purpose=purpose)
    assert challenge_spend(purpose=purpose, token=wrong.token, answer="1") is ChallengeSpent.WRONG
    assert challenge_spend(purpose=purpose, token=wrong.token, answer="1") is ChallengeSpent.STALE  # replayed
    assert challenge_spend(purpose=purpose, token=wrong.token[:-2] + "xx", answer="1") is ChallengeSpent.STALE
    other = challenge_issue(purpose=ChallengePurpose.PASSWORD_RESET)
    assert challenge_spend(purpose=purpose, token=other.token, answer="1") is ChallengeSpent.STALE
    old = challenge_issue(purpose=purpose)
    later = time.time() + CHALLENGE_MAX_AGE + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert challenge_spend(purpose=purpose, token=old.token, answer="1") is ChallengeSpent.STALE
    assert not ChallengeSpent.WRONG and not ChallengeSpent.STALE and ChallengeSpent.PASSED


@pytest.mark.parametrize("typed,message", [
    ("123", "Số CCCD gồm đúng 12 chữ số."),
    ("abcdef", "Số CCCD gồm đúng 12 chữ số."),
    ("999088012345", "Ba chữ số đầu của số CCCD là mã tỉnh nơi đăng ký khai sinh; không tỉnh nào có mã 999. Hãy kiểm tra lại số CCCD."),
    ("07908801x", "Số CMND gồm đúng 9 chữ số."),
    ("c12", "Số hộ chiếu gồm 1 chữ cái in hoa và 7–8 chữ số, ví dụ C1234567."),
])
def test_an_id_number_nobody_can_hold_is_told_as_at_registration_and_costs_no_search(
        client, person, settings, typed, message):
    """The number's shape is checked as the registration checks it (accounts.validators.validate_id_number),
    on the field, before any search is counted."""
    settings.CODE_LOOKUP_RATES = {"ip": "1/h", "network": "1/h"}
    response = lookup(client, id_number=typed)
    html = response.content.decode()
    assert response.status_code == 400 and message in html and 'href="#id_id_number"' in html
    assert "Không tìm thấy mã số BHXH khớp" not in html
    assert "7901234567" in lookup(client).content.decode()  # the hour's one search is still there


@pytest.mark.parametrize("id_type,number", [("cmnd", "079088012"), ("passport", "C1234567")])
def test_a_holder_of_a_cmnd_or_a_passport_is_still_found_by_its_number(client, person, id_type, number):
    from accounts.models import Person

    Person.objects.filter(pk=person.pk).update(id_type=id_type, id_number=number)
    assert "7901234567" in lookup(client, id_number=number.lower()).content.decode()
    missed = lookup(client, id_number=number[:-1] + ("1" if number[-1] != "1" else "2"))
    assert missed.status_code == 200 and "Không tìm thấy mã số BHXH khớp" in missed.content.decode()
