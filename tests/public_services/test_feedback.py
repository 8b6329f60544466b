"""Feedback and complaints (phản ánh, kiến nghị) end to end: the form with its attachment checked
like every upload, the tracking number by SMS and e-mail, the status page and finding it again,
one feedback per form however often it is posted, the answer by an officer of the receiving
agency in the admin (others do not see it), and the answer reaching the sender."""

import copy
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from lookup.models import Agency
from public_services.admin.feedback import FeedbackAdmin
from public_services.models import Feedback
from public_services.services import TooManyFeedbacks, feedback_answer, feedback_submit
from tests.accounts.helpers import jpeg
from tests.accounts.test_otp import clock  # noqa: F401

from .helpers import citizen, district_officer, logged, other_district_officer, owner, province_officer  # noqa: F401
from .test_attachments import HOSTILE, real_pdf

pytestmark = pytest.mark.django_db

FORM, LOOKUP, ADMIN = "/dich-vu-cong/phan-anh/", "/dich-vu-cong/phan-anh/tra-cuu/", "/quan-tri/public_services/feedback/"
TRACKING = re.compile(r"PA\d{4}[A-HJ-NP-Z2-9]{8}")
CONTENT = "Đơn vị chưa chốt sổ BHXH khi tôi nghỉ việc từ tháng 3/2026."


@pytest.fixture
def agency(reference_data):
    return Agency.objects.get(code="07901")


def key_of(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def fields(receiver, **overrides) -> dict:
    data = {"kind": "phan_anh", "topic": "thu_so", "agency": receiver.pk, "content": CONTENT,
            "full_name": "  trần thị   mai ", "phone": "0912 345 678", "email": "mai@example.vn"}
    return {**data, **overrides}


def send(client, receiver, *, capture, **overrides):
    """Open the form, post it to `receiver` (an agency); returns (response, key)."""
    key = key_of(client.get(FORM))
    with capture(execute=True):
        response = client.post(FORM, {**fields(receiver, **overrides), "idempotency_key": key})
    return response, key


@pytest.fixture
def sent(client, agency, django_capture_on_commit_callbacks):
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, attachment=jpeg("anh-so.jpg"))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Feedback.objects.get()


# --- The form --------------------------------------------------------------------------------

def test_the_form_needs_no_login_and_groups_agencies_by_province(client, agency):
    response = client.get(FORM)
    html = response.content.decode()
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    assert '<optgroup label="Thành phố Hồ Chí Minh">' in html and f'<option value="{agency.pk}">BHXH Quận 1</option>' in html
    assert all(str(label) in html for _, label in Feedback.Topic.choices)  # lazy labels
    assert 'accept="application/pdf,image/jpeg,image/png,image/webp"' in html and "tel:19009068" in html
    assert key_of(response) != key_of(client.get(FORM))  # a new key for every rendering


def test_a_logged_in_citizen_finds_the_contact_and_agency_filled_in(owner):
    html = logged(owner).get(FORM).content.decode()
    assert 'value="Nguyễn Văn Đức"' in html and 'value="7901234567@example.vn"' in html
    assert f'<option value="{owner.person.agency_id}" selected>' in html


def test_sending_gives_a_tracking_number_by_sms_and_email(client, sent, sms_outbox):
    assert TRACKING.fullmatch(sent.tracking_number)
    assert sent.full_name == "trần thị mai" and sent.phone.as_e164 == "+84912345678" and sent.user is None
    assert sent.status == Feedback.Status.RECEIVED and sent.agency.code == "07901"
    [sms] = sms_outbox()
    assert sms["to"] == "+84912345678" and sent.tracking_number in sms["text"] and sms["text"].startswith("BHXH: Đã tiếp nhận")
    [email] = mail.outbox
    assert email.to == ["mai@example.vn"] and email.subject == f"Đã tiếp nhận phản ánh, kiến nghị {sent.tracking_number}"
    assert f"Mã phản ánh: {sent.tracking_number}" in email.body


def test_the_attachment_is_re_encoded_into_private_storage(sent):
    name = sent.attachment.name
    assert name == f"feedback/{sent.tracking_number}/dinh-kem.jpg"
    assert default_storage.exists(name) and default_storage.open(name).read().startswith(b"\xff\xd8")


def test_the_status_page_opens_in_the_sending_browser_only(client, sent):
    url = f"/dich-vu-cong/phan-anh/{sent.tracking_number}/"
    html = client.get(url).content.decode()
    assert f"<h1>Phản ánh {sent.tracking_number}</h1>" in html and CONTENT in html
    assert "Đã tiếp nhận, đang xem xét" in html and "<dd>BHXH Quận 1</dd>" in html
    assert "qua SMS và thư điện tử" in html and "Có (chỉ cán bộ BHXH xem được)" in html
    assert Client().get(url)["Location"] == f"{LOOKUP}?ma={sent.tracking_number}"


