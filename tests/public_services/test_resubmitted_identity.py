"""A filing returned for correction and sent again is declared anew: the declaration of that revision,
and the officer's page, print the person's name, address, phone and registered e-mail as the registry
had them when it was sent, not as they were at its first submission. What the filing is about (the
BHYT card it asks to reissue) stays the one first filed about."""

import pytest
from phonenumber_field.phonenumber import PhoneNumber

from accounts.services.contact import person_change_contact
from lookup.models import Ward
from public_services.models import Filing
from public_services.services import filing_resubmit, filing_return
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import correction, district_officer, logged, owner, submit  # noqa: F401
from .test_procedures import pdf_text, squash

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"


def _returned_then_moved(owner, district_officer, code):
    """`code` filed, returned for correction; meanwhile the person's phone, address and login e-mail
    change in the registry."""
    filing = submit(owner, code)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ nội dung đề nghị")
    ward = Ward.objects.get(name="Phường Sài Gòn")
    person_change_contact(person=owner.person, phone=PhoneNumber.from_string("0933111222", region="VN"),
                          province=ward.province, ward=ward, street="77 Pasteur", email="moi@example.vn")
    filing.refresh_from_db()
    return filing


def _resubmitted(filing, owner, code):
    filing_resubmit(filing=filing, user=owner, data=correction(filing, code), uploads={}, revision=filing.revision)
    return Filing.objects.get(pk=filing.pk)


def test_the_resubmissions_declaration_prints_the_contact_details_registered_when_it_was_sent(
        owner, district_officer):
    code = "DOI-LIEN-HE"
    filing = _returned_then_moved(owner, district_officer, code)
    filing = _resubmitted(filing, owner, code)
    assert filing.revision == 2
    text = pdf_text(filing)
    assert "Nộplạilần2" in text
    assert squash("[05] Địa chỉ liên hệ đã đăng ký 77 Pasteur, Phường Sài Gòn") in text
    assert squash("[06] Điện thoại di động đã đăng ký 0933 111 222") in text
    assert squash("[07] Email đã đăng ký moi@example.vn") in text
    assert "0912345678" not in text and "7901234567@example.vn" not in text


def test_the_officers_page_shows_the_person_as_at_the_resubmission(owner, district_officer):
    code = "THAY-DOI-CHI-TRA"
    filing = _resubmitted(_returned_then_moved(owner, district_officer, code), owner, code)
    html = logged(district_officer).get(f"{QUEUE}{filing.pk}/change/").content.decode()
    identity = html[html.index("Người tham gia (theo hồ sơ BHXH khi nộp)"):]
    assert '<th scope="row">Điện thoại</th><td>0933 111 222</td>' in identity
    assert '<th scope="row">Địa chỉ</th><td>77 Pasteur, Phường Sài Gòn' in identity
    assert "0912 345 678</td>" not in identity[:identity.index("Nội dung kê khai")]
    assert squash("Địa chỉ 77 Pasteur, Phường Sài Gòn") in pdf_text(filing)


def test_a_resubmitted_card_reissue_still_asks_for_the_card_first_filed_about(owner, district_officer,
                                                                              facility):  # noqa: F811
    issue(owner.person, facility)
    code = "BHYT-CL"
    filing = _returned_then_moved(owner, district_officer, code)
    filing.identity = {**filing.identity, "bhyt_card_version": 7}  # as if another card were in use now
    filing.save(update_fields=["identity"])
    filing = _resubmitted(filing, owner, code)
    assert filing.identity["bhyt_card_version"] == 7 and filing.identity["phone"] == "0933 111 222"


def test_a_card_reissue_filed_before_cards_were_remembered_remembers_the_card_in_use_when_sent_again(
        owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    code = "BHYT-CL"
    filing = _returned_then_moved(owner, district_officer, code)
    filing.identity.pop("bhyt_card_version")
    filing.save(update_fields=["identity"])
    assert _resubmitted(filing, owner, code).identity["bhyt_card_version"] == 1
