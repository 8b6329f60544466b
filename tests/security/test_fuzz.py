"""Property-based fuzzing of every public form (and the public GET searches): whatever is posted,
the portal answers with a page, a redirect or a refusal — never a server error.

Django's test client re-raises an exception from a view, so a crash surfaces as the falsifying
example. Examples are bounded (FUZZ_EXAMPLES each) so the whole suite stays within minutes.
"""

import json
import re

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import DeclarationForm
from accounts.views.code_lookup import CodeLookupForm
from health_card.services import api_token_create
from lookup.models import Agency, MedicalFacility, Province, Ward
from public_services.forms import FeedbackForm, FeedbackLookupForm
from tests.accounts.helpers import reset_request
from tests.accounts.test_login import CONFIRM, LOGIN, submit_password
from tests.accounts.test_otp import codes_sent, make_citizen

from .corpus import corpus
from .world import use_fresh_signing_keys

pytestmark = [pytest.mark.security, pytest.mark.django_db,
              # The corpus holds decompression bombs on purpose: Pillow warns before refusing them.
              pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")]

FUZZ_EXAMPLES = 60
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

PAYLOADS = [
    "", " ", "0", "-1", "1e309", "NaN", "null", "[]", "{}", "9" * 400, "7901234567", "0912345678", "+84912345678",
    "15/03/1988", "31/02/2024", "00/00/0000", "1988", "29/02/1900", "99/99/99999", "2026-12-01",
    "' OR '1'='1' --", "\"; DROP TABLE accounts_person; --", "<script>alert(1)</script>", "{{ settings.SECRET_KEY }}",
    "../../../../etc/passwd", "%00", "\x00", "\u202eevil", "Nguyễn Văn Đức", "NGUYEN VAN DUC", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
    "a" * 5000, "HS4010120878837", "DN401AA31900313|4cc3|04/09/1985|1|-|01 - 043|$", "|" * 20 + "$",
    "079088012345", "PA2611ABCD2345", "DK2611ABC234", "ten@example.com", "@", "a@b", "javascript:alert(1)",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
VALUE = st.one_of(st.sampled_from(PAYLOADS), TEXT, st.integers(-10**20, 10**20).map(str))


def data_for(fields, extra=None):
    """A dict of some of `fields` (each a fuzzed value, sometimes a list of values)."""
    names = list(fields)
    return st.fixed_dictionaries({}, optional={
        **{name: st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3)) for name in names}, **(extra or {})})


def no_server_error(response):
    assert response.status_code < 500, response.status_code


def key_in(client, url):
    return re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)


ADDRESSES = st.integers(1, 250).map(lambda n: f"10.9.{n}.7")


@pytest.fixture
def registration_session(reference_data):
    def make(client, photos=False):
        session = client.session
        state = {"token": "fz0123456789abcdef012345", "declaration": {
            "bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "id_type": "cccd", "id_number": "079088012345",
            "street": "12 Lê Lợi", "email": "", "birth_date": "1988-03-15",
            "province": Province.objects.get(code="79").pk, "ward": Ward.objects.get(name="Phường Sài Gòn").pk,
            "phone": "+84987654321"}}
        if photos:
            state["photos"] = {f: f"registrations/tmp/fz/{f}.jpg" for f in ("portrait", "id_front", "id_back")}
        session["registration"] = state
        session.save()
        return client
    return make


