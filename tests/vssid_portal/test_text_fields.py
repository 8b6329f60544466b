"""The shared text fields: characters nobody types on purpose (format and control characters,
noncharacters) are removed before a field's required check, and a person's name is made of
letters with the usual name punctuation."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from vssid_portal.forms import NameField, TextField
from vssid_portal.text import clean_text, fold, is_person_name, normalize_name

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u202e\u00ad"  # zero-width, word joiner, BOM, bidi override, soft hyphen


def test_format_control_and_noncharacters_are_removed():
    assert clean_text(f"Mất{INVISIBLE} sổ\x01\x1b[31m\ufffe\uffff\ufdd0\U0010fffe") == "Mất sổ[31m"
    assert clean_text("dòng 1\tcột\r\ndòng 2\rdòng 3") == "dòng 1 cột dòng 2 dòng 3"
    assert clean_text("dòng 1\tcột\r\ndòng 2\x0b\rdòng 3", multiline=True) == "dòng 1\tcột\ndòng 2 \ndòng 3"
    assert clean_text("Nguyễn Văn Đức, 12 Lê Lợi") == "Nguyễn Văn Đức, 12 Lê Lợi"


def test_a_name_loses_its_invisible_characters_wherever_it_is_stored_or_searched():
    assert normalize_name(f"Nguyễn{INVISIBLE} Văn\u200b Đức ") == "Nguyễn Văn Đức"
    assert normalize_name("\u200b\u200b") == ""
    assert fold("Ngu\u200byễn Văn Đức") == "nguyen van duc"


@pytest.mark.parametrize("name", [
    "Nguyễn Văn Đức", "Trần Thị Hồng Nhung", "Lê Việt Hưng", "Đặng Thị Ngọc Ánh", "H'Hen Niê", "Y-Moan Êban",
    "Mary O’Brien", "Nguyễn Văn A.", "NGUYEN VAN DUC", "Nguyễn Phúc Ưng Lịch", "\u0958" * 3, "Ðoàn Thị Ẩn",
])
def test_names_of_letters_and_name_punctuation_are_names(name):
    assert is_person_name(normalize_name(name))


@pytest.mark.parametrize("name", ["Nguyễn Văn 123", "😀😀", "Nguyễn 😀", "<b>Nguyễn</b>", "Trần_Thị", "- . '", ""])
def test_digits_symbols_markup_or_no_letter_are_not_a_name(name):
    assert not is_person_name(normalize_name(name))


class Sample(forms.Form):
    name = NameField(label="Họ và tên", error_messages={"required": "Nhập họ và tên."})
    note = TextField(label="Ghi chú", widget=forms.Textarea, error_messages={"required": "Nhập ghi chú."})
    address = TextField(label="Địa chỉ", error_messages={"required": "Nhập địa chỉ."})


def test_text_of_invisible_characters_only_gets_the_required_message():
    form = Sample(data={"name": "\u200b\u200b", "note": f"{INVISIBLE}\x01\ufffe", "address": "\u2060 \u200b"})
    assert form.errors == {"name": ["Nhập họ và tên."], "note": ["Nhập ghi chú."], "address": ["Nhập địa chỉ."]}


def test_a_name_that_is_not_a_name_is_told_so():
    form = Sample(data={"name": "Nguyễn Văn 123", "note": "x", "address": "x"})
    assert form.errors["name"] == ["Họ và tên chỉ được gồm chữ cái, dấu cách và các dấu gạch nối (-), nháy đơn (') "
                                   "hoặc chấm (.); không được có chữ số hay ký hiệu."]


def test_the_fields_give_what_is_stored():
    form = Sample(data={"name": " nguyễn\u200b  văn đức ", "note": "Mất sổ\r\n\x1bkhi chuyển nhà", "address": "12\tLê Lợi"})
    assert form.is_valid()
    assert form.cleaned_data == {"name": "nguyễn văn đức", "note": "Mất sổ\nkhi chuyển nhà", "address": "12 Lê Lợi"}
    with pytest.raises(ValidationError, match="Họ và tên dài tối đa 100 ký tự"):
        NameField().clean("\u0958" * 60)  # NFC makes it 120 characters


@pytest.mark.parametrize("typed", ["7901\x00234567", "\ufeff7901234567", "7901234567\u200b", "79\u2060 01 234 567"])
def test_a_code_pasted_with_a_character_nobody_types_is_read_without_it(typed):
    """Kept, a NUL or a zero-width space counted against the code's length and was refused once per
    check: two or three errors on a code that looks right, on every form with a code."""
    from vssid_portal.forms import CodeField

    assert CodeField(max_length=10).clean(typed) == "7901234567"


@pytest.mark.parametrize("typed", ["15-03-1988", "15.03.1988", "15.3.1988", "１５－０３－１９８８"])
def test_a_date_written_with_dashes_or_dots_is_read_as_with_slashes(typed):
    import datetime

    from vssid_portal.forms import DateOrYearField, DayMonthYearField

    assert DayMonthYearField().clean(typed) == datetime.date(1988, 3, 15)
    assert DateOrYearField().clean(typed) == datetime.date(1988, 3, 15)


@pytest.mark.parametrize("typed", ["15031988", "１５０３１９８８", " 15031988 "])
def test_a_date_typed_as_eight_digits_on_a_phones_number_pad_is_read_as_day_month_year(typed):
    """A date box brings up a phone's number pad (inputmode numeric), which on an iPhone has no slash,
    dash or dot: the day, month and year typed one after the other are the date."""
    import datetime

    from vssid_portal.forms import DateOrYearField, DayMonthYearField

    assert DayMonthYearField().clean(typed) == datetime.date(1988, 3, 15)
    assert DateOrYearField().clean(typed) == datetime.date(1988, 3, 15)


@pytest.mark.parametrize("typed, code", [("31021988", "nonexistent"), ("19880315", "nonexistent"),
                                         ("1531988", "invalid"), ("150319880", "invalid")])
def test_eight_digits_naming_no_day_are_told_so_with_the_date_they_read_as(typed, code):
    from vssid_portal.forms import DayMonthYearField

    with pytest.raises(ValidationError) as refused:
        DayMonthYearField().clean(typed)
    assert refused.value.code == code
    if code == "nonexistent":
        assert f"{typed[:2]}/{typed[2:4]}/{typed[4:]}" in str(refused.value.messages)


@pytest.mark.parametrize("typed, shown", [("31-02-1988", "31-02-1988"), ("29.02.2023", "29.02.2023")])
def test_a_date_with_dashes_or_dots_naming_no_day_is_told_so(typed, shown):
    from django.core.exceptions import ValidationError

    from vssid_portal.forms import DayMonthYearField

    with pytest.raises(ValidationError) as refused:
        DayMonthYearField().clean(typed)
    assert refused.value.code == "nonexistent" and shown in str(refused.value.messages)


@pytest.mark.parametrize("typed", ["15-03/1988", "1988-03-15", "15 03 1988"])
def test_a_date_with_mixed_or_reversed_separators_is_refused(typed):
    from django.core.exceptions import ValidationError

    from vssid_portal.forms import DayMonthYearField

    with pytest.raises(ValidationError) as refused:
        DayMonthYearField().clean(typed)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("typed", ["\ufeff15/03/1988", "15/03/1988\u200b", "15/\x0003/1988"])
def test_a_date_pasted_with_a_character_nobody_types_is_read_without_it(typed):
    import datetime

    from vssid_portal.forms import DateOrYearField, DayMonthYearField

    assert DayMonthYearField().clean(typed) == datetime.date(1988, 3, 15)
    assert DateOrYearField().clean(typed) == datetime.date(1988, 3, 15)
    assert DateOrYearField().clean("\ufeff1988") == 1988


@pytest.mark.parametrize("form_path, invalid", [
    ("public_services.forms.FeedbackForm", "Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@example.com."),
    ("public_services.procedures.fields.DeliveryForm", "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com."),
    ("accounts.forms.DeclarationForm", "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com."),
])
def test_every_email_field_tells_a_nul_once_and_drops_what_a_clipboard_adds(form_path, invalid, db):
    """The registration, the feedback form and the applications' delivery step ask for an e-mail:
    a NUL was told twice (malformed, and forbidden), a zero-width space was stored with the address."""
    from django.utils.module_loading import import_string

    form_class = import_string(form_path)
    extra = {"person": None} if form_path.endswith("DeliveryForm") else {}
    assert form_class(data={"email": "duc\x00@example.vn"}, **extra).errors["email"] == [invalid]
    form = form_class(data={"email": "\ufeffduc@example.vn\u200b"}, **extra)
    form.is_valid()
    assert "email" not in form.errors and form.cleaned_data["email"] == "duc@example.vn"
