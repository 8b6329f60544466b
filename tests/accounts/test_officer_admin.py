"""Officers in the admin: only their agency's (or province's) registrations; approve, reject, audit."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone, translation

from accounts.models import Registration, RegistrationEvent, User
from accounts.services.registration import (
    REJECT_REASON_MAX_LENGTH,
    registration_approve,
    registration_reject,
    registrations_delete_stale_photos,
)
from lookup.models import Agency
from notifications.models import Message

from .helpers import make_person, officer, register, submit

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"


@pytest.fixture
def registrations(db, reference_data):
    q1 = submit(make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2), "07901")
    thu_duc = submit(make_person("7901000002", "Lê Văn Hùng", id_number="079088012346"), "07903")
    hanoi = submit(make_person("0101000003", "Phạm Minh Tuấn", id_number="001085012347",
                               birth=datetime.date(1985, 5, 5)), "00101")
    return {"q1": q1, "thu_duc": thu_duc, "hanoi": hanoi}


def listed(client):
    html = client.get("/quan-tri/accounts/registration/").content.decode()
    return {ref for ref in (r.reference for r in Registration.objects.all()) if ref in html}


def test_district_officer_sees_only_their_agency(client, registrations):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert listed(client) == {registrations["q1"].reference}
    own = client.get(f"/quan-tri/accounts/registration/{registrations['q1'].pk}/change/")
    assert own.status_code == 200 and "Trần Thị Lan" in own.content.decode()
    for other in ("thu_duc", "hanoi"):
        pk = registrations[other].pk
        response = client.get(f"/quan-tri/accounts/registration/{pk}/change/", follow=True)
        assert registrations[other].full_name not in response.content.decode()
        assert client.get(f"/quan-tri/accounts/registration/{pk}/anh/portrait/").status_code == 404
        assert client.post(f"/quan-tri/accounts/registration/{pk}/duyet/").status_code == 404
        assert client.post(f"/quan-tri/accounts/registration/{pk}/tu-choi/", {"reason": "x"}).status_code == 404
    assert Registration.objects.filter(status=Registration.Status.PENDING).count() == 3


def test_province_officer_sees_the_province_and_nothing_else(client, registrations):
    client.force_login(officer("canbo079", "079", PROVINCE))
    assert listed(client) == {registrations["q1"].reference, registrations["thu_duc"].reference}
    assert client.get(f"/quan-tri/accounts/registration/{registrations['hanoi'].pk}/anh/portrait/").status_code == 404


def test_registration_page_shows_photos_through_the_checked_view_and_highlights_mismatches(client, registrations):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    registration = registrations["q1"]
    html = client.get(f"/quan-tri/accounts/registration/{registration.pk}/change/").content.decode()
    for field in ("portrait", "id_front", "id_back"):
        assert f"/quan-tri/accounts/registration/{registration.pk}/anh/{field}/" in html
    photo = client.get(f"/quan-tri/accounts/registration/{registration.pk}/anh/portrait/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    # the declared phone differs from the registry's: highlighted in words, not colour alone
    assert 'class="mismatch"><th scope="row">Điện thoại</th>' in html and "⚠ Khác" in html
    assert '<tr class=""><th scope="row">Họ và tên</th>' in html
    # The agency receiving the registration beside the one managing the person, never compared: approving
    # it leaves the managing agency as it is, so another one managing the person is no mismatch.
    agencies = '<tr class=""><th scope="row">Cơ quan BHXH tiếp nhận / quản lý</th>'
    assert agencies in html and "Chưa có" in html  # nobody manages the person yet
    registration.person.agency = Agency.objects.get(code="07903")
    registration.person.save()
    html = client.get(f"/quan-tri/accounts/registration/{registration.pk}/change/").content.decode()
    row = html.split(agencies, 1)[1].split("</tr>", 1)[0]
    assert str(registration.agency) in row and "Thủ Đức" in row and "Không đối chiếu" in row and "⚠ Khác" not in row


def test_approve_creates_the_login_and_sends_the_temporary_password(client, registrations, django_capture_on_commit_callbacks, sms_outbox):
    approver = officer("canbo07901", "07901", DISTRICT)
    client.force_login(approver)
    registration = registrations["q1"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/quan-tri/accounts/registration/{registration.pk}/duyet/")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    assert registration.decided_by == approver and registration.decided_at is not None
    user = User.objects.get(username="7901000001")
    assert user.person == registration.person and user.must_change_password
    assert user.person.phone.as_e164 == "+84987654321"
    [sms] = [m for m in sms_outbox() if "Mật khẩu tạm" in m["text"]]
    assert sms["to"] == "+84987654321"
    password = sms["text"].split("Mật khẩu tạm: ", 1)[1].split(" ", 1)[0]
    assert user.check_password(password) and len(password) == 12
    # The registry's number (+84912345678) hears that codes now go elsewhere; the password never goes there.
    [warning] = [m for m in sms_outbox() if m["to"] == "+84912345678"]
    assert warning["text"] == ("BHXH: Tài khoản giao dịch điện tử của mã số BHXH ******0001 vừa được cấp; mã xác thực "
                               "từ nay gửi đến số 0••• ••• 321. Nếu không phải bạn đăng ký, hãy gọi ngay 1900 9068.")
    event = registration.events.get(action=RegistrationEvent.Action.APPROVED)
    assert event.actor == approver
    again = client.post(f"/quan-tri/accounts/registration/{registration.pk}/duyet/", follow=True)
    assert "đã được duyệt (canbo07901, lúc " in again.content.decode()
    assert User.objects.filter(username="7901000001").count() == 1


def test_approval_leaves_the_managing_agency_alone_and_gives_the_receiving_one_to_a_person_managed_by_none(
        registrations, django_capture_on_commit_callbacks):
    """The registration names the agency that receives it for electronic transactions (Decree 166/2016):
    approving it sets the phone, not who manages the person, so the managing agency keeps seeing them.
    A person no agency manages yet takes the receiving one."""
    from accounts.models import Person
    from accounts.selectors import persons_visible_to
    from accounts.services.registration import registration_approve

    managed = Person.objects.get(bhxh_code="7901000002")
    Person.objects.filter(pk=managed.pk).update(agency=Agency.objects.get(code="07901"))
    receiving = registrations["thu_duc"].agency
    assert receiving.code == "07903"
    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=registrations["thu_duc"], officer=officer("canbo07903", "07903", DISTRICT))
    managed.refresh_from_db()
    assert managed.agency.code == "07901" and managed.phone.as_e164 == "+84987654321"
    assert managed in persons_visible_to(officer("canbo07901", "07901", DISTRICT))

    unmanaged = registrations["q1"].person
    assert unmanaged.agency_id is None
    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=registrations["q1"], officer=officer("canbo07901b", "07901", DISTRICT))
    unmanaged.refresh_from_db()
    assert unmanaged.agency == registrations["q1"].agency
    # Nor does the field's hint in the admin say that the approving agency manages the person, but that the
    # receiving one becomes the managing agency of a person without one.
    hint = Person._meta.get_field("agency").help_text
    assert "đã duyệt" not in str(hint)
    assert str(hint).endswith("người chưa có cơ quan quản lý thì lấy cơ quan tiếp nhận đăng ký làm cơ quan quản lý.")
    with translation.override("en"):
        assert str(hint).endswith("takes the agency that received the registration as their managing agency.")


def test_reject_requires_a_reason_and_tells_the_citizen(client, registrations, django_capture_on_commit_callbacks, sms_outbox):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    registration = registrations["q1"]
    blank = client.post(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/", {"reason": "  "})
    assert "Hãy ghi lý do từ chối" in blank.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    too_long = client.post(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/", {"reason": "Mờ. " * 126})
    assert "Lý do tối đa 500 ký tự (hiện có 503)." in too_long.content.decode()  # the browser's limit, bypassed
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING and not sms_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/", {"reason": "Ảnh CCCD bị mờ"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED and registration.reject_reason == "Ảnh CCCD bị mờ"
    assert any("Ảnh CCCD bị mờ" in m["text"] for m in sms_outbox())
    assert registration.events.get(action=RegistrationEvent.Action.REJECTED).note == "Ảnh CCCD bị mờ"
    assert not User.objects.filter(username=registration.bhxh_code).exists()


def test_officer_without_the_decide_permission_cannot_approve(client, registrations):
    viewer = User.objects.create_user("xem07901", password="x-Pass-2026!", is_staff=True, agency=registrations["q1"].agency)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)
    assert client.post(f"/quan-tri/accounts/registration/{registrations['q1'].pk}/duyet/").status_code == 403
    assert not User.objects.filter(username="7901000001").exists()


def test_the_services_refuse_a_decision_on_another_agencys_registration(registrations):
    """The decision itself holds the officer to their agency, whoever calls it (an action, a script), not
    only the admin's pages that list and open registrations: nothing is decided, no login made."""
    district = officer("canbo07901", "07901", DISTRICT)
    for other in ("thu_duc", "hanoi"):
        with pytest.raises(PermissionDenied):
            registration_approve(registration=registrations[other], officer=district)
        with pytest.raises(PermissionDenied):
            registration_reject(registration=registrations[other], officer=district, reason="Ảnh CCCD bị mờ")
    assert Registration.objects.filter(status=Registration.Status.PENDING).count() == 3
    assert not User.objects.filter(username__in=["7901000002", "0101000003"]).exists()
    assert not RegistrationEvent.objects.exclude(action=RegistrationEvent.Action.SUBMITTED).exists()