@pytest.mark.parametrize("left", ["just before the idle time-out", "past the idle time-out"])
def test_the_status_page_is_gone_from_a_browser_left_idle(clock, client, sent, settings, left):  # noqa: F811
    """The next person at a shared computer: the sender's session ends after the idle time-out, as
    a logged-in one does, and does not outlive the browser."""
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    url = f"/dich-vu-cong/phan-anh/{sent.tracking_number}/"
    clock.advance(settings.SESSION_IDLE_TIMEOUT + (1 if left == "past the idle time-out" else -1))
    response = client.get(url)
    if left == "past the idle time-out":
        assert response.status_code == 302 and response["Location"] == f"{LOOKUP}?ma={sent.tracking_number}"
    else:
        assert response.status_code == 200 and CONTENT in response.content.decode()


@pytest.mark.parametrize("tracking", ["sent", "PA2611ZZZZZZZZ"])
def test_a_tracking_number_outside_its_session_asks_for_the_contact_whether_it_exists_or_not(sent, tracking):
    """The sender's bookmark, days later when the session is gone: the lookup form with the number
    filled in, not a 404; a number nobody was given gets the very same answer."""
    number = sent.tracking_number if tracking == "sent" else tracking
    other = Client()
    response = other.get(f"/dich-vu-cong/phan-anh/{number}/")
    assert response.status_code == 302 and response["Location"] == f"{LOOKUP}?ma={number}"
    html = other.get(response["Location"]).content.decode()
    assert "Để xem phản ánh, hãy nhập số điện thoại hoặc thư điện tử đã khai khi gửi." in html
    assert f'name="tracking_number" value="{number}"' in html and CONTENT not in html


AUTOFOCUSED = re.compile(r"<[^>]*\bautofocus\b[^>]*>")


@pytest.mark.parametrize("tracking", ["sent", "PA2611ZZZZZZZZ"])
def test_the_focus_starts_in_the_contact_box_when_the_tracking_number_came_filled_in(sent, tracking):
    """The one box still to fill has the focus; the lookup opened otherwise starts at the page's top,
    and with errors the error summary takes the focus (error-summary.js), no box."""
    number = sent.tracking_number if tracking == "sent" else tracking
    other = Client()
    html = other.get(other.get(f"/dich-vu-cong/phan-anh/{number}/")["Location"]).content.decode()
    tags = AUTOFOCUSED.findall(html)
    assert len(tags) == 1 and 'name="contact"' in tags[0], tags
    assert f'name="tracking_number" value="{number}"' in html
    for url in (LOOKUP, f"{LOOKUP}?ma=", f"{LOOKUP}?ma=PA2611", f"{LOOKUP}?ma={number.lower()}"):
        assert not AUTOFOCUSED.search(other.get(url).content.decode()), url
    for contact in ("", "0987654321"):  # a box left empty; a pair that finds nothing
        errors = other.post(f"{LOOKUP}?ma={number}", {"tracking_number": number, "contact": contact}).content.decode()
        assert 'class="error-summary"' in errors and not AUTOFOCUSED.search(errors), contact


@pytest.mark.parametrize("tracking", ["sent", "PA2611ZZZZZZZZ"])
@pytest.mark.parametrize("written", [str.lower, lambda number: number[:6] + number[6:].lower(),
                                     lambda number: "\uff50" + number[1:]],  # a fullwidth "ｐ"
                         ids=["lowercase", "letters in lowercase", "fullwidth"])
def test_a_tracking_number_written_in_lowercase_is_read_as_the_number_it_writes(client, sent, tracking, written):
    """Typed by hand from the SMS, the link is the same page as the number it writes; a number nobody
    was given still gets the very same answer as one that exists."""
    number = sent.tracking_number if tracking == "sent" else tracking
    canonical = f"/dich-vu-cong/phan-anh/{number}/"
    response = client.get(f"/dich-vu-cong/phan-anh/{written(number)}/")
    assert response.status_code == 301 and response["Location"] == canonical
    if tracking == "sent":
        assert CONTENT in client.get(canonical).content.decode()
    assert Client().get(response["Location"])["Location"] == f"{LOOKUP}?ma={number}"


@pytest.mark.parametrize("malformed", ["PA2611ZZZZZZZ", "PA2611ZZZZZZZ0", "pa2611zzzzzzz", "HS2611ZZZZZZZZ",
                                       "hs2611zzzzzzzz", "x"])
