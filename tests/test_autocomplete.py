"""Autocomplete tokens say whose data a field holds (WCAG 1.3.5): the citizen's own birthday and
phone for their own fields, none for another person's (a child's birth date, the authorised
person's phone), where the browser would otherwise offer the citizen's own."""

import re

import pytest

from tests.public_services.helpers import owner  # noqa: F401 (fixture)


def autocomplete_of(html: str, field: str) -> str | None:
    tag = re.search(rf'<input\b[^>]*\bname="{field}"[^>]*>', html).group(0)
    token = re.search(r'\bautocomplete="([^"]*)"', tag)
    return token and token.group(1)


@pytest.mark.django_db
def test_the_childs_birth_date_is_not_offered_the_parents_birthday(client, owner):  # noqa: F811
    client.force_login(owner)
    assert autocomplete_of(client.get("/ca-nhan/dang-ky-cho-con/").content.decode(), "birth_date") == "off"
    client.logout()
    assert autocomplete_of(client.get("/dang-ky/").content.decode(), "birth_date") == "bday"  # one's own


@pytest.mark.django_db
def test_the_authorised_persons_phone_is_not_offered_the_citizens_own(client, owner):  # noqa: F811
    client.force_login(owner)
    html = client.get("/dich-vu-cong/uy-quyen-nhan-thay/").content.decode()
    assert autocomplete_of(html, "authorised_phone") == "off"
    assert autocomplete_of(html, "phone") == "tel"  # one's own
