"""The names a visitor types on the accounts pages (registration, a child's account, the BHXH-code
lookup) get the portal's name field: invisible characters removed before the required check, and
letters only."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import ChildRegistrationForm, DeclarationForm
from accounts.views.code_lookup import CodeLookupForm

NOT_A_NAME = ("Họ và tên chỉ được gồm chữ cái, dấu cách và các dấu gạch nối (-), nháy đơn (') hoặc chấm (.); "
              "không được có chữ số hay ký hiệu.")
FIELDS = [(DeclarationForm, "full_name", "Nhập họ và tên."),
          (ChildRegistrationForm, "full_name", "Nhập họ và tên của trẻ."),
          (CodeLookupForm, "full_name", "Nhập họ và tên.")]


@pytest.mark.parametrize(("form", "name", "required"), FIELDS)
def test_a_name_of_invisible_characters_is_asked_for(form, name, required):
    field = form.base_fields[name]
    with pytest.raises(ValidationError) as refused:
        field.clean("\u200b\u200b\u2060")
    assert refused.value.messages == [required]


@pytest.mark.parametrize(("form", "name", "required"), FIELDS)
def test_a_name_with_digits_or_emoji_is_refused(form, name, required):
    field = form.base_fields[name]
    for typed in ("Nguyễn Văn 123", "😀", "<i>An</i>"):
        with pytest.raises(ValidationError) as refused:
            field.clean(typed)
        assert refused.value.messages == [NOT_A_NAME]
    assert field.clean(" Nguyễn\u200b  Văn Đức ") == "Nguyễn Văn Đức"


def test_the_parent_name_of_the_code_lookup_is_a_name_too():
    field = CodeLookupForm.base_fields["parent_name"]
    assert field.clean("\u200b") == ""
    assert field.clean("Trần Thị  Lan") == "Trần Thị Lan"