def test_a_rejection_reason_may_be_as_long_as_its_limit_and_no_longer(registrations):
    """The reason goes out by SMS: one longer than the limit is refused and nothing is decided; one of the
    limit's length rejects the registration."""
    district, registration = officer("canbo07901", "07901", DISTRICT), registrations["q1"]
    with pytest.raises(ValidationError):
        registration_reject(registration=registration, officer=district, reason="x" * (REJECT_REASON_MAX_LENGTH + 1))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    registration_reject(registration=registration, officer=district, reason="x" * REJECT_REASON_MAX_LENGTH)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED


def test_officer_without_the_decide_permission_is_refused_the_reject_page_before_typing_a_reason(client, registrations):
    viewer = User.objects.create_user("xem07901", password="x-Pass-2026!", is_staff=True, agency=registrations["q1"].agency)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)
    assert client.get(f"/quan-tri/accounts/registration/{registrations['q1'].pk}/tu-choi/").status_code == 403


def test_citizens_cannot_enter_the_admin(client, registrations):
    client.force_login(User.objects.create_user("7901999999", password="x-Pass-2026!"))
    response = client.get("/quan-tri/accounts/registration/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


def test_photos_of_rejected_registrations_are_deleted_after_30_days(registrations, django_capture_on_commit_callbacks):
    registration = registrations["q1"]
    names = [registration.portrait.name, registration.id_front.name, registration.id_back.name]
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.REJECTED, reject_reason="x", decided_at=timezone.now() - datetime.timedelta(days=29))
    assert registrations_delete_stale_photos() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert registrations_delete_stale_photos(now=timezone.now() + datetime.timedelta(days=2)) == 1
    registration.refresh_from_db()
    assert registration.photos_deleted_at is not None and not registration.portrait
    assert not any(default_storage.exists(name) for name in names)
    assert registration.events.filter(action=RegistrationEvent.Action.PHOTOS_DELETED).exists()
    pending = registrations["thu_duc"]
    assert default_storage.exists(pending.portrait.name)  # pending ones are never touched


def test_audit_trail_is_read_only_in_the_admin(client, registrations):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    html = client.get(f"/quan-tri/accounts/registration/{registrations['q1'].pk}/change/").content.decode()
    assert "Nộp đăng ký" in html
    assert 'name="events-0-note"' not in html
    assert Message.objects.filter(template="registration_received").count() == 3


def test_temporary_password_does_not_stay_in_the_outbox(client, registrations, django_capture_on_commit_callbacks):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/quan-tri/accounts/registration/{registrations['q1'].pk}/duyet/")
    message = Message.objects.get(template="registration_approved")
    assert message.sensitive and message.status == Message.Status.SENT
    assert "Mật khẩu tạm" not in message.body


def test_admin_can_end_a_citizens_sessions(client, registrations):
    from django.test import Client

    citizen = User.objects.create_user("7901888888", password="x-Pass-2026!")
    phone = Client()
    phone.force_login(citizen)
    assert phone.get("/ca-nhan/").status_code == 200  # allauth.usersessions records the session
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    client.post("/quan-tri/accounts/user/", {"action": "end_sessions", "_selected_action": [citizen.pk]})
    response = phone.get("/ca-nhan/", follow=True)
    assert response.redirect_chain and "/tai-khoan/dang-nhap/" in response.redirect_chain[-1][0]  # logged out
    assert "Cơ quan BHXH đã kết thúc phiên làm việc" in response.content.decode()  # and told why
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get(object_id=str(citizen.pk)).change_message.startswith("Kết thúc mọi phiên đăng nhập (1 phiên)")


def test_officers_see_only_the_people_their_agencies_manage(client, registrations):
    from accounts.models import Person
    from lookup.models import Agency

    Person.objects.filter(bhxh_code="7901000001").update(agency=Agency.objects.get(code="07901"))
    Person.objects.filter(bhxh_code="7901000002").update(agency=Agency.objects.get(code="07903"))
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    html = client.get("/quan-tri/accounts/person/").content.decode()
    assert "7901000001" in html and "7901000002" not in html and "0101000003" not in html
    client.force_login(officer("canbo079", "079", PROVINCE))
    html = client.get("/quan-tri/accounts/person/").content.decode()
    assert "7901000001" in html and "7901000002" in html and "0101000003" not in html



