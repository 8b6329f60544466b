"""Feedback in the officers' admin: feedback sent to another agency is a 404 on its object pages
(NotFoundOutsideScope) instead of Django's redirect to the admin index, while the officers of the
receiving agency, and of the province above it, open it."""

import pytest
from django.test import Client

from public_services.feedback_services import new_feedback_key
from public_services.models import Feedback

from .helpers import district_officer, other_district_officer, province_officer  # noqa: F401

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri/public_services/feedback/"
SECRET = "Tổ dân phố 7 chưa nhận được sổ BHXH"


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def feedback(agency_code: str, tracking_number: str) -> Feedback:
    from lookup.models import Agency

    return Feedback.objects.create(
        tracking_number=tracking_number, topic=Feedback.Topic.CONTRIBUTION, content=f"{SECRET} ({tracking_number}).",
        agency=Agency.objects.get(code=agency_code), full_name="Trần Thị Mai", phone="+84912345678",
        idempotency_key=new_feedback_key())


@pytest.mark.parametrize("url_end", ["change/", "history/", "delete/"])
def test_another_agencys_feedback_is_a_404_and_its_own_officers_open_it(district_officer, other_district_officer,
                                                                       province_officer, url_end):
    theirs = feedback("07902", "PA2600000002")  # sent to Quận 12
    mine = feedback("07901", "PA2600000001")
    client = logged(district_officer)  # of Quận 1
    url = f"{ADMIN}{theirs.pk}/{url_end}"
    for response in (client.get(url), client.post(url, {"answer": "Trả lời thay"})):
        assert response.status_code == 404, response
        html = response.content.decode()
        assert SECRET not in html and theirs.tracking_number not in html
    theirs.refresh_from_db()
    assert theirs.status == Feedback.Status.RECEIVED and theirs.answer == ""
    assert client.get(f"{ADMIN}999999/{url_end}").status_code == 404  # no such feedback at all: the same answer
    if url_end != "delete/":  # the positive controls (nobody deletes feedback)
        assert client.get(f"{ADMIN}{mine.pk}/{url_end}").status_code == 200
        for insider in (other_district_officer, province_officer):
            response = logged(insider).get(url)
            assert response.status_code == 200 and theirs.tracking_number in response.content.decode()
