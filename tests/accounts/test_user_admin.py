"""The accounts in the admin: the person an account logs in as (whose phone receives its login
codes) is set when the account is added and never moved to another person afterwards."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from lookup.models import Agency
from tests.benefits.helpers import admin_form

from .helpers import make_person

pytestmark = pytest.mark.usefixtures("reference_data")


def change_form(client, url: str) -> dict:
    """What the account's change page posts as it stands: no group or permission chosen, so a browser
    posts nothing for those."""
    return {name: value for name, value in admin_form(client, url, "user_form").items()
            if name not in {"groups", "user_permissions"}}


def test_the_person_of_an_account_is_read_only_on_its_change_page_even_for_a_superuser(db, client):
    person = make_person()
    other = make_person("7901234599", "Lê Thị Hoa", sex=2, id_number="079188012399")
    citizen = User.objects.create_user("7901234567", password="x-Pass-2026!", person=person)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = change_form(client, url)
    assert "person" not in form
    assert "7901234567 – Nguyễn Văn Đức" in client.get(url).content.decode()  # shown, not editable

    assert client.post(url, {**form, "person": other.pk, "first_name": "Đức"}).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.person_id, citizen.first_name) == (person.pk, "Đức")


def test_a_citizens_username_the_bhxh_code_is_read_only_and_an_officers_is_not(db, client):
    citizen = User.objects.create_user("7901234567", password="x-Pass-2026!", person=make_person())
    officer = User.objects.create_user("canbo07901", password="x-Pass-2026!", is_staff=True)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = change_form(client, url)
    assert "username" not in form
    assert client.post(url, {**form, "username": "7901234599", "first_name": "Đức"}).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.username, citizen.first_name) == ("7901234567", "Đức")  # still logs in with the BHXH code

    url = reverse("admin:accounts_user_change", args=[officer.pk])
    form = change_form(client, url)
    assert client.post(url, {**form, "username": "canbo07901a"}).status_code == 302
    officer.refresh_from_db()
    assert officer.username == "canbo07901a"


def test_an_account_deactivated_in_the_admin_is_logged_out_everywhere_and_stays_out_once_reactivated(db, client):
    """Unticking "active" ends the account's sessions (their rows and stored data): reactivated within
    the idle time, a session kept from before (maybe an attacker's) does not log in again."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.test import Client

    citizen = User.objects.create_user("7901888888", password="x-Pass-2026!")
    phone = Client()
    phone.force_login(citizen)
    assert phone.get("/ca-nhan/").status_code == 200
    assert UserSession.objects.filter(user=citizen).exists()
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = change_form(client, url)
    assert form.pop("is_active")
    assert client.post(url, form).status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_active and not UserSession.objects.filter(user=citizen).exists()
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()
    assert client.post(url, {**form, "is_active": "on"}).status_code == 302  # reactivated
    response = phone.get("/ca-nhan/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert client.get("/quan-tri/").status_code == 200  # the officer who did it stays logged in


def test_an_officers_account_is_saved_only_with_the_bhxh_code_of_the_officers_own_record(db, client):
    """The code an own-case check knows the officer's other logins by (a citizen login of their own
    record): asked of every staff account of an agency, and looked up in the registry."""
    from .helpers import officer

    person = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở", own_record=False)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    form = change_form(client, url)
    assert form["officer_person"] == ""
    for code, error in (("", "Nhập mã số BHXH của cán bộ"), ("7906666699", "Không có người tham gia nào mang mã số")):
        response = client.post(url, {**form, "officer_person": code, "first_name": "Thu"})
        assert response.status_code == 200 and error in response.content.decode()
        staff.refresh_from_db()
        assert (staff.officer_person_id, staff.first_name) == (None, "")
    assert client.post(url, {**form, "officer_person": "7906666666", "first_name": "Thu"}).status_code == 302
    staff.refresh_from_db()
    assert (staff.officer_person_id, staff.first_name) == (person.pk, "Thu")
    assert change_form(client, url)["officer_person"] == "7906666666"  # shown as the code, not the key


def test_a_staff_login_that_logs_in_as_a_record_names_that_record_and_no_other(db, client):
    person = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    make_person("7906666667", "Lê Văn Minh", id_number="079088066667")
    staff = User.objects.create_user("canbo07901", password="x-Pass-2026!", is_staff=True, person=person,
                                     agency=Agency.objects.get(code="07901"))
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    form = change_form(client, url)
    response = client.post(url, {**form, "officer_person": "7906666667"})
    assert response.status_code == 200 and "mã số BHXH của cán bộ phải là mã số đó" in response.content.decode()
    assert client.post(url, {**form, "officer_person": ""}).status_code == 302
    staff.refresh_from_db()
    assert staff.officer_person_id == person.pk


def test_a_clinics_staff_account_and_a_superuser_need_no_officers_code(db, client):
    from lookup.models import MedicalFacility

    clinic = User.objects.create_user("bv79032", password="x-Pass-2026!", is_staff=True,
                                      facility=MedicalFacility.objects.first())
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[clinic.pk])
    assert client.post(url, {**change_form(client, url), "first_name": "Lan"}).status_code == 302


@pytest.mark.parametrize(("language", "shown"), [("en", "Tiếng Anh"), ("vi", "Tiếng Việt")])
def test_an_accounts_change_page_shows_the_language_of_its_notices_which_the_holder_alone_chooses(
        db, client, language, shown):
    citizen = User.objects.create_user("7901234567", password="x-Pass-2026!", person=make_person(), language=language)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    html = client.get(url).content.decode()
    field = re.search(r'<div class="form-row field-notice_language">.*?</div>\s*</div>', html, re.S).group(0)
    assert "<label>Ngôn ngữ nhận thông báo:</label>" in field and f'<div class="readonly">{shown}</div>' in field
    form = change_form(client, url)
    assert "language" not in form and "notice_language" not in form
    other = "vi" if language == "en" else "en"
    assert client.post(url, {**form, "language": other, "first_name": "Đức"}).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.language, citizen.first_name) == (language, "Đức")  # the holder's choice, not the officer's


