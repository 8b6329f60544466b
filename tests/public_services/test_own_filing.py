"""An officer who is also a citizen does not decide a filing of their own, nor one filed for a child
they are parent or guardian of: every step is refused by the service, and the admin says why, as it
says other refused steps. A colleague decides it."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Guardianship
from lookup.models import Agency
from public_services.models import Filing
from public_services.services import filing_complete, filing_receive, filing_reject, filing_return, filing_start
from tests.accounts.helpers import born_years_ago, cccd_for, make_person

from .helpers import DISTRICT, district_officer, logged, officer, submit  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"
OWN = "cán bộ không xử lý hồ sơ của chính mình"


@pytest.fixture
def officer_citizen(district_officer):
    """An officer of 07901 whose login is also that of their own insured record, managed by 07901."""
    district_officer.person = make_person("7906666666", "Lê Thị Thu", id_number="079188066666")
    district_officer.person.agency = Agency.objects.get(code="07901")
    district_officer.person.save(update_fields=["agency"])
    district_officer.save(update_fields=["person"])
    return district_officer


def child_filing(officer):
    born = born_years_ago(10)
    child = make_person("7906666667", "Lê Minh Khang", birth=born, id_number=cccd_for(born))
    child.agency = Agency.objects.get(code="07901")
    child.save(update_fields=["agency"])
    Guardianship.objects.create(parent=officer, child=child, relationship="me")
    return submit(officer, person=child)


@pytest.mark.parametrize("whose", ["own", "child"])
def test_an_officer_cannot_decide_a_filing_of_their_own_or_of_their_child(officer_citizen, whose):
    filing = submit(officer_citizen) if whose == "own" else child_filing(officer_citizen)
    for step in (filing_receive, filing_start, filing_complete):
        with pytest.raises(ValidationError, match=OWN):
            step(filing=filing, officer=officer_citizen)
    for step, argument in ((filing_return, "what"), (filing_reject, "reason")):
        with pytest.raises(ValidationError, match=OWN):
            step(filing=filing, officer=officer_citizen, **{argument: "Thiếu giấy tờ"})
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and not filing.events.exclude(status=Filing.Status.SUBMITTED).exists()


def test_the_admin_says_why_the_officer_s_own_filing_is_refused(officer_citizen):
    filing = submit(officer_citizen)
    client = logged(officer_citizen)
    response = client.post(f"{QUEUE}{filing.pk}/buoc/receive/", follow=True)
    assert response.status_code == 200
    assert OWN in response.content.decode()
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {"note": "Không đủ điều kiện"}, follow=True)
    assert response.status_code == 200 and OWN in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED


def test_the_officer_s_own_filing_shows_no_step_and_says_why(officer_citizen):
    """The page of their own filing offers the officer no step to press only to be refused: it says a
    colleague decides it. The same filing shows its steps to that colleague."""
    filing = submit(officer_citizen)
    page = logged(officer_citizen).get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert OWN in page
    assert f"{filing.pk}/buoc/" not in page and f"{filing.pk}/ghi-chu/" not in page
    colleague = logged(officer("dongnghiep07901", "07901", DISTRICT)).get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert OWN not in colleague and f"{filing.pk}/buoc/receive/" in colleague


OWN_SENTENCE = ("là của chính bạn, của người bạn là cha, mẹ hoặc người giám hộ, hoặc do bạn nộp: cán bộ không xử lý "
                "hồ sơ của chính mình. Hãy để một cán bộ khác của cơ quan xử lý.")
OWN_ENGLISH = ("is your own, that of someone you are the parent or guardian of, or one you filed: officers do not "
               "decide their own cases. Leave it to another officer of the agency.")


def said_of_the_officers_own_filing(officer_citizen) -> tuple[str, list[str], str]:
    """What the filing's page says instead of its steps, the refusal of its reject page, and the
    service's refusal of a step."""
    import html

    filing = submit(officer_citizen)
    client = logged(officer_citizen)
    page = html.unescape(client.get(f"{QUEUE}{filing.pk}/change/").content.decode())
    response = client.get(f"{QUEUE}{filing.pk}/ghi-chu/reject/", follow=True)
    with pytest.raises(ValidationError) as refused:
        filing_receive(filing=filing, officer=officer_citizen)
    return (page.split('<div class="filing-actions">', 1)[1].split("</div>", 1)[0],
            [str(message) for message in response.context["messages"]], " ".join(refused.value.messages))


def test_an_english_admin_is_told_in_whole_english_sentences_that_the_filing_is_their_own(officer_citizen, settings):
    settings.LANGUAGE_CODE = "en"
    page, refused, by_service = said_of_the_officers_own_filing(officer_citizen)
    number = Filing.objects.get().tracking_number
    assert f"<p>This application {OWN_ENGLISH}</p>" in page
    assert refused == [f"Application {number} {OWN_ENGLISH}"] and by_service == f"Application {number} {OWN_ENGLISH}"


def test_a_vietnamese_admin_is_told_as_before_that_the_filing_is_their_own(officer_citizen):
    page, refused, by_service = said_of_the_officers_own_filing(officer_citizen)
    number = Filing.objects.get().tracking_number
    assert f"<p>Hồ sơ này {OWN_SENTENCE}</p>" in page
    assert refused == [f"Hồ sơ {number} {OWN_SENTENCE}"] and by_service == f"Hồ sơ {number} {OWN_SENTENCE}"
