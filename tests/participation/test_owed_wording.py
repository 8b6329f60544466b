"""Months owed are worded by who pays them: the employer, the person themself, the household, the
state budget or the fund (DESIGN.md, card groups by payer), never "the employer" for all."""

import pytest
from django.conf import settings

from participation.models import Period
from participation.selectors import totals_of

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")

OWED = "<dt>Số tháng còn nợ</dt><dd>"


def owed_text(html: str) -> str:
    start = html.index(OWED) + len(OWED)
    return html[start:html.index("</dd>", start)]


def test_months_owed_are_told_apart_by_who_pays_them(person):
    totals = totals_of([
        period(person, "01/2024", "12/2024", unpaid=3, save=False),
        period(person, "12/2024", "12/2024", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, save=False),
        period(person, "01/2025", "06/2025", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, unpaid=1,
               save=False),
    ])
    assert totals.months_owed == 3
    # 10 and 11/2024 by the employer (12/2024 was paid voluntarily), 06/2025 by the person
    assert [(payer, months) for payer, months, _ in totals.owed_by] == [(Period.Payer.EMPLOYER, 2), (Period.Payer.SELF, 1)]


def test_voluntary_months_owed_do_not_blame_an_employer(client, citizen, person):
    period(person, "01/2023", "12/2024", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, unpaid=2)
    client.force_login(citizen)
    text = owed_text(client.get("/qua-trinh-tham-gia/").content.decode())
    assert "đơn vị" not in text
    assert text == "<strong>2 tháng</strong> – phần tự đóng chưa đóng đủ; hãy đóng bổ sung tại điểm thu hoặc liên hệ cơ quan BHXH."


def test_household_health_insurance_months_owed_name_the_household(client, citizen, person):
    period(person, "01/2024", "12/2024", kind=Period.Kind.BHYT, payer=Period.Payer.HOUSEHOLD, unpaid=1)
    client.force_login(citizen)
    text = owed_text(client.get("/qua-trinh-tham-gia/bhyt/").content.decode())
    assert text == "<strong>1 tháng</strong> – hộ gia đình chưa đóng đủ; hãy đóng bổ sung tại điểm thu hoặc liên hệ cơ quan BHXH."


def test_employer_months_owed_keep_their_wording(client, citizen, person):
    period(person, "01/2024", "12/2024", unpaid=2)
    client.force_login(citizen)
    text = owed_text(client.get("/qua-trinh-tham-gia/").content.decode())
    assert text == "<strong>2 tháng</strong> – đơn vị chưa đóng đủ; hãy liên hệ đơn vị hoặc cơ quan BHXH."


def test_months_owed_by_several_payers_are_listed_by_payer(client, citizen, person):
    period(person, "01/2020", "12/2022", unpaid=2)
    period(person, "01/2023", "12/2024", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, unpaid=1)
    client.force_login(citizen)
    text = owed_text(client.get("/qua-trinh-tham-gia/").content.decode())
    assert text.startswith("<strong>3 tháng</strong>")
    assert "<li>2 tháng – đơn vị chưa đóng đủ; hãy liên hệ đơn vị hoặc cơ quan BHXH.</li>" in text
    assert "<li>1 tháng – phần tự đóng chưa đóng đủ; hãy đóng bổ sung tại điểm thu hoặc liên hệ cơ quan BHXH.</li>" in text


def test_months_owed_are_worded_by_payer_in_english(client, citizen, person):
    period(person, "01/2023", "12/2024", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, unpaid=2)
    client.force_login(citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert owed_text(html.replace("<dt>Months owed</dt><dd>", OWED)) == (
        "<strong>2 months</strong> – the self-paid contributions are not paid in full; "
        "pay the rest at a collection point or contact the social insurance agency.")
