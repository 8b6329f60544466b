"""Whose records a page shows: a child's pages say so by the child's name whenever the person in
view is not the login's own, a login without a person record of its own included (the card pages
said so, the benefit and visit pages spoke as if the records were the login's)."""

import pytest

from accounts.models import User
from accounts.selectors import viewing
from tests.benefits.helpers import child_of, citizen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_a_person_in_view_who_is_not_the_logins_own_is_a_child():
    parent = citizen()
    child = child_of(parent)
    without_person = User.objects.create_user("guardian", password="x-Pass-2026!")
    assert viewing(parent, parent.person)["viewing_child"] is False
    assert viewing(parent, child)["viewing_child"] is True
    assert viewing(without_person, child)["viewing_child"] is True
    assert viewing(without_person, None) == {"person": None, "viewing_child": False}


def test_a_guardian_without_a_person_record_sees_the_childs_benefits_by_name(client):
    guardian = User.objects.create_user("guardian", password="x-Pass-2026!")
    child = child_of(guardian)
    client.force_login(guardian)
    session = client.session
    session["viewing_person_id"] = child.pk
    session.save()
    html = client.get("/thong-tin-huong/").content.decode()
    assert "Các hồ sơ hưởng chế độ BHXH, BHTN của Nguyễn Gia Bảo" in html
