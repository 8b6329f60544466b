"""The statements page lists the person's statements, newest first, twenty a page, in the same
number of queries whatever the page holds."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_the_statements_page_lists_every_statement_twenty_a_page(client):
    person = make_person("7901234567", "Nguyễn Văn Đức")
    user = User.objects.create_user("7901234567", password="x-Pass-2026!", person=person)
    Statement.objects.bulk_create(Statement(code=code_new(), person=person, requested_by=user) for _ in range(45))
    codes = list(Statement.objects.filter(person=person).order_by("-created_at", "-pk").values_list("pk", flat=True))
    client.force_login(user)

    def listed(page):
        html = client.get("/qua-trinh-tham-gia/xac-nhan/", {"trang": page}).content.decode()
        return [int(pk) for pk in re.findall(r'href="/qua-trinh-tham-gia/xac-nhan/(\d+)/"', html)], html

    first, html = listed(1)
    assert first == codes[:20]
    assert 'href="?trang=2#da-yeu-cau"' in html and 'href="?trang=3#da-yeu-cau"' in html
    assert listed(3)[0] == codes[40:] and listed(2)[0] == codes[20:40]
    assert listed("abc")[0] == codes[:20] and listed(99)[0] == codes[40:]
    with CaptureQueriesContext(connection) as twenty:
        listed(2)
    with CaptureQueriesContext(connection) as five:
        listed(3)
    assert len(twenty.captured_queries) == len(five.captured_queries)  # not one query per statement
