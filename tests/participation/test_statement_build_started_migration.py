"""The migration giving statements the time their build was asked for (participation
0010_statement_build_started_at): a statement made before it was last asked for at its request,
so one whose task was lost long ago is still offered "Tạo lại văn bản" after the deploy.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from participation.models import Statement
from participation.services import statements as service
from tests.accounts.helpers import make_person
from tests.db_migrations import back_to_latest, migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

BEFORE = [("participation", "0009_base_at_most")]


def test_a_statement_made_before_is_waited_for_from_its_request():
    person = make_person()
    user = User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    asked = timezone.now() - datetime.timedelta(minutes=10)
    try:
        old_apps = migrate(BEFORE)
        OldStatement = old_apps.get_model("participation", "Statement")
        stored = OldStatement.objects.create(code=service.code_new(), person_id=person.pk, requested_by_id=user.pk)
        OldStatement.objects.filter(pk=stored.pk).update(created_at=asked)
        migrate()
        statement = Statement.objects.get(pk=stored.pk)
        assert statement.build_started_at == asked and service.statement_is_stalled(statement)
    finally:
        back_to_latest(Statement)
