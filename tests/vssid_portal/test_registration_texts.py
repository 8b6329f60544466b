"""The registration declaration says which fields are required the way the page shows it: no field
is marked with *, every optional field says "(không bắt buộc)" in its label."""

import re

import pytest

from accounts.forms import DeclarationForm

NOTE = "Tất cả các mục đều bắt buộc, trừ mục ghi (không bắt buộc)."


@pytest.mark.django_db
def test_the_declaration_names_its_optional_fields_as_the_page_shows_them(client, reference_data):
    html = client.get("/dang-ky/").content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    assert NOTE in main and "dấu *" not in main
    labels = re.findall(r"<label[^>]*>(.*?)</label>", main, re.S)
    assert labels and not [label for label in labels if "*" in label]  # no asterisk anywhere
    for name, field in DeclarationForm.base_fields.items():
        assert ("(không bắt buộc)" in str(field.label)) == (not field.required), name
        assert f">{field.label}</label>" in main, name
