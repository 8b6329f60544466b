"""The statements page lists the person's latest statements, newest first, in one query."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from participation.models import Statement
from participation.services.statements import code_new, statements_of
from tests.accounts.helpers import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_the_latest_statements_of_the_person_newest_first(django_assert_num_queries):
    person, other = make_person("7901234567", "Nguyễn Văn Đức"), make_person("7909999999", "Trần Thị Mai")
    user = User.objects.create_user("7901234567", password="x-Pass-2026!", person=person)
    now = timezone.now()
    made = []
    for who, days in [(person, 3), (person, 1), (other, 0), (person, 2)]:
        statement = Statement.objects.create(code=code_new(), person=who, requested_by=user)
        Statement.objects.filter(pk=statement.pk).update(created_at=now - datetime.timedelta(days=days))
        made.append(statement)
    with django_assert_num_queries(1):
        assert list(statements_of(person=person)) == [made[1], made[3], made[0]]
    assert list(statements_of(person=person, limit=2)) == [made[1], made[3]]
