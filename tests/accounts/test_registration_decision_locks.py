"""An officer deciding a child's registration while a write of the parent's commits. The decision locks the
registration and the child's person row; saving the registration (and, on approval, adding the guardianship)
then locks the parent's person row in the tables' content-version triggers
(accounts/content_version.py). PostgreSQL checks a row's new foreign keys at COMMIT, each check taking a FOR
KEY SHARE lock of the row it refers to. Had the decision locked the rows the registration is read with too
(its agency, province and ward: select_related), a commit holding the parent's person and checking one of
them would wait for the decision while the decision waited for the parent's person, and PostgreSQL would end
one of them as a deadlock: the parent's new filing, whose person key is checked before its agency in some
databases (the order of the keys' triggers' names), and an officer's completion of the parent's move to the
ward the registration gives, which holds the parent's person FOR NO KEY UPDATE."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from accounts.models import Guardianship, Person, Registration, User
from accounts.services.registration import child_registration_submit, registration_approve, registration_reject
from accounts.services.registration import decision as registration_decision
from lookup.models import Agency, Ward
from public_services.models import Filing
from public_services.services import filing_complete
from tests.db_locks import key_checked_first, paused_while, row_lock
from tests.public_services.helpers import answers, citizen, submit
from tests.public_services.test_contact_change import CODE, in_hand

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


DECISIONS = {
    "approve": lambda registration, officer: registration_approve(registration=registration, officer=officer),
    "reject": lambda registration, officer: registration_reject(registration=registration, officer=officer,
                                                                reason="Ảnh giấy khai sinh bị mờ."),
}


def meanwhile(registration, decide, other) -> tuple[dict, bool]:
    """`decide` the registration in a thread, paused once its rows are locked, while `other()` runs and
    commits in another: what each ended with ({"decide": …, "other": …}) and whether `other` waited for a
    lock."""
    deciding_officer = officer("canbo07901b", "07901", "Cán bộ BHXH cơ sở")
    # paused where the decision holds its locks, before it writes
    return paused_while(registration_decision, "is_officers_own_registration",
                        lambda: decide(registration, deciding_officer), other, names=("decide", "other"))


def decided_as_told(registration, outcome) -> None:
    assert isinstance(outcome["decide"], Registration), outcome
    decided = Registration.objects.get(pk=registration.pk)
    assert decided.status == outcome["decide"].status != Registration.Status.PENDING
    assert (Guardianship.objects.filter(parent=registration.parent).exists()
            == (decided.status == Registration.Status.APPROVED))


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_parents_filing_committed_while_the_childs_registration_is_decided_waits_for_neither(
        reference_data, person_key_checked_first, decision):
    parent = citizen()  # managed by 07901, the agency the child's registration is sent to
    registration = child_registration(parent)

    outcome, waited = meanwhile(registration, DECISIONS[decision], lambda: submit(parent, "607A"))

    assert isinstance(outcome["other"], Filing), outcome
    assert not waited, "the filing's commit waited for the decision's lock of the agency"
    assert Filing.objects.get(pk=outcome["other"].pk).agency.code == "07901"
    decided_as_told(registration, outcome)


@pytest.mark.parametrize("decision", DECISIONS)
def test_the_parents_move_completed_while_the_childs_registration_is_decided_waits_for_neither(
        reference_data, decision):
    """The completion of the parent's contact change holds the parent's person (FOR NO KEY UPDATE) and,
    at COMMIT, checks the person's new ward, the one the child's registration gave: had the decision
    locked that ward, each would wait for the other."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")
    parent = citizen()
    new_ward = Ward.objects.get(pk=answers(CODE)["new_ward"])
    moved_from = Ward.objects.filter(province=new_ward.province).exclude(pk=new_ward.pk).first()
    Person.objects.filter(pk=parent.person_id).update(ward=new_ward)  # the address the registration gives
    registration = child_registration(User.objects.get(pk=parent.pk))
    Person.objects.filter(pk=parent.person_id).update(ward=moved_from)  # the registry's, before the move
    completing_officer = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    move = in_hand(submit(parent, CODE), completing_officer)

    outcome, waited = meanwhile(registration, DECISIONS[decision],
                                lambda: filing_complete(filing=move, officer=completing_officer))

    assert isinstance(outcome["other"], Filing), outcome
    assert not waited, "the completion's commit waited for the decision's lock of the ward"
    assert Person.objects.get(pk=parent.person_id).ward_id == new_ward.pk
    decided_as_told(registration, outcome)


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_guardians_filing_for_the_child_commits_while_another_parents_registration_of_them_is_decided(
        reference_data, decision):
    """The decision locks the child's person FOR NO KEY UPDATE, as it changes no key of theirs (approving, it
    writes their phone and agency alone, and the registration's status and decision): the mother's filing
    for the child, whose commit checks its person key with a FOR KEY SHARE lock, commits while the father's
    registration of the child is decided, instead of waiting for the decision to end (vssid_portal/locks.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")
    father = citizen()
    registration = child_registration(father)
    child = registration.person
    child.agency = Agency.objects.get(code="07901")
    child.save(update_fields=["agency"])
    mother = citizen(code="7909990001", name="Lê Thị Hoa", sex=2, id_number="079190099901")
    Guardianship.objects.create(parent=mother, child=child, relationship="me")

    outcome, waited = meanwhile(registration, DECISIONS[decision],
                                lambda: (row_lock(Person, child.pk), submit(mother, "607A", person=child)))

    assert not isinstance(outcome["other"], Exception), outcome
    locked, filing = outcome["other"]
    assert locked == "FOR NO KEY UPDATE", f"the decision held the child's row {locked or 'not at all'}"
    assert not waited, "the mother's filing waited for the decision's lock of the child"
    assert Filing.objects.get(pk=filing.pk).person == child
    decided_as_told(registration, outcome)
