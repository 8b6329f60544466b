"""The admin index's recent actions link an entry to its object's page only where the officer may open
that object now (within their scope), and name it as text otherwise, as Django names a deleted object;
which they may open is asked once per kind of object listed, however many entries."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Person, User
from tests.accounts.helpers import managed_person, officer

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT = "Cán bộ BHXH cơ sở"
INDEX = "/quan-tri/"


def logged(user, person, flag=CHANGE):
    return LogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(Person),
                                   object_id=str(person.pk), object_repr=str(person), action_flag=flag)


def people(count: int, start: int):
    """`count` people, every other one managed by 07901 (the officer's) and the rest by 07903."""
    return [managed_person(f"79{start + number:08d}", f"Người Số {start + number}", "07901" if number % 2 else "07903",
                           f"079{start + number:09d}") for number in range(count)]


def person_url(person) -> str:
    return f"/quan-tri/accounts/person/{person.pk}/change/"


def test_an_entry_links_only_an_object_the_officer_may_open_now(client, db):
    user = officer("canbo07901", "07901", DISTRICT)
    mine, moved, gone = people(3, 1)[1], people(1, 11)[0], people(2, 21)[1]
    moved.agency = mine.agency
    moved.save(update_fields=["agency"])
    for person in (mine, moved, gone):
        logged(user, person, ADDITION)
    moved.agency_id = None
    moved.save(update_fields=["agency"])  # since moved out of the officer's agency: their page is a 404
    logged(user, gone, DELETION)
    gone_url = person_url(gone)
    gone.delete()
    LogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk),
                            object_repr="tài-khoản-của-tôi", action_flag=CHANGE)
    client.force_login(user)
    assert client.get(person_url(moved)).status_code == 404
    html = client.get(INDEX).content.decode()
    assert person_url(mine) in html and client.get(person_url(mine)).status_code == 200
    assert person_url(moved) not in html and str(moved) in html
    assert gone_url not in html and str(gone) in html
    account_url = f"/quan-tri/accounts/user/{user.pk}/change/"  # a model whose pages they may not open
    assert client.get(account_url).status_code == 403
    assert account_url not in html and "tài-khoản-của-tôi" in html


def test_the_recent_actions_ask_once_for_ten_entries_as_for_one(client, db):
    user = officer("canbo07901", "07901", DISTRICT)
    client.force_login(user)

    def index_with(entries: list) -> tuple[str, int]:
        for person in entries:
            logged(user, person)
        client.get(INDEX)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(INDEX).content.decode()
        return html, len(queries)

    first = people(1, 1)
    one, queries_of_one = index_with(first)
    assert person_url(first[0]) not in one and str(first[0]) in one  # managed by 07903
    more = people(9, 2)
    ten, queries_of_ten = index_with(more)
    assert queries_of_ten == queries_of_one
    for person in first + more:
        assert str(person) in ten
        assert (person_url(person) in ten) == (person.agency.code == "07901"), person
