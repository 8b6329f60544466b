"""Deleting a person in the admin locks the person's row (several people: in key order) before the
cascade deletes their periods: the lock order of every writer of a person's periods (lock_person), so
the deletion and an officer's edit or an import of that person wait for each other and never deadlock."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Person
from participation.models import Period
from participation.services.periods import lock_person, period_save
from tests.accounts.helpers import managed_person, officer_record
from tests.db_locks import wait_until_blocked
from tests.participation.helpers import period
from tests.participation.test_locks import Side, two_transactions

pytestmark = pytest.mark.usefixtures("reference_data")
LIST = "/quan-tri/accounts/person/"
DELETE = "/quan-tri/accounts/person/{}/delete/"


def superuser():
    return get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!",
                                                     officer_person=officer_record("quantri"))


@two_transactions
@pytest.mark.django_db(transaction=True)
def test_deleting_a_person_while_an_edit_of_their_period_runs_waits_for_the_edit_then_deletes(reference_data):
    """The delete page waits on the person's row, held by the edit, then deletes the person and their
    periods. Deleting the periods first (the cascade) locked their rows, then the person (the table's
    trigger), and waited in a circle with the edit, which held the person and then the period's row."""
    stored = period(managed_person("7901555571", "Trần Văn Bình", "07901", "079090012371"), "01/2020", "12/2021")
    admin = superuser()

    def delete_page():
        client = Client()
        client.force_login(admin)
        return client.post(DELETE.format(stored.person_id), {"post": "yes"}).status_code

    deleting = Side(delete_page)
    try:
        with transaction.atomic():  # the officer's edit, as the form runs it: the person first
            lock_person(stored.person_id)
            deleting.start()
            assert wait_until_blocked(deleting, deleting.pid) is True, "the delete page did not wait for the edit"
            stored.job_title = "Kỹ sư"
            period_save(period=stored)
    finally:
        deleting.join()
        assert not deleting.is_alive(), "the delete page still runs"
    assert deleting.error is None, deleting.error
    assert deleting.result == 302
    assert not Person.objects.filter(pk=stored.person_id).exists()
    assert not Period.objects.filter(pk=stored.pk).exists()


def test_delete_selected_locks_the_people_in_key_order_before_deleting_their_periods(client):
    first = managed_person("7901555572", "Trần Văn Bảo", "07901", "079090012372")
    second = managed_person("7901555573", "Trần Văn Bách", "07901", "079090012373")
    kept = managed_person("7901555574", "Trần Văn Bắc", "07901", "079090012374")
    for person in (first, second, kept):
        period(person, "01/2020", "12/2020")
    client.force_login(superuser())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(LIST, {"action": "delete_selected", "_selected_action": [second.pk, first.pk],
                                      "post": "yes"})
    assert response.status_code == 302
    assert set(Person.objects.filter(bhxh_code__startswith="79015555").values_list("pk", flat=True)) == {kept.pk}
    assert list(Period.objects.values_list("person_id", flat=True)) == [kept.pk]
    if connection.vendor == "postgresql":  # SQLite takes no row locks
        sql = [q["sql"] for q in queries]
        lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and '"accounts_person"' in q.split(" WHERE ")[0])
        assert "ORDER BY" in sql[lock]
        assert any("pg_advisory_xact_lock" in q for q in sql[:lock]), "several people wait for an import first"
        delete = next(i for i, q in enumerate(sql) if q.startswith('DELETE FROM "participation_period"'))
        assert lock < delete
