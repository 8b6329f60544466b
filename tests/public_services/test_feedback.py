"""Feedback and complaints (phản ánh, kiến nghị) end to end: the form with its attachment checked
like every upload, the tracking number by SMS and e-mail, the status page and finding it again,
one feedback per form however often it is posted, the answer by an officer of the receiving
agency in the admin (others do not see it), and the answer reaching the sender."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lookup.models import Agency
from public_services.feedback_services import feedback_answer
from public_services.models import Feedback
from tests.accounts.helpers import jpeg

from .helpers import citizen, district_officer, other_district_officer, owner, province_officer  # noqa: F401

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


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The form --------------------------------------------------------------------------------

def test_the_form_needs_no_login_and_groups_agencies_by_province(client, agency):
    response = client.get(FORM)
    html = response.content.decode()
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    assert '<optgroup label="Thành phố Hồ Chí Minh">' in html and f'<option value="{agency.pk}">BHXH Quận 1</option>' in html
    assert all(label in html for _, label in Feedback.Topic.choices)
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
    assert Client().get(url).status_code == 404
    assert client.get("/dich-vu-cong/phan-anh/PA2611ZZZZZZZZ/").status_code == 404


@pytest.mark.parametrize("contact", ["0912345678", "0912 345 678", "+84 912 345 678", "MAI@example.VN"])
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
    assert other.get(f"/dich-vu-cong/phan-anh/{sent.tracking_number}/").status_code == 404


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
    pdf = SimpleUploadedFile("don.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, attachment=pdf)
    assert response.status_code == 302
    assert Feedback.objects.get().attachment.name.endswith("/dinh-kem.pdf")


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


def test_sending_is_rate_limited_per_address(client, agency, django_capture_on_commit_callbacks):
    for number in range(5):
        response, _ = send(client, agency, capture=django_capture_on_commit_callbacks, content=f"{CONTENT} ({number})")
        assert response.status_code == 302
    limited, _ = send(client, agency, capture=django_capture_on_commit_callbacks)
    assert limited.status_code == 429 and "quá nhiều phản ánh" in limited.content.decode()
    assert Feedback.objects.count() == 5


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
    assert outsider.get(change).status_code == 302  # "does not exist", back to the admin index
    assert outsider.get(f"{ADMIN}{sent.pk}/dinh-kem/").status_code == 404
    with pytest.raises(PermissionDenied):
        feedback_answer(feedback=sent, officer=other_district_officer, answer="Trả lời thay")
    assert Client().get(f"{ADMIN}{sent.pk}/dinh-kem/").status_code == 302  # to the login page
    citizen_client = logged(citizen("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345"))
    assert citizen_client.get(ADMIN).status_code == 302


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
    assert "Cơ quan BHXH đã trả lời" in html and "Trả lời của cơ quan BHXH" in html and answer in html
    # Answered once: the page turns read-only and a second post changes nothing.
    officer_client.post(change, {"answer": "Sửa lại câu trả lời"})
    sent.refresh_from_db()
    assert sent.answer == answer and len(mail.outbox) == 2
    assert 'name="answer"' not in officer_client.get(change).content.decode()


def test_the_answer_works_from_the_service_once(sent, province_officer):
    answered = feedback_answer(feedback=sent, officer=province_officer, answer="  Đã chuyển BHXH Quận 1 xử lý.  ")
    assert answered.answer == "Đã chuyển BHXH Quận 1 xử lý." and answered.answered_by == province_officer
    with pytest.raises(ValidationError, match="đã được trả lời"):
        feedback_answer(feedback=sent, officer=province_officer, answer="Lần hai")


def test_a_logged_in_sender_is_linked_and_the_agency_defaults_to_theirs(owner, django_capture_on_commit_callbacks):
    client = logged(owner)
    key = key_of(client.get(FORM))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, {**fields(owner.person.agency, phone="", email=owner.email), "idempotency_key": key})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.user == owner and feedback.agency == owner.person.agency and not feedback.attachment
