"""Who is told of a change of a person's records: their own active logins, and while they are a minor
their parents' and guardians' active logins. One person's notice (logins_told_of) and a run over many
people (people_told_of) read the same rule, each in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Guardianship, User
from accounts.selectors import logins_told_of, people_told_of

from .helpers import born_years_ago, cccd_for, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def family():
    """A father and a mother with logins; a minor with a login of their own and one without; a grown
    child the father was linked to; an adult without a login; a minor whose only parent was deactivated."""
    father = User.objects.create_user("7901234567", password="x-Pass-2026!", person=make_person())
    mother = User.objects.create_user("7901234568", password="x-Pass-2026!", person=make_person(
        "7901234568", "Trần Thị Mai", sex=2, id_number="079188012346"))
    teen = make_person("7905555551", "Nguyễn Gia Bảo", birth=born_years_ago(16), id_number=cccd_for(born_years_ago(16)))
    small = make_person("7905555552", "Nguyễn Minh Khang", birth=born_years_ago(3), id_number="")
    grown = make_person("7905555553", "Nguyễn Văn An", birth=born_years_ago(30), id_number=cccd_for(born_years_ago(30)))
    alone = make_person("7905555554", "Lê Thị Hoa", sex=2, birth=born_years_ago(40),
                        id_number=cccd_for(born_years_ago(40), sex=2, serial="054321"))
    orphaned = make_person("7905555555", "Lê Văn Bình", birth=born_years_ago(10), id_number="")
    teen_login = User.objects.create_user(teen.bhxh_code, password="x-Pass-2026!", person=teen)
    away = User.objects.create_user("guardian", password="x-Pass-2026!", is_active=False)
    for parent, child in [(father, teen), (mother, teen), (father, small), (father, grown), (away, orphaned)]:
        Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    people = {"father": father.person, "mother": mother.person, "teen": teen, "small": small, "grown": grown,
              "alone": alone, "orphaned": orphaned}
    return people, {"father": father.pk, "mother": mother.pk, "teen": teen_login.pk}


def test_each_person_is_told_through_their_own_login_first_then_their_parents_while_a_minor(family):
    people, login = family
    told = {name: [user.pk for user in logins_told_of(person)] for name, person in people.items()}
    assert told == {
        "father": [login["father"]], "mother": [login["mother"]],
        "teen": [login["teen"], *sorted([login["father"], login["mother"]])],
        "small": [login["father"]], "grown": [], "alone": [], "orphaned": [],
    }


def test_a_run_over_many_people_names_those_one_notice_would_tell(family):
    people, _ = family
    assert people_told_of({person.pk for person in people.values()}) == {
        people[name].pk for name in ("father", "mother", "teen", "small")}


@pytest.mark.parametrize("name", ["teen", "small", "grown"])
def test_one_persons_logins_told_are_read_in_one_query(family, name):
    with CaptureQueriesContext(connection) as queries:
        told = logins_told_of(family[0][name])
        names = [user.person.full_name for user in told]  # their phones are read with them
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert len(names) == {"teen": 3, "small": 1, "grown": 0}[name]


def test_the_people_told_of_of_a_run_are_read_in_one_query(family):
    with CaptureQueriesContext(connection) as queries:
        people_told_of({person.pk for person in family[0].values()})
    assert len(queries) == 1, [query["sql"] for query in queries]
