"""An officer whose staff login is not the login of their own record, who logs in as a citizen with a
second login, does not decide that citizen login's filings either: the staff login names the officer's
record (User.officer_person), and a filing for it, for a child a login of theirs is (or was) parent or
guardian of, or filed from any login of theirs, is their own case, refused on the filing's page, by its
steps and by the list's actions. A stranger's filing they still decide."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Guardianship, User
from lookup.models import Agency
from public_services.models import Filing
from public_services.selectors import is_officers_own_case
from public_services.services import filing_receive
from tests.accounts.helpers import born_years_ago, cccd_for, make_person

from .helpers import DISTRICT, citizen, logged, officer, submit

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"
OWN = "cán bộ không xử lý hồ sơ của chính mình"


def managed(person):
    person.agency = Agency.objects.get(code="07901")
    person.save(update_fields=["agency"])
    return person


@pytest.fixture
def holder(reference_data):
    """An officer of 07901 with two logins: the staff login, naming the officer's record, and a citizen
    login that logs in as it."""
    person = managed(make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666"))
    staff = officer("canbo07901", "07901", DISTRICT)
    staff.officer_person = person
    staff.save(update_fields=["officer_person"])
    own = User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    return staff, own


def child_of(login, years=10, code="7906666667"):
    born = born_years_ago(years)
    child = managed(make_person(code, "Lê Minh Khang", birth=born, id_number=cccd_for(born)))
    Guardianship.objects.create(parent=login, child=child, relationship="me")
    return child


def filing_of(whose, own):
    if whose == "own":
        return submit(own)
    if whose == "child":
        return submit(own, person=child_of(own))
    # A child grown up since, with a login of their own, linked to the officer's citizen login.
    child = child_of(own, years=20, code="7906666668")
    login = User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child)
    return submit(login)


WHOSE = ["own", "child", "grown child"]


@pytest.mark.parametrize("whose", WHOSE)
def test_a_filing_of_the_officers_citizen_login_is_their_own_case(holder, whose):
    staff, own = holder
    filing = filing_of(whose, own)
    assert is_officers_own_case(filing, staff)
    with pytest.raises(ValidationError, match=OWN):
        filing_receive(filing=filing, officer=staff)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED


@pytest.mark.parametrize("whose", WHOSE)
def test_the_admin_refuses_it_on_the_page_by_its_steps_and_by_the_lists_action(holder, whose):
    staff, own = holder
    filing = filing_of(whose, own)
    client = logged(staff)
    page = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert OWN in page and f"{filing.pk}/buoc/" not in page and f"{filing.pk}/ghi-chu/" not in page
    response = client.post(f"{QUEUE}{filing.pk}/buoc/receive/", follow=True)
    assert response.status_code == 200 and OWN in response.content.decode()
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {"note": "Không đủ điều kiện"}, follow=True)
    assert response.status_code == 200 and OWN in response.content.decode()
    for page in ("ghi-chu/reject", "ghi-chu/return", "buoc/complete"):  # said before a reason is typed, a completion confirmed
        response = client.get(f"{QUEUE}{filing.pk}/{page}/")
        assert response.status_code == 302 and response["Location"] == f"{QUEUE}{filing.pk}/change/"
        assert OWN in client.get(response["Location"]).content.decode()
    response = client.post(QUEUE, {"action": "receive_selected", "_selected_action": [filing.pk]}, follow=True)
    assert response.status_code == 200 and OWN in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and not filing.events.exclude(status=Filing.Status.SUBMITTED).exists()


def test_a_child_of_the_officers_citizen_login_filed_for_by_the_other_parent_is_their_own_case(holder):
    """The child is linked to the officer's citizen login only: the filing names neither the officer's
    record nor a login of theirs as its filer."""
    staff, own = holder
    child = child_of(own)
    father = citizen("7906666669", "Trần Văn Nam", id_number="079088066669", monthly_benefit=False)
    Guardianship.objects.create(parent=father, child=child, relationship="cha")
    filing = submit(father, person=child)
    assert is_officers_own_case(filing, staff)
    response = logged(staff).post(f"{QUEUE}{filing.pk}/buoc/receive/", follow=True)
    assert response.status_code == 200 and OWN in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED


def test_a_strangers_filing_is_still_decided_by_the_officer(holder):
    staff, own = holder
    child_of(own)  # the officer's family does not make every filing theirs
    stranger = citizen("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345")
    filing = submit(stranger)
    assert not is_officers_own_case(filing, staff)
    client = logged(staff)
    page = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert OWN not in page and f"{filing.pk}/buoc/receive/" in page
    response = client.post(QUEUE, {"action": "receive_selected", "_selected_action": [filing.pk]}, follow=True)
    assert response.status_code == 200 and OWN not in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.RECEIVED


def test_a_filing_their_citizen_login_made_stays_their_own_case_once_the_guardianship_is_gone(holder):
    """Filed from a login of theirs: their own case even when nothing else links them to its person any
    more (the guardianship ended and its row removed)."""
    staff, own = holder
    filing = submit(own, person=child_of(own))
    Guardianship.objects.filter(parent=own).delete()
    with pytest.raises(ValidationError, match=OWN):
        filing_receive(filing=filing, officer=staff)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED
