"""Fixtures of the BHYT card tests: fresh signing keys, a demo-like holder with a card, a stranger,
clinic staff of a KCB facility."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import CLINIC_STAFF, sync_groups
from health_card import keys
from health_card.beneficiary_data import load
from health_card.models import BeneficiaryGroup, BenefitLevel, Card
from health_card.services import card_issue
from lookup.models import Agency, MedicalFacility
from tests.accounts.helpers import logged as logged_in  # noqa: F401 (the health-card tests' name)
from tests.accounts.helpers import make_person


@pytest.fixture(autouse=True)
def signing_keys(settings, tmp_path):
    """Two keys of our own for every test: 1001 signs (highest id), 1000 is an older one."""
    settings.HEALTH_CARD_SIGNING_KEYS = {"1000": keys.new_private_key_text(), "1001": keys.new_private_key_text()}
    settings.HEALTH_CARD_SIGNING_KEY_ID = ""
    settings.HEALTH_CARD_DEV_KEY_FILE = tmp_path / "dev-keys.json"
    keys._synced.clear()
    yield settings.HEALTH_CARD_SIGNING_KEYS


@pytest.fixture
def facility(reference_data):
    return MedicalFacility.objects.filter(province__code="79", bhyt_contract=True).order_by("code").first()


@pytest.fixture
def other_facility(reference_data, facility):
    return MedicalFacility.objects.filter(province__code="79", bhyt_contract=True).exclude(pk=facility.pk).order_by("code").first()


def issue(person, facility, *, group="DN", valid_from=None, valid_to=None):
    """A card as a test's starting state: its holder is not told of it. Valid from 01/01/2024 and
    issued on 05/01/2024, or for a holder born since (a child, whenever the tests run) from the
    birth, and never issued nor valid before it."""
    load(BenefitLevel, BeneficiaryGroup)  # flushed by transactional tests: the migration's rows come back
    card = card_issue(person=person, group=BeneficiaryGroup.objects.get(code=group), facility=facility,
                      agency=Agency.objects.get(code="07901"),
                      valid_from=valid_from or max(datetime.date(2024, 1, 1), person.birth_date), valid_to=valid_to,
                      issued_on=max(datetime.date(2024, 1, 5), person.birth_date), notify=False)
    assert min(card.issued_on, card.valid_from) >= person.birth_date, "a card dated before its holder's birth"
    return card


@pytest.fixture
def holder(reference_data, facility):
    person = make_person()
    user = User.objects.create_user(username=person.bhxh_code, password="x-Strong-Pass-2026", person=person)
    issue(person, facility)
    return user


@pytest.fixture
def card(holder):
    return Card.objects.get(person=holder.person, status=Card.Status.ACTIVE)


@pytest.fixture
def stranger(reference_data, other_facility):
    person = make_person("7909999999", "Trần Thị Bình", birth=datetime.date(1990, 5, 2), sex=2, id_number="079190012345")
    user = User.objects.create_user(username=person.bhxh_code, password="x-Strong-Pass-2026", person=person)
    issue(person, other_facility, group="GD")
    return user


@pytest.fixture
def clinic_user(reference_data, facility):
    groups = sync_groups(Group, Permission)
    user = User.objects.create_user(username="nhanvienkcb", password="x-Strong-Pass-2026", facility=facility,
                                    is_staff=True, first_name="Hà", last_name="Phạm Thu")
    user.groups.add(groups[CLINIC_STAFF])
    return user


