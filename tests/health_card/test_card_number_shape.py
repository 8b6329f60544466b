"""The shape of a card number (DESIGN.md, "Identifiers"): the 10-digit BHXH code, the 12-digit CCCD, or the
15-character form of QĐ 1351/QĐ-BHXH, whose third character is the benefit level, 1 to 5. A number of another
shape is no card's, in a QR and typed alike: the QR is answered as not a card's QR, the typed number is asked
again, and neither is looked up."""

import pytest

from health_card import qr
from health_card.forms import TypedForm
from health_card.qr import Kind, QrError

from .card_fixtures import *  # noqa: F401,F403

REAL_OLD = ("DN401AA31900313|4cc3aa205669e1bb87742048c6b06e67|04/09/1985|1|4374|01 - 043|01/07/2017|31/12/2017|"
            "21/07/2017|01059710639215|-|4|01/07/2022|1f2fa22c47f0bd18-7102|$")


@pytest.mark.parametrize("level", ["1", "5"])
def test_an_old_card_number_with_a_benefit_level_of_1_to_5_is_read(level):
    assert qr.parse(REAL_OLD.replace("DN401", f"DN{level}01", 1)).fields.number == f"DN{level}01AA31900313"


@pytest.mark.parametrize("level", ["0", "6", "9"])
def test_an_old_card_number_with_no_benefit_level_is_no_cards_qr(level):
    with pytest.raises(QrError) as error:
        qr.parse(REAL_OLD.replace("DN401", f"DN{level}01", 1))
    assert error.value.kind == Kind.INVALID_QR


@pytest.mark.parametrize(("number", "accepted"), [
    ("7901234567", True), ("079088012345", True), ("HS4790123456789", True), ("HS5790123456789", True),
    ("HS0790123456789", False), ("HS6790123456789", False), ("790123456", False), ("79012345678", False),
])
def test_a_typed_card_number_is_taken_only_in_a_cards_shape(number, accepted):
    form = TypedForm({"so_the": number, "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"})
    assert form.is_valid() is accepted, form.errors
    assert ("so_the" in form.errors) is not accepted
