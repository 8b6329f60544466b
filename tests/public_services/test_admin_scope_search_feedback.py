"""Feedback in the officers' admin: feedback sent to another agency is a 404 on its object pages
(NotFoundOutsideScope) instead of Django's redirect to the admin index, while the officers of the
receiving agency, and of the province above it, open it. The sender's name is found with or
without its diacritics (FoldedKeySearch), and the list is filtered by the agencies of the
officer's scope."""

import re

import pytest

from public_services.models import Feedback
from public_services.services import feedback_answer
from vssid_portal.form_keys import new_idempotency_key

from .helpers import citizen, district_officer, logged, other_district_officer, province_officer  # noqa: F401

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri/public_services/feedback/"
SECRET = "Tổ dân phố 7 chưa nhận được sổ BHXH"


def feedback(agency_code: str, tracking_number: str, full_name: str = "Trần Thị Mai") -> Feedback:
    from lookup.models import Agency

    return Feedback.objects.create(
        tracking_number=tracking_number, topic=Feedback.Topic.CONTRIBUTION, content=f"{SECRET} ({tracking_number}).",
        agency=Agency.objects.get(code=agency_code), full_name=full_name, phone="+84912345678",
        idempotency_key=new_idempotency_key())


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


def listed(client, query: dict) -> set[str]:
    """The tracking numbers of the rows the list shows (the filters and search box not counted)."""
    response = client.get(ADMIN, query)
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('<table id="result_list">', 1)[1].split("</table>", 1)[0] if "result_list" in html else ""
    return set(re.findall(r"PA26\d{8}", table))


@pytest.mark.parametrize("query", ["tam", "le van tam", "Lê Văn Tám", "LÊ VĂN TÁM", "Tám,", "PA2600000001"])
def test_the_senders_name_is_found_with_or_without_diacritics(district_officer, query):
    feedback("07901", "PA2600000001", "Lê Văn Tám")
    feedback("07901", "PA2600000002")
    feedback("07902", "PA2600000003", "Lê Văn Tám")  # another agency's namesake
    assert listed(logged(district_officer), {"q": query}) == {"PA2600000001"}


def test_the_province_officer_filters_by_the_agencies_of_their_scope(district_officer, province_officer):
    from lookup.models import Agency

    outside = Agency.objects.get(code="001")  # another province
    feedback("07901", "PA2600000001")
    feedback("07902", "PA2600000002")
    feedback("001", "PA2600000009")
    district, other = Agency.objects.get(code="07901"), Agency.objects.get(code="07902")
    client = logged(province_officer)
    html = client.get(ADMIN).content.decode()
    assert f"?agency__id__exact={district.pk}" in html and f"?agency__id__exact={other.pk}" in html
    assert f"?agency__id__exact={outside.pk}" not in html and outside.name not in html
    assert listed(client, {"agency__id__exact": outside.pk}) == set()
    assert listed(client, {"agency__id__exact": other.pk}) == {"PA2600000002"}
    assert f"?agency__id__exact={other.pk}" not in logged(district_officer).get(ADMIN).content.decode()


def test_feedback_sent_before_the_folded_key_gets_it_from_the_migration(reference_data):
    from importlib import import_module

    from django.apps import apps

    sent = feedback("07901", "PA2600000001", "Lê Văn Tám")
    assert sent.name_key == "le van tam"
    Feedback.objects.update(name_key="")  # as it stood before the key
    import_module("public_services.migrations.0009_feedback_name_key").fill_name_keys(apps, None)
    assert Feedback.objects.get().name_key == "le van tam"


def test_related_rows_are_shown_as_text_where_the_officer_may_not_open_their_admin_pages(district_officer):
    sender = citizen()
    sent = feedback("07901", "PA2600000001")
    Feedback.objects.filter(pk=sent.pk).update(user=sender)
    feedback_answer(feedback=sent, officer=district_officer, answer="Đơn vị đã chốt sổ.")
    html = logged(district_officer).get(f"{ADMIN}{sent.pk}/change/").content.decode()
    assert "Cơ quan BHXH nhận phản ánh" in html and "BHXH" in html
    assert sender.username in html and district_officer.username in html
    assert "/quan-tri/lookup/agency/" not in html and "/quan-tri/accounts/user/" not in html  # 403 pages for officers


def test_an_officer_attached_to_no_agency_is_told_why_the_feedback_list_is_empty(district_officer):
    from tests.accounts.helpers import officer

    sent = feedback("07901", "PA2600000001")
    response = logged(officer("canbo-chua-co-quan", None, "Cán bộ BHXH cơ sở")).get(ADMIN)
    assert response.status_code == 200 and sent.tracking_number not in response.content.decode()
    assert [str(message) for message in response.context["messages"]] == [
        "Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có phản ánh, kiến nghị nào để xử lý. "
        "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc."]
    response = logged(district_officer).get(ADMIN)
    assert sent.tracking_number in response.content.decode() and not list(response.context["messages"])


@pytest.mark.parametrize("url, key", [
    ("/quan-tri/public_services/filing/", "status__exact"), ("/quan-tri/public_services/filing/", "procedure_code__exact"),
    ("/quan-tri/public_services/filing/", "tinh_trang"), (ADMIN, "status__exact"), (ADMIN, "topic__exact"),
    (ADMIN, "kind__exact")])
def test_a_filter_value_with_a_nul_character_is_a_wrong_filter_not_a_server_error(district_officer, url, key):
    """PostgreSQL refuses a NUL character in a query's text: Django's filters of a field sent it on."""
    feedback("07901", "PA2600000001")
    response = logged(district_officer).get(url, {key: "received\x00"})
    assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1")
