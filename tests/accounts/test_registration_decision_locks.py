"""An officer deciding a child's registration while the parent's new filing commits. The decision locks
the registration and the child's person row; saving the registration (and, on approval, adding the
guardianship) then locks the parent's person row FOR UPDATE in the tables' content-version triggers
(accounts/content_version.py). The filing's commit checks its foreign keys, each taking a FOR KEY SHARE
lock of the row it refers to, in the order of the keys' triggers' names: the parent's person before the
agency in some databases. Had the decision locked
the rows the registration was read with too (its agency, province and ward, select_related), the
filing's commit would hold the parent's person and wait for the agency while the decision held the
agency and waited for the parent's person, and PostgreSQL would end one of them as a deadlock."""

import functools
import threading
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from accounts.models import Guardianship, Registration
from accounts.services import registration as registration_services
from accounts.services.registration import child_registration_submit, registration_approve, registration_reject
from lookup.models import Agency
from public_services.models import Filing
from tests.db_locks import key_checked_first, run_into, wait_until_blocked
from tests.public_services.helpers import citizen, submit

from .helpers import born_years_ago, cccd_for, jpeg, make_person, officer

pytestmark = pytest.mark.django_db(transaction=True)
CHILD_BORN = born_years_ago(10)


@pytest.fixture
def person_key_checked_first():
    """The filing's person checked before its agency, as in a database whose keys' triggers sort that way
    (their names carry the constraints' oids, which differ from one database to another)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")
    with key_checked_first("public_services_filing", "person_id"):
        yield


def child_registration(parent) -> Registration:
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    photos = {field: default_storage.save(f"registrations/tmp/t/{field}.jpg", jpeg())
              for field in ("portrait", "id_front", "id_back")}
    return child_registration_submit(parent=parent, photos=photos, submission_key="", child={
        "bhxh_code": child.bhxh_code, "full_name": child.full_name, "birth_date": child.birth_date,
        "agency": Agency.objects.get(code="07901"), "relationship": "cha", "birth_certificate_number": "123/2018"})


@pytest.mark.parametrize("decide", [
    lambda registration, officer: registration_approve(registration=registration, officer=officer),
    lambda registration, officer: registration_reject(registration=registration, officer=officer,
                                                      reason="Ảnh giấy khai sinh bị mờ."),
], ids=["approve", "reject"])
def test_a_parents_filing_committed_while_the_childs_registration_is_decided_waits_for_neither(
        reference_data, person_key_checked_first, decide):
    parent = citizen()  # managed by 07901, the agency the child's registration is sent to
    registration = child_registration(parent)
    deciding_officer = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    locked, go = threading.Event(), threading.Event()
    outcome, citizen_pid = {}, []
    own_registration = registration_services.is_officers_own_registration

    def paused(*args, **kwargs):  # the decision holds its locks here, before it writes
        if threading.current_thread() is deciding:
            locked.set()
            go.wait(10)
        return own_registration(*args, **kwargs)

    def citizen_files():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            citizen_pid.append(cursor.fetchone()[0])
        return submit(parent, "607A")

    run = functools.partial(run_into, outcome)
    with mock.patch.object(registration_services, "is_officers_own_registration", paused):
        deciding = threading.Thread(target=run, args=("decide", lambda: decide(registration, deciding_officer)))
        deciding.start()
        assert locked.wait(10)
        filing = threading.Thread(target=run, args=("filing", citizen_files))
        filing.start()
        waited = wait_until_blocked(filing, citizen_pid, seconds=5)
        go.set()
        deciding.join(15)
        filing.join(15)

    assert isinstance(outcome["decide"], Registration), outcome
    assert isinstance(outcome["filing"], Filing), outcome
    assert not waited, "the filing's commit waited for the decision's lock of the agency"
    assert Filing.objects.get(pk=outcome["filing"].pk).agency.code == "07901"
    decided = Registration.objects.get(pk=registration.pk)
    assert decided.status == outcome["decide"].status != Registration.Status.PENDING
    assert Guardianship.objects.filter(parent=parent).exists() == (decided.status == Registration.Status.APPROVED)
