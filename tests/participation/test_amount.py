"""A period's monthly amount is its base times its rate, rounded down to the đồng (as the demo data
have it): an amount that is not is refused with the amount expected (voluntary BHXH's
may be less, the state's support taken off, never more), and one left empty on the officers' form is
computed by that rule."""

import re

import pytest
from django.core.exceptions import ValidationError

from participation.models import Period
from participation.services.imports import periods_import
from tests.accounts.helpers import make_person, managed_person, officer
from tests.benefits.helpers import admin_form

from .helpers import period
from .test_import import csv_lines
from .test_overlap import ADD, CHANGE, form_data

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def insured(db, reference_data):
    return make_person("7901777777", "Phan Văn Hải", id_number="079080012345")


@pytest.mark.parametrize("base, rate, amount", [(10_000_000, "25", 2_500_000), (8_781_100, "4.5", 395_149),
                                                (2_340_000, "4.5", 105_300), (0, "0", 0), (1_999, "0.5", 9)])
def test_the_amount_of_base_times_rate_rounded_down_is_taken(insured, base, rate, amount):
    p = period(insured, "01/2020", "12/2020", base=base, save=False)
    p.rate, p.amount = rate, amount
    p.full_clean(exclude=["import_key"])


def test_another_amount_is_refused_with_the_amount_expected(insured):
    p = period(insured, "01/2020", "12/2020", base=12_345_678, kind=Period.Kind.BHYT, save=False)
    p.rate, p.amount = "4.5", 3_000_000
    with pytest.raises(ValidationError) as refused:
        p.full_clean(exclude=["import_key"])
    assert refused.value.message_dict["amount"] == [
        "Số tiền đóng mỗi tháng phải bằng căn cứ đóng × tỷ lệ đóng (làm tròn xuống đến đồng): 555.555 đ."]


def test_the_import_refuses_a_row_whose_amount_is_not_base_times_rate(person):
    report = periods_import(lines=csv_lines(
        "7901234567,bhxh_bb,01/2015,12/2018,employer,{E},Kỹ sư,12000000,25,4000000,0,79,07901,"), dry_run=True)
    assert report.errors == [(2, "Số tiền đóng mỗi tháng phải bằng căn cứ đóng × tỷ lệ đóng (làm tròn xuống đến "
                                 "đồng): 3.000.000 đ.")]


def test_voluntary_bhxh_may_be_less_than_base_times_rate_never_more(insured):
    """The state's support is a fixed sum in đồng taken off 22 % of the income: no rate expresses it."""
    supported = period(insured, "01/2020", "12/2020", base=5_000_000, kind=Period.Kind.BHXH_VOLUNTARY,
                       payer=Period.Payer.SELF, save=False)
    supported.rate, supported.amount = "22", 1_100_000 - 99_000
    supported.full_clean(exclude=["import_key"])
    supported.amount = 1_100_001
    with pytest.raises(ValidationError) as refused:
        supported.full_clean(exclude=["import_key"])
    assert refused.value.message_dict["amount"][0].startswith(
        "Số tiền đóng mỗi tháng của BHXH tự nguyện không được lớn hơn căn cứ đóng × tỷ lệ đóng (làm tròn xuống "
        "đến đồng): 1.100.000 đ.")


def test_the_import_takes_a_voluntary_bhxh_row_less_than_base_times_rate(person):
    report = periods_import(lines=csv_lines(
        "7901234567,bhxh_tn,01/2019,12/2019,self,,,5000000,22,1001000,0,79,07901,"), dry_run=True)
    assert report.errors == [] and report.created == 1


AMOUNT_HELP = "Để trống để tự tính: căn cứ đóng × tỷ lệ đóng (làm tròn xuống đến đồng)"


def test_the_officers_form_computes_an_amount_left_empty_and_says_so(client, db):
    person = managed_person("7901555555", "Trần Văn Bình", "07901", "079090012345")
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    html = client.get(ADD).content.decode()
    assert AMOUNT_HELP in html and " required " not in re.search(r'<input [^>]*name="amount"[^>]*>', html)[0]
    response = client.post(ADD, form_data(client, person, base="12345678", rate="4.5", amount=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Period.objects.get(person=person)
    assert added.amount == 555_555
    # an edit of the base with the amount emptied: the amount follows the new base
    url = CHANGE.format(added.pk)
    assert client.post(url, {**admin_form(client, url, form_id="period_form"), "base": "10.000.000",
                             "amount": ""}).status_code == 302
    assert Period.objects.get(pk=added.pk).amount == 450_000
    # a typed amount must still be base × rate
    response = client.post(url, {**admin_form(client, url, form_id="period_form"), "base": "11.000.000",
                                 "amount": "450.000"})
    assert response.status_code == 200 and "đồng): 495.000 đ." in response.content.decode()
    assert Period.objects.get(pk=added.pk).base == 10_000_000


def test_every_month_of_a_period_may_be_owed_but_no_more_months_than_it_has(insured):
    """A period whose payer paid none of its months owes them all (12 of 12); 13 months owed of 12 is refused."""
    p = period(insured, "01/2020", "12/2020", unpaid=12, save=False)
    p.full_clean(exclude=["import_key"])
    p.unpaid_months = 13
    with pytest.raises(ValidationError) as refused:
        p.full_clean(exclude=["import_key"])
    assert list(refused.value.message_dict) == ["unpaid_months"]
