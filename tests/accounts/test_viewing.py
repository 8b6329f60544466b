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
    assert viewing(without_person, None) == {"person": None, "viewing_child": False, "has_children": False}


def test_a_guardian_without_a_person_record_sees_the_childs_benefits_by_name(client):
    guardian = User.objects.create_user("guardian", password="x-Pass-2026!")
    child = child_of(guardian)
    client.force_login(guardian)
    session = client.session
    session["viewing_person_id"] = child.pk
    session.save()
    html = client.get("/thong-tin-huong/").content.decode()
    assert "Các hồ sơ hưởng chế độ BHXH, BHTN của Nguyễn Gia Bảo" in html


@pytest.mark.parametrize("posted", [{"child": "CHILD"}, {}])
def test_a_switch_pressed_after_the_session_ended_leads_to_the_personal_page_after_login(client, posted):
    """"Xem thông tin" of a child or "Quay về tài khoản của tôi" pressed once the session had ended
    (logged in on another device, idle) leads to the login page, which comes back to the switch's
    address by a GET: it shows the personal page instead of a page that takes no such request."""
    parent = citizen()
    child = child_of(parent)
    data = {key: str(child.pk) for key in posted}
    response = client.post("/ca-nhan/xem/", data)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/?next=/ca-nhan/xem/"

    client.force_login(parent)
    response = client.get("/ca-nhan/xem/")
    assert response.status_code == 302 and response["Location"] == "/ca-nhan/"
    assert "viewing_person_id" not in client.session  # nothing switched by the GET
    assert client.get("/ca-nhan/").status_code == 200


def test_the_personal_page_of_a_child_does_not_offer_the_parents_security_settings(client):
    """The security page is the login's (its password, devices and sessions), not the child's: it
    is offered on the parent's own personal page, not among the child's records."""
    parent = citizen()
    child = child_of(parent)
    client.force_login(parent)
    assert "/tai-khoan/bao-mat/" in client.get("/ca-nhan/").content.decode()
    client.post("/ca-nhan/xem/", {"child": str(child.pk)})
    html = client.get("/ca-nhan/").content.decode()
    assert child.full_name in html and "/thong-tin-huong/" in html
    assert "/tai-khoan/bao-mat/" not in html


def test_a_guardian_without_a_person_record_is_told_whose_records_the_pages_show(client):
    """The box naming the child in view, with the way back, shows for a login without a person
    record of its own too: its pages showed the child's code, name and records without a word."""
    guardian = User.objects.create_user("guardian", password="x-Pass-2026!")
    child = child_of(guardian)
    client.force_login(guardian)
    session = client.session
    session["viewing_person_id"] = child.pk
    session.save()
    for path in ("/ca-nhan/", "/qua-trinh-tham-gia/", "/thong-tin-huong/"):
        html = client.get(path).content.decode()
        assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>." in html, path
        assert "Quay về tài khoản của tôi" in html, path


@pytest.mark.parametrize("path", ["/ca-nhan/", "/the-bhyt/", "/qua-trinh-tham-gia/"])
def test_a_parent_whose_guardianship_ended_while_viewing_is_told_the_pages_are_their_own(client, path):
    """The pages went back to the parent's own records without a word, as if they were the child's."""
    from accounts.models import Guardianship

    parent = citizen()
    child = child_of(parent)
    client.force_login(parent)
    client.post("/ca-nhan/xem/", {"child": str(child.pk)})
    client.get("/ca-nhan/")  # the switch's flash message
    Guardianship.objects.filter(parent=parent, child=child).delete()
    html = client.get(path).content.decode()
    assert "Bạn không còn xem được thông tin của người đã chọn" in html
    assert "Đang xem thông tin của" not in html
    assert "Bạn không còn xem được" not in client.get(path).content.decode()  # said once


def test_a_switch_to_a_child_who_has_turned_18_since_the_page_was_shown_says_so(client):
    """"Xem thông tin" pressed on a page shown before the child's 18th birthday answered a bare 404."""
    from accounts.selectors import adult_born_by

    parent = citizen()
    child = child_of(parent)
    client.force_login(parent)
    child.birth_date = adult_born_by()  # 18 today
    child.save(update_fields=["birth_date"])
    response = client.post("/ca-nhan/xem/", {"child": str(child.pk)}, follow=True)
    assert response.redirect_chain == [("/ca-nhan/", 302)]
    assert "Người này đã đủ 18 tuổi: bạn không còn xem được thông tin của họ." in response.content.decode()
    assert "viewing_person_id" not in client.session


def test_a_guardian_without_a_person_record_finds_their_children_on_the_personal_page(client):
    """The personal page listed a login's children only when the login had a person record of its
    own: a guardian without one had no way to open a child's records, nor another child's after one."""
    guardian = User.objects.create_user("guardian", password="x-Pass-2026!")
    child = child_of(guardian)
    other = child_of(guardian, code="7905555556", name="Nguyễn Gia Huy")
    client.force_login(guardian)
    html = client.get("/ca-nhan/").content.decode()
    assert "Tài khoản của con" in html
    assert f'name="child" value="{child.pk}"' in html and f'name="child" value="{other.pk}"' in html
    assert "/ca-nhan/dang-ky-cho-con/" not in html  # registering a child needs a person record of one's own

    client.post("/ca-nhan/xem/", {"child": str(child.pk)})
    html = client.get("/ca-nhan/").content.decode()
    assert f'name="child" value="{other.pk}"' in html and f'name="child" value="{child.pk}"' not in html


def test_switching_to_a_child_names_the_child_once(client):
    """The box naming the child in view is on the page the switch leads to: a message saying the
    same above it only repeated it."""
    parent = citizen()
    child = child_of(parent)
    client.force_login(parent)
    response = client.post("/ca-nhan/xem/", {"child": str(child.pk)}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/ca-nhan/", 302)]
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>." in html
    assert html.count("xem thông tin của") == 1
