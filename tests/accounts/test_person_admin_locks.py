"""An officer's save of a person's page in the admin writes only the columns it changes
(accounts.services.persons.person_save). Saving every column named the BHXH code, a key, and locked the
row FOR UPDATE even when the code stayed the same (the person table has a BEFORE UPDATE trigger): a
citizen's new filing for that person, whose commit checks its person key with a FOR KEY SHARE lock,
waited for the officer's transaction to end. It now commits meanwhile, as it does while the person's
details are corrected (vssid_portal/locks.py); a code that does change still locks the row FOR UPDATE.
Nor does the save write back the columns the page did not change, which another write may have changed
since the page's row was read."""

import datetime
import unicodedata

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from accounts.admin import PersonAdmin, PersonAdminForm
from accounts.models import Person, User
from accounts.services.identity import person_correct_identity
from lookup.models import Agency
from public_services.models import Filing
from tests.db_locks import paused_while, row_lock
from tests.public_services.helpers import citizen, submit
from vssid_portal.text import fold

from .helpers import make_person, officer_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")


def page_of(client, person) -> tuple[str, dict]:
    """A superuser naming a record of their own logged in on `client`; the person's change page and what
    its form holds."""
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!",
                                                     officer_person=officer_record("quantri")))
    data = {key: value for key, value in model_to_dict(person).items() if value is not None}
    return f"/quan-tri/accounts/person/{person.pk}/change/", data


def filed_meanwhile(owner):
    """The citizen's new filing, sent on another connection, after asking which lock the officer's
    transaction holds of their person (tests.db_locks.row_lock); with the person as committed then."""
    def work():
        lock = row_lock(Person, owner.person_id)
        filing = submit(owner, "607A")
        return lock, filing, Person.objects.get(pk=owner.person_id)
    return work


def test_a_filing_for_the_person_commits_while_an_officer_saves_their_page(reference_data, client):
    owner = citizen()
    before = Person.objects.get(pk=owner.person_id)
    url, data = page_of(client, before)

    # paused once the person is written, its locks held, where the page's inlines would be saved
    outcome, waited = paused_while(PersonAdmin, "save_related",
                                   lambda: client.post(url, {**data, "mother_name": "Trần Thị Mai"}),
                                   filed_meanwhile(owner), names=("save", "submit"))

    assert not isinstance(outcome["save"], Exception), outcome
    assert outcome["save"].status_code == 302, outcome["save"].content.decode()[:2000]
    assert not isinstance(outcome["submit"], Exception), outcome
    lock, filing, seen_then = outcome["submit"]
    assert lock == "FOR NO KEY UPDATE", f"the save held the person's row {lock or 'not at all'}"
    assert not waited, "the filing's commit waited for the save's lock of the person"
    assert seen_then.mother_name is None, "the filing committed only after the save"
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED
    stored = Person.objects.get(pk=owner.person_id)
    assert (stored.mother_name, stored.mother_key) == ("Trần Thị Mai", fold("Trần Thị Mai"))
    assert stored.bhxh_code == before.bhxh_code
    assert stored.updated_at > before.updated_at and stored.content_version > before.content_version


def test_a_changed_bhxh_code_still_locks_the_person_for_update(reference_data, client, monkeypatch):
    """The code is read-only on the change page; a page that did change it (none does now) would change a
    key, which a filing committed meanwhile must wait for: its key check reads the row as the save leaves it."""
    monkeypatch.setattr(PersonAdmin, "lifelong_fields", [])
    owner = citizen()
    url, data = page_of(client, Person.objects.get(pk=owner.person_id))

    outcome, waited = paused_while(PersonAdmin, "save_related",
                                   lambda: client.post(url, {**data, "bhxh_code": "7901234598"}),
                                   filed_meanwhile(owner), names=("save", "submit"))

    assert not isinstance(outcome["save"], Exception), outcome
    assert outcome["save"].status_code == 302, outcome["save"].content.decode()[:2000]
    assert not isinstance(outcome["submit"], Exception), outcome
    lock, filing, _ = outcome["submit"]
    assert lock == "FOR UPDATE", f"the save held the person's row {lock or 'not at all'}"
    assert waited, "the filing's commit did not wait for the save of a changed code"
    assert Person.objects.get(pk=owner.person_id).bhxh_code == "7901234598"
    assert Filing.objects.get(pk=filing.pk).person_id == owner.person_id