def test_a_malformed_tracking_number_is_not_found(client, sent, malformed):
    assert client.get(f"/dich-vu-cong/phan-anh/{malformed}/").status_code == 404


@pytest.mark.parametrize("contact", ["0912345678", "0912 345 678", "+84 912 345 678", "MAI@example.VN",
                                     # pasted with the invisible characters the form to send drops from an address
                                     "mai@example.vn\u200b", "\ufeffmai@example.vn"])
def test_the_sender_finds_it_again_with_tracking_number_and_contact(sent, contact):
    other = Client()
    response = other.post(LOOKUP, {"tracking_number": sent.tracking_number.lower(), "contact": contact})
    assert response.status_code == 302 and response["Location"] == f"/dich-vu-cong/phan-anh/{sent.tracking_number}/"
    assert CONTENT in other.get(response["Location"]).content.decode()


@pytest.mark.parametrize("tracking,contact", [
    ("same", "0987654321"), ("same", "khac@example.vn"), ("PA2611ABCDEFGH", "0912345678"), ("same", "khong-phai-so"),
])
def test_a_wrong_pair_reveals_nothing(sent, tracking, contact):
    other = Client()
    response = other.post(LOOKUP, {"tracking_number": sent.tracking_number if tracking == "same" else tracking,
                                   "contact": contact})
    html = response.content.decode()
    assert response.status_code == 200 and "Không tìm thấy phản ánh với mã" in html and CONTENT not in html
    assert other.get(f"/dich-vu-cong/phan-anh/{sent.tracking_number}/").status_code == 302  # to the lookup form


def test_a_text_file_renamed_jpg_is_refused_and_the_rest_of_the_form_kept(client, agency,
                                                                            django_capture_on_commit_callbacks, sms_outbox):
    fake = SimpleUploadedFile("anh.jpg", "Đây không phải là ảnh".encode(), content_type="image/jpeg")
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, attachment=fake)
    html = response.content.decode()
    assert response.status_code == 200 and not Feedback.objects.exists() and sms_outbox() == []
    assert "Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, WebP." in html and 'href="#id_attachment"' in html
    assert CONTENT in html and re.search(r'name="full_name" value="\s*trần thị\s+mai\s*"', html)
    assert '<option value="thu_so" selected>' in html and f'<option value="{agency.pk}" selected>' in html
    assert 'value="mai@example.vn"' in html and "<title>Lỗi: Gửi phản ánh, kiến nghị" in html


@pytest.mark.parametrize("upload,message", [
    (lambda: SimpleUploadedFile("a.pdf", b"", content_type="application/pdf"), "Tệp đính kèm rỗng"),
    (lambda: SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
     "Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, WebP."),
    (lambda: SimpleUploadedFile("a.html", b"<html><script>alert(1)</script>", content_type="text/html"),
     "Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, WebP."),
])
def test_other_unsafe_attachments_are_refused(client, agency, django_capture_on_commit_callbacks, upload, message):
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, attachment=upload())
    assert message in response.content.decode() and not Feedback.objects.exists()


def test_a_pdf_attachment_is_kept_as_pdf(client, agency, django_capture_on_commit_callbacks):
    pdf = SimpleUploadedFile("don.pdf", real_pdf(), content_type="application/pdf")
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, attachment=pdf)
    assert response.status_code == 302
    assert Feedback.objects.get().attachment.name.endswith("/dinh-kem.pdf")


@pytest.mark.parametrize("name,build,message", [
    (name, build, message) for name, build, message in HOSTILE if name.endswith(".pdf") and build().startswith(b"%PDF-")
])
def test_a_pdf_attachment_is_checked_like_the_filings_attached_pdfs(client, agency, django_capture_on_commit_callbacks,
                                                                    name, build, message):
    pdf = SimpleUploadedFile(name, build(), content_type="application/pdf")
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, attachment=pdf)
    html = response.content.decode()
    assert response.status_code == 200 and f"“{name}”" in html and message in html and not Feedback.objects.exists()


@pytest.mark.parametrize("overrides,message", [
    ({"phone": "", "email": ""}, "Nhập số điện thoại di động hoặc thư điện tử để nhận câu trả lời."),
    ({"phone": "0212345678"}, "Nhập số điện thoại di động Việt Nam"),
    ({"topic": ""}, "Chọn lĩnh vực của phản ánh, kiến nghị."),
    ({"agency": ""}, "Chọn cơ quan BHXH nhận phản ánh."),
    ({"agency": "999999"}, "Chọn cơ quan BHXH trong danh sách."),
    ({"content": "x" * 3001}, "Nhập tối đa 3000 ký tự."),
])
def test_missing_or_wrong_fields_are_explained_in_vietnamese(client, agency, django_capture_on_commit_callbacks,
                                                            overrides, message):
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 200 and message in response.content.decode() and not Feedback.objects.exists()



