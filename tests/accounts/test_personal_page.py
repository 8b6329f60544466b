"""The dashboard says truly how the details it shows are corrected: name, birth date, sex and ID
number online by procedure 608A, phone, e-mail and address by the contact change procedure (both
linked)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Guardianship, User
from tests.accounts.helpers import born_years_ago, make_person
from tests.public_services.helpers import owner  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_dashboard_links_the_608a_form_and_the_contact_change_form(client, owner):
    client.force_login(owner)
    html = client.get("/ca-nhan/").content.decode()
    link = re.search(r'Hãy nộp <a href="([^"]+)">hồ sơ điều chỉnh thông tin \(thủ tục 608A\)</a>', html)
    assert link and "Họ tên, ngày sinh, giới tính hoặc số CCCD chưa đúng?" in html
    assert ("Đổi số điện thoại, email hoặc địa chỉ liên hệ? Hãy nộp <a href=\"/dich-vu-cong/dieu-chinh-thong-tin-lien-he/\">"
            "hồ sơ điều chỉnh thông tin liên hệ</a>.") in html
    form = client.get(link[1])
    assert form.status_code == 200 and form.context["procedure"].code == "608A"
    assert {"new_full_name", "new_birth_date", "new_sex", "new_id_number"} <= set(form.context["form"].fields)


CONTACT_URL = "/dich-vu-cong/dieu-chinh-thong-tin-lien-he/"
HOTLINE_SENTENCE = ("Số điện thoại, email và địa chỉ liên hệ chưa đổi được trên cổng: hãy liên hệ cơ quan BHXH quản lý "
                    "hoặc gọi 1900 9068.")


def test_a_parent_viewing_a_child_is_not_linked_the_contact_change_but_told_whom_to_call(client, owner):
    son = make_person("7905555556", "Nguyễn Minh Khang", birth=born_years_ago(3), id_number="")
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    client.force_login(owner)
    assert CONTACT_URL in client.get("/ca-nhan/").content.decode()
    client.post(reverse("accounts:view_as"), {"child": son.pk})
    html = client.get("/ca-nhan/").content.decode()
    assert "Nguyễn Minh Khang" in html and CONTACT_URL not in html
    assert HOTLINE_SENTENCE in html and "hồ sơ điều chỉnh thông tin (thủ tục 608A)</a>." in html


def test_a_parent_viewing_a_child_with_a_login_is_told_the_child_files_it_themselves(client, owner):
    fourteen = timezone.localdate() - datetime.timedelta(days=14 * 365)
    son = make_person("7905555556", "Nguyễn Minh Khang", birth=fourteen, id_number="")
    User.objects.create_user(son.bhxh_code, password="x-Pass-2026!", person=son)
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": son.pk})
    html = client.get("/ca-nhan/").content.decode()
    assert CONTACT_URL not in html and HOTLINE_SENTENCE not in html
    assert "Nguyễn Minh Khang tự nộp hồ sơ điều chỉnh thông tin liên hệ bằng tài khoản của mình." in html
    assert "hồ sơ điều chỉnh thông tin (thủ tục 608A)</a>." in html


def test_a_login_under_18_is_linked_the_contact_change_of_their_own_details(client, owner):
    person = owner.person
    person.birth_date = timezone.localdate().replace(year=timezone.localdate().year - 16, day=1)
    person.save(update_fields=["birth_date"])
    client.force_login(owner)
    html = client.get("/ca-nhan/").content.decode()
    assert CONTACT_URL in html and HOTLINE_SENTENCE not in html


def test_a_parent_viewing_a_child_whose_login_was_deactivated_is_told_whom_to_call(client, owner):
    fourteen = timezone.localdate() - datetime.timedelta(days=14 * 365)
    son = make_person("7905555556", "Nguyễn Minh Khang", birth=fourteen, id_number="")
    User.objects.create_user(son.bhxh_code, password="x-Pass-2026!", person=son, is_active=False)
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": son.pk})
    html = client.get("/ca-nhan/").content.decode()
    assert CONTACT_URL not in html and "tự nộp hồ sơ điều chỉnh thông tin liên hệ" not in html
    assert HOTLINE_SENTENCE in html
