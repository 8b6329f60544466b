"""Banks of the "change of payment method" procedure: the list with NAPAS BINs, the choices of the
form's select, and the account-number check with its Vietnamese messages."""

import pytest
from django.core.exceptions import ValidationError

from public_services.banks import BANKS, bank_by_code, bank_choices, validate_account_number


def message(bank_code, number) -> str:
    with pytest.raises(ValidationError) as error:
        validate_account_number(bank_code, number)
    return " ".join(error.value.messages)


@pytest.mark.parametrize("code,short_name,bin_", [
    ("VCB", "Vietcombank", "970436"), ("ICB", "VietinBank", "970415"), ("BIDV", "BIDV", "970418"),
    ("VBA", "Agribank", "970405"), ("TCB", "Techcombank", "970407"), ("MB", "MB", "970422"),
    ("ACB", "ACB", "970416"), ("VPB", "VPBank", "970432"), ("STB", "Sacombank", "970403"),
    ("TPB", "TPBank", "970423"), ("HDB", "HDBank", "970437"), ("VIB", "VIB", "970441"),
    ("SHB", "SHB", "970443"), ("SEAB", "SeABank", "970440"), ("OCB", "OCB", "970448"),
    ("MSB", "MSB", "970426"), ("EIB", "Eximbank", "970431"), ("LPB", "LPBank", "970449"),
    ("NAB", "Nam A Bank", "970428"), ("BAB", "BacABank", "970409"),
])
def test_the_main_banks_and_their_bins(code, short_name, bin_):
    bank = bank_by_code(code)
    assert (bank.short_name, bank.bin) == (short_name, bin_)


def test_codes_and_bins_are_unique():
    assert len({bank.code for bank in BANKS}) == len(BANKS)
    bins = [bank.bin for bank in BANKS if bank.bin]
    assert len(set(bins)) == len(bins) and all(len(b) == 6 and b.isdigit() for b in bins)


def test_choices_for_a_select():
    choices = bank_choices()
    assert len(choices) == len(BANKS)
    assert ("VCB", "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam") in choices
    labels = [label.casefold() for _code, label in choices]
    assert labels == sorted(labels)


def test_a_valid_number_comes_back_without_spaces():
    assert validate_account_number("VCB", "0071 0012 34567") == "0071001234567"
    assert validate_account_number("vcb", "123456") == "123456"  # code case does not matter
    assert validate_account_number("TCB", "1" * 18 + "2") == "1" * 18 + "2"  # 19 digits


def test_letters_and_signs_are_refused():
    assert message("VCB", "0071-0012") == "Số tài khoản chỉ gồm chữ số (0–9), không có chữ cái hay ký hiệu."
    assert message("VCB", "12ab5678").startswith("Số tài khoản chỉ gồm chữ số")
    assert message("VCB", "１２３４５６７").startswith("Số tài khoản chỉ gồm chữ số")  # full-width digits


def test_length_is_6_to_19_digits():
    assert message("BIDV", "12345") == "Số tài khoản gồm từ 6 đến 19 chữ số; bạn đã nhập 5 chữ số."
    assert message("BIDV", "1234567890 1234567890") == "Số tài khoản gồm từ 6 đến 19 chữ số; bạn đã nhập 20 chữ số."


def test_one_repeated_digit_is_refused():
    assert message("MB", "0000 0000") == (
        "Số tài khoản không thể gồm toàn một chữ số lặp lại. Hãy kiểm tra lại trên thẻ hoặc sổ tài khoản."
    )


def test_an_unknown_bank_or_an_empty_number():
    assert message("XYZ", "12345678") == "Chọn ngân hàng trong danh sách."
    assert message("VCB", "   ") == "Nhập số tài khoản."