def test_a_file_that_passed_but_was_not_sent_with_a_refused_form_is_asked_for_again(client, agency,
                                                                                  django_capture_on_commit_callbacks):
    """A browser never sends a file again: the page says beside the box that the chosen file was
    not sent, so the sender does not send the feedback without it unawares."""
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, attachment=jpeg("anh-so.jpg"),
                       content="")
    html = response.content.decode()
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert re.search(r'id="id_attachment_helptext">Tệp “anh-so.jpg” bạn đã chọn chưa được gửi: hãy chọn lại tệp '
                     r"trước khi gửi phản ánh\.", html)
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, content="")  # none chosen
    assert "chưa được gửi" not in response.content.decode()

def test_only_the_phone_is_enough(client, agency, django_capture_on_commit_callbacks, sms_outbox):
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, email="")
    assert response.status_code == 302 and len(sms_outbox()) == 1 and mail.outbox == []


# --- One feedback per form ---------------------------------------------------------------------

def test_posting_the_same_form_twice_makes_one_feedback(client, agency, django_capture_on_commit_callbacks, sms_outbox):
    first, key = send(client, agency, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(FORM, {**fields(agency), "idempotency_key": key})
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Feedback.objects.count() == 1 and len(sms_outbox()) == 1 and len(mail.outbox) == 1


def test_a_key_this_browser_was_not_given_is_refused(client, agency):
    other_key = key_of(Client().get(FORM))
    response = client.post(FORM, {**fields(agency), "idempotency_key": other_key})
    html = response.content.decode()
    assert response.status_code == 400 and "Phiên gửi phản ánh đã hết hạn" in html and CONTENT in html
    assert not Feedback.objects.exists()
    response = client.post(FORM, {**fields(agency), "idempotency_key": key_of(response)})  # the new key works
    assert response.status_code == 302 and Feedback.objects.count() == 1


def test_the_lookups_refusal_says_in_retry_after_when_it_may_be_tried_again(client):
    """As the registration status lookup's 429 does, the feedback lookup's says how many seconds are
    left of its limit's minute."""
    asked = {"tracking_number": "PA2611000000", "contact": "0912345678"}
    for _ in range(10):
        assert not client.post(LOOKUP, asked).has_header("Retry-After")
    limited = client.post(LOOKUP, asked)
    assert limited.status_code == 429 and "quá nhiều lần" in limited.content.decode()
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_sending_is_rate_limited_per_address(client, agency, django_capture_on_commit_callbacks):
    for number in range(5):
        response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, content=f"{CONTENT} ({number})")
        assert response.status_code == 302
    limited, _ = send(client, agency, capture=django_capture_on_commit_callbacks)
    assert limited.status_code == 429 and "quá nhiều phản ánh" in limited.content.decode()
    assert Feedback.objects.count() == 5


def test_the_sending_refusal_says_in_retry_after_when_it_may_be_sent_again(client, agency,
                                                                          django_capture_on_commit_callbacks):
    """As the lookup's 429 does, the form's own says how many seconds are left of the window of
    its limit (SUBMIT_RATE, 5 in 10 minutes), counted in the service."""
    for number in range(5):
        response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, content=f"{CONTENT} ({number})")
        assert response.status_code == 302 and not response.has_header("Retry-After")
    limited, _ = send(client, agency, capture=django_capture_on_commit_callbacks)
    assert limited.status_code == 429 and "quá nhiều phản ánh" in limited.content.decode()
    assert 1 <= int(limited["Retry-After"]) <= 600


def test_refused_and_repeated_posts_do_not_use_up_the_limit(client, agency, django_capture_on_commit_callbacks):
    """Only feedbacks recorded count, once per form: five refused posts and a form posted four
    times leave room for four more feedbacks; the fifth after them is refused."""
    for _ in range(5):
        refused, _key = send(client, agency, capture=django_capture_on_commit_callbacks, content="")
        assert refused.status_code == 200 and "Nhập nội dung phản ánh, kiến nghị." in refused.content.decode()
    first, key = send(client, agency, capture=django_capture_on_commit_callbacks)
    for _ in range(3):  # the same form again: a double tap, the back button, a retry
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(FORM, {**fields(agency), "idempotency_key": key})
        assert again.status_code == 302 and again["Location"] == first["Location"]
    for number in range(4):
        response, _key = send(client, agency, capture=django_capture_on_commit_callbacks, content=f"{CONTENT} ({number})")
        assert response.status_code == 302, number
    assert Feedback.objects.count() == 5
    limited, _key = send(client, agency, capture=django_capture_on_commit_callbacks)
    assert limited.status_code == 429 and "quá nhiều phản ánh" in limited.content.decode()
    assert Feedback.objects.count() == 5


