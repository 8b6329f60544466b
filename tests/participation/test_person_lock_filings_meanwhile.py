"""The writers of a person's periods (an officer's edit, a deletion, an import) and a citizen's request for
a statement lock the person's row, one after another, FOR NO KEY UPDATE: none of them changes a key of the
person, and a filing for that person, whose commit checks its person key with a FOR KEY SHARE lock,
commits while they run instead of waiting for their transaction to end (vssid_portal/locks.py). The filing
first asks which lock of the person is held (tests.db_locks.row_lock): a write that took none, or another
than FOR NO KEY UPDATE, fails too."""

import io

import pytest
from django.db import connection

from accounts.models import Person
from participation.models import Period, Statement
from participation.services import imports, periods, statements
from public_services.models import Filing
from tests.db_locks import paused_while, row_lock
from tests.public_services.helpers import citizen, submit

from .helpers import period

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ("ma_so_bhxh,loai,tu_thang,den_thang,nguoi_dong,ma_don_vi,chuc_vu,muc_dong,ty_le,so_tien,so_thang_no,ma_tinh,"
          "ma_co_quan,ma_kcb\n")


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")


def edit(owner):
    stored = period(owner.person, "01/2020", "12/2020")
    stored.base, stored.amount = 12_000_000, 3_000_000
    return lambda: periods.period_save(period=stored)


def delete(owner):
    period(owner.person, "01/2020", "12/2020")
    return lambda: periods.period_delete(periods=Period.objects.filter(person=owner.person))


def import_(owner):
    employer = period(owner.person, "01/2019", "12/2019").employer.code
    line = f"{owner.person.bhxh_code},bhxh_bb,01/2020,12/2020,employer,{employer},,10000000,25,2500000,0,79,07901,\n"
    return lambda: imports.periods_import(lines=io.StringIO(HEADER + line), dry_run=False)


def request_statement(owner):
    return lambda: statements.statement_request(person=owner.person, requested_by=owner,
                                                verify_base="https://vssid.example.vn")


# Each paused at the first call it makes once the person is locked.
@pytest.mark.parametrize("write, target, attribute", [
    (edit, periods, "check_unchanged_since_seen"),
    (delete, periods, "people_told_of"),
    (import_, imports, "_payer_spans"),
    (request_statement, statements, "statement_pending_for"),
], ids=["period-edit", "period-delete", "import", "statement-request"])
def test_a_filing_for_the_person_commits_while_their_periods_or_statement_are_written(
        reference_data, write, target, attribute):
    owner = citizen()
    work = write(owner)

    def filed_meanwhile():
        locked = row_lock(Person, owner.person.pk)
        return (locked, submit(owner, "607A"), Period.objects.filter(person=owner.person).count(),
                Statement.objects.count())

    before = (Period.objects.filter(person=owner.person).count(), Statement.objects.count())
    outcome, waited = paused_while(target, attribute, work, filed_meanwhile, names=("write", "filing"))

    assert not isinstance(outcome["write"], Exception), outcome
    assert not isinstance(outcome["filing"], Exception), outcome
    locked, filing, *seen_then = outcome["filing"]
    assert locked == "FOR NO KEY UPDATE", f"the write held the person's row {locked or 'not at all'}"
    assert not waited, "the filing's commit waited for the lock of the person"
    assert tuple(seen_then) == before, "the filing committed only after the other write"
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED
