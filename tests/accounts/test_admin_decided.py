"""A registration already decided (a double click, or a colleague deciding it at the same moment):
the officer is told what was decided, by whom and when; the same decision is an information, another
one a warning, and a rejection reason typed but not sent is given back. Nothing is done twice."""

import pytest
from django.contrib.messages import constants
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import Registration, RegistrationEvent, User
from accounts.services.registration import registration_approve, registration_reject

from .helpers import make_person, officer, submit

pytestmark = pytest.mark.django_db
DISTRICT = "Cán bộ BHXH cơ sở"


@pytest.fixture
def registration(reference_data):
    return submit(make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2))


@pytest.fixture
def colleague(reference_data):
    user = officer("canbo07901b", "07901", DISTRICT)
    user.last_name, user.first_name = "Lê Quốc", "Minh"
    user.save()
    return user


@pytest.fixture
def client(reference_data):
    client = Client()
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    return client


def approve(client, registration):
    return client.post(f"/quan-tri/accounts/registration/{registration.pk}/duyet/", follow=True)


def reject(client, registration, reason):
    return client.post(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/", {"reason": reason}, follow=True)


def said(response) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in response.context["messages"]]


def when(registration) -> str:
    """When it was decided, as the message says it: "HH:MM ngày dd/mm/yyyy" in the portal's time zone."""
    registration.refresh_from_db()
    return f"{timezone.localtime(registration.decided_at):%H:%M ngày %d/%m/%Y}"


def test_approving_again_says_it_was_approved_by_whom_and_when(client, registration, colleague):
    registration_approve(registration=registration, officer=colleague)
    response = approve(client, registration)
    assert response.redirect_chain[-1][0] == f"/quan-tri/accounts/registration/{registration.pk}/change/"
    assert said(response) == [(constants.INFO, f"Đăng ký {registration.reference} đã được duyệt (Lê Quốc Minh, "
                                               f"lúc {when(registration)}); không cần thực hiện lại.")]
    assert User.objects.filter(username="7901000001").count() == 1
    assert registration.events.filter(action=RegistrationEvent.Action.APPROVED).count() == 1


def test_approving_what_a_colleague_rejected_warns_with_their_reason(client, registration, colleague):
    registration_reject(registration=registration, officer=colleague, reason="Ảnh CCCD bị mờ")
    response = approve(client, registration)
    assert said(response) == [(constants.WARNING, f"Đăng ký {registration.reference} đã bị từ chối (Lê Quốc Minh, "
                                                  f"lúc {when(registration)}) với lý do “Ảnh CCCD bị mờ” nên không "
                                                  "duyệt được nữa.")]
    assert registration.status == Registration.Status.REJECTED and not User.objects.filter(username="7901000001").exists()


