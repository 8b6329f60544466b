"""Every writer of a person's periods locks the person's row before the period rows (lock_person): a
deletion and an edit of the same person, or two imports, wait for each other and never deadlock."""

import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lookup.models import Employer
from participation.models import Period
from participation.services.imports import periods_import
from participation.services.periods import lock_person, period_save
from tests.accounts.helpers import managed_person, officer_record
from tests.db_locks import wait_until_blocked

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")
LIST = "/quan-tri/participation/period/"
DELETE = "/quan-tri/participation/period/{}/delete/"
HEADER = "ma_so_bhxh,loai,tu_thang,den_thang,nguoi_dong,ma_don_vi,chuc_vu,muc_dong,ty_le,so_tien,so_thang_no,ma_tinh,ma_co_quan,ma_kcb\n"


two_transactions = pytest.mark.skipif(connection.vendor != "postgresql",
                                      reason="two transactions at once need PostgreSQL")


def superuser():
    # Naming their own record, without which a superuser writes no period (own_record_refusal).
    return get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!",
                                                     officer_person=officer_record("quantri"))


class Side(threading.Thread):
    """One transaction of the test, run in a thread on a database connection of its own: keeps the
    connection's backend pid (for wait_until_blocked), and what `work` returned or raised."""

    def __init__(self, work):
        super().__init__()
        self.work, self.pid, self.result, self.error = work, [], None, None

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid.append(cursor.fetchone()[0])
            self.result = self.work()
        except Exception as error:  # noqa: BLE001 - the test reports what its side ended with
            self.error = error
        finally:
            connections.close_all()

    def join(self, timeout=15):
        """Wait for the side to end (a side the test failed before starting has nothing to wait for)."""
        if self.ident is not None:
            super().join(timeout)


@two_transactions
@pytest.mark.django_db(transaction=True)
def test_deleting_a_period_while_an_edit_of_its_person_runs_waits_for_the_edit_then_deletes_it(reference_data):
    """The delete page waits on the person's row, held by the edit, then deletes the period. Deleting
    the row first and then locking the person (the table's trigger) waited in a circle with the edit,
    which held the person and then waited for the period's row: one of the two failed (deadlock)."""
    stored = period(managed_person("7901555561", "Trần Văn Bình", "07901", "079090012361"), "01/2020", "12/2021")
    admin = superuser()

    def delete_page():
        client = Client()
        client.force_login(admin)
        return client.post(DELETE.format(stored.pk), {"post": "yes"}).status_code

    deleting = Side(delete_page)
    try:
        with transaction.atomic():  # the officer's edit, as the form runs it: the person first
            lock_person(stored.person_id)
            deleting.start()
            assert wait_until_blocked(deleting, deleting.pid), "the delete page did not wait for the edit"
            stored.job_title = "Kỹ sư"
            period_save(period=stored)
    finally:
        deleting.join()
        assert not deleting.is_alive(), "the delete page still runs"
    assert deleting.error is None, deleting.error
    assert deleting.result == 302
    assert not Period.objects.filter(pk=stored.pk).exists()


def test_delete_selected_locks_the_people_before_deleting_their_periods(client):
    first = managed_person("7901555562", "Trần Văn Bảo", "07901", "079090012362")
    second = managed_person("7901555563", "Trần Văn Bách", "07901", "079090012363")
    periods = [period(first, "01/2020", "12/2020"), period(second, "01/2020", "12/2020")]
    kept = period(first, "01/2021", "12/2021")
    client.force_login(superuser())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(LIST, {"action": "delete_selected", "_selected_action": [p.pk for p in periods],
                                      "post": "yes"})
    assert response.status_code == 302
    assert list(Period.objects.values_list("pk", flat=True)) == [kept.pk]
    if connection.vendor == "postgresql":  # SQLite takes no row locks
        sql = [q["sql"] for q in queries]
        lock = next(i for i, q in enumerate(sql)
                    if "FOR NO KEY UPDATE" in q and '"accounts_person"' in q.split(" WHERE ")[0])
        delete = next(i for i, q in enumerate(sql) if q.startswith('DELETE FROM "participation_period"'))
        assert lock < delete


def csv_of(code: str) -> io.StringIO:
    employer = Employer.objects.filter(agency__code="07901").order_by("code").first().code
    return io.StringIO(HEADER + f"{code},bhxh_bb,01/2020,12/2020,employer,{employer},,10000000,25,2500000,0,79,07901,\n")


@two_transactions
@pytest.mark.django_db(transaction=True)
def test_a_second_import_waits_for_the_first_to_commit_then_runs(reference_data):
    """Imports run one at a time, even of other people: each locks its people batch by batch, in order
    within a batch only, so two alongside could each hold a person the other's next batch waits for."""
    managed_person("7901555564", "Trần Văn Cường", "07901", "079090012364")
    managed_person("7901555565", "Trần Văn Công", "07901", "079090012365")
    second_file = csv_of("7901555565")
    second = Side(lambda: periods_import(lines=second_file, dry_run=False))
    try:
        with transaction.atomic():  # the first import stays uncommitted until this block ends
            assert periods_import(lines=csv_of("7901555564"), dry_run=False).created == 1
            second.start()
            assert wait_until_blocked(second, second.pid), "the second import ran alongside the first"
    finally:
        second.join()
        assert not second.is_alive(), "the second import still runs"
    assert second.error is None, second.error
    assert (second.result.created, second.result.error_count) == (1, 0)
    assert Period.objects.filter(person__bhxh_code__in=["7901555564", "7901555565"]).count() == 2


@two_transactions
@pytest.mark.django_db(transaction=True)
def test_deleting_several_peoples_periods_while_an_import_of_them_runs_waits_for_the_import(reference_data,
                                                                                           monkeypatch):
    """The import locks its people batch by batch (here the second person, then the first); "delete
    selected" locks them all in key order. Had the deletion taken the first person while the import held
    the second, each would wait for the other (deadlock): it waits for the import to commit instead."""
    from participation.services import imports
    from participation.services.periods import period_delete

    first = managed_person("7901555566", "Trần Văn Danh", "07901", "079090012366")
    second = managed_person("7901555567", "Trần Văn Dũng", "07901", "079090012367")
    stored = [period(first, "01/2018", "12/2018").pk, period(second, "01/2018", "12/2018").pk]
    lines = io.StringIO(csv_of("7901555567").getvalue() + csv_of("7901555566").getvalue().split("\n", 1)[1])
    monkeypatch.setattr(imports, "BATCH", 1)
    apply_batch, between, go = imports._apply_batch, threading.Event(), threading.Event()

    def paused_after_the_first_batch(*args):
        apply_batch(*args)
        if not between.is_set():
            between.set()
            go.wait(10)

    monkeypatch.setattr(imports, "_apply_batch", paused_after_the_first_batch)
    importing = Side(lambda: periods_import(lines=lines, dry_run=False))
    deleting = Side(lambda: period_delete(periods=Period.objects.filter(pk__in=stored)))
    importing.start()
    try:
        assert between.wait(10)
        deleting.start()
        assert wait_until_blocked(deleting, deleting.pid), "the deletion did not wait for the import"
    finally:
        go.set()
        importing.join()
        deleting.join()
        assert not importing.is_alive() and not deleting.is_alive(), "the import or the deletion still runs"
    assert (importing.error, deleting.error) == (None, None)
    assert (importing.result.created, importing.result.error_count) == (2, 0)
    assert not Period.objects.filter(pk__in=stored).exists()
