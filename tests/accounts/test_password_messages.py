"""The messages a refused password or login shows: the personal-data rule only where personal
data was found, and the login error once."""

import pytest
from django.utils import translation

from accounts.forms_auth import NewPasswordForm, PersonalDataValidator
from tests.accounts import test_otp
from tests.accounts.test_login import LOGIN
from tests.accounts.test_otp import make_citizen

pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixtures; pytest finds them as attributes of this module.
fresh_cache = test_otp.fresh_cache

PERSONAL_DATA = "Mật khẩu gần như chỉ gồm thông tin cá nhân của bạn"


@pytest.mark.parametrize("password", ["!!!!!!!!!!!!!!", "€€€€€€€€€€", "abc", "ab-cd", "Ngan-7!"])
def test_a_password_without_the_holders_data_is_not_called_personal(password):
    form = NewPasswordForm({"password1": password, "password2": password}, user=make_citizen())
    assert PERSONAL_DATA not in str(form.errors)


def test_a_short_password_is_told_it_is_short_and_nothing_more():
    form = NewPasswordForm({"password1": "Kq-7zv", "password2": "Kq-7zv"}, user=make_citizen())
    assert form.errors["password1"] == ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]
    form = NewPasswordForm({"password1": "abc", "password2": "abc"}, user=make_citizen(code="7907654321"))
    assert form.errors["password1"] == ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự.", "Mật khẩu này quá phổ biến."]


@pytest.mark.parametrize("minimum", [10, 12])
def test_the_password_help_gives_the_minimum_length_the_validators_set(settings, minimum):
    """The least length the help text asks for is the length validator's, as AUTH_PASSWORD_VALIDATORS
    sets it: changing it changes the help, in Vietnamese and English."""
    settings.AUTH_PASSWORD_VALIDATORS = [
        {**each, "OPTIONS": {"min_length": minimum}} if each["NAME"].endswith(".MinimumLengthValidator") else each
        for each in settings.AUTH_PASSWORD_VALIDATORS]
    form = NewPasswordForm(user=make_citizen())
    said = str(form.fields["password1"].help_text)
    assert said.startswith(f"Dùng ít nhất {minimum} ký tự") and "ít nhất 8 ký tự" not in said
    with translation.override("en"):
        assert str(form.fields["password1"].help_text).startswith(f"Use at least {minimum} characters")
    too_short = "Kq-7zv!" + "x" * (minimum - 8)
    form = NewPasswordForm({"password1": too_short, "password2": too_short}, user=make_citizen(code="7907654321"))
    assert form.errors["password1"] == [f"Mật khẩu quá ngắn: cần ít nhất {minimum} ký tự."]


def test_the_password_help_asks_no_least_length_the_validators_do_not_ask(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [each for each in settings.AUTH_PASSWORD_VALIDATORS
                                         if not each["NAME"].endswith(".MinimumLengthValidator")]
    said = str(NewPasswordForm(user=make_citizen()).fields["password1"].help_text)
    assert said.startswith("Tốt nhất dùng từ 12 ký tự trở lên") and "ít nhất" not in said


def test_personal_data_with_little_else_is_still_refused():
    user = make_citizen()
    for password in ("!!duc1988!!", "Đức!", "7901234567€€"):
        form = NewPasswordForm({"password1": password, "password2": password}, user=user)
        assert PERSONAL_DATA in str(form.errors), password


def test_the_personal_data_rule_says_social_insurance_code_in_english():
    """As every other English page does, not the Vietnamese abbreviation."""
    with translation.override("en"):
        form = NewPasswordForm({"password1": "!!duc1988!!", "password2": "!!duc1988!!"}, user=make_citizen())
        said = " ".join(form.errors["password1"]) + " " + PersonalDataValidator().get_help_text()
    assert said.count("social insurance code") == 2 and "BHXH" not in said


def test_the_login_error_is_shown_once(client):
    make_citizen()
    html = client.post(LOGIN, {"login": "7901234567", "password": "sai-mat-khau"}).content.decode()
    assert html.count("Mã số BHXH (tên đăng nhập) hoặc mật khẩu không đúng.") == 1
    assert 'class="error-summary"' in html
    html = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert html.count("Nhập mật khẩu.") == 2  # a field's error: in the summary and beside the field