def test_registration_declaration(reference_data):
    fields = list(DeclarationForm.base_fields) + ["refresh_wards"]
    ward = Ward.objects.filter(province__code="79").first()
    valid = {"province": st.just(str(ward.province_id)), "ward": st.just(str(ward.pk))}

    @FUZZ
    @given(data=data_for(fields, {name: st.one_of(VALUE, strategy) for name, strategy in valid.items()}),
           address=ADDRESSES)
    def run(data, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        no_server_error(Client(REMOTE_ADDR=address).post("/dang-ky/", data))

    run()


def test_registration_photos_and_agency_steps(registration_session):
    agencies = list(Agency.objects.values_list("pk", flat=True)[:20])
    files = st.sampled_from(corpus()[:12]).map(lambda h: SimpleUploadedFile(h.filename, h.data, h.content_type))

    photo_fields = ("portrait", "id_front", "id_back")

    @FUZZ
    @given(photos=st.fixed_dictionaries({}, optional={f: st.one_of(files, VALUE) for f in photo_fields}),
           agency=st.one_of(VALUE, st.sampled_from(agencies).map(str)), query=VALUE, address=ADDRESSES)
    def run(photos, agency, query, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        client = registration_session(Client(REMOTE_ADDR=address))
        no_server_error(client.post("/dang-ky/anh/", photos))
        for field in photo_fields:  # the photos the session names are there: the agency step opens
            name = f"registrations/tmp/fz/{field}.jpg"
            if not default_storage.exists(name):
                assert default_storage.save(name, SimpleUploadedFile("a.jpg", corpus()[-1].data)) == name
        client = registration_session(Client(REMOTE_ADDR=address), photos=True)
        response = client.get("/dang-ky/co-quan/", {"q": query})
        no_server_error(response)
        assert response.status_code == 200 and "Đăng ký tài khoản – Bước 3" in response.content.decode()
        response = client.post("/dang-ky/co-quan/", {"agency": agency})
        no_server_error(response)
        assert response.status_code == 200 and "Đăng ký tài khoản – Bước 3" in response.content.decode()

    run()


def test_a_registration_the_registry_refuses_at_submission_is_a_message(registration_session):
    """The declaration was checked at step 1; at step 3 the registry may answer differently (no
    such code any more). The service's field errors then appear at the top of the agency step."""
    client = registration_session(Client(), photos=True)
    for field in ("portrait", "id_front", "id_back"):
        default_storage.save(f"registrations/tmp/fz/{field}.jpg", SimpleUploadedFile("a.jpg", corpus()[-1].data))
    response = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk})
    assert response.status_code == 200
    assert "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp" in response.content.decode()


PUBLIC_POSTS = [
    ("/dang-ky/tra-cuu/", ["reference", "bhxh_code", "birth_date"]),
    ("/tai-khoan/dang-nhap/", ["login", "password", "remember", "next"]),
    ("/tai-khoan/quen-mat-khau/", ["bhxh_code", "challenge", "work", "answer"]),
    ("/xac-thuc/the-bhyt/", ["ma_qr", "so_the", "ho_ten", "ngay_sinh", "cach"]),
    ("/dich-vu-cong/phan-anh/tra-cuu/", list(FeedbackLookupForm.base_fields)),
    ("/i18n/setlang/", ["language", "next"]),
]