@pytest.mark.parametrize("role", [DISTRICT, PROVINCE])
def test_an_officer_attached_to_no_agency_sees_nothing(client, registrations, role):
    """A staff account given an officer role before its agency was set: the role's permissions let it
    into the lists, and there it must find nothing — not every row, nor the people no agency manages."""
    from accounts.models import Person
    from accounts.selectors import persons_visible_to, registrations_visible_to
    from lookup.models import Agency

    Person.objects.filter(bhxh_code="7901000001").update(agency=Agency.objects.get(code="07901"))
    Person.objects.filter(bhxh_code="0101000003").update(agency=Agency.objects.get(code="00101"))
    assert Person.objects.filter(agency__isnull=True).exists()  # 7901000002: managed by no agency yet
    lost = officer("canbo-chua-co-quan", None, role)
    assert lost.agency_id is None and lost.has_perm("accounts.view_registration") and lost.has_perm("accounts.view_person")

    assert list(registrations_visible_to(lost)) == []
    assert list(persons_visible_to(lost)) == []
    assert list(persons_visible_to(lost, Person.objects.filter(agency__isnull=True))) == []

    client.force_login(lost)
    page = client.get("/quan-tri/accounts/registration/")
    assert page.status_code == 200 and listed(client) == set()
    html = client.get("/quan-tri/accounts/person/").content.decode()
    assert not any(code in html for code in ("7901000001", "7901000002", "0101000003"))
    for registration in registrations.values():
        assert client.get(f"/quan-tri/accounts/registration/{registration.pk}/change/").status_code == 404
        assert client.get(f"/quan-tri/accounts/registration/{registration.pk}/anh/portrait/").status_code == 404
        assert client.post(f"/quan-tri/accounts/registration/{registration.pk}/duyet/").status_code == 404
    assert Registration.objects.filter(status=Registration.Status.PENDING).count() == 3


def test_a_superuser_without_an_agency_sees_every_registration_and_person(client, registrations):
    from accounts.models import Person
    from accounts.selectors import persons_visible_to, registrations_visible_to

    admin_user = User.objects.create_superuser("quantri", password="x-Pass-2026!", email="quantri@vssid.local")
    assert admin_user.agency_id is None
    assert set(registrations_visible_to(admin_user)) == set(Registration.objects.all())
    assert set(persons_visible_to(admin_user)) == set(Person.objects.all())
    client.force_login(admin_user)
    assert listed(client) == {registration.reference for registration in registrations.values()}
    html = client.get("/quan-tri/accounts/person/").content.decode()
    assert all(code in html for code in ("7901000001", "7901000002", "0101000003"))


def test_approval_sends_the_password_by_sms_only_then_erases_it_and_welcomes_the_account(
        client, reference_data, django_capture_on_commit_callbacks, sms_outbox, mailoutbox):
    """The e-mail address was typed at registration and never verified: it hears of the approval,
    not the temporary password."""
    registration = submit(make_person("7901000004", "Võ Thị Hạnh", id_number="079188054321", sex=2), "07901",
                          email="hanh@example.vn")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/quan-tri/accounts/registration/{registration.pk}/duyet/").status_code == 302
    [sms] = [m for m in sms_outbox() if "Mật khẩu tạm" in m["text"]]
    password = sms["text"].split("Mật khẩu tạm: ", 1)[1].split(" ", 1)[0]
    [mail] = [m for m in mailoutbox if m.subject == "Đăng ký giao dịch điện tử đã được duyệt"]
    assert mail.to == ["hanh@example.vn"]
    assert password not in mail.body and "Tên đăng nhập: 7901000004" in mail.body
    assert "Mật khẩu tạm đã được gửi bằng SMS đến số điện thoại đã đăng ký." in mail.body
    user = User.objects.get(username="7901000004")
    assert user.check_password(password)
    sms_message = Message.objects.get(template="registration_approved", channel=Message.Channel.SMS)
    assert sms_message.sensitive and sms_message.status == Message.Status.SENT
    assert password not in sms_message.body and "Mật khẩu tạm" not in sms_message.body
    assert not Message.objects.filter(body__contains=password).exists()
    welcome = Message.objects.get(template="welcome", channel=Message.Channel.INBOX)
    assert welcome.user == user and "Xin chào Võ Thị Hạnh" in welcome.body and "7901000004" in welcome.body


@pytest.mark.parametrize("url", ["change/", "duyet/", "tu-choi/"])
def test_province_officer_gets_a_404_for_another_provinces_registration(client, registrations, url):
    client.force_login(officer("canbo079", "079", PROVINCE))
    hanoi = registrations["hanoi"]
    responses = [client.post(f"/quan-tri/accounts/registration/{hanoi.pk}/{url}", {"reason": "x"})]
    if url != "duyet/":  # approving is POST only: a GET is refused (405) for every registration alike
        responses.append(client.get(f"/quan-tri/accounts/registration/{hanoi.pk}/{url}"))
    for response in responses:
        assert response.status_code == 404
        html = response.content.decode()
        assert hanoi.full_name not in html and hanoi.bhxh_code not in html and hanoi.reference not in html
    hanoi.refresh_from_db()
    assert hanoi.status == Registration.Status.PENDING and not hanoi.events.exclude(
        action=RegistrationEvent.Action.SUBMITTED).exists()
    # the same officer opens a registration of their own province
    assert client.get(f"/quan-tri/accounts/registration/{registrations['thu_duc'].pk}/change/").status_code == 200


