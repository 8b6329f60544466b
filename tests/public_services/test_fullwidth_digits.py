"""A number typed in fullwidth digits ("０７９…", as some keyboards type them) is the number its
digits stand for: it is checked and stored as ASCII digits, so it cannot pass for another number
beside the same one in ASCII. Other scripts' digits are refused."""

import datetime

import pytest

from accounts.models import Person
from public_services.services import filing_complete, filing_receive, filing_start
from tests.accounts.helpers import make_person

from .helpers import answers, district_officer, owner, submit  # noqa: F401
from .test_form_messages import form

pytestmark = pytest.mark.django_db

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
TAKEN = "Số CCCD này đã có trong hồ sơ BHXH của người khác"


def new_cccd(number):
    return {"changes": ["sex", "id_number"], "new_full_name": "", "new_birth_date": "", "new_sex": "2",
            "new_id_number": number}


def test_608a_refuses_another_persons_cccd_typed_in_fullwidth_digits(owner):
    make_person("7909990002", "Trần Thị Lan", birth=datetime.date(1988, 6, 1), sex=2, id_number="079188012345")
    errors = form("608A", owner.person, **new_cccd("079188012345".translate(FULLWIDTH))).errors
    assert TAKEN in " ".join(errors["new_id_number"])


def test_608a_stores_and_writes_a_fullwidth_cccd_in_ascii_digits(owner, district_officer):
    filing = submit(owner, "608A", **new_cccd("0791 8801 2345".translate(FULLWIDTH)))
    assert filing.data["new_id_number"] == "079188012345"
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    filing_complete(filing=filing, officer=district_officer)
    assert Person.objects.get(pk=owner.person_id).id_number == "079188012345"


@pytest.mark.parametrize(("code", "field", "overrides"), [
    ("608A", "new_id_number", new_cccd("079188012345".translate(ARABIC_INDIC))),
    ("UY-QUYEN", "authorised_id_number", {"authorised_id_number": "079190012345".translate(ARABIC_INDIC)}),
])
def test_other_scripts_digits_are_not_a_cccd(owner, code, field, overrides):
    assert form(code, owner.person, **overrides).errors[field] == ["Số CCCD gồm đúng 12 chữ số."]


def test_the_authorised_person_is_not_the_citizen_in_fullwidth_digits(owner):
    errors = form("UY-QUYEN", owner.person, authorised_birth_date="15/03/1988",
                  authorised_id_number=owner.person.id_number.translate(FULLWIDTH)).errors
    assert errors["authorised_id_number"] == ["Người được ủy quyền phải là người khác, không phải người ủy quyền."]


def test_a_fullwidth_authorised_cccd_is_stored_in_ascii_digits(owner):
    bound = form("UY-QUYEN", owner.person, authorised_id_number="079190012345".translate(FULLWIDTH))
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["authorised_id_number"] == "079190012345"


def test_a_fullwidth_account_number_is_stored_in_ascii_digits(owner):
    from public_services.banks import bank_choices

    bound = form("THAY-DOI-CHI-TRA", owner.person, method="tai_khoan", bank=bank_choices()[0][0],
                 account_number="0123 4567 8901".translate(FULLWIDTH), account_holder="NGUYEN VAN DUC")
    assert bound.errors == {}
    assert bound.cleaned_data["account_number"] == "012345678901"
