"""Every admin change page that lists what belongs to its object (a filing's or a registration's steps, a
FAQ topic's questions, an object's history) reads as many queries for fifteen of them as for one, and the
count at fifteen is held (a new query is noticed): what each of them shows of its relations (who did it) is
read with them, never once per row. The pages that list none of their relations (a person's, a login's, a
statement's: not its sessions, children, periods or the person's other statements) are held to an exact
count with fifteen of those beside them, which a listing of them added later, or any new query, changes."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Guardianship, Person, Registration, RegistrationEvent, User
from lookup.models import FaqQuestion, FaqTopic
from participation.models import Statement
from public_services.models import FilingEvent
from tests.accounts.helpers import make_person
from tests.participation.helpers import period
from tests.public_services.helpers import citizen, submit
from tests.vssid_portal.test_admin_list_queries import _registration

pytestmark = pytest.mark.usefixtures("reference_data")


def _actor(n: int) -> User:
    return User.objects.create_user(f"canbo-thu-{n}")


def _child(n: int) -> Person:
    return make_person(f"79055{n:05d}", f"Con Số {n}", birth=datetime.date(2020, 1, 1), id_number=f"0792200{n:05d}")


def _holder() -> User:
    return citizen("7901999004", monthly_benefit=False, id_number="079088999004")


def _sessions_and_children(user: User, n: int) -> None:
    UserSession.objects.create(user=user, session_key=f"phien{n:027d}", ip="10.0.0.1", user_agent="Mozilla/5.0")
    period(user.person, f"01/{1990 + n}", f"12/{1990 + n}")
    Guardianship.objects.create(parent=user, child=_child(n), relationship="cha")


def _topic() -> FaqTopic:
    return FaqTopic.objects.create(title="Chủ đề thử", slug="chu-de-thu", position=90)


def _statement() -> Statement:
    return Statement.objects.create(code="XN000001", person=make_person(), requested_by=_actor(0))


# page shown: (the object, its page's address, how its n-th row is added)
CHANGE_PAGES = {
    "filing": (lambda: submit(citizen("7901999003", monthly_benefit=False, id_number="079088999003")),
               lambda filing: f"/quan-tri/public_services/filing/{filing.pk}/change/",
               lambda filing, n: FilingEvent.objects.create(filing=filing, from_status=filing.status, status=filing.status,
                                                            actor=_actor(n), note=f"Ghi chú {n}")),
    "registration review": (
        lambda: _registration(99) or Registration.objects.get(reference="DK-99"),  # _registration returns nothing
        lambda registration: f"/quan-tri/accounts/registration/{registration.pk}/change/",
        lambda registration, n: RegistrationEvent.objects.create(
            registration=registration, action=RegistrationEvent.Action.SUBMITTED, actor=_actor(n), note=f"Ghi chú {n}")),
    "faq topic": (_topic, lambda topic: f"/quan-tri/lookup/faqtopic/{topic.pk}/change/",
                  lambda topic, n: FaqQuestion.objects.create(topic=topic, question=f"Câu hỏi {n}?", answer="Đáp.",
                                                              position=n)),
    "history": (make_person, lambda person: f"/quan-tri/accounts/person/{person.pk}/history/",
                lambda person, n: LogEntry.objects.create(
                    user=_actor(n), content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk),
                    object_repr=str(person), action_flag=CHANGE, change_message=f"Sửa lần {n}")),
}
# the queries of each page at fifteen rows: the login, the session and what the page reads
QUERIES = {"filing": 4, "registration review": 5, "faq topic": 2, "history": 3}

# page listing none of its relations: (the object, its page's address, how its n-th relation is added, the
# queries of the page with fifteen: the login, the session and what the page reads)
UNLISTED = {
    "person": (_holder, lambda user: f"/quan-tri/accounts/person/{user.person.pk}/change/", _sessions_and_children, 4),
    "user": (_holder, lambda user: f"/quan-tri/accounts/user/{user.pk}/change/", _sessions_and_children, 8),
    "statement": (_statement, lambda statement: f"/quan-tri/participation/statement/{statement.pk}/change/",
                  lambda statement, n: Statement.objects.create(code=f"XN{n + 1:06d}", person=statement.person,
                                                                requested_by=_actor(n)), 3),
}


@pytest.mark.parametrize("shown", CHANGE_PAGES)
def test_a_change_page_reads_as_many_queries_for_fifteen_rows_as_for_one(client, shown, django_assert_num_queries):
    make, address, add = CHANGE_PAGES[shown]
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    obj = make()
    url = address(obj)

    def queries(counted) -> int:
        client.get(url)  # warm: the session, the caches
        with counted as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    add(obj, 1)
    one = queries(CaptureQueriesContext(connection))
    for n in range(2, 16):
        add(obj, n)
    assert queries(django_assert_num_queries(QUERIES[shown])) == one


@pytest.mark.parametrize("shown", UNLISTED)
def test_a_change_page_that_lists_none_of_its_relations_reads_an_exact_count_of_queries_beside_fifteen(
        client, shown, django_assert_num_queries):
    """An exact count, not one against one: the page shows none of the sessions, children, periods or other
    statements added, so one and fifteen could not differ; held at fifteen, a listing of them added (or any
    new query) is noticed."""
    make, address, add, count = UNLISTED[shown]
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    obj = make()
    url = address(obj)
    for n in range(1, 16):
        add(obj, n)
    client.get(url)  # warm: the session, the caches
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200