def test_the_posts_of_one_form_at_once_count_once(client, agency, monkeypatch):
    """A second post of a form arriving while the first is on its way (a double tap): the form is
    counted once."""
    from public_services.views import feedback as feedback_views

    real = feedback_views.feedback_submit
    twins = []

    def with_a_twin_arriving(**kwargs):  # the twin post comes in while this one is being recorded
        if not twins:
            twins.append(None)
            twins[0] = client.post(FORM, {**fields(agency), "idempotency_key": kwargs["idempotency_key"]})
        return real(**kwargs)

    monkeypatch.setattr(feedback_views, "feedback_submit", with_a_twin_arriving)
    key = key_of(client.get(FORM))
    first = client.post(FORM, {**fields(agency), "idempotency_key": key})
    assert first.status_code == twins[0].status_code == 302 and Feedback.objects.count() == 1
    monkeypatch.setattr(feedback_views, "feedback_submit", real)
    for number in range(4):
        response = client.post(FORM, {**fields(agency, content=f"{CONTENT} ({number})"),
                                      "idempotency_key": key_of(client.get(FORM))})
        assert response.status_code == 302, number


def test_a_twin_post_that_meets_the_feedback_only_as_it_records_it_is_not_counted(agency, monkeypatch):
    """Two posts of one form both find no feedback yet; the second's insert then meets the first's
    (the unique key): it returns that feedback and uses up nothing."""
    def send_as(key):
        return feedback_submit(kind="phan_anh", topic="thu_so", content=f"{CONTENT} {key}", full_name="Trần Thị Mai",
                               phone="0912345678", agency=agency, client="203.0.113.7", idempotency_key=key)

    first = send_as("mot-bieu-mau-0000")
    real_filter = Feedback.objects.filter
    checks = []

    def not_there_yet(*args, **kwargs):  # the twin's first look, made before the first was recorded
        found = real_filter(*args, **kwargs)
        if "idempotency_key" in kwargs and not checks:
            checks.append(kwargs)
            return found.none()
        return found

    monkeypatch.setattr(Feedback.objects, "filter", not_there_yet)
    assert send_as("mot-bieu-mau-0000") == first and checks
    monkeypatch.undo()
    for number in range(4):
        send_as(f"bieu-mau-khac-{number}")
    with pytest.raises(TooManyFeedbacks):
        send_as("mot-qua-gioi-han")
    assert Feedback.objects.count() == 5 and not Feedback.objects.filter(idempotency_key="mot-qua-gioi-han").exists()