def shown(client, query: str) -> set[str]:
    """The references listed by the admin for this query string."""
    response = client.get(f"/quan-tri/accounts/registration/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return {ref for ref in Registration.objects.values_list("reference", flat=True) if ref in html}


def test_admin_list_filters_and_search_give_the_right_rows(client, registrations):
    from lookup.models import Agency

    q1, thu_duc, hanoi = registrations["q1"], registrations["thu_duc"], registrations["hanoi"]
    Registration.objects.filter(pk=thu_duc.pk).update(status=Registration.Status.REJECTED, reject_reason="x")
    Registration.objects.filter(pk=hanoi.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    everyone = {q1.reference, thu_duc.reference, hanoi.reference}
    assert shown(client, "") == everyone
    assert shown(client, "status__exact=pending") == {q1.reference, hanoi.reference}
    assert shown(client, "status__exact=rejected") == {thu_duc.reference}
    assert shown(client, f"agency__id__exact={Agency.objects.get(code='07903').pk}") == {thu_duc.reference}
    assert shown(client, f"agency__id__exact={Agency.objects.get(code='00101').pk}") == {hanoi.reference}
    # the date filter ("Past 7 days") and the date hierarchy
    from urllib.parse import urlencode

    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)  # as Django's date filter links
    week = urlencode({"submitted_at__gte": str(today - datetime.timedelta(days=7)),
                      "submitted_at__lt": str(today + datetime.timedelta(days=1))})
    assert shown(client, week) == {q1.reference, thu_duc.reference}
    old = timezone.localtime(Registration.objects.get(pk=hanoi.pk).submitted_at)
    assert hanoi.reference in shown(client, f"submitted_at__year={old.year}&submitted_at__month={old.month}")
    assert shown(client, f"submitted_at__year={old.year}&submitted_at__month={old.month}&submitted_at__day={old.day}") \
        == {hanoi.reference}
    assert shown(client, "status__exact=pending&" + week) == {q1.reference}
    # search: BHXH code, name (with or without accents), ID number, reference
    assert shown(client, "q=7901000002") == {thu_duc.reference}
    assert shown(client, "q=Trần Thị Lan") == {q1.reference}
    assert shown(client, "q=pham minh tuan") == {hanoi.reference}
    assert shown(client, "q=001085012347") == {hanoi.reference}
    assert shown(client, f"q={q1.reference.lower()}") == {q1.reference}
    assert shown(client, "q=Không Có Ai") == set()


def test_a_district_officer_filters_only_within_their_agency(client, registrations):
    from lookup.models import Agency

    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert shown(client, "q=7901000002") == set()  # another agency's registration is not found by search
    assert shown(client, "q=0101000003") == set()
    assert shown(client, "status__exact=pending") == {registrations["q1"].reference}
    response = client.get(f"/quan-tri/accounts/registration/?agency__id__exact={Agency.objects.get(code='00101').pk}")
    assert registrations["hanoi"].reference not in response.content.decode()


# The exact permissions of each role (accounts/roles.py). A permission added to or dropped from a
# role must show up here as a deliberate change.
VISIT_ENTRY = {
    "health_card.view_visit", "health_card.add_visit", "health_card.change_visit",
    "health_card.view_visitline", "health_card.add_visitline", "health_card.change_visitline",
    "health_card.delete_visitline",  # a wrong cost line of a visit being entered is removed
}
OFFICER_PERMISSIONS = {
    "accounts.view_registration", "accounts.decide_registration", "accounts.view_person",
    "accounts.end_sessions_person",  # log a person their agency manages out everywhere; no change_user
    "participation.view_period", "participation.add_period", "participation.change_period",
    "benefits.view_benefitrecord", "benefits.add_benefitrecord", "benefits.change_benefitrecord",
    "benefits.view_salaryadjustment",
    "health_card.view_card", "health_card.add_card", "health_card.reissue_card", "health_card.view_cardcheck",
    "health_card.view_beneficiarygroup", "health_card.view_benefitlevel",
    "health_card.view_facilityapitoken", "health_card.add_facilityapitoken", "health_card.change_facilityapitoken",
    "public_services.view_filing", "public_services.process_filing",
    "public_services.view_feedback", "public_services.answer_feedback",
    "lookup.view_medicalfacility",  # the clinic search of the card and API-token forms; reading only
    "lookup.view_employer",  # the employer search of the period form; reading only
    *VISIT_ENTRY,
}
ROLE_PERMISSIONS = {
    "Cán bộ BHXH cơ sở": OFFICER_PERMISSIONS,
    "Cán bộ BHXH tỉnh": OFFICER_PERMISSIONS,
    "Nhân viên cơ sở KCB": {*VISIT_ENTRY, "health_card.verify_card"},
}


@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_each_role_has_exactly_its_permissions(db, role):
    from django.contrib.auth.models import Group, Permission

    from accounts import roles

    roles.sync_groups(Group, Permission)  # as the migrations left them (a flush may have emptied the table)
    granted = {f"{app}.{codename}" for app, codename in
               Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")}
    assert granted == ROLE_PERMISSIONS[role]
    assert set(roles.GROUP_PERMISSIONS) == set(ROLE_PERMISSIONS)
    deletions = {label for label in granted if label.split(".")[1].startswith("delete_")}
    assert deletions == {"health_card.delete_visitline"}
    assert not {label for label in granted if label.startswith(("auth.", "admin.", "notifications."))}
    assert {label for label in granted if label.startswith("lookup.")} <= {"lookup.view_medicalfacility",
                                                                           "lookup.view_employer"}
    assert "accounts.change_user" not in granted and "accounts.change_registration" not in granted


def test_every_role_permission_exists_after_migrations(db):
    """A typo in roles.py would silently grant nothing: every label names a real permission."""
    from django.contrib.auth.models import Permission

    from accounts.roles import GROUP_PERMISSIONS

    existing = {f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")}
    for role, labels in GROUP_PERMISSIONS.items():
        assert set(labels) <= existing, (role, set(labels) - existing)


def test_approval_on_the_registrys_own_number_sends_no_warning(client, registrations, django_capture_on_commit_callbacks,
                                                                sms_outbox):
    registration = registrations["q1"]
    registration.person.phone = registration.phone
    registration.person.save()
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/quan-tri/accounts/registration/{registration.pk}/duyet/")
    assert {m["to"] for m in sms_outbox()} == {"+84987654321"}
    assert not any("vừa được cấp" in m["text"] for m in sms_outbox())


def test_an_officer_sees_the_audit_trail_of_a_registration(client, registrations, django_capture_on_commit_callbacks):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    url = f"/quan-tri/accounts/registration/{registrations['q1'].pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url.replace("change/", "duyet/"))
    html = re.sub(r"\s+", " ", client.get(url).content.decode())
    assert 'id="events-group"' in html and '<th scope="col" class="column-actor">Người thực hiện</th>' in html
    assert '<td class="field-action">Nộp đăng ký</td><td class="field-actor">-</td>' in html
    assert '<td class="field-action">Duyệt</td><td class="field-actor">canbo07901</td>' in html
    assert '<th class="original">' not in html  # every header names its column


def test_an_officer_reads_related_records_they_may_not_open_as_text(client, registrations, django_capture_on_commit_callbacks):
    """The agency, the deciding officer and the audit trail's actor link to admin pages an officer
    cannot open (agencies, accounts): plain text for them, links for whoever may open those pages."""
    approver = officer("canbo07901", "07901", DISTRICT)
    client.force_login(approver)
    registration = registrations["q1"]
    url = f"/quan-tri/accounts/registration/{registration.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url.replace("change/", "duyet/"))
    agency_url = f"/quan-tri/lookup/agency/{registration.agency_id}/change/"
    officer_url = f"/quan-tri/accounts/user/{approver.pk}/change/"
    assert client.get(agency_url).status_code == 403 and client.get(officer_url).status_code == 403
    html = client.get(url).content.decode()
    assert agency_url not in html and officer_url not in html
    assert '<div class="readonly">[07901] BHXH Quận 1</div>' in html
    assert '<label>Cơ quan BHXH tiếp nhận:</label>' in html  # the field's own label
    assert html.count("canbo07901") >= 2  # decided by, and the approval in the audit trail
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    html = client.get(url).content.decode()
    assert f'href="{agency_url}"' in html and f'href="{officer_url}"' in html


@pytest.mark.parametrize(("path", "what"), [("/quan-tri/accounts/registration/", "đăng ký giao dịch điện tử nào để xét duyệt"),
                                            ("/quan-tri/accounts/person/", "người tham gia nào để xem")])
def test_an_officer_attached_to_no_agency_is_told_why_the_list_is_empty(client, registrations, path, what):
    client.force_login(officer("canbo-chua-co-quan", None, DISTRICT))
    response = client.get(path)
    assert response.status_code == 200 and registrations["q1"].bhxh_code not in response.content.decode()
    assert [str(message) for message in response.context["messages"]] == [
        f"Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có {what}. "
        "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc."]
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert not list(client.get(path).context["messages"])


def test_a_persons_agency_province_and_ward_are_plain_text_for_an_officer_who_cannot_open_them(client, registrations):
    """The read-only relations of a person link only where the reader may open the page: an officer,
    who has no access to the agencies, provinces and wards, reads their names instead of a 403's link."""
    from accounts.models import Person

    person = Person.objects.get(bhxh_code="7901000001")
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    person.refresh_from_db()
    assert person.province_id and person.ward_id
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    html = client.get(f"/quan-tri/accounts/person/{person.pk}/change/").content.decode()
    assert "[07901] BHXH Quận 1" in html and person.ward.name in html
    assert not re.search(r"/quan-tri/lookup/(agency|province|ward)/", html)


def test_a_district_officer_ends_the_sessions_of_a_person_their_agency_manages_and_no_other(client, registrations):
    """The person's admin list ends the sessions of the selected people's logins, for an officer of
    the agency managing them: another agency's person is not listed, and selecting them anyway
    (a forged post) ends nothing. The officer needs no right to change accounts."""
    from allauth.usersessions.models import UserSession
    from django.contrib.admin.models import LogEntry
    from django.test import Client

    from accounts.models import Person

    Person.objects.filter(bhxh_code="7901000001").update(agency=Agency.objects.get(code="07901"))
    Person.objects.filter(bhxh_code="7901000002").update(agency=Agency.objects.get(code="07903"))
    own, other = Person.objects.get(bhxh_code="7901000001"), Person.objects.get(bhxh_code="7901000002")
    phones = {}
    for person in (own, other):
        login = User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
        phones[person.pk] = Client()
        phones[person.pk].force_login(login)
        assert phones[person.pk].get("/ca-nhan/").status_code == 200
    district = officer("canbo07901", "07901", DISTRICT)
    assert not district.has_perm("accounts.change_user")
    client.force_login(district)
    page = client.get("/quan-tri/accounts/person/").content.decode()
    assert "Đăng xuất người đã chọn khỏi mọi thiết bị" in page and other.bhxh_code not in page

    response = client.post("/quan-tri/accounts/person/", {"action": "end_sessions", "_selected_action": [own.pk, other.pk]},
                           follow=True)
    assert "Đã kết thúc 1 phiên đăng nhập." in response.content.decode()
    ended = phones[own.pk].get("/ca-nhan/", follow=True)
    assert "/tai-khoan/dang-nhap/" in ended.redirect_chain[-1][0]
    assert "Cơ quan BHXH đã kết thúc phiên làm việc" in ended.content.decode()
    assert phones[other.pk].get("/ca-nhan/").status_code == 200  # another agency's person: still logged in
    assert UserSession.objects.filter(user__person=other).exists()
    entry = LogEntry.objects.get(object_id=str(own.pk), user=district)
    assert entry.change_message.startswith("Kết thúc mọi phiên đăng nhập (1 phiên)")


def test_the_officers_end_sessions_action_leaves_a_staff_login_of_a_person_alone(client, registrations):
    """A person their agency manages may have a staff login (an officer is a citizen too): the person
    list's action is for citizens' logins, and ending a colleague's or a superuser's sessions would
    need the right to change accounts the officers do not have."""
    from allauth.usersessions.models import UserSession
    from django.test import Client

    from accounts.models import Person

    Person.objects.filter(bhxh_code="7901000001").update(agency=Agency.objects.get(code="07901"))
    colleague_person = Person.objects.get(bhxh_code="7901000001")
    colleague = User.objects.create_user("canbo07901b", password="x-Pass-2026!", person=colleague_person, is_staff=True,
                                         email="canbo07901b@vssid.local", agency=Agency.objects.get(code="07901"))
    desk = Client()
    desk.force_login(colleague)
    desk.get("/quan-tri/")
    assert UserSession.objects.filter(user=colleague).exists()
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    response = client.post("/quan-tri/accounts/person/", {"action": "end_sessions",
                                                          "_selected_action": [colleague_person.pk]}, follow=True)
    assert response.status_code == 200 and "Đã kết thúc 0 phiên đăng nhập." in response.content.decode()
    assert UserSession.objects.filter(user=colleague).exists()


def test_an_english_admin_offers_and_reports_the_end_of_sessions_in_english(client, registrations, settings):
    """The person list's action and the account list's, and the message saying how many sessions
    ended, in the admin's language; the Vietnamese admin's are held above."""
    from django.test import Client

    from accounts.models import Person

    Person.objects.filter(bhxh_code="7901000001").update(agency=Agency.objects.get(code="07901"))
    person = Person.objects.get(bhxh_code="7901000001")
    login = User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)

    def logged_in_on_a_phone():
        phone = Client()
        phone.force_login(login)
        assert phone.get("/ca-nhan/").status_code == 200

    logged_in_on_a_phone()
    settings.LANGUAGE_CODE = "en"
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert "Log the selected people out of every device" in client.get("/quan-tri/accounts/person/").content.decode()
    response = client.post("/quan-tri/accounts/person/", {"action": "end_sessions", "_selected_action": [person.pk]},
                           follow=True)
    assert [str(message) for message in response.context["messages"]] == ["1 login session ended."]
    client.force_login(User.objects.create_superuser("quantri", password=None))
    page = client.get("/quan-tri/accounts/user/").content.decode()
    assert "Log the selected accounts out of every device" in page and "Đăng xuất" not in page
    logged_in_on_a_phone()
    response = client.post("/quan-tri/accounts/user/", {"action": "end_sessions",
                                                         "_selected_action": [login.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["1 login session ended."]


def test_a_vietnamese_admin_offers_the_end_of_sessions_of_accounts_as_before(client, registrations):
    client.force_login(User.objects.create_superuser("quantri", password=None))
    assert "Đăng xuất tài khoản đã chọn khỏi mọi thiết bị" in client.get("/quan-tri/accounts/user/").content.decode()
    response = client.post("/quan-tri/accounts/user/", {"action": "end_sessions",
                                                         "_selected_action": [User.objects.get().pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["Đã kết thúc 0 phiên đăng nhập."]


APPROVED_IN = {
    "en": ("The registration for electronic transactions has been approved",
           "BHXH: Registration {reference} has been approved. User name: 7901234567. Temporary password: {password} "
           "(change it at your first login). Log in at http://testserver/tai-khoan/dang-nhap/",
           "BHXH: Registration {reference} has been approved. User name: 7901234567. The temporary password has been "
           "sent by SMS to the registered phone number. Login page: http://testserver/tai-khoan/dang-nhap/",
           "Hello Nguyễn Văn Đức,"),
    "vi": ("Đăng ký giao dịch điện tử đã được duyệt",
           "BHXH: Đăng ký {reference} đã được duyệt. Tên đăng nhập: 7901234567. Mật khẩu tạm: {password} "
           "(đổi khi đăng nhập lần đầu). Đăng nhập: http://testserver/tai-khoan/dang-nhap/",
           "BHXH: Đăng ký {reference} đã được duyệt. Tên đăng nhập: 7901234567. Mật khẩu tạm đã được gửi bằng SMS "
           "đến số điện thoại đã đăng ký. Trang đăng nhập: http://testserver/tai-khoan/dang-nhap/",
           "Xin chào Nguyễn Văn Đức,"),
}


@pytest.mark.parametrize(("registered_in", "officer_reads"), [("en", "vi"), ("vi", "en")])
def test_an_approval_opens_the_login_and_tells_it_in_the_language_registered_in_never_the_officers(
        client, reference_data, django_capture_on_commit_callbacks, sms_outbox, mailoutbox, registered_in, officer_reads):
    make_person()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = registered_in  # the registrant's pages
    with django_capture_on_commit_callbacks(execute=True):
        assert register(client).status_code == 302
    registration = Registration.objects.get(bhxh_code="7901234567")
    assert registration.language == registered_in
    [declaration] = mailoutbox
    assert declaration.subject.startswith({"en": "Registration", "vi": "Đã nhận đăng ký"}[registered_in])

    approver = officer("canbo07901", "07901", DISTRICT)
    User.objects.filter(pk=approver.pk).update(language=officer_reads)  # the officer's own choice
    officer_client = Client()
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = officer_reads
    officer_client.force_login(approver)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"/quan-tri/accounts/registration/{registration.pk}/duyet/")
    assert response.status_code == 302

    user = User.objects.get(username="7901234567")
    assert user.language == registered_in
    subject, sms_text, mail_text, hello = APPROVED_IN[registered_in]
    [sms] = [m for m in sms_outbox() if re.search(r"(Mật khẩu tạm|Temporary password): ", m["text"])]
    assert sms["to"] == "+84987654321"
    password = re.search(r"(?:Mật khẩu tạm|Temporary password): (\w{12}) ", sms["text"]).group(1)
    assert user.check_password(password)
    assert sms["text"] == sms_text.format(reference=registration.reference, password=password)
    [mail] = mailoutbox[1:]
    assert mail.to == ["duc@example.vn"] and mail.subject == subject
    assert mail.body == mail_text.format(reference=registration.reference)
    assert {m.language for m in Message.objects.filter(template="registration_approved")} == {registered_in}
    welcome = Message.objects.get(template="welcome", user=user)
    assert welcome.language == registered_in and welcome.body.startswith(hello)
    # The registry's own number hears in Vietnamese: the registration may not have been its holder's.
    warning = Message.objects.get(template="registration_approved_elsewhere")
    assert warning.language == "vi" and warning.recipient == "+84912345678"


def test_a_registration_replaced_is_told_in_the_language_it_was_sent_in(reference_data):
    from django.utils import translation

    person = make_person()
    with translation.override("en"):
        first = submit(person, phone="+84987654321")
    with translation.override("vi"):
        second = submit(person, phone="+84987650000")
    replaced = Message.objects.get(template="registration_replaced")
    assert (replaced.recipient, replaced.language) == ("+84987654321", "en")
    assert replaced.body == (f"BHXH: Registration {first.reference} for social insurance code ******4567 has been "
                             "replaced by a new registration. If you did not send it, call 1900 9068 now.")
    assert Message.objects.get(template="registration_received", recipient="+84987650000").language == "vi"
    assert (first.language, second.language) == ("en", "vi")
