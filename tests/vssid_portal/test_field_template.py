"""The portal's field template: a field's messages sit under one id that the input's
aria-describedby names, so a screen reader reads every one of them, not the first only."""

import re

from django import forms


class PasswordForm(forms.Form):
    password = forms.CharField(label="Mật khẩu", help_text="Ít nhất 10 ký tự.")


def test_every_message_of_a_field_is_under_the_one_id_the_input_names():
    form = PasswordForm({"password": "abc"})
    form.is_valid()
    form.add_error("password", "Mật khẩu quá ngắn.")
    form.add_error("password", "Mật khẩu này quá phổ biến.")
    html = form["password"].as_field_group()
    assert html.count('id="id_password_error"') == 1
    described = re.search(r'<input[^>]*aria-describedby="([^"]+)"', html).group(1).split()
    assert described == ["id_password_helptext", "id_password_error"]
    messages = re.search(r'<span class="error-message" id="id_password_error">(.*?)</span>\s*<input', html, re.S).group(1)
    assert "Mật khẩu quá ngắn." in messages and "Mật khẩu này quá phổ biến." in messages
    assert messages.count('<span class="visually-hidden">Lỗi:</span>') == 2


def test_a_field_without_errors_has_no_error_element():
    html = PasswordForm()["password"].as_field_group()
    assert "_error" not in html and 'aria-describedby="id_password_helptext"' in html


def test_a_date_takes_fullwidth_digits_and_refuses_other_scripts_digits():
    import datetime

    from django.core.exceptions import ValidationError

    from vssid_portal.forms import DateOrYearField, DayMonthYearField

    field = DayMonthYearField(error_messages={"invalid": "Nhập ngày dạng dd/mm/yyyy."})
    assert field.clean("１５/０３/１９８８") == datetime.date(1988, 3, 15)
    for other_script in ("1٥/03/1988", "15/03/١٩٨٨", "१५/03/1988"):
        try:
            field.clean(other_script)
        except ValidationError as error:
            assert error.messages == ["Nhập ngày dạng dd/mm/yyyy."]
        else:
            raise AssertionError(other_script)
    assert DateOrYearField().clean("１９９０") == 1990 and DateOrYearField().clean("15/03/1988") == datetime.date(1988, 3, 15)
