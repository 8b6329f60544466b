"""Django's own form and field messages reach citizens in Vietnamese, also those Django's
Vietnamese catalogue leaves untranslated (locale/vi)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.parametrize(("field", "value", "message"), [
    (forms.CharField(), "Nguyễn\x00Văn", "Không được chứa ký tự rỗng (NUL)."),
    (forms.DurationField(), "mãi mãi", "Nhập một khoảng thời gian hợp lệ."),
    (forms.UUIDField(), "không-phải-uuid", "Nhập một mã UUID hợp lệ."),
    (forms.JSONField(), "{không", "Nhập một chuỗi JSON hợp lệ."),
])
def test_django_messages_missing_from_its_catalogue_are_vietnamese(field, value, message):
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        field.clean(value)
    assert raised.value.messages == [message]


@pytest.mark.django_db
def test_a_nul_character_in_a_public_form_is_answered_in_vietnamese(client, reference_data):
    html = client.get("/tra-cuu/co-quan-bhxh/", {"q": "Quận\x001"}).content.decode()
    assert "Không được chứa ký tự rỗng (NUL)." in html and "Null characters" not in html