def test_confirmations_to_one_phone_are_capped_per_hour_whichever_address_sends(
        agency, district_officer, django_capture_on_commit_callbacks, sms_outbox, clock):
    """Anyone may send feedback, so changing IP address must not make the portal text one number
    (or mail one address) over and over: 5 confirmations an hour per recipient. A feedback beyond
    that is still recorded, and its sender told why no confirmation comes."""
    phone, cap = "+84912345678", 5
    for number in range(cap + 1):
        response, _ = send(Client(REMOTE_ADDR=f"10.9.0.{number}"), agency, capture=django_capture_on_commit_callbacks,
                           content=f"{CONTENT} ({number})")
        assert response.status_code == 302
    assert Feedback.objects.count() == cap + 1
    assert [sms["to"] for sms in sms_outbox()] == [phone] * cap and len(mail.outbox) == cap
    beyond = Feedback.objects.get(content=f"{CONTENT} ({cap})")
    assert not any(beyond.tracking_number in sms["text"] for sms in sms_outbox())
    # Its sender reads why on the status page (the tracking number is on screen there).
    last = Client(REMOTE_ADDR="10.9.1.0")
    key = key_of(last.get(FORM))
    with django_capture_on_commit_callbacks(execute=True):
        response = last.post(FORM, {**fields(agency, content=f"{CONTENT} (last)"), "idempotency_key": key}, follow=True)
    html = response.content.decode()
    latest = Feedback.objects.get(content=f"{CONTENT} (last)")
    assert response.status_code == 200 and f"<h1>Phản ánh {latest.tracking_number}</h1>" in html
    assert ("Cổng không gửi thêm tin nhắn xác nhận đến số điện thoại bạn khai vì số này đã nhận đủ 5 tin nhắn xác nhận "
            "phản ánh trong một giờ.") in html
    assert "Cổng không gửi thêm thư xác nhận đến địa chỉ thư điện tử bạn khai" in html
    assert f"Hãy ghi lại mã phản ánh {latest.tracking_number} để tra cứu" in html
    assert "Hãy giữ mã phản ánh" not in html  # asked once, by the notice read first, not again by the page's box
    # Another number is not affected; the officer's answer to a capped feedback still goes out.
    other, _ = send(Client(REMOTE_ADDR="10.9.1.1"), agency, capture=django_capture_on_commit_callbacks,
                    phone="0987 654 321", email="khac@example.vn")
    assert other.status_code == 302 and sms_outbox()[-1]["to"] == "+84987654321"
    with django_capture_on_commit_callbacks(execute=True):
        feedback_answer(feedback=beyond, officer=district_officer, answer="Đã đề nghị đơn vị chốt sổ.")
    assert sms_outbox()[-1]["to"] == phone and "Đã đề nghị đơn vị chốt sổ." in sms_outbox()[-1]["text"]
    # An hour later the number gets confirmations again.
    clock.advance(3600)
    again, _ = send(Client(REMOTE_ADDR="10.9.2.1"), agency, capture=django_capture_on_commit_callbacks,
                    content=f"{CONTENT} (next hour)")
    next_hour = Feedback.objects.get(content=f"{CONTENT} (next hour)")
    assert again.status_code == 302 and next_hour.tracking_number in sms_outbox()[-1]["text"]


def test_a_confirmed_feedback_shows_no_notice_about_the_cap(client, agency, django_capture_on_commit_callbacks):
    key = key_of(client.get(FORM))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, {**fields(agency), "idempotency_key": key}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Cổng không gửi thêm" not in html
    number = Feedback.objects.get().tracking_number
    assert f"Hãy giữ mã phản ánh <strong>{number}</strong> để tra cứu." in html  # the page's box asks it then


@pytest.mark.parametrize("overrides,field,message", [
    # The form used to allow 320 characters, the model (and the outbox) keep 254.
    ({"email": "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".vn"}, "email",
     "Địa chỉ thư điện tử dài tối đa 254 ký tự."),
    # 60 characters as typed, 120 once stored in NFC (U+0958 decomposes into two).
    ({"full_name": "\u0958" * 60}, "full_name", "Họ và tên dài tối đa 100 ký tự."),
])
def test_input_the_model_would_refuse_is_a_form_error_not_a_server_error(
        client, agency, django_capture_on_commit_callbacks, sms_outbox, overrides, field, message):
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, **overrides)
    html = response.content.decode()
    assert response.status_code == 200 and f'<a href="#id_{field}">{message}</a>' in html
    assert not Feedback.objects.exists() and sms_outbox() == [] and mail.outbox == []


def test_a_name_just_within_the_limit_once_normalised_is_accepted(client, agency, django_capture_on_commit_callbacks):
    typed = "Nguye\u0302\u0303n " + "a" * 91  # 100 characters typed (decomposed), 98 once composed
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, full_name=typed)
    assert response.status_code == 302 and Feedback.objects.get().full_name == "Nguyễn " + "a" * 91


def test_a_refusal_by_the_service_is_shown_on_the_form(client, agency, django_capture_on_commit_callbacks, monkeypatch):
    """Whatever the service still refuses comes back beside its field or at the top, never as a
    500. (The form now catches every input known to reach the model's checks, so the refusal is
    stood in for here.)"""
    from public_services.views import feedback as feedback_views

    def refuse(**kwargs):
        raise ValidationError({"full_name": "Họ và tên không hợp lệ.", "tracking_number": "Mã phản ánh đã tồn tại."})

    monkeypatch.setattr(feedback_views, "feedback_submit", refuse)
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 200 and '<a href="#id_full_name">Họ và tên không hợp lệ.</a>' in html
    assert "Mã phản ánh đã tồn tại." in html and CONTENT in html and key_of(response)


# --- The officer's answer ----------------------------------------------------------------------

