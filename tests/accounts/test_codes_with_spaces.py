"""A code typed or pasted with spaces ("7901 234 567", a CCCD as "079 088 012 345") is read as the
code once the spaces are dropped (CodeField): the page's box must let the whole of it in, as a
browser cuts whatever goes past an input's maxlength without a word."""

import re

import pytest
from django.conf import settings

from accounts.models import Registration, User

from .helpers import declaration_data, make_person, register

pytestmark = pytest.mark.usefixtures("reference_data")

SPACED = {
    "bhxh_code": "7901 234 567",
    "id_number": "079 088 012 345",
    "reference": "DK 2612 ABC 234",
}


def box_limit(html: str, name: str) -> int | None:
    """The maxlength of the input named `name`, None when the box has none."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert tag, f"no input {name}"
    limit = re.search(r'\bmaxlength="(\d+)"', tag.group())
    return int(limit.group(1)) if limit else None


@pytest.mark.parametrize(("url", "names"), [
    ("/dang-ky/", ["bhxh_code", "id_number"]),
    ("/dang-ky/tra-cuu/", ["reference", "bhxh_code"]),
    ("/tra-cuu/ma-so-bhxh/", ["id_number"]),
])
def test_the_boxes_take_a_code_typed_with_spaces_whole(client, db, url, names):
    html = client.get(url).content.decode()
    for name in names:
        limit = box_limit(html, name)
        assert limit is None or limit >= len(SPACED[name]), f"{url} {name}: maxlength {limit} cuts {SPACED[name]!r}"


def test_a_declaration_with_spaced_codes_goes_through_and_a_spaced_lookup_finds_it(client, db):
    make_person()
    response = client.post("/dang-ky/", declaration_data(bhxh_code=SPACED["bhxh_code"], id_number=SPACED["id_number"]))
    assert response.status_code == 302 and response["Location"] == "/dang-ky/anh/"

    register(client)
    reference = Registration.objects.get().reference
    spaced_reference = f"{reference[:2]} {reference[2:6]} {reference[6:]}"
    response = client.post("/dang-ky/tra-cuu/", {"reference": spaced_reference.lower(), "bhxh_code": SPACED["bhxh_code"],
                                                 "birth_date": "15/03/1988"})
    assert response.status_code == 302 and "/dang-ky/ho-so/" in response["Location"]


def test_a_code_still_too_long_once_the_spaces_are_gone_is_refused_in_vietnamese(client, db):
    make_person()
    response = client.post("/dang-ky/", declaration_data(bhxh_code="7901 234 5678", id_number="079 088 012 3456"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số giấy tờ dài tối đa 12 ký tự" in html
    assert "Mã số BHXH gồm đúng 10 chữ số." in html


@pytest.mark.parametrize("url", ["/dang-ky/", "/dang-ky/tra-cuu/", "/ca-nhan/dang-ky-cho-con/"])
@pytest.mark.parametrize("code", ["79012345678", "7901 234 5678", "1" * 200])
def test_a_social_insurance_code_too_long_is_refused_once(client, db, url, code):
    """Too long is one way of not being 10 digits: the field says so once, not also "at most 10
    characters" beside it and in the error summary."""
    if url.startswith("/ca-nhan/"):
        client.force_login(User.objects.create_user("7901234567", password="x-Pass-2026!", person=make_person()))
    response = client.post(url, {"bhxh_code": code, "reference": "DK2612ABC234"})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["bhxh_code"] == ["Mã số BHXH gồm đúng 10 chữ số."]
    html = response.content.decode()
    assert html.count("Mã số BHXH gồm đúng 10 chữ số.") == 2  # in the summary and beside the field
    assert "tối đa 10 ký tự" not in html


@pytest.mark.parametrize("language, title", [("vi", "Tra cứu trạng thái đăng ký – "),
                                             ("en", "Check the status of a registration – ")])
def test_the_status_lookup_is_titled_as_its_heading(client, language, title):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/dang-ky/tra-cuu/").content.decode()
    assert f"<title>{title}" in html