def test_the_save_keeps_what_another_write_changed_after_the_page_read_the_person(reference_data, client):
    """A 608A's correction sent after the save checked the page's version (which locks the person's row, FOR
    NO KEY UPDATE) waits for the save, then stays: the save writes the mother's name it changed, not the
    identity the page shows read-only. One committed before the check refuses the save as stale
    (tests/accounts/test_person_admin_seen_version.py)."""
    owner = citizen()
    url, data = page_of(client, Person.objects.get(pk=owner.person_id))

    def correct():
        return person_correct_identity(person=Person.objects.get(pk=owner.person_id), full_name="Nguyễn Văn Đạt",
                                       birth_date=datetime.date(1988, 3, 16))

    # paused once the page's form is checked, before the person is written
    outcome, waited = paused_while(PersonAdmin, "save_model",
                                   lambda: client.post(url, {**data, "mother_name": "Trần Thị Mai"}),
                                   correct, names=("save", "correct"))

    assert not isinstance(outcome["correct"], Exception), outcome
    assert outcome["save"].status_code == 302, outcome["save"].content.decode()[:2000]
    assert waited, "the correction did not wait for the save that checked the person's version"
    stored = Person.objects.get(pk=owner.person_id)
    assert (stored.full_name, stored.name_key, stored.birth_date) == (
        "Nguyễn Văn Đạt", fold("Nguyễn Văn Đạt"), datetime.date(1988, 3, 16))
    assert stored.mother_name == "Trần Thị Mai"


def test_what_the_check_and_the_save_derive_is_written_with_the_change(reference_data, client):
    """A name stored in decomposed Unicode, with a key folded from an older spelling, is stored in NFC with
    its key by the page's save, as the model's check and save make them, though the page shows the name
    read-only; a parent's name is stored with its key, and the agency chosen by its key."""
    owner = citizen()
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    Person.objects.filter(pk=owner.person_id).update(full_name=decomposed, name_key="nguyen van duc cu")
    url, data = page_of(client, Person.objects.get(pk=owner.person_id))
    other_agency = Agency.objects.exclude(pk=data["agency"]).order_by("code").first()

    assert client.post(url, {**data, "father_name": "Nguyễn Văn Hùng", "agency": other_agency.pk}).status_code == 302

    stored = Person.objects.get(pk=owner.person_id)
    assert (stored.full_name, stored.name_key) == ("Nguyễn Văn Đức", fold("Nguyễn Văn Đức"))
    assert (stored.father_name, stored.father_key) == ("Nguyễn Văn Hùng", fold("Nguyễn Văn Hùng"))
    assert stored.agency == other_agency


def test_a_save_that_changes_nothing_writes_nothing(reference_data, client):
    owner = citizen()
    before = Person.objects.get(pk=owner.person_id)
    url, data = page_of(client, before)

    assert client.post(url, data).status_code == 302

    stored = Person.objects.get(pk=owner.person_id)
    assert (stored.updated_at, stored.content_version) == (before.updated_at, before.content_version)


@pytest.mark.parametrize("changed", [{"mother_name": "Trần Thị Mai"}, {}], ids=["a change", "no change"])
def test_a_person_deleted_while_the_page_is_saved_is_not_found_nor_brought_back(reference_data, client, changed):
    """Another officer's deletion committed after the save read the person: the save answers 404, as the
    page of a deleted person does, and does not write them back (an UPDATE of no row, then an INSERT); a
    save that changes nothing does not say the deleted person was changed either."""
    person = make_person()
    url, data = page_of(client, person)

    def delete():
        Person.objects.filter(pk=person.pk).delete()

    # paused before the form's check, which would lock the row: the deletion commits first
    outcome, _ = paused_while(PersonAdminForm, "clean", lambda: client.post(url, {**data, **changed}),
                              delete, names=("save", "delete"))

    assert not isinstance(outcome["delete"], Exception), outcome
    assert not isinstance(outcome["save"], Exception), outcome
    assert outcome["save"].status_code == 404
    assert not Person.objects.filter(pk=person.pk).exists()
