"""A parent registers a child's account; after approval the parent can switch to the child's records."""

import datetime

import pytest

from accounts.models import Guardianship, Registration, User
from accounts.services.registration import registration_approve
from lookup.models import Agency

from .helpers import jpeg, make_person, officer

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def parent(db, reference_data):
    person = make_person()
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


@pytest.fixture
def child(db, reference_data):
    return make_person("7905555555", "Nguyễn Gia Bảo", birth=datetime.date(2018, 6, 1), id_number="079218012345")


def child_form(**overrides):
    data = {"bhxh_code": "7905555555", "full_name": "Nguyễn Gia Bảo", "birth_date": "01/06/2018",
            "birth_certificate_number": "123/2018", "relationship": "cha",
            "agency": str(Agency.objects.get(code="07901").pk), "portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()}
    return {**data, **overrides}


def test_parent_registers_child_then_views_the_childs_records_after_approval(client, parent, child):
    client.force_login(parent)
    response = client.post("/ca-nhan/dang-ky-cho-con/", child_form())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.parent == parent and registration.person == child and registration.relationship == "cha"
    assert "đang chờ" in client.get("/ca-nhan/").content.decode()

    registration_approve(registration=registration, officer=officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    assert Guardianship.objects.filter(parent=parent, child=child).exists()
    assert not User.objects.filter(username=child.bhxh_code).exists()  # the child gets no login of its own

    client.post("/ca-nhan/xem/", {"child": child.pk})
    html = client.get("/ca-nhan/").content.decode()
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in html and "7905555555" in html
    client.post("/ca-nhan/xem/", {})
    assert "7901234567" in client.get("/ca-nhan/").content.decode()


def test_switching_to_someone_elses_child_is_a_404(client, parent, child):
    client.force_login(parent)
    assert client.post("/ca-nhan/xem/", {"child": child.pk}).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "birth_date": "15/03/1988"}, "chính bạn"),
        ({"birth_certificate_number": ""}, "Nhập số giấy khai sinh"),
        ({"full_name": "Nguyễn Gia Huy"}, "Họ và tên không khớp"),
        ({"relationship": ""}, "Chọn quan hệ"),
    ],
)
def test_child_registration_errors_are_explained(client, parent, child, overrides, message):
    client.force_login(parent)
    response = client.post("/ca-nhan/dang-ky-cho-con/", child_form(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_adults_cannot_be_registered_as_children(client, parent):
    make_person("7906666666", "Nguyễn Văn Tài", birth=datetime.date(2000, 1, 1), id_number="079200012345")
    client.force_login(parent)
    response = client.post("/ca-nhan/dang-ky-cho-con/", child_form(bhxh_code="7906666666", full_name="Nguyễn Văn Tài",
                                                                    birth_date="01/01/2000"))
    assert "dưới 18 tuổi" in response.content.decode()


def test_access_ends_when_the_child_turns_18_and_bad_input_is_a_404(client, parent, child):
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    client.force_login(parent)
    assert client.post("/ca-nhan/xem/", {"child": child.pk}).status_code == 302
    assert client.post("/ca-nhan/xem/", {"child": "abc"}).status_code == 404
    type(child).objects.filter(pk=child.pk).update(birth_date=datetime.date(2000, 1, 1))
    assert "7905555555" not in client.get("/ca-nhan/").content.decode()  # switched back to the parent
    assert client.post("/ca-nhan/xem/", {"child": child.pk}).status_code == 404


def test_a_child_with_an_own_account_cannot_be_claimed(client, parent, child):
    User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child)
    client.force_login(parent)
    response = client.post("/ca-nhan/dang-ky-cho-con/", child_form())
    assert "đã có tài khoản riêng" in response.content.decode() and not Registration.objects.exists()


def test_at_18_the_parent_loses_the_childs_statements_and_notices(client, parent, child):
    from notifications.models import Message
    from participation.services.periods import people_to_notify, period_save
    from participation.services.statements import statement_request
    from tests.participation.helpers import period

    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    statement = statement_request(person=child, requested_by=parent, verify_base="http://testserver")
    page = f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    client.force_login(parent)
    assert client.get(page).status_code == 200
    period_save(period=period(child, "01/2024", "06/2024", save=False))
    assert Message.objects.filter(user=parent).count() == 2 and people_to_notify({child.pk}) == {child.pk}  # inbox + SMS

    type(child).objects.filter(pk=child.pk).update(birth_date=datetime.date(2000, 1, 1))
    child.refresh_from_db()
    assert client.get(page).status_code == 404
    assert client.post(page).status_code == 404
    period_save(period=period(child, "01/2025", "06/2025", save=False))
    assert Message.objects.filter(user=parent).count() == 2  # nothing more about an adult
    assert people_to_notify({child.pk}) == set()