@pytest.mark.parametrize(("url", "fields"), PUBLIC_POSTS)
def test_public_post_forms(reference_data, url, fields):
    @FUZZ
    @given(data=data_for(fields), address=ADDRESSES)
    def run(data, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        no_server_error(Client(REMOTE_ADDR=address).post(url, data))

    run()


RESET, RESET_CODE, RESET_NEW = ("/tai-khoan/quen-mat-khau/", "/tai-khoan/quen-mat-khau/xac-thuc/",
                                "/tai-khoan/quen-mat-khau/mat-khau-moi/")
RESET_CODE_FIELDS, RESET_NEW_FIELDS = ["code", "action"], ["password1", "password2"]
CONFIRM_FIELDS = ["code", "action", "trust"]


def posted(data, name):
    """The value of `name` a view reads from `data` as posted: the last one of a list."""
    value = data.get(name)
    return value[-1] if isinstance(value, list) else value


def actions(*names):
    """A fuzzed `action`, often one of the page's own buttons so that each of its branches is met."""
    return {"action": st.one_of(VALUE, st.sampled_from(names))}


@pytest.fixture
def citizen(reference_data):
    return make_citizen()


def test_password_reset_code_and_new_password_pages_with_a_reset_under_way(
        citizen, sms_outbox, django_capture_on_commit_callbacks):
    """Each example resets a real account's password: the code page checks the fuzzed code, then
    the code sent opens the new-password page, which checks the fuzzed passwords. Each answers with
    its form, or does what its button asks: no redirect before the form reads what was posted."""
    @FUZZ
    @given(code=data_for(RESET_CODE_FIELDS, actions("verify", "resend")), new=data_for(RESET_NEW_FIELDS),
           address=ADDRESSES)
    def run(code, new, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        client = Client(REMOTE_ADDR=address)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(RESET, reset_request(citizen.username))["Location"] == RESET_CODE
        sent = codes_sent(sms_outbox)[-1]

        response = client.post(RESET_CODE, code)
        no_server_error(response)
        if posted(code, "action") == "resend":
            assert response["Location"] == RESET_CODE
        else:
            assert response.status_code == 200 and 'name="code"' in response.content.decode()
        assert client.post(RESET_CODE, {"action": "verify", "code": sent})["Location"] == RESET_NEW

        response = client.post(RESET_NEW, new)
        no_server_error(response)
        citizen.refresh_from_db()
        if response.status_code == 302:  # passwords the rules accept: saved
            assert response["Location"] == LOGIN and citizen.check_password(posted(new, "password1"))
        else:
            assert response.status_code == 200 and 'name="password1"' in response.content.decode()

    run()


def test_login_confirmation_with_a_login_under_way(citizen):
    """Each example starts a real login of a real account on a new browser, then posts the fuzzed
    code page: it answers with its form, or does what its button asks."""
    @FUZZ
    @given(data=data_for(CONFIRM_FIELDS, actions("continue", "verify", "resend", "cancel")), address=ADDRESSES)
    def run(data, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        client = Client(REMOTE_ADDR=address)
        assert submit_password(client)["Location"] == CONFIRM
        response = client.post(CONFIRM, data)
        no_server_error(response)
        if posted(data, "action") == "cancel":
            assert response["Location"] == LOGIN
        elif posted(data, "action") == "resend":
            assert response["Location"] == CONFIRM
        else:
            assert response.status_code == 200 and 'name="code"' in response.content.decode()

    run()


def test_bhxh_code_lookup(reference_data):
    province = str(Province.objects.get(code="79").pk)

    @FUZZ
    @given(data=data_for(CodeLookupForm.base_fields, {"province": st.one_of(VALUE, st.just(province))}),
           address=ADDRESSES)
    def run(data, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        no_server_error(Client(REMOTE_ADDR=address).post("/tra-cuu/ma-so-bhxh/", data))

    run()


def test_feedback_form(reference_data):
    @FUZZ
    @given(data=data_for(FeedbackForm.base_fields), address=ADDRESSES)
    def run(data, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        client = Client(REMOTE_ADDR=address)
        data = {**data, "idempotency_key": key_in(client, "/dich-vu-cong/phan-anh/")}
        no_server_error(client.post("/dich-vu-cong/phan-anh/", data))

    run()


PUBLIC_SEARCHES = [
    ("/tra-cuu/co-quan-bhxh/", ["q", "province", "trang"]),
    ("/tra-cuu/co-so-kcb/", ["q", "province", "level", "trang"]),
    ("/tra-cuu/co-so-kcb/cap-giay-nghi-om/", ["q", "province", "level", "trang"]),
    ("/tra-cuu/don-vi/", ["q", "province", "trang"]),
    ("/tra-cuu/diem-thu/", ["q", "province", "ward", "trang", "cap-nhat"]),
    ("/ho-tro/", ["q", "chu-de"]),
    ("/tin-tuc/", ["trang"]),
    ("/xac-thuc/van-ban/", ["ma"]),
]


@pytest.mark.parametrize(("url", "params"), PUBLIC_SEARCHES)
def test_public_searches(reference_data, url, params):
    @FUZZ
    @given(data=data_for(params, {"province": st.one_of(VALUE, st.sampled_from(["79", "01", "7", "079"]))}),
           address=ADDRESSES)
    def run(data, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        no_server_error(Client(REMOTE_ADDR=address).get(url, data))

    run()


def test_statement_check_page_with_any_code(reference_data):
    @FUZZ
    @given(code=st.one_of(VALUE, st.from_regex(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", fullmatch=True)), address=ADDRESSES)
    def run(code, address):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        segment = "".join(ch for ch in code if ch not in "/?#%\x00") or "x"
        no_server_error(Client(REMOTE_ADDR=address).get(f"/xac-thuc/van-ban/{segment}/"))

    run()


def test_card_verification_api(reference_data, settings, tmp_path):
    """Half the examples carry a clinic's real token, so that their bodies are read and checked,
    not refused with the caller."""
    use_fresh_signing_keys(settings, tmp_path)
    facility = MedicalFacility.objects.filter(bhyt_contract=True).order_by("code").first()
    _token, real = api_token_create(facility=facility, name="Phần mềm HIS")
    body = st.one_of(
        TEXT, st.dictionaries(st.sampled_from(["maQR", "maThe", "hoTen", "ngaySinh", "x"]),
                              st.one_of(VALUE, st.integers(), st.none(), st.lists(VALUE, max_size=2)), max_size=4)
        .map(json.dumps))

    junk = VALUE.map(lambda t: "".join(ch for ch in t if 32 <= ord(ch) < 127))

    @FUZZ
    @given(body=body, token=st.one_of(st.just(real), junk))
    def run(body, token):
        cache.clear()  # empty rate-limit counters: a failing example replays the same way
        response = Client().post("/api/xac-thuc/the-bhyt/", body, content_type="application/json",
                                 HTTP_AUTHORIZATION=f"Bearer {token}")
        no_server_error(response)
        if token == real:  # an answer to the body, not a refusal of the caller
            assert response.status_code not in (401, 403) and "maKetQua" in response.json()

    run()


# The public forms fuzzed by the tests above, each with the fields it sends: the parametrised ones,
# and the forms with a test of their own.
FUZZED = {("post", url): set(fields) for url, fields in PUBLIC_POSTS} | {
    ("get", url): set(params) for url, params in PUBLIC_SEARCHES} | {
    ("post", "/dang-ky/"): set(DeclarationForm.base_fields) | {"refresh_wards"},
    ("get", "/dang-ky/co-quan/"): {"q"},
    ("post", "/dang-ky/co-quan/"): {"agency"},
    ("post", "/tra-cuu/ma-so-bhxh/"): set(CodeLookupForm.base_fields),
    ("post", "/dich-vu-cong/phan-anh/"): set(FeedbackForm.base_fields),
    ("post", RESET_CODE): set(RESET_CODE_FIELDS),
    ("post", RESET_NEW): set(RESET_NEW_FIELDS),
    ("post", CONFIRM): set(CONFIRM_FIELDS),
}
NOT_FUZZED = {"csrfmiddlewaretoken", "idempotency_key"}  # the form's own tokens: a wrong one is refused first
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
NAME = re.compile(r"<(?:input|select|textarea|button)\b[^>]*\bname=\"([^\"]+)\"")


def test_every_public_form_is_fuzzed(reference_data):
    """Every form an anonymous visitor meets on a page of the URLconf is fuzzed above with every
    field it sends, so a new public page or a new field of a form fails here until it is."""
    from . import test_headers

    client = Client()
    met, missing = set(), []
    for path in test_headers.parameterless_paths():
        if path.startswith("/quan-tri/"):
            continue  # the officers' admin: behind its login
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for attributes, body in FORM.findall(response.content.decode()):
            method = (re.search(r'method="(\w+)"', attributes) or [None, "get"])[1].lower()
            action = (re.search(r'action="([^"#?]*)', attributes) or [None, path])[1] or path
            met.add((method, action))
            fields = set(NAME.findall(body)) - NOT_FUZZED
            if (method, action) not in FUZZED:
                missing.append(f"{method} {action} (on {path}): not fuzzed")
            elif fields - FUZZED[(method, action)]:
                missing.append(f"{method} {action} (on {path}): {sorted(fields - FUZZED[(method, action)])} not fuzzed")
    assert missing == []
    assert len(met) > 10  # the pages were read: their forms were found
