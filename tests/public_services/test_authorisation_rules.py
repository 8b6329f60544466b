"""Whom and for when a benefit may be authorised: the person authorised is an adult, 18 on the day
of the filing at the latest, and the authorisation starts from the first day of this month (this
month's payment can still be collected) and runs at most to the day before the same date a year on."""

import datetime

import pytest
from django.utils import timezone

from public_services.procedures import registry
from tests.accounts.helpers import cccd_for
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import answers, owner  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 15)
ADULT = "Người được ủy quyền phải đủ 18 tuổi."


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def errors_of(person, **overrides) -> dict:
    procedure = registry.get("UY-QUYEN")
    data = answers("UY-QUYEN", **{"valid_from": "01/12/2026", "valid_to": "30/11/2027", **overrides})
    bound = procedure.form(data=data, person=person, kept=procedure.upload_fields)
    bound.is_valid()
    return {name: list(messages) for name, messages in bound.errors.items()}


def authorised_born(birth: datetime.date) -> dict:
    return {"authorised_birth_date": vn_date(birth), "authorised_id_number": cccd_for(birth, sex=2)}


def test_someone_18_today_may_be_authorised_and_someone_18_tomorrow_may_not(owner, today):
    eighteen_today = today.replace(year=today.year - 18)
    assert errors_of(owner.person, **authorised_born(eighteen_today)) == {}
    errors = errors_of(owner.person, **authorised_born(eighteen_today + datetime.timedelta(days=1)))
    assert errors == {"authorised_birth_date": [ADULT]}


def test_the_period_may_start_on_the_first_of_this_month_but_not_the_day_before(owner, today):
    assert errors_of(owner.person, valid_from="01/12/2026", valid_to="30/11/2027") == {}
    errors = errors_of(owner.person, valid_from="30/11/2026", valid_to="29/11/2027")
    assert list(errors) == ["valid_from"]


def test_the_period_may_run_to_the_day_before_the_same_date_a_year_on_but_not_to_that_date(owner, today):
    assert errors_of(owner.person, valid_from="15/12/2026", valid_to="14/12/2027") == {}
    errors = errors_of(owner.person, valid_from="15/12/2026", valid_to="15/12/2027")
    assert errors == {"valid_to": ["Mỗi lần ủy quyền tối đa 12 tháng: ngày kết thúc muộn nhất là 14/12/2027."]}
