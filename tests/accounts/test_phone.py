"""A wrong mobile number on the registration form is explained once: one line in the error
summary, one message beside the field (one id="id_phone_error"), whatever is wrong with it."""

import pytest

from accounts.forms import DeclarationForm

from .helpers import declaration_data, make_person

pytestmark = pytest.mark.usefixtures("reference_data")

MOBILE_INVALID = "Nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."

# Not a number at all, too short, too long, a landline, an old 11-digit mobile, a foreign number.
WRONG = ["12345", "abc", "091234567", "09123456789", "02838123456", "01234567890", "+14155550100"]


@pytest.mark.parametrize("phone", WRONG)
def test_a_wrong_phone_gives_one_error(db, phone):
    form = DeclarationForm(data=declaration_data(phone=phone))
    assert not form.is_valid()
    assert form.errors["phone"] == [MOBILE_INVALID]


@pytest.mark.parametrize("phone", ["12345", "02838123456"])
def test_the_registration_page_shows_a_wrong_phone_once_in_the_summary_and_once_beside_the_field(client, db, phone):
    make_person()
    response = client.post("/dang-ky/", declaration_data(phone=phone))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(MOBILE_INVALID) == 2  # the summary link and the message beside the field
    assert html.count(f'<a href="#id_phone">{MOBILE_INVALID}</a>') == 1
    assert html.count('id="id_phone_error"') == 1


def test_a_missing_phone_asks_for_it(db):
    form = DeclarationForm(data=declaration_data(phone=""))
    assert form.errors["phone"] == ["Nhập số điện thoại di động."]


def test_a_vietnamese_mobile_is_accepted_in_national_or_international_form(db):
    for phone in ("0987654321", "0987 654 321", "+84987654321"):
        form = DeclarationForm(data=declaration_data(phone=phone))
        form.is_valid()
        assert "phone" not in form.errors, (phone, form.errors)


def test_a_stored_number_is_shown_the_way_it_is_typed():
    """A filing keeps the number as E.164; the correction form shows it back in national form."""
    from django import forms

    from accounts.forms import VnMobileField

    class Form(forms.Form):
        phone = VnMobileField()

    html = str(Form(initial={"phone": "+84786414824"})["phone"])
    assert 'value="0786 414 824"' in html and "+84" not in html
    assert Form(data={"phone": "0786 414 824"}).is_valid()
    assert 'value="+1 202"' in str(Form(initial={"phone": "+1 202"})["phone"])  # not a number: left as it is