def test_rejecting_what_a_colleague_approved_warns_and_gives_the_reason_back(client, registration, colleague, sms_outbox,
                                                                             django_capture_on_commit_callbacks):
    registration_approve(registration=registration, officer=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        response = reject(client, registration, " Ảnh chân dung bị lóa ")
    assert said(response) == [(constants.WARNING, f"Đăng ký {registration.reference} đã được duyệt (Lê Quốc Minh, "
                                                  f"lúc {when(registration)}) nên không từ chối được nữa. Lý do bạn "
                                                  "vừa nhập chưa được gửi: “Ảnh chân dung bị lóa”")]
    assert registration.status == Registration.Status.APPROVED and registration.reject_reason == ""
    assert not any("lóa" in message["text"] for message in sms_outbox())


def test_rejecting_twice_with_the_same_reason_is_an_information(client, registration):
    reject(client, registration, "Ảnh CCCD bị mờ")
    response = reject(client, registration, "Ảnh CCCD bị mờ")
    assert said(response) == [(constants.INFO, f"Đăng ký {registration.reference} đã bị từ chối (canbo07901, "
                                               f"lúc {when(registration)}) với lý do “Ảnh CCCD bị mờ”; không cần "
                                               "thực hiện lại.")]
    assert registration.events.filter(action=RegistrationEvent.Action.REJECTED).count() == 1


def test_rejecting_after_a_colleague_with_another_reason_gives_the_reason_back(client, registration, colleague):
    registration_reject(registration=registration, officer=colleague, reason="Ảnh CCCD bị mờ")
    response = reject(client, registration, "Sai số CCCD")
    [(level, text)] = said(response)
    assert level == constants.WARNING
    assert text.endswith("với lý do “Ảnh CCCD bị mờ”; không cần thực hiện lại. Lý do bạn vừa nhập chưa được gửi: "
                         "“Sai số CCCD”")
    registration.refresh_from_db()
    assert registration.reject_reason == "Ảnh CCCD bị mờ"


def test_a_registration_replaced_by_a_newer_one_is_named_so(client, registration):
    newer = submit(registration.person)
    response = approve(client, registration)
    assert said(response) == [(constants.WARNING, f"Đăng ký {registration.reference} đã được thay bằng một đăng ký mới "
                                                  f"của người nộp (lúc {when(registration)}) nên không duyệt được nữa.")]
    newer.refresh_from_db()
    assert newer.status == Registration.Status.PENDING


def test_the_reject_page_of_a_registration_a_colleague_approved_says_so_before_a_reason_is_typed(
        client, registration, colleague):
    registration_approve(registration=registration, officer=colleague)
    response = client.get(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/", follow=True)
    assert response.redirect_chain[-1][0] == f"/quan-tri/accounts/registration/{registration.pk}/change/"
    assert said(response) == [(constants.WARNING, f"Đăng ký {registration.reference} đã được duyệt (Lê Quốc Minh, "
                                                  f"lúc {when(registration)}) nên không từ chối được nữa.")]
    assert 'name="reason"' not in response.content.decode()


def test_the_reject_page_of_a_registration_rejected_already_is_an_information(client, registration, colleague):
    registration_reject(registration=registration, officer=colleague, reason="Ảnh CCCD bị mờ")
    response = client.get(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/", follow=True)
    assert said(response) == [(constants.INFO, f"Đăng ký {registration.reference} đã bị từ chối (Lê Quốc Minh, "
                                               f"lúc {when(registration)}) với lý do “Ảnh CCCD bị mờ”; không cần "
                                               "thực hiện lại.")]


def test_the_reject_page_of_a_pending_registration_asks_for_the_reason(client, registration):
    response = client.get(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/")
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()


def test_the_page_of_a_replaced_registration_says_its_files_went_with_it(client, registration):
    """A registration replaced by a newer one keeps no photo and never gets a declaration: its page
    says so, instead of a declaration "being built" for ever and photos deleted "after the
    retention period"."""
    submit(registration.person)
    html = client.get(f"/quan-tri/accounts/registration/{registration.pk}/change/").content.decode()
    assert "Đang tạo tờ khai" not in html and "thời hạn lưu trữ" not in html
    assert html.count("Không còn: đăng ký đã được thay bằng một đăng ký mới của người nộp.") == 2


def test_a_decision_is_in_the_registrations_change_history(client, registration):
    """The page's "Lịch sử thay đổi" (and the officer's recent actions) name the decision, who took it and
    when, as the card admin's reissue and revoke do, instead of "no change history"."""
    from django.contrib.admin.models import LogEntry

    approve(client, registration)
    [entry] = LogEntry.objects.filter(object_id=str(registration.pk))
    assert (entry.user.username, entry.get_change_message()) == ("canbo07901", "Duyệt đăng ký.")
    html = client.get(f"/quan-tri/accounts/registration/{registration.pk}/history/").content.decode()
    assert "Duyệt đăng ký." in html

    other = submit(make_person("7901000009", "Lê Văn Hùng", id_number="079088012346"))
    reject(client, other, "Ảnh CCCD bị mờ")
    [entry] = LogEntry.objects.filter(object_id=str(other.pk))
    assert entry.get_change_message() == "Từ chối đăng ký: Ảnh CCCD bị mờ"


def test_rejecting_with_no_reason_what_a_colleague_approved_says_it_was_approved(client, registration, colleague):
    """The officer is told the registration was approved meanwhile, not asked for a reason that could not be sent."""
    registration_approve(registration=registration, officer=colleague)
    response = reject(client, registration, "")
    assert said(response) == [(constants.WARNING, f"Đăng ký {registration.reference} đã được duyệt (Lê Quốc Minh, "
                                                  f"lúc {when(registration)}) nên không từ chối được nữa.")]


def test_an_english_admin_is_told_in_english_that_a_colleague_decided_already(client, registration, colleague):
    """The sentence is the catalogue's whole, in the admin's language: before, an English admin read
    "Đăng ký … đã bị từ chối (Lê Quốc Minh, lúc 07:51 on 07/12/2026)" and a Vietnamese "not sent"."""
    registration_reject(registration=registration, officer=colleague, reason="Ảnh CCCD bị mờ")
    with override_settings(LANGUAGE_CODE="en"):
        response = reject(client, registration, "Thiếu ảnh mặt sau")
    at = when(registration).replace(" ngày ", " on ")
    assert said(response) == [(constants.WARNING, f"Registration {registration.reference} has already been refused "
                                                  f"(Lê Quốc Minh, at {at}) with the reason “Ảnh CCCD bị mờ”; there is "
                                                  "nothing more to do. The reason you have just typed was not sent: "
                                                  "“Thiếu ảnh mặt sau”")]


def test_an_english_admin_is_told_in_english_that_the_registration_was_refused(client, registration):
    with override_settings(LANGUAGE_CODE="en"):
        response = reject(client, registration, "Ảnh CCCD bị mờ")
    assert said(response) == [(constants.SUCCESS, f"Registration {registration.reference} refused; the applicant has "
                                                  "been told.")]


def decision_box(client, registration) -> str:
    page = client.get(f"/quan-tri/accounts/registration/{registration.pk}/change/").content.decode()
    return page.split('<div class="registration-decision">', 1)[1].split("</div>", 1)[0]


def test_an_english_admin_approves_a_registration_in_english(client, registration):
    with override_settings(LANGUAGE_CODE="en"):
        box = decision_box(client, registration)
        response = approve(client, registration)
    assert "<h2>Process the registration</h2>" in box and ">Approve and create the account</button>" in box
    assert ">Refuse…</a>" in box
    assert said(response) == [(constants.SUCCESS, f"Registration {registration.reference} approved; the result "
                                                  "was sent by SMS.")]


def test_a_vietnamese_admin_approves_a_registration_as_before(client, registration):
    box = decision_box(client, registration)
    assert "<h2>Xử lý đăng ký</h2>" in box and ">Duyệt và cấp tài khoản</button>" in box and ">Từ chối…</a>" in box
    assert said(approve(client, registration)) == [
        (constants.SUCCESS, f"Đã duyệt đăng ký {registration.reference} và báo kết quả qua SMS.")]
