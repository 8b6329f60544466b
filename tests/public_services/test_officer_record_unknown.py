"""Whether a filing is an officer's own case is known only when their account names their own record
(User.officer_person): an officer of an agency, or a superuser, whose record is not known decides no
filing, failing closed, its page offering no step and saying why, its steps, its reason and completion
pages and the list's actions refusing it, as the service does. Once the record is named they decide
again, a superuser as an officer, their own case excepted."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from public_services.models import Filing
from public_services.services import filing_receive
from tests.accounts.helpers import officer_record

from .helpers import DISTRICT, citizen, logged, officer, submit

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"
UNKNOWN = "chưa có mã số BHXH của chính cán bộ nên chưa xử lý được hồ sơ, đăng ký"
OWN = "cán bộ không xử lý hồ sơ của chính mình"


@pytest.fixture(params=["officer", "superuser"])
def unknown(request, reference_data):
    """An officer of 07901, or a superuser, whose account names no record of their own."""
    if request.param == "officer":
        return officer("canbo07901", "07901", DISTRICT, own_record=False)
    return User.objects.create_superuser("quantri", password="x-Pass-2026!")


def assert_untouched(filing):
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and not filing.events.exclude(status=Filing.Status.SUBMITTED).exists()


def test_the_service_refuses_a_step_to_an_officer_whose_record_is_not_known(unknown):
    filing = submit(citizen())
    with pytest.raises(ValidationError, match=UNKNOWN):
        filing_receive(filing=filing, officer=unknown)
    assert_untouched(filing)


def test_the_admin_offers_no_step_to_an_officer_whose_record_is_not_known_and_refuses_one(unknown):
    filing = submit(citizen())
    client = logged(unknown)
    page = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert UNKNOWN in page and f"{filing.pk}/buoc/receive/" not in page and f"{filing.pk}/ghi-chu/" not in page
    response = client.post(f"{QUEUE}{filing.pk}/buoc/receive/", follow=True)
    assert response.status_code == 200 and UNKNOWN in response.content.decode()
    for page in ("ghi-chu/reject", "ghi-chu/return", "buoc/complete"):  # said before a reason is typed
        response = client.get(f"{QUEUE}{filing.pk}/{page}/")
        assert response.status_code == 302 and response["Location"] == f"{QUEUE}{filing.pk}/change/"
        assert UNKNOWN in client.get(response["Location"]).content.decode()
    response = client.post(QUEUE, {"action": "receive_selected", "_selected_action": [filing.pk]}, follow=True)
    assert response.status_code == 200 and response.content.decode().count(UNKNOWN) == 1
    assert_untouched(filing)


def test_a_superuser_who_names_their_record_decides_filings_but_not_their_own(reference_data):
    admin = User.objects.create_superuser("quantri", password="x-Pass-2026!", officer_person=officer_record("quantri"))
    stranger = submit(citizen())
    filing_receive(filing=stranger, officer=admin)
    assert Filing.objects.get(pk=stranger.pk).status == Filing.Status.RECEIVED
    record = admin.officer_person
    record.agency = stranger.agency
    record.save(update_fields=["agency"])
    own_login = User.objects.create_user(record.bhxh_code, password="x-Pass-2026!", person=record)
    own = submit(own_login)
    with pytest.raises(ValidationError, match=OWN):
        filing_receive(filing=own, officer=admin)
    page = logged(admin).get(f"{QUEUE}{own.pk}/change/").content.decode()
    assert OWN in page and UNKNOWN not in page and f"{own.pk}/buoc/receive/" not in page
