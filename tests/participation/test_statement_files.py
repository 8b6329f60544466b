"""A statement's PDF and snapshot: a build that fails after writing them leaves neither behind, and a
statement deleted with the login or the person it cascades from takes both with it once the deletion commits."""

import datetime
import os

import pytest
from django.core.files.storage import default_storage

from participation.models import Statement
from participation.services import statements as service
from tests.conftest import save_fails_on

from .test_statement import LIST_URL, employers, owner, owner_client  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_a_failed_statement_build_leaves_no_file_and_the_retry_leaves_its_two(owner_client):
    owner_client.post(LIST_URL)  # the build waits for the commit, which this test's transaction never makes
    statement = Statement.objects.get()
    with save_fails_on(Statement, "pdf"), pytest.raises(RuntimeError):
        service.statement_build(statement_id=statement.pk, verify_base="https://testserver")

    built = service.statement_build(statement_id=statement.pk, verify_base="https://testserver")
    folder = os.path.dirname(default_storage.path(built.pdf.name))
    stem = os.path.basename(built.pdf.name).removesuffix(".pdf")
    assert sorted(os.listdir(folder)) == [f"{stem}.json", f"{stem}.pdf"]


def built_statement(person, requested_by) -> tuple[Statement, list[str]]:
    """A ready statement of `person` and the names of its PDF and snapshot, both stored."""
    statement = service.statement_request(person=person, requested_by=requested_by, verify_base="https://testserver")
    built = service.statement_build(statement_id=statement.pk, verify_base="https://testserver")
    names = [built.pdf.name, built.pdf.name.removesuffix(".pdf") + ".json"]
    assert all(default_storage.exists(name) for name in names)
    return built, names


def test_deleting_a_login_deletes_the_files_of_the_statements_it_asked_for(owner, django_capture_on_commit_callbacks):
    """The statements cascade away with the login that asked for them (Statement.requested_by): their
    PDF and snapshot, the person's identity and history, go once the deletion commits."""
    _statement, names = built_statement(owner.person, owner)
    with django_capture_on_commit_callbacks(execute=True):
        owner.delete()
    assert not Statement.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_person_deletes_the_files_of_their_statements(db, django_capture_on_commit_callbacks):
    """A child without a login of their own, whose statement a parent asked for, deleted from the
    registry (the admin's delete): the statement's files go with its row."""
    from accounts.models import User
    from accounts.services.persons import persons_delete
    from tests.accounts.helpers import make_person

    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=datetime.date(2015, 6, 1), id_number="")
    parent = User.objects.create_user("cha", password="x-Pass-2026!")
    _statement, names = built_statement(child, parent)
    with django_capture_on_commit_callbacks(execute=True):
        persons_delete(persons=type(child).objects.filter(pk=child.pk))
    assert not Statement.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_deletion_rolled_back_keeps_the_statements_files(owner, django_capture_on_commit_callbacks):
    from django.db import transaction

    _statement, names = built_statement(owner.person, owner)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        owner.delete()
        raise RuntimeError("the deletion's transaction fails")
    assert Statement.objects.exists() and all(default_storage.exists(name) for name in names)


def test_a_login_deleted_while_its_statement_is_built_takes_the_files_built_meanwhile(
        owner, django_capture_on_commit_callbacks):
    """The deletion's collector reads the statement (no PDF yet), the build commits its files, then the
    row is deleted: the files the build named from the statement's code go once the deletion commits."""
    from django.db.models.deletion import Collector

    statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="https://testserver")
    collector = Collector(using="default")
    collector.collect([owner])  # the login and its statement read as they are: building, no PDF
    built = service.statement_build(statement_id=statement.pk, verify_base="https://testserver")
    names = [built.pdf.name, built.pdf.name.removesuffix(".pdf") + ".json"]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        collector.delete()
    assert not Statement.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
