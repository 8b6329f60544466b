"""The link to a portrait shown to someone other than the registrant (clinic staff checking a card,
a parent viewing a child's card) says nothing of the registration: its reference, with the BHXH
code on the card, opens the public status page and the declaration offered there."""

import datetime
import json
import re

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Guardianship, Registration
from health_card.qr import Purpose
from health_card.services import card_qr
from lookup.models import Agency
from tests.accounts.helpers import born_years_ago, cccd_for, jpeg, make_person, submit
from vssid_portal.files import _opened

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in


def link_payload(page: str) -> str:
    """What the link carries once opened with the portal's key (a link is sealed too: tests/vssid_portal/test_files.py)."""
    token = re.search(r'src="/tep/([^"/]+)/?"', page)[1]
    return json.dumps(_opened(token), ensure_ascii=False)


def test_a_clinic_checking_a_card_gets_a_portrait_link_without_the_registration_reference(facility, clinic_user):
    person = make_person("7905555556", "Lê Thị Mai", birth=datetime.date(1995, 8, 9), sex=2, id_number="079195012345")
    card = issue(person, facility)
    registration = submit(person)  # the registration the portrait comes from, as the citizen sent it
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.APPROVED, decided_at=timezone.now())
    client = logged_in(clinic_user)
    page = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}).content.decode()
    payload = link_payload(page)
    assert registration.reference not in payload
    assert client.get(re.search(r'src="(/tep/[^"]+)"', page)[1]).status_code == 200  # the portrait still shows


def test_a_parent_viewing_a_childs_card_gets_a_portrait_link_without_the_registration_reference(holder, facility):
    born = born_years_ago(2)  # a child under six whenever the tests run: the TE card runs past today
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    issue(child, facility, group="TE", valid_from=born)
    # The child's registration sent by the other parent: the portrait shown is theirs.
    registration = Registration.objects.create(
        reference="DK2612ABC234", person=child, status=Registration.Status.APPROVED, bhxh_code=child.bhxh_code,
        full_name=child.full_name, birth_date=child.birth_date, province=child.province, ward=child.ward,
        street="1", phone="+84912345679", agency=Agency.objects.get(code="07901"), decided_at=timezone.now())
    registration.portrait.save("portrait.jpg", ContentFile(jpeg().read()))
    client = logged_in(holder)
    session = client.session
    session["viewing_person_id"] = child.pk
    session.save()
    page = client.get("/the-bhyt/").content.decode()
    assert "DK2612ABC234" not in link_payload(page)
    assert client.get(re.search(r'src="(/tep/[^"]+)"', page)[1]).status_code == 200

