"""Registration while Redis (where its limits are counted) is down: a declaration check, the final
submission or a status lookup whose limit cannot be counted is refused with a note that registration is briefly
unavailable (503, Retry-After), not with "too many tries"."""


import pytest

from accounts.models import Registration, User
from lookup.models import Agency
from tests.accounts.helpers import born_years_ago, cccd_for, make_person
from tests.accounts.test_code_lookup_redis_down import stop_redis
from tests.accounts.test_registration import declaration_data, person, to_last_step  # noqa: F401 (fixture)

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Đăng ký tài khoản đang tạm gián đoạn. Hãy thử lại sau vài phút."


def test_a_declaration_during_an_outage_is_said_unavailable_not_too_many(client, person, settings,  # noqa: F811
                                                                          monkeypatch):
    stop_redis(settings, monkeypatch)
    response = client.post("/dang-ky/", declaration_data())
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in html and "quá nhiều lần" not in html


def test_a_status_lookup_during_an_outage_is_said_unavailable_not_too_many(client, person, settings,  # noqa: F811
                                                                            monkeypatch):
    stop_redis(settings, monkeypatch)
    response = client.post("/dang-ky/tra-cuu/", {"reference": "DK0000AAAAAA", "bhxh_code": "7901234567"})
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in html and "quá nhiều lần" not in html


def test_a_submission_during_an_outage_is_said_unavailable_not_too_many(client, person, settings,  # noqa: F811
                                                                         monkeypatch, sms_outbox):
    key = to_last_step(client)
    stop_redis(settings, monkeypatch)
    response = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk, "submission_key": key})
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in html and "quá nhiều lần" not in html
    assert not Registration.objects.exists() and not sms_outbox()


def test_a_childs_registration_during_an_outage_is_said_unavailable_not_too_many(client, reference_data, settings,
                                                                                 monkeypatch):
    from tests.accounts.test_child_account import child_form, form_key

    person = make_person()
    client.force_login(User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person))
    make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    key = form_key(client)
    stop_redis(settings, monkeypatch)
    response = client.post("/ca-nhan/dang-ky-cho-con/", {**child_form(), "submission_key": key})
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in html and "quá nhiều lần" not in html
    assert not Registration.objects.exists()
