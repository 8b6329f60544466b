"""A registration sent again while the one it replaces is locked: an officer deciding it, or its declaration's
PDF being drawn. Both lock the registration, then its person: the decision FOR UPDATE OF the registration and
the person, the PDF when saving the registration (the table's content-version trigger locks its persons,
accounts/content_version.py). Had sending again locked the person's row before the pending registrations, it
would wait for the registration while the other waited for the person, and PostgreSQL would end one of them as
a deadlock. Sends of one person wait for each other on an advisory lock instead (Lock.REGISTRATION_SUBMISSIONS)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection

from accounts.models import Guardianship, Person, Registration, User
from accounts.services.registration import files as registration_files
from accounts.services.registration import submission as registration_submission
from lookup.models import Agency
from tests.db_locks import paused_while
from tests.public_services.helpers import citizen

from .helpers import cccd_for, jpeg, make_person, officer, submit
from .test_registration_decision_locks import CHILD_BORN, DECISIONS, child_registration, meanwhile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no send waits for a decision "
                    "or a declaration's PDF")


def send_again(parent, child):
    """The parent sends their child's registration again (a new form, new photos)."""
    photos = {field: default_storage.save(f"registrations/tmp/again/{field}.jpg", jpeg())
              for field in ("portrait", "id_front", "id_back")}
    return registration_submission.child_registration_submit(parent=parent, photos=photos, submission_key="", child={
        "bhxh_code": child.bhxh_code, "full_name": child.full_name, "birth_date": child.birth_date,
        "agency": Agency.objects.get(code="07901"), "relationship": "cha", "birth_certificate_number": "123/2018"})


def sent_while(pause_at: str, *, first_side, parent, child) -> tuple[dict, bool]:
    """Run `first_side()` in a thread paused at the first call it makes of registration_files.`pause_at`, then
    send the child's registration again in another thread: what each ended with ({"first": …, "send": …}) and
    whether the send waited for a lock."""
    return paused_while(registration_files, pause_at, first_side, lambda: send_again(parent, child),
                        names=("first", "send"))


@pytest.mark.parametrize("decision", DECISIONS)
def test_sent_again_while_an_officer_decides_the_pending_one_waits_for_the_decision(reference_data, decision):
    """The send takes its lock first, then the officer locks the pending registration and its person: the send
    waits for the decision's registration, the decision for nothing of the send's."""
    parent = citizen()
    first = child_registration(parent)
    deciding_officer = officer("canbo07901b", "07901", "Cán bộ BHXH cơ sở")

    # paused at the send's second call of registration_submitted_with: right after its lock of the person
    outcome, decision_waited = paused_while(
        registration_submission, "registration_submitted_with", lambda: send_again(parent, first.person),
        lambda: DECISIONS[decision](first, deciding_officer), at_call=2, seconds=2, names=("send", "decide"))

    assert isinstance(outcome["decide"], Registration), outcome
    assert not decision_waited, "the decision waited for the send's lock of the person"
    decided = Registration.objects.get(pk=first.pk)
    assert decided.status == outcome["decide"].status
    if decided.status == Registration.Status.APPROVED:  # the send read the guardianship the approval committed
        assert "Bạn đã được duyệt xem thông tin của trẻ này." in str(outcome["send"]), outcome
        assert not Registration.objects.filter(status=Registration.Status.PENDING).exists()
    else:  # refused, not replaced: the send's registration is the pending one
        assert decided.status == Registration.Status.REJECTED
        assert isinstance(outcome["send"], Registration), outcome
        assert Registration.objects.get(status=Registration.Status.PENDING).pk == outcome["send"].pk


@pytest.mark.parametrize("decision", DECISIONS)
def test_sent_again_once_an_officer_locked_the_pending_one_reads_what_was_decided(reference_data, decision):
    """The officer locks first: the send waits for the registration, then reads the decision committed, so a
    parent approved meanwhile is told so and has no second registration pending."""
    parent = citizen()
    first = child_registration(parent)

    outcome, waited = meanwhile(first, DECISIONS[decision], lambda: send_again(parent, first.person))

    assert waited, "the send did not wait for the registration the officer was deciding"
    decided = Registration.objects.get(pk=first.pk)
    assert decided.status == outcome["decide"].status
    if decided.status == Registration.Status.APPROVED:
        assert "Bạn đã được duyệt xem thông tin của trẻ này." in str(outcome["other"]), outcome
        assert Guardianship.objects.filter(parent=parent, child=first.person).exists()
        assert not Registration.objects.filter(status=Registration.Status.PENDING).exists()
    else:
        assert isinstance(outcome["other"], Registration), outcome
        assert Registration.objects.get(status=Registration.Status.PENDING).pk == outcome["other"].pk


def test_a_parents_registration_sent_while_the_childs_own_is_approved_reads_the_childs_new_login(reference_data):
    """The send waits for every pending registration of the child, whoever sent it: once the officer approved the
    child's own, the parent is told the child has a login of their own, and nothing of theirs is pending."""
    parent = citizen()
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    childs_own = submit(Person.objects.get(pk=child.pk))

    outcome, waited = meanwhile(childs_own, DECISIONS["approve"], lambda: send_again(parent, child))

    assert waited, "the send did not wait for the child's own registration the officer was approving"
    assert Registration.objects.get(pk=childs_own.pk).status == Registration.Status.APPROVED
    assert User.objects.filter(person=child).exists()
    assert "Người này đã có tài khoản riêng nên không đăng ký thay được." in str(outcome["other"]), outcome
    assert not Registration.objects.filter(status=Registration.Status.PENDING).exists()


def test_sent_again_while_the_first_declaration_is_drawn_replaces_it_once_drawn(reference_data):
    parent = citizen()
    first = child_registration(parent)
    Registration.objects.filter(pk=first.pk).update(declaration_pdf="")  # as before its task ran

    outcome, waited = sent_while("render_pdf", first_side=lambda: registration_files._declaration_rendered(first.pk),
                                 parent=parent, child=first.person)

    assert waited, "the send did not wait for the registration whose declaration was drawn"
    assert isinstance(outcome["first"], Registration), outcome
    assert isinstance(outcome["send"], Registration), outcome
    replaced = Registration.objects.get(pk=first.pk)
    assert replaced.status == Registration.Status.REPLACED
    assert not replaced.declaration_pdf  # the PDF drawn meanwhile deleted with the photos
    assert Registration.objects.get(status=Registration.Status.PENDING).pk == outcome["send"].pk


def test_sent_again_by_an_adult_while_their_pending_one_is_approved_is_refused_for_the_login_it_made(reference_data):
    """A citizen sends their own form again while an officer approves the pending one: the send waits for the
    approval, which makes the login, then reads it and is refused as any registration of a code with a login
    is, instead of saving a second pending registration (and texting "received") for a person with a login."""
    person = make_person("7906666666", "Nguyễn Văn An")
    first = submit(Person.objects.get(pk=person.pk))
    outcome, waited = meanwhile(first, DECISIONS["approve"], lambda: submit(Person.objects.get(pk=person.pk)))
    assert waited
    assert isinstance(outcome["decide"], Registration), outcome
    assert User.objects.filter(person=person).exists()
    refused = outcome["other"]
    assert isinstance(refused, ValidationError), outcome
    assert refused.message_dict["bhxh_code"] == [
        "Mã số BHXH này đã có tài khoản. Nếu quên mật khẩu, hãy dùng chức năng Quên mật khẩu."]
    assert not Registration.objects.filter(person=person, status=Registration.Status.PENDING).exists()