def test_officers_of_the_receiving_agency_and_above_see_it_others_do_not(sent, district_officer, province_officer,
                                                                         other_district_officer):
    change = f"{ADMIN}{sent.pk}/change/"
    for officer in (district_officer, province_officer):
        client = logged(officer)
        assert sent.tracking_number in client.get(ADMIN).content.decode()
        html = client.get(change).content.decode()
        assert CONTENT in html and "Mở tệp đính kèm" in html
        attachment = client.get(f"{ADMIN}{sent.pk}/dinh-kem/")
        assert attachment.status_code == 200 and attachment["X-Content-Type-Options"] == "nosniff"
        assert b"".join(attachment.streaming_content).startswith(b"\xff\xd8")
    outsider = logged(other_district_officer)
    assert sent.tracking_number not in outsider.get(ADMIN).content.decode()
    assert outsider.get(change).status_code == 404  # another agency's feedback
    assert outsider.get(f"{ADMIN}{sent.pk}/dinh-kem/").status_code == 404
    with pytest.raises(PermissionDenied):
        feedback_answer(feedback=sent, officer=other_district_officer, answer="Trả lời thay")
    assert Client().get(f"{ADMIN}{sent.pk}/dinh-kem/").status_code == 302  # to the login page
    citizen_client = logged(citizen("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345"))
    assert citizen_client.get(ADMIN).status_code == 302


def test_an_answer_that_fills_the_box_with_line_breaks_is_taken_as_typed(sent, district_officer):
    """The box's maxlength (3000) counts a line break as one character; the browser sends it as CRLF."""
    typed = "\n".join(["Cơ quan BHXH đã đề nghị đơn vị chốt sổ."] * 40 + ["Bạn nhận sổ tại đơn vị."]).ljust(3000, ".")
    assert len(typed) == 3000
    response = logged(district_officer).post(f"{ADMIN}{sent.pk}/change/", {"answer": typed.replace("\n", "\r\n")})
    assert response.status_code == 302, response.content.decode()
    sent.refresh_from_db()
    assert sent.answer == typed and "\r" not in sent.answer


def test_the_officer_answers_and_the_sender_gets_it_by_sms_email_and_status_page(
        client, sent, district_officer, sms_outbox, django_capture_on_commit_callbacks):
    officer_client = logged(district_officer)
    change = f"{ADMIN}{sent.pk}/change/"
    empty = officer_client.post(change, {"answer": "   "})
    assert empty.status_code == 200 and "Nhập nội dung trả lời trước khi lưu." in empty.content.decode()
    answer = "Cơ quan BHXH đã đề nghị đơn vị chốt sổ trước ngày 15/4/2026. Bạn nhận sổ tại đơn vị."
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(change, {"answer": answer}, follow=True)
    assert f"Đã trả lời phản ánh {sent.tracking_number}" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Feedback.Status.ANSWERED and sent.answer == answer
    assert sent.answered_by == district_officer and sent.answered_at is not None
    answered_sms = [sms for sms in sms_outbox() if sms["text"].startswith("BHXH: Trả lời")]
    assert len(answered_sms) == 1 and answer in answered_sms[0]["text"] and answered_sms[0]["to"] == "+84912345678"
    email = mail.outbox[-1]
    assert email.subject == f"Trả lời phản ánh, kiến nghị {sent.tracking_number}" and answer in email.body
    html = client.get(f"/dich-vu-cong/phan-anh/{sent.tracking_number}/").content.decode()
    assert "Cơ quan BHXH đã trả lời" in html and "Trả lời của cơ quan BHXH" in html
    assert f'<p lang="vi">{answer}</p>' in html  # read in Vietnamese when the page is in English too
    # Answered once: the page turns read-only and a second post changes nothing.
    officer_client.post(change, {"answer": "Sửa lại câu trả lời"})
    sent.refresh_from_db()
    assert sent.answer == answer and len(mail.outbox) == 2
    assert 'name="answer"' not in officer_client.get(change).content.decode()


def test_an_answer_sent_says_so_once_and_never_that_it_can_be_edited_again(sent, district_officer):
    """An answer goes out once and the page turns read-only: Django's own "… được chỉnh sửa thành công.
    Bạn có thể chỉnh sửa lại bên dưới." came as a second message after the portal's."""
    response = logged(district_officer).post(f"{ADMIN}{sent.pk}/change/", {"answer": "Đơn vị đã chốt sổ.", "_save": "1"},
                                             follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        f"Đã trả lời phản ánh {sent.tracking_number}; câu trả lời đang được gửi đến người gửi."]
    assert response.request["PATH_INFO"] == ADMIN


def test_the_answer_is_sent_with_one_button_that_says_it_sends(sent, district_officer):
    """Saving the answer sends it to the sender and closes the feedback: "Lưu lại" read as keeping a
    draft, and "Lưu và tiếp tục chỉnh sửa" offered an editing that an answered feedback refuses."""
    html = logged(district_officer).get(f"{ADMIN}{sent.pk}/change/").content.decode()
    buttons = re.findall(r'<input type="submit"[^>]*>', html)
    assert buttons == ['<input type="submit" value="Gửi câu trả lời" class="default" name="_save">']


