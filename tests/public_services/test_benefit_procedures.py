"""Moving the paying place, changing the payment method and authorising someone to receive one's
benefits are for people with a benefit to receive: the list and the form say why they are not
open to anyone else (a worker still contributing, a small child in view), and a crafted post is
refused. Completing a move or a change of method writes it to the person's monthly benefits, in
the completion's transaction."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Guardianship
from benefits.models import BenefitEvent, BenefitRecord
from lookup.models import Agency
from public_services.models import Filing
from public_services.procedures import registry
from public_services.services import (
    filing_complete,
    filing_receive,
    filing_return,
    filing_start,
    filing_submit,
)
from tests.accounts.helpers import make_person
from tests.benefits.helpers import decided, record
from vssid_portal.form_keys import new_idempotency_key

from .helpers import (  # noqa: F401
    REAUTHENTICATE,
    answers,
    citizen,
    complete,
    correction,
    district_officer,
    logged,
    other_district_officer,
    owner,
    province_officer,
    review_post,
    submit,
)

pytestmark = pytest.mark.django_db

MONTHLY = {"CHUYEN-NOI-HUONG": "/dich-vu-cong/chuyen-noi-huong/",
           "THAY-DOI-CHI-TRA": "/dich-vu-cong/thay-doi-phuong-thuc-nhan/"}
AUTHORISATION = "/dich-vu-cong/uy-quyen-nhan-thay/"
NOT_MONTHLY = "Thủ tục này dành cho người đang hưởng lương hưu, trợ cấp BHXH hằng tháng. Hồ sơ BHXH của {name} chưa có"
NOTHING_TO_RECEIVE = "Thủ tục này dành cho người đang có lương hưu, trợ cấp BHXH để nhận"


@pytest.fixture
def worker(reference_data):
    """38 years old, still contributing: no benefit granted."""
    return citizen("7901000038", "Lê Văn Hùng", id_number="079088012346", monthly_benefit=False)


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def file_directly(user, code, **overrides):
    return filing_submit(procedure=registry.get(code), person=user.person, user=user, data=answers(code, **overrides),
                         uploads={}, idempotency_key=new_idempotency_key())


def card_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[html.rindex("<li", 0, start):html.index("</li>", start)]


def test_a_worker_still_contributing_is_told_on_the_list_and_the_form_why_not(client, worker):
    client.force_login(worker)
    html = client.get("/dich-vu-cong/").content.decode()
    for code, url in MONTHLY.items():
        name = str(registry.get(code).name)
        card = card_of(html, name)
        assert f'href="{url}"' not in card and NOT_MONTHLY.format(name="Lê Văn Hùng") in card
        page = client.get(url)
        assert page.status_code == 200 and NOT_MONTHLY.format(name="Lê Văn Hùng") in page.content.decode()
        assert 'name="idempotency_key"' not in page.content.decode()
    assert NOTHING_TO_RECEIVE in card_of(html, str(registry.get("UY-QUYEN").name))
    assert 'href="/dich-vu-cong/cap-lai-so-bhxh/"' in html  # the others stay open


@pytest.mark.parametrize("code", ["CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA", "UY-QUYEN"])
def test_a_crafted_post_and_a_direct_submission_are_refused(client, worker, code):
    url = MONTHLY.get(code, AUTHORISATION)
    client.force_login(worker)
    response = client.post(url, {**answers(code), "idempotency_key": new_idempotency_key()})
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="Thủ tục này dành cho người đang"):
        file_directly(worker, code)
    assert not Filing.objects.filter(person=worker.person).exists()


def test_a_small_child_in_view_is_told_too(client, owner):
    born = timezone.localdate().replace(day=1) - datetime.timedelta(days=3 * 365)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=f"0792{born.year % 100:02d}012345")
    Guardianship.objects.create(parent=owner, child=child, relationship="cha")
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    html = client.get("/dich-vu-cong/").content.decode()
    assert NOT_MONTHLY.format(name="Nguyễn Gia Bảo") in html and NOTHING_TO_RECEIVE in html
    assert "Nguyễn Gia Bảo" in client.get(AUTHORISATION).content.decode()
    assert NOTHING_TO_RECEIVE in client.get(AUTHORISATION).content.decode()


def test_a_beneficiary_has_them_open(client, owner):
    client.force_login(owner)
    html = client.get("/dich-vu-cong/").content.decode()
    for url in (*MONTHLY.values(), AUTHORISATION):
        assert f'href="{url}"' in html
        assert 'name="idempotency_key"' in client.get(url).content.decode()


def test_a_one_time_claim_in_hand_may_be_authorised_and_nothing_else(client, worker):
    record(worker.person, BenefitRecord.Kind.ONE_TIME, status="processing")
    record(worker.person, BenefitRecord.Kind.SICKNESS, **decided(status="paid", paid_on=datetime.date(2025, 9, 12)))
    client.force_login(worker)
    html = client.get(AUTHORISATION).content.decode()
    assert re.findall(r'name="benefit" value="([^"]+)"', html) == ["mot_lan"]
    with pytest.raises(ValidationError, match="Chọn khoản được nhận thay trong danh sách."):
        file_directly(worker, "UY-QUYEN")  # "luong_huu": no pension, no monthly allowance
    assert file_directly(worker, "UY-QUYEN", benefit="mot_lan").procedure_code == "UY-QUYEN"
    assert NOT_MONTHLY.format(name="Lê Văn Hùng") in client.get(MONTHLY["THAY-DOI-CHI-TRA"]).content.decode()


def test_only_claims_paid_or_refused_leave_nothing_to_authorise(client, worker):
    record(worker.person, BenefitRecord.Kind.SICKNESS, **decided(status="paid", paid_on=datetime.date(2025, 9, 12)))
    record(worker.person, BenefitRecord.Kind.ONE_TIME, status="rejected", reject_reason="Chưa đủ 12 tháng.")
    client.force_login(worker)
    assert NOTHING_TO_RECEIVE in client.get(AUTHORISATION).content.decode()


def test_a_completed_move_makes_the_new_agency_pay_the_monthly_benefits(owner, other_district_officer):
    allowance = BenefitRecord.objects.get(person=owner.person)
    sickness = record(owner.person, BenefitRecord.Kind.SICKNESS, **decided())
    filing = submit(owner, "CHUYEN-NOI-HUONG")
    assert filing.agency.code == "07902"  # its officer handles it, though 07901 pays today
    complete(filing, other_district_officer)
    allowance.refresh_from_db()
    assert allowance.agency.code == "07902" and allowance.revision == 1
    assert BenefitRecord.objects.get(pk=sickness.pk).agency.code == "07901"  # not a monthly benefit
    event = BenefitEvent.objects.get(record=allowance)
    assert event.actor == other_district_officer and f"(theo hồ sơ {filing.tracking_number})" in event.changes
    assert "cơ quan BHXH giải quyết" in event.changes


@pytest.mark.parametrize(("overrides", "method"), [
    ({}, "cash"),
    ({"method": "tai_khoan", "bank": "VCB", "account_number": "0123456789", "account_holder": "NGUYEN VAN DUC",
      "post_office": ""}, "bank"),
])
def test_a_completed_change_of_method_is_written_to_the_monthly_benefits(owner, district_officer, overrides, method):
    allowance = BenefitRecord.objects.get(person=owner.person)
    allowance.payment_method = "employer"
    allowance.save()
    filing = complete(submit(owner, "THAY-DOI-CHI-TRA", **overrides), district_officer)
    allowance.refresh_from_db()
    assert allowance.payment_method == method and allowance.revision == 1
    assert f"theo hồ sơ {filing.tracking_number}" in BenefitEvent.objects.get(record=allowance).changes


def test_without_a_monthly_benefit_any_more_the_completion_is_refused(owner, district_officer):
    filing = submit(owner, "THAY-DOI-CHI-TRA")
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    BenefitRecord.objects.filter(person=owner.person).update(monthly_amount=None, amount=5_000_000)
    with pytest.raises(ValidationError, match="không có khoản lương hưu, trợ cấp BHXH hằng tháng nào"):
        filing_complete(filing=filing, officer=district_officer)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING


def test_the_move_reaches_the_agency_chosen(owner, other_district_officer):
    filing = complete(submit(owner, "CHUYEN-NOI-HUONG"), other_district_officer)
    assert BenefitRecord.objects.get(person=owner.person).agency == Agency.objects.get(pk=filing.data["new_agency"])


def test_after_a_move_the_paying_agency_handles_the_method_and_the_authorisation(client, owner, district_officer,
                                                                                 other_district_officer):
    # 07901 manages the person; after the move 07902 pays the monthly allowance.
    complete(submit(owner, "CHUYEN-NOI-HUONG"), other_district_officer)
    assert owner.person.agency.code == "07901"
    assert submit(owner, "THAY-DOI-CHI-TRA").agency.code == "07902"
    assert submit(owner, "UY-QUYEN").agency.code == "07902"
    # A one-time claim still in hand at 07901 is authorised there.
    record(owner.person, BenefitRecord.Kind.ONE_TIME, agency="07901")
    authorisation = registry.get("UY-QUYEN")
    assert authorisation.agency_for(person=owner.person, data={"benefit": "mot_lan"}).code == "07901"
    # Moving back to the managing agency is a move; to the paying one is not.
    client.force_login(owner)
    url, managing = MONTHLY["CHUYEN-NOI-HUONG"], owner.person.agency
    refused = client.post(url, {**answers("CHUYEN-NOI-HUONG"), "idempotency_key": new_idempotency_key()})
    assert "Đây là cơ quan BHXH đang chi trả lương hưu, trợ cấp cho bạn" in refused.content.decode()
    back = client.post(url, {**answers("CHUYEN-NOI-HUONG", new_province=str(managing.province_id),
                                       new_agency=str(managing.pk)), "idempotency_key": new_idempotency_key()})
    assert back.status_code == 302


def test_the_method_goes_to_the_managing_agency_while_it_pays(owner):
    assert submit(owner, "THAY-DOI-CHI-TRA").agency.code == "07901"
    assert submit(owner, "UY-QUYEN").agency.code == "07901"


MOVE_THE_MONEY = {"CHUYEN-NOI-HUONG": "/dich-vu-cong/chuyen-noi-huong/",
                  "THAY-DOI-CHI-TRA": "/dich-vu-cong/thay-doi-phuong-thuc-nhan/",
                  "UY-QUYEN": "/dich-vu-cong/uy-quyen-nhan-thay/"}
PHONE = {"CHUYEN-NOI-HUONG": "phone", "THAY-DOI-CHI-TRA": "new_phone", "UY-QUYEN": "phone"}  # one answer of each


@pytest.mark.parametrize("code", MOVE_THE_MONEY)
def test_a_filing_that_moves_the_benefits_money_is_sent_only_after_the_password_again(owner, code):
    """A new bank account, another place or another person to receive the benefits: a session alone (a
    stolen cookie, a browser left signed in) sends nothing; the password asked on sending, a wrong one
    refused in Vietnamese, the answers kept for the right one."""
    url = MOVE_THE_MONEY[code]
    client = logged(owner)
    key = client.get(url).context["key"]
    review_url = client.post(url, {**answers(code), "idempotency_key": key})["Location"]
    response = client.post(review_url, review_post(client, url, key))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert not Filing.objects.filter(procedure_code=code).exists()
    asked = client.get(response["Location"]).content.decode()  # why, and what follows the password
    assert "Nhập lại mật khẩu để nộp hồ sơ" in asked and "hồ sơ được nộp ngay" in asked
    refused = client.post(response["Location"], {"password": "wrong-Pass-1", "next": review_url})
    assert refused.status_code == 200 and "Mật khẩu không đúng." in refused.content.decode()
    assert not Filing.objects.filter(procedure_code=code).exists()
    response = client.post(REAUTHENTICATE, {"password": "x-Pass-2026!", "next": review_url})
    filing = Filing.objects.get(procedure_code=code)  # the answers given before, not typed again
    assert response.status_code == 302 and response["Location"] == reverse("public_services:filing", args=[filing.pk])
    assert filing.data[PHONE[code]] == "+84912345678"


@pytest.mark.parametrize("code", MOVE_THE_MONEY)
def test_a_returned_filing_that_moves_the_benefits_money_is_sent_again_only_after_the_password(
        owner, province_officer, code):
    filing = submit(owner, code)
    filing_receive(filing=filing, officer=province_officer)  # the move's filing is the new place's agency's
    filing_return(filing=filing, officer=province_officer, what="Ghi rõ địa chỉ")
    client = logged(owner)
    url = reverse("public_services:edit", args=[filing.pk])
    response = client.post(url, correction(filing, code, phone="0987654321", new_phone="0987654321"))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.RETURNED
    response = client.post(REAUTHENTICATE, {"password": "x-Pass-2026!", "next": url})
    assert response.status_code == 302 and response["Location"] == reverse("public_services:filing", args=[filing.pk])
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.status != Filing.Status.RETURNED
    assert filing.data[PHONE[code]] == "+84987654321"
