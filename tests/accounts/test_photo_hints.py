"""Every photo field of the registrations says which formats, size and number of pixels are accepted, read with
the field, the pixels in Vietnamese words ("triệu điểm ảnh"), not "megapixel"."""

import re

import pytest

from accounts.models import User

from .helpers import declaration_data, make_person

pytestmark = pytest.mark.usefixtures("reference_data")
LIMITS = "JPEG, PNG hoặc WebP, tối đa 10 MB và 40 triệu điểm ảnh."


def hint_of(html: str, name: str) -> str:
    """The hint the field's input is described by, checked through aria-describedby."""
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    return re.search(rf'<span class="hint" id="{described_by}">([^<]*)</span>', html).group(1)


def test_each_photo_of_the_citizen_registration_says_the_formats_and_size(client, db):
    make_person()
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    html = client.get("/dang-ky/anh/").content.decode()
    assert hint_of(html, "portrait") == f"Ảnh chụp rõ mặt, không đeo kính râm. {LIMITS}"
    assert hint_of(html, "id_front") == f"Chụp đủ bốn góc, rõ chữ. {LIMITS}"
    assert hint_of(html, "id_back") == f"Chụp đủ bốn góc, rõ chữ. {LIMITS}"


def test_each_photo_of_the_child_registration_says_the_formats_and_size(client, db):
    person = make_person()
    client.force_login(User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person))
    html = client.get("/ca-nhan/dang-ky-cho-con/").content.decode()
    for name in ("portrait", "id_front", "id_back"):
        assert hint_of(html, name) == LIMITS


def test_the_hints_in_english(client, db):
    make_person()
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    client.cookies["django_language"] = "en"
    html = client.get("/dang-ky/anh/").content.decode()
    assert hint_of(html, "id_back").endswith("JPEG, PNG or WebP, at most 10 MB and 40 megapixels.")