def test_an_officers_account_is_deactivated_without_the_officers_code(db, client):
    """A departed or compromised officer is locked out at once: the code is asked only of an account
    that stays active."""
    from .helpers import officer

    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở", own_record=False)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    form = change_form(client, url)
    assert form["is_active"] == "on" and form["officer_person"] == ""
    deactivated = {name: value for name, value in form.items() if name != "is_active"}  # the box unticked
    assert client.post(url, deactivated).status_code == 302
    staff.refresh_from_db()
    assert (staff.is_active, staff.officer_person_id) == (False, None)
    response = client.post(url, form)  # active again: the code is asked
    assert response.status_code == 200 and "Nhập mã số BHXH của cán bộ" in response.content.decode()
    staff.refresh_from_db()
    assert not staff.is_active


@pytest.mark.parametrize("taken_by", ["names it", "logs in as it"])
def test_a_record_another_staff_login_names_or_logs_in_as_is_not_an_officers_own(db, client, taken_by):
    from .helpers import officer

    record = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    colleague = officer("canbo07901b", "07901", "Cán bộ BHXH cơ sở", own_record=False)
    if taken_by == "names it":
        colleague.officer_person = record
    else:
        colleague.person = record
    colleague.save()
    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    own = staff.officer_person
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    form = change_form(client, url)
    response = client.post(url, {**form, "officer_person": "7906666666", "first_name": "Thu"})
    assert response.status_code == 200
    assert "Hồ sơ mã số 7906666666 đã là hồ sơ của tài khoản cán bộ canbo07901b" in response.content.decode()
    staff.refresh_from_db()
    assert (staff.officer_person_id, staff.first_name) == (own.pk, "")


def test_an_officers_record_may_be_the_one_their_citizen_login_logs_in_as(db, client):
    from .helpers import officer

    record = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    User.objects.create_user(record.bhxh_code, password="x-Pass-2026!", person=record)
    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở", own_record=False)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    assert client.post(url, {**change_form(client, url), "officer_person": "7906666666"}).status_code == 302
    staff.refresh_from_db()
    assert staff.officer_person_id == record.pk


def test_an_officers_earlier_account_kept_deactivated_neither_blocks_the_lock_out_nor_the_new_account(db, client):
    """An officer moved to another post has a new staff account while the old one, deactivated, still
    names their record: the new account names it too, is deactivated at once when its login is taken,
    and the old one is not made active again beside it."""
    from .helpers import officer

    earlier = officer("canbo07901cu", "07901", "Cán bộ BHXH cơ sở")
    record = earlier.officer_person
    User.objects.filter(pk=earlier.pk).update(is_active=False)
    staff = officer("canbo07902", "07902", "Cán bộ BHXH cơ sở", own_record=False)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    assert client.post(url, {**change_form(client, url), "officer_person": record.bhxh_code}).status_code == 302
    staff.refresh_from_db()
    assert staff.officer_person_id == record.pk
    form = change_form(client, url)
    deactivated = {name: value for name, value in form.items() if name != "is_active"}
    assert client.post(url, deactivated).status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    url = reverse("admin:accounts_user_change", args=[earlier.pk])
    User.objects.filter(pk=staff.pk).update(is_active=True)
    response = client.post(url, {**change_form(client, url), "is_active": "on"})
    assert response.status_code == 200 and "đã là hồ sơ của tài khoản cán bộ canbo07902" in response.content.decode()
    earlier.refresh_from_db()
    assert not earlier.is_active


def test_the_database_keeps_one_record_to_one_active_officer_whatever_saves_it(db):
    """The admin's form refuses a record another active staff account names (above); the table holds
    it too, against two saves at once or a save outside the form. A deactivated account does not count."""
    from django.db import IntegrityError, transaction

    from .helpers import officer

    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    colleague = officer("canbo07901b", "07901", "Cán bộ BHXH cơ sở", own_record=False)
    colleague.officer_person = staff.officer_person
    with pytest.raises(IntegrityError), transaction.atomic():
        colleague.save()
    User.objects.filter(pk=staff.pk).update(is_active=False)  # the officer's account of an earlier post
    colleague.save()
    assert User.objects.filter(officer_person=staff.officer_person).count() == 2