def test_the_answer_box_is_shown_as_required(sent, district_officer):
    """An answer cannot be sent empty: its label said nothing of it, as for an optional box."""
    html = logged(district_officer).get(f"{ADMIN}{sent.pk}/change/").content.decode()
    assert re.search(r'<label class="required" for="id_answer">', html)
    assert re.search(r'<textarea name="answer"[^>]* required ', html)


def test_the_answer_works_from_the_service_once(sent, province_officer):
    answered = feedback_answer(feedback=sent, officer=province_officer, answer="  Đã chuyển BHXH Quận 1 xử lý.  ")
    assert answered.answer == "Đã chuyển BHXH Quận 1 xử lý." and answered.answered_by == province_officer
    with pytest.raises(ValidationError, match="đã được trả lời"):
        feedback_answer(feedback=sent, officer=province_officer, answer="Lần hai")


def answered_elsewhere(response) -> tuple[str, str]:
    """The level and text of the one message on the page the post landed on, which is the
    read-only feedback."""
    [message] = response.context["messages"]
    assert response.request["PATH_INFO"].endswith("/change/") and 'name="answer"' not in response.content.decode()
    return message.level_tag, message.message


@pytest.mark.parametrize("stale", [False, True])
def test_an_answer_to_a_feedback_answered_meanwhile_says_who_answered_and_when(
        sent, district_officer, province_officer, sms_outbox, django_capture_on_commit_callbacks, monkeypatch, stale):
    change, first = f"{ADMIN}{sent.pk}/change/", "Đơn vị đã chốt sổ ngày 10/4/2026; mời bạn nhận sổ tại đơn vị."
    district, province = logged(district_officer), logged(province_officer)
    if stale:  # every post read the feedback before the first answer was saved: the service finds it answered
        monkeypatch.setattr(FeedbackAdmin, "get_object", lambda self, request, object_id, from_field=None: (
            copy.copy(sent) if request.method == "POST" else Feedback.objects.get(pk=sent.pk)))
    with django_capture_on_commit_callbacks(execute=True):
        district.post(change, {"answer": first}, follow=True)
        mine = "Tôi đã gọi cho đơn vị; đơn vị hẹn trả sổ trong tuần."
        level, text = answered_elsewhere(province.post(change, {"answer": mine}, follow=True))
        assert level == "warning" and text.startswith(f"Phản ánh {sent.tracking_number} đã được trả lời bởi canbo07901 lúc ")
        assert text.endswith(f"Câu trả lời bạn vừa nhập chưa được gửi: “{mine}”")  # their words are not lost
        # The same officer's second click: the answer went out once, and it says so.
        level, text = answered_elsewhere(district.post(change, {"answer": first}, follow=True))
        assert level == "success" and text.startswith(f"Đã trả lời phản ánh {sent.tracking_number}")
    sent.refresh_from_db()
    assert sent.answer == first and sent.answered_by == district_officer
    assert len([sms for sms in sms_outbox() if sms["text"].startswith("BHXH: Trả lời")]) == 1


def test_a_logged_in_sender_is_linked_and_the_agency_defaults_to_theirs(owner, django_capture_on_commit_callbacks):
    client = logged(owner)
    key = key_of(client.get(FORM))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, {**fields(owner.person.agency, phone="", email=owner.email), "idempotency_key": key})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.user == owner and feedback.agency == owner.person.agency and not feedback.attachment


def test_the_name_of_a_file_asked_for_again_is_shown_as_text_not_markup(client, agency,
                                                                       django_capture_on_commit_callbacks):
    """The sender's file name is put into the page: a name with angle brackets is written out, not read as a tag."""
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks,
                       attachment=jpeg("<b id=injected>anh.jpg"), content="")
    html = response.content.decode()
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert "<b id=injected>" not in html
    assert "Tệp “&lt;b id=injected&gt;anh.jpg” bạn đã chọn chưa được gửi" in html


def test_an_english_admin_is_told_in_english_that_the_answer_is_sent(sent, district_officer):
    with override_settings(LANGUAGE_CODE="en"):
        response = logged(district_officer).post(f"{ADMIN}{sent.pk}/change/", {"answer": "Đơn vị đã chốt sổ.",
                                                                                "_save": "1"}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        f"Feedback {sent.tracking_number} answered; the answer is being sent to its sender."]
