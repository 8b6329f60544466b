"""This month and this year are Vietnam's: at 00:30 on 01/01, when the UTC date is still 31/12, the
history counts January's month as owed and no longer as not due yet (its page stored before midnight is
not shown again), a statement counts to January and is dated 01/01, and a period may start in January."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.test import Client

from accounts.models import User
from participation.models import Period
from participation.services import statements as service
from tests.accounts.helpers import make_person
from tests.clock import NEW_YEAR, YEAR_END, at, in_vietnam
from tests.conftest import require_tool
from vssid_portal.dates import month_ordinal

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")

JANUARY = NEW_YEAR.date()  # 01/2027


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def voluntary(db):
    """Voluntary BHXH registered for 2026 and 2027, 2027 all unpaid yet."""
    person = make_person()
    period(person, "01/2026", "12/2027", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, base=5_000_000,
           unpaid=12)
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


def test_januarys_month_is_owed_from_the_first_minutes_of_01_01_on_the_page_stored_before(voluntary):
    client = Client()
    with at(in_vietnam(2026, 12, 31, 23, 50)) as clock:  # one session, 20 minutes apart
        client.force_login(voluntary)
        before = text(client.get("/qua-trinh-tham-gia/"))
        clock.move_to(in_vietnam(2027, 1, 1, 0, 10))
        after = text(client.get("/qua-trinh-tham-gia/"))
        exported = client.get("/qua-trinh-tham-gia/xuat-csv/")
    assert "(12 tháng sau chưa đến hạn)" in before and "nợ 1 tháng" not in before
    assert "<strong>nợ 1 tháng</strong>" in after and "(11 tháng sau chưa đến hạn)" in after
    assert "20270101.csv" in exported["Content-Disposition"]


def test_a_statement_issued_at_00_30_on_01_01_counts_to_january_and_is_dated_that_day(
        voluntary, tmp_path):
    require_tool("pdftotext", "poppler-utils")
    with at(NEW_YEAR):
        statement = service.statement_request(person=voluntary.person, requested_by=voluntary,
                                              verify_base="http://testserver")
        statement = service.statement_build(statement_id=statement.pk, verify_base="http://testserver")
        check_page = text(Client().get(service.verify_path(statement.code)))
    bhxh = service.statement_snapshot(statement)["groups"][0]
    months_to_january = month_ordinal(JANUARY) - month_ordinal(datetime.date(2026, 1, 1)) + 1
    assert (bhxh["months"], bhxh["months_owed"], bhxh["months_ahead"]) == (months_to_january, 1, 0)  # January's unpaid
    assert "<dd>01/01/2027 00:30</dd>" in check_page
    path = tmp_path / "statement.pdf"
    with default_storage.open(statement.pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    printed = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                     check=True).stdout.split())
    assert "ngày01/01/2027" in printed and "01/01/202700:30" in printed


@pytest.mark.parametrize(("instant", "refused"), [(YEAR_END, True), (NEW_YEAR, False)], ids=["31-12-23h30", "01-01-00h30"])
def test_a_period_may_start_in_january_from_00_30_on_01_01(db, instant, refused):
    person = make_person()
    starts_in_january = period(person, "01/2027", "01/2027", save=False)
    with at(instant):
        if refused:
            with pytest.raises(ValidationError) as error:
                starts_in_january.clean()
            assert "from_month" in error.value.message_dict
        else:
            starts_in_january.clean()
