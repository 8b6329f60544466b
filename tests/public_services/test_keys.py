"""The keys of a registration, a filing and a feedback come from one maker, vssid_portal.form_keys: the
key each form carries, within what every model's column and the procedure form's check take, and the
reference numbers, each in its own format (DK… for a registration, HS… for a filing, PA… for a
feedback, which its page's URL is read with)."""

import re

import pytest

from public_services.models import Feedback, Filing
from public_services.services import TRACKING_NUMBER, feedback_submit
from vssid_portal import form_keys as keys

from .helpers import logged, owner, submit  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


@pytest.fixture
def made_by_keys(monkeypatch):
    """The random parts vssid_portal.form_keys draws, fixed: what carries them was made there."""
    monkeypatch.setattr(keys, "token_urlsafe", lambda size: "K" * (size * 4 // 3))
    monkeypatch.setattr(keys, "choice", lambda alphabet: "Q")


def test_both_forms_carry_a_key_of_the_one_maker_that_fits_both_columns(client, owner, made_by_keys):  # noqa: F811
    feedback_key = KEY.search(client.get("/dich-vu-cong/phan-anh/").content.decode()).group(1)
    filing_key = KEY.search(logged(owner).get("/dich-vu-cong/cap-lai-so-bhxh/").content.decode()).group(1)
    assert feedback_key == filing_key == "K" * keys.KEY_LENGTH
    assert keys.KEY_LENGTH <= min(Feedback._meta.get_field("idempotency_key").max_length,
                                  Filing._meta.get_field("idempotency_key").max_length)


def test_each_tracking_number_comes_from_the_one_maker_in_its_own_format(owner, made_by_keys):  # noqa: F811
    filing = submit(owner)
    feedback = feedback_submit(kind="phan_anh", topic="thu_so", content="Chưa chốt sổ BHXH.", full_name="Trần Thị Mai",
                               phone="0912345678", agency=owner.person.agency, idempotency_key=keys.new_idempotency_key())
    assert re.fullmatch(r"HS\d{4}Q{6}", filing.tracking_number)
    assert re.fullmatch(r"PA\d{4}Q{8}", feedback.tracking_number) and TRACKING_NUMBER.fullmatch(feedback.tracking_number)


def test_a_posted_key_is_one_the_maker_could_have_made_or_none():
    """The one check of a key posted with a registration, a filing or a feedback (vssid_portal.form_keys.posted_key)."""
    from django.http import QueryDict
    from django.test import RequestFactory

    made = keys.new_idempotency_key()
    longest, shortest = "A" * keys.KEY_LENGTH, "A" * 16
    for key in (made, longest, shortest, "a-b_C9" * 3):
        assert keys.posted_key(RequestFactory().post("/", {"submission_key": key}), "submission_key") == key
        assert keys.posted_key(QueryDict(f"idempotency_key={key}"), "idempotency_key") == key
    refused = [shortest[1:], longest + "A", made[:-1] + "+", made[:-1] + "é", made[:-1] + " ", made + "\n", ""]
    for key in refused:
        assert keys.posted_key(RequestFactory().post("/", {"idempotency_key": key}), "idempotency_key") is None, key
    assert keys.posted_key(RequestFactory().post("/", {"submission_key": made}), "idempotency_key") is None  # missing
    assert keys.posted_key(QueryDict(""), "idempotency_key") is None


def test_a_key_longer_than_the_forms_is_refused_as_a_form_nobody_was_given(owner):  # noqa: F811
    from django.core.exceptions import ValidationError

    from public_services.procedures import registry
    from public_services.services import filing_submit

    from .helpers import answers

    for key in ("", "K" * (keys.KEY_LENGTH + 1)):
        with pytest.raises(ValidationError, match="Phiên khai hồ sơ không hợp lệ"):
            filing_submit(procedure=registry.get("607A"), person=owner.person, user=owner, data=answers("607A"),
                          uploads={}, idempotency_key=key)
    assert not Filing.objects.exists()
