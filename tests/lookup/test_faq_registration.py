"""The FAQ answer on registering says what the registration asks (migration lookup 0014): a CCCD,
CMND or passport and photos of both sides of it, not "hai mặt CCCD" only; and that the temporary
password sent by SMS must be changed at the first login, as the portal requires. An answer an
officer has edited since is left alone, and the migration reverses."""

import html

import pytest
from django.contrib.auth import get_user_model

from accounts.validators import IdType
from tests.accounts.helpers import make_person
from tests.lookup.faq_rewrites import assert_the_rewrite_reverses_and_keeps_an_edit

pytestmark = pytest.mark.django_db

QUESTION = "Làm thế nào để đăng ký tài khoản?"


def test_the_answer_names_every_id_document_the_registration_takes(client):
    faq = html.unescape(client.get("/ho-tro/", {"q": "dang ky tai khoan"}).content.decode())
    assert "thông tin giấy tờ tùy thân (CCCD, CMND hoặc hộ chiếu)" in faq
    assert "ảnh hai mặt giấy tờ đã khai" in faq and "hai mặt CCCD" not in faq
    assert "mật khẩu tạm thời được gửi qua SMS đến số điện thoại đã đăng ký và phải đổi ngay khi đăng nhập lần đầu" in faq
    assert [value for value, _ in IdType.CHOICES] == [IdType.CCCD, IdType.CMND, IdType.PASSPORT]
    page = html.unescape(client.get("/dang-ky/").content.decode())
    assert "Chứng minh nhân dân (9 số)" in page and "Hộ chiếu" in page


def test_a_temporary_password_is_changed_at_the_first_login(client, reference_data):
    person = make_person()
    user = get_user_model().objects.create_user(person.bhxh_code, password="Tam-Thoi-2026", person=person,
                                                must_change_password=True)
    client.force_login(user)
    assert client.get("/ca-nhan/").url.startswith("/tai-khoan/dat-mat-khau-moi/")


def test_an_edited_answer_is_kept_and_the_migration_reverses():
    assert_the_rewrite_reverses_and_keeps_an_edit("0014_faq_registration_documents", QUESTION,
                                                  seeded_words="hai mat cccd", new_words="ho chieu")
