"""`seed_demo`: deterministic, realistic, valid, and a second run changes nothing."""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_CHILDREN, DEMO_OFFICERS
from accounts.models import Guardianship, Person, User
from accounts.selectors import officer_record_unknown
from accounts.services.registration import registration_check_declaration
from health_card.models import Card
from participation.models import Period


def seed(persons=60, seed=7):
    out = io.StringIO()
    call_command("seed_demo", persons=persons, seed=seed, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_makes_valid_people_and_the_demo_logins(reference_data):
    output = seed()
    assert Person.objects.count() == 60 + len(DEMO_CHILDREN) + len(DEMO_OFFICERS)
    for person in Person.objects.select_related("province", "ward"):
        person.full_clean()  # codes, CCCD digits vs birth date and sex, mobile numbers
        assert person.ward.province_id == person.province_id
    assert Person.objects.filter(full_name__regex=r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]").count() > 30
    citizen = User.objects.get(username="7901234567")
    assert citizen.person.full_name == "Nguyễn Văn Đức"
    assert User.objects.get(username="canbo07901").agency.code == "07901"
    assert User.objects.get(username="canbo079").agency.code == "079"
    assert User.objects.get(username="nhanvienkcb").facility.bhyt_contract
    assert User.objects.get(username="quantri").is_superuser
    assert citizen.check_password("BhxhDemo@2026")
    for username in ("7901234567", "canbo07901", "canbo079", "nhanvienkcb", "quantri"):
        assert username in output
    for username, record in DEMO_OFFICERS.items():  # so that they decide filings and registrations
        login = User.objects.get(username=username)
        assert login.officer_person.bhxh_code == record["bhxh_code"] and not officer_record_unknown(login)


@pytest.mark.django_db
def test_a_run_again_leaves_a_demo_officers_record_given_since_to_another_officer(reference_data):
    """A demo superuser's record cleared in the admin and given to another staff account: the next run
    does not give it back to the superuser (one record, one active officer), and does not fail."""
    seed(persons=3)
    record = User.objects.get(username="quantri").officer_person
    User.objects.filter(username="quantri").update(officer_person=None)
    User.objects.filter(username="canbo079").update(officer_person=record)
    seed(persons=3)
    assert User.objects.get(username="quantri").officer_person is None
    assert User.objects.get(username="canbo079").officer_person == record


@pytest.mark.django_db
def test_same_seed_same_people_and_second_run_changes_nothing(reference_data):
    seed(seed=11)
    first = list(Person.objects.order_by("bhxh_code").values_list("bhxh_code", "full_name", "birth_date", "id_number"))
    output = seed(seed=11)
    assert "Người tham gia: 0 mới, 60 đã có." in output and "Con của người tham gia 7901234567: 0 mới, 2 đã có." in output
    assert list(Person.objects.order_by("bhxh_code").values_list(
        "bhxh_code", "full_name", "birth_date", "id_number")) == first
    assert User.objects.count() == 5 and Guardianship.objects.count() == 1


@pytest.mark.django_db
def test_a_reader_that_stops_early_ends_no_run_and_gets_no_traceback(reference_data):
    """`seed_demo | head -1`: the pipe is closed after the first line; the run goes on, its output
    going nowhere, and the demo data is all there."""
    read, write = os.pipe()
    os.close(read)
    with open(write, "w", encoding="utf-8", buffering=1) as closed_pipe:  # line by line, as to a terminal
        call_command("seed_demo", persons=3, seed=7, stdout=closed_pipe)
    assert Person.objects.count() == 3 + len(DEMO_CHILDREN) + len(DEMO_OFFICERS)
    assert User.objects.filter(username="quantri").exists()


@pytest.mark.django_db
def test_seed_needs_reference_data_first(no_reference_data):
    with pytest.raises(CommandError, match="load_reference_data"):
        seed()


@pytest.mark.django_db
def test_seed_refuses_to_run_in_production(reference_data, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_citizen_views_his_son_and_may_register_his_daughter(reference_data, client):
    """A newcomer can try the switch to a child's records (the son: a state-paid BHYT period and a TE
    card, as a child under six has) and the registration of a child (the daughter, not linked yet)."""
    seed(persons=3, seed=2026)
    son, daughter = (Person.objects.get(bhxh_code=child["bhxh_code"]) for child in DEMO_CHILDREN)
    citizen = User.objects.get(username="7901234567")
    assert [g.child for g in Guardianship.objects.filter(parent=citizen)] == [son]
    for child in (son, daughter):
        child.full_clean()
        assert child.province == citizen.person.province and child.father_name == citizen.person.full_name
    assert son.birth_date.year >= 2021 and daughter.birth_date.year >= 2009  # minors
    periods = list(Period.objects.filter(person=son).order_by("from_month"))  # one for each base salary
    assert {(period.kind, period.payer) for period in periods} == {(Period.Kind.BHYT, Period.Payer.STATE)}
    assert periods[0].from_month == son.birth_date.replace(day=1)
    card = Card.objects.get(person=son)
    assert card.status == Card.Status.ACTIVE and card.group.code == "TE"
    assert not Period.objects.filter(person=daughter).exists() and not Card.objects.filter(person=daughter).exists()
    assert registration_check_declaration(bhxh_code=daughter.bhxh_code, full_name="nguyen ngoc han",
                                          birth_date=daughter.birth_date, id_type="", id_number="",
                                          for_child=True) == daughter  # what README gives is enough
    assert not son.benefits.exists() and not son.visits.exists()

    client.force_login(citizen)
    client.post("/ca-nhan/xem/", {"child": son.pk})
    client.get("/the-bhyt/")  # the switch's flash message
    html = client.get("/the-bhyt/").content.decode()
    assert "Đang xem thông tin của <strong>Nguyễn Minh Khang</strong>" in html and "TE1" in html



def records_of_the_first(codes):
    """Each demo record of the people named by `codes`, as plain values."""
    from benefits.models import BenefitRecord

    return (sorted(Period.objects.filter(person__bhxh_code__in=codes).values_list(
                "person__bhxh_code", "kind", "from_month", "to_month", "employer_id", "base")),
            sorted(BenefitRecord.objects.filter(person__bhxh_code__in=codes).values_list("person__bhxh_code", "kind")),
            sorted(Card.objects.filter(person__bhxh_code__in=codes).values_list("person__bhxh_code", "number")))


@pytest.mark.django_db
@pytest.mark.parametrize(("persons", "seed_value"), [(50, 7), (30, 7), (40, 8)], ids=["more", "fewer", "other-seed"])
def test_a_run_with_other_options_gives_nobody_already_there_a_second_history(reference_data, persons, seed_value):
    """A bigger registry, a smaller one or another seed over the data already there: the people
    already there keep their records as they are (no second, overlapping working life), and a
    person added now gets one."""
    seed(persons=40, seed=7)
    there = list(Person.objects.values_list("bhxh_code", flat=True))
    before = records_of_the_first(there)
    seed(persons=persons, seed=seed_value)
    assert records_of_the_first(there) == before
    added = Person.objects.exclude(bhxh_code__in=there)
    assert added.exists() == (persons > 40 or seed_value != 7)
    if added.exists():
        assert Period.objects.filter(person__in=added).exists()
