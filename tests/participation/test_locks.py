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
from tests.accounts.helpers import managed_person
from tests.db_locks import wait_until_blocked

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")
LIST = "/quan-tri/participation/period/"
DELETE = "/quan-tri/participation/period/{}/delete/"
HEADER = "ma_so_bhxh,loai,tu_thang,den_thang,nguoi_dong,ma_don_vi,chuc_vu,muc_dong,ty_le,so_tien,so_thang_no,ma_tinh,ma_co_quan,ma_kcb\n"


def superuser():
    return get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!")


@pytest.mark.django_db(transaction=True)
def test_deleting_a_period_while_an_edit_of_its_person_runs_waits_for_the_edit_then_deletes_it(reference_data):
    """The delete page waits on the person's row, held by the edit, then deletes the period. Deleting
    the row first and then locking the person (the table's trigger) waited in a circle with the edit,
    which held the person and then waited for the period's row: one of the two failed (deadlock)."""
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    stored = period(managed_person("7901555561", "Trần Văn Bình", "07901", "079090012361"), "01/2020", "12/2021")
    admin = superuser()
    outcome = {}

    def delete_page():
        try:
            client = Client()
            client.force_login(admin)
            outcome["status"] = client.post(DELETE.format(stored.pk), {"post": "yes"}).status_code
        except Exception as error:  # noqa: BLE001 - the test reports whatever the page raised
            outcome["error"] = error
        finally:
            connections.close_all()

    with transaction.atomic():  # the officer's edit, as the form runs it: the person first
        lock_person(stored.person_id)
        thread = threading.Thread(target=delete_page)
        thread.start()
        assert wait_until_blocked(thread), "the delete page did not wait for the edit"
        stored.job_title = "Kỹ sư"
        period_save(period=stored)
    thread.join(10)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["status"] == 302
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
        lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and '"accounts_person"' in q.split(" WHERE ")[0])
        delete = next(i for i, q in enumerate(sql) if q.startswith('DELETE FROM "participation_period"'))
        assert lock < delete


def csv_of(code: str) -> io.StringIO:
    employer = Employer.objects.filter(agency__code="07901").order_by("code").first().code
    return io.StringIO(HEADER + f"{code},bhxh_bb,01/2020,12/2020,employer,{employer},,10000000,25,2500000,0,79,07901,\n")


@pytest.mark.django_db(transaction=True)
def test_a_second_import_waits_for_the_first_to_commit_then_runs(reference_data):
    """Imports run one at a time, even of other people: each locks its people batch by batch, in order
    within a batch only, so two alongside could each hold a person the other's next batch waits for."""
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    managed_person("7901555564", "Trần Văn Cường", "07901", "079090012364")
    managed_person("7901555565", "Trần Văn Công", "07901", "079090012365")
    second_pid, outcome = [], {}
    second_file = csv_of("7901555565")

    def second():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                second_pid.append(cursor.fetchone()[0])
            outcome["report"] = periods_import(lines=second_file, dry_run=False)
        except Exception as error:  # noqa: BLE001 - the test reports what the import ended with
            outcome["error"] = error
        finally:
            connections.close_all()

    with transaction.atomic():  # the first import stays uncommitted until this block ends
        assert periods_import(lines=csv_of("7901555564"), dry_run=False).created == 1
        thread = threading.Thread(target=second)
        thread.start()
        assert wait_until_blocked(thread, second_pid), "the second import ran alongside the first"
    thread.join(10)
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert (report.created, report.error_count) == (1, 0)
    assert Period.objects.filter(person__bhxh_code__in=["7901555564", "7901555565"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_deleting_several_peoples_periods_while_an_import_of_them_runs_waits_for_the_import(reference_data,
                                                                                           monkeypatch):
    """The import locks its people batch by batch (here the second person, then the first); "delete
    selected" locks them all in key order. Had the deletion taken the first person while the import held
    the second, each would wait for the other (deadlock): it waits for the import to commit instead."""
    from participation.services import imports
    from participation.services.periods import period_delete

    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
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
    deleting_pid, outcome = [], {}

    def run(name, work):
        try:
            outcome[name] = work()
        except Exception as error:  # noqa: BLE001 - the test reports what each side ended with
            outcome[name] = error
        finally:
            connections.close_all()

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            deleting_pid.append(cursor.fetchone()[0])
        period_delete(periods=Period.objects.filter(pk__in=stored))

    importing = threading.Thread(target=run, args=("import", lambda: periods_import(lines=lines, dry_run=False)))
    importing.start()
    assert between.wait(10)
    deleting = threading.Thread(target=run, args=("delete", delete))
    deleting.start()
    assert wait_until_blocked(deleting, deleting_pid), "the deletion did not wait for the import"
    go.set()
    importing.join(15)
    deleting.join(15)
    assert not isinstance(outcome["import"], Exception), outcome
    assert not isinstance(outcome["delete"], Exception), outcome
    assert (outcome["import"].created, outcome["import"].error_count) == (2, 0)
    assert not Period.objects.filter(pk__in=stored).exists()
