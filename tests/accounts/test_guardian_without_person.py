"""A guardian's login without a person record of its own has no records to show, only its
children's: the pages that say it has none lead it to the list of children to choose from, and a
login without children (clinic staff, officers) is not offered one."""

import re

import pytest

from accounts.models import User
from tests.benefits.helpers import child_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

PAGES = ["/qua-trinh-tham-gia/", "/thong-tin-huong/", "/thong-tin-huong/uoc-tinh/", "/the-bhyt/",
         "/so-kham-chua-benh/"]
LINK = '<a href="/ca-nhan/#tai-khoan-cua-con">Xem thông tin của con</a>'


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("path", PAGES)
def test_a_guardian_without_a_person_record_is_led_to_the_children_list(client, path):
    guardian = User.objects.create_user("guardian", password="x-Pass-2026!")
    child_of(guardian)
    client.force_login(guardian)
    page = text(client.get(path))
    assert LINK in page, path
    assert "chọn con trong mục «Tài khoản của con»" in page
    assert 'id="tai-khoan-cua-con"' in text(client.get("/ca-nhan/"))  # where the link leads


@pytest.mark.parametrize("path", PAGES)
def test_a_login_without_a_person_record_or_children_is_not_offered_the_link(client, path):
    client.force_login(User.objects.create_user("staff", password="x-Pass-2026!"))
    assert "tai-khoan-cua-con" not in text(client.get(path))


def test_a_guardian_viewing_a_child_is_not_offered_the_link(client):
    guardian = User.objects.create_user("guardian", password="x-Pass-2026!")
    child = child_of(guardian)
    client.force_login(guardian)
    client.post("/ca-nhan/xem/", {"child": str(child.pk)})
    for path in PAGES:
        assert "Xem thông tin của con</a>" not in text(client.get(path)), path
