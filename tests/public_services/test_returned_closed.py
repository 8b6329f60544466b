"""A returned filing whose procedure has closed to the person since (the card expired, the benefit
ended) cannot be sent again: its pages say why instead of offering the correction, the citizen may
withdraw it and the officer reject it, so it does not hold the procedure open for ever."""

import datetime

import pytest
from django.utils import timezone

from health_card.models import Card
from notifications.models import Message
from public_services.models import Filing
from public_services.procedures import registry
from public_services.selectors import open_filing_of
from public_services.services import filing_reject, filing_return, filing_withdraw
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import district_officer, logged, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

EXPIRED = "Thẻ BHYT của Nguyễn Văn Đức đã hết hạn nên không cấp lại được"


@pytest.fixture
def returned(owner, district_officer, facility):  # noqa: F811
    """A card reissue returned for correction, whose card has expired since."""
    card = issue(owner.person, facility)
    filing = filing_return(filing=submit(owner, "BHYT-CL"), officer=district_officer, what="Ghi rõ nơi mất thẻ")
    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    return filing


def test_the_status_page_says_why_instead_of_offering_the_correction(owner, returned):
    html = logged(owner).get(f"/dich-vu-cong/ho-so/{returned.pk}/").content.decode()
    assert EXPIRED in html and "không nộp lại được nữa" in html
    assert "Sửa và nộp lại hồ sơ" not in html and f"/dich-vu-cong/ho-so/{returned.pk}/sua/" not in html
    assert f"/dich-vu-cong/ho-so/{returned.pk}/rut/" in html


def test_the_correction_page_says_why_and_takes_nothing(owner, returned):
    client = logged(owner)
    page = client.get(f"/dich-vu-cong/ho-so/{returned.pk}/sua/")
    html = page.content.decode()
    assert page.status_code == 200 and EXPIRED in html and 'name="reason"' not in html
    assert client.post(f"/dich-vu-cong/ho-so/{returned.pk}/sua/", {"reason": "mat"}).status_code == 403
    assert Filing.objects.get(pk=returned.pk).status == Filing.Status.RETURNED


def test_the_procedures_form_does_not_ask_to_resubmit_it(owner, returned):
    html = logged(owner).get(f"/dich-vu-cong/{registry.get('BHYT-CL').slug}/").content.decode()
    assert returned.tracking_number in html and "không nộp lại được nữa" in html
    assert "hãy sửa và nộp lại chính hồ sơ đó" not in html


def test_the_citizen_withdraws_it_and_may_file_again(owner, returned):
    client = logged(owner)
    assert client.get(f"/dich-vu-cong/ho-so/{returned.pk}/rut/").status_code == 200
    client.post(f"/dich-vu-cong/ho-so/{returned.pk}/rut/")
    assert Filing.objects.get(pk=returned.pk).status == Filing.Status.WITHDRAWN
    assert open_filing_of(person=owner.person, procedure=registry.get("BHYT-CL")) is None


def test_a_returned_filing_still_open_to_resubmit_may_be_withdrawn_too(owner, district_officer):
    filing = filing_return(filing=submit(owner), officer=district_officer, what="Bổ sung ảnh sổ cũ")
    html = logged(owner).get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert "Sửa và nộp lại hồ sơ" in html and f"/dich-vu-cong/ho-so/{filing.pk}/rut/" in html
    assert filing_withdraw(filing=filing, user=owner).status == Filing.Status.WITHDRAWN


def test_the_officer_rejects_it_from_the_admin(owner, district_officer, returned):
    client = logged(district_officer)
    html = client.get(f"/quan-tri/public_services/filing/{returned.pk}/change/").content.decode()
    assert f"/quan-tri/public_services/filing/{returned.pk}/ghi-chu/reject/" in html
    client.post(f"/quan-tri/public_services/filing/{returned.pk}/ghi-chu/reject/",
                {"note": "Thẻ đã hết hạn: không cấp lại thẻ đã hết hạn"})
    filing = Filing.objects.get(pk=returned.pk)
    assert filing.status == Filing.Status.REJECTED and filing.finished_at
    assert filing.note == "Thẻ đã hết hạn: không cấp lại thẻ đã hết hạn"


def test_the_reject_service_ends_a_returned_filing(owner, district_officer, returned):
    assert filing_reject(filing=returned, officer=district_officer, reason="Thẻ đã hết hạn").status == \
        Filing.Status.REJECTED


def test_its_sms_points_to_the_correction_only_while_it_can_be_sent_again(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    open_one = filing_return(filing=submit(owner, "BHYT-CL"), officer=district_officer, what="Ghi rõ nơi mất thẻ")
    sms = Message.objects.filter(channel=Message.Channel.SMS, template="public_service_filing").latest("pk")
    assert open_one.tracking_number in sms.body and "sửa trên Cổng BHXH số: Ghi rõ nơi mất thẻ." in sms.body
    filing_reject(filing=open_one, officer=district_officer, reason="Trùng hồ sơ")
    filing = submit(owner, "BHYT-CL")
    Card.objects.filter(person=owner.person).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    closed = filing_return(filing=filing, officer=district_officer, what="Ghi rõ nơi mất thẻ")
    sms = Message.objects.filter(channel=Message.Channel.SMS, template="public_service_filing").latest("pk")
    assert closed.tracking_number in sms.body and "sửa trên Cổng" not in sms.body
    assert sms.body.endswith(" – cần bổ sung, sửa đổi: Ghi rõ nơi mất thẻ.")


def test_a_filing_still_in_the_agencys_hands_says_nothing_of_sending_it_again(owner, district_officer, facility):  # noqa: F811
    """Only a returned filing is sent again: one the agency is handling, or has finished, whose card has
    expired since, is not said to be closed to a resubmission nobody asked for."""
    card = issue(owner.person, facility)
    filing = submit(owner, "BHYT-CL")
    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    client = logged(owner)
    for step in (lambda: None, lambda: filing_reject(filing=filing, officer=district_officer, reason="Thẻ đã hết hạn")):
        step()
        html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
        assert EXPIRED not in html and "không nộp lại được nữa" not in html
