"""Citizen pages with Django's test client: the form pre-filled from the registry, errors with
every answer kept, an image refused without losing the rest, review and submit with one filing
whatever is posted twice, status and history, withdraw, correct-and-resubmit, IDOR (someone
else's filing or file is a 404) and page query counts that do not grow with the data."""

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public_services.models import Filing
from public_services.services import filing_receive, filing_reject, filing_resubmit, filing_return, filing_withdraw
from tests.accounts.helpers import jpeg
from tests.html_language import languages_of
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import (  # noqa: F401
    answers,
    correction,
    district_officer,
    owner,
    province_officer,
    reauthenticated,
    review_post,
    stranger,
    submit,
    withdrawn,
)

pytestmark = pytest.mark.django_db

BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"
CHANGE = "/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/"


def key_of(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_pages_need_a_login(client, owner):
    filing = submit(owner)
    for url in (BOOK, f"{BOOK}xem-lai/", "/dich-vu-cong/ho-so/", f"/dich-vu-cong/ho-so/{filing.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/")
    assert "Cấp lại sổ BHXH do mất, hỏng" in page(client, "/dich-vu-cong/")


def test_the_form_is_prefilled_from_the_registry(client, owner):
    client.force_login(owner)
    html = page(client, BOOK)
    assert "Nguyễn Văn Đức" in html and "7901234567" in html and "15/03/1988" in html
    assert 'value="0912 345 678"' in html
    assert f'value="{owner.person.address}"' in html  # the result address starts as the registry address
    assert len(key_of(client.get(BOOK))) >= 16


@pytest.mark.parametrize("url", [BOOK, CHANGE])
def test_the_delivery_address_says_its_purpose_for_autofill_as_a_single_line(client, owner, url):
    """WCAG 1.3.5: the address the result is posted to is one line, address-line1; street-address
    is the whole address on several lines, for a textarea."""
    client.force_login(owner)
    [address] = re.findall(r'<input[^>]*name="delivery_address"[^>]*>', page(client, url))
    assert 'autocomplete="address-line1"' in address


def test_invalid_answers_come_back_with_a_summary_and_every_answer_kept(client, owner):
    client.force_login(owner)
    key = key_of(client.get(BOOK))
    response = client.post(BOOK, {**answers("607A", details="", delivery_address="99 Nguyễn Huệ, Quận 1"),
                                  "idempotency_key": key})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html and '<a href="#id_details">Nhập nội dung yêu cầu cấp lại sổ.</a>' in html
    assert 'value="99 Nguyễn Huệ, Quận 1"' in html and re.search(r'value="mat"[^>]*checked', html)
    assert f'value="{key}"' in html  # the same filing attempt


def test_a_refused_image_keeps_the_rest_and_an_accepted_one(client, owner):
    client.force_login(owner)
    key = key_of(client.get(CHANGE))
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("khai-sinh.jpg", b"GIF89a<script>alert(1)</script>", content_type="image/jpeg")
    response = client.post(CHANGE, {**answers("608A"), "idempotency_key": key, "evidence_1": jpeg(),
                                    "evidence_2": fake})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ảnh giấy tờ khác (không bắt buộc): tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ." in html
    assert 'value="Nguyễn Văn Đức Thành"' in html and 'value="16/03/1988"' in html
    assert "Ảnh đã nhận" in html and 'alt="Ảnh giấy tờ chứng minh đã tải lên"' in html
    # The accepted image need not be chosen again.
    response = client.post(CHANGE, {**answers("608A"), "idempotency_key": key})
    assert response.status_code == 302 and response["Location"].endswith("xem-lai/")
    html = page(client, f"{CHANGE}xem-lai/")
    assert "Nguyễn Văn Đức Thành" in html and "Họ và tên, Ngày sinh" in html
    client.post(f"{CHANGE}xem-lai/", review_post(client, CHANGE, key))
    filing = Filing.objects.get()
    assert filing.documents.get().field == "evidence_1"


def test_an_image_received_beside_an_error_is_still_there_when_the_form_is_opened_again(client, owner):
    """The citizen leaves the form after an error (back link, menu, language switch, another tab)
    and opens it again: the image received stays, and so does the filing attempt."""
    client.force_login(owner)
    key = key_of(client.get(CHANGE))
    response = client.post(CHANGE, {**answers("608A", details=""), "idempotency_key": key, "evidence_1": jpeg()})
    assert response.status_code == 200 and "Ảnh đã nhận" in response.content.decode()
    reopened = client.get(CHANGE)
    html = reopened.content.decode()
    assert "Ảnh đã nhận" in html and 'alt="Ảnh giấy tờ chứng minh đã tải lên"' in html
    assert key_of(reopened) == key  # a double submit is still one filing
    assert 'value="0912 345 678"' in html  # no answers passed yet: the form starts from the registry
    response = client.post(CHANGE, {**answers("608A"), "idempotency_key": key})
    assert response.status_code == 302 and response["Location"].endswith("xem-lai/")
    client.post(f"{CHANGE}xem-lai/", review_post(client, CHANGE, key))
    assert Filing.objects.get().documents.get().field == "evidence_1"


def submit_through_pages(client, url=BOOK, code="607A", **overrides):
    key = key_of(client.get(url))
    response = client.post(url, {**answers(code, **overrides), "idempotency_key": key})
    assert response.status_code == 302, response.content.decode()[:3000]
    html = page(client, f"{url}xem-lai/")
    assert "Kiểm tra trước khi nộp" in html and f'value="{key}"' in html
    return key, client.post(f"{url}xem-lai/", review_post(client, url, key))


def test_submit_twice_back_button_or_retry_makes_one_filing(client, owner):
    client.force_login(owner)
    key, response = submit_through_pages(client)
    filing = Filing.objects.get()
    assert response["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    # double click: the same post again
    again = client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key))
    assert again["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    # back button to the form page as it was rendered, then through review again
    client.post(BOOK, {**answers("607A"), "idempotency_key": key})
    retry = client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key))
    assert retry["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    assert Filing.objects.count() == 1
    # once that one is withdrawn, a new form rendering is a new filing
    withdrawn(filing)
    submit_through_pages(client)
    assert Filing.objects.count() == 2


def test_status_page_shows_history_pdf_and_withdraw(client, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        submit_through_pages(client)
    filing = Filing.objects.get()
    html = page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
    assert filing.tracking_number in html and "Đã nộp" in html and "Tải tờ khai (PDF)" in html
    assert "Mất sổ khi chuyển nhà ở Thủ Đức" in html and 'role="region" tabindex="0"' in html
    pdf_link = re.search(r'href="(/tep/[^"]+)"', html).group(1)
    assert client.get(pdf_link).status_code == 200
    response = client.post(f"/dich-vu-cong/ho-so/{filing.pk}/rut/")
    assert response.status_code == 302
    assert "Đã rút hồ sơ" in page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")


def test_pdf_progress_is_shown_while_the_declaration_is_built(client, owner):
    client.force_login(owner)
    filing = submit(owner)  # on-commit callbacks not run: no PDF yet
    html = page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
    assert 'data-poll="3"' in html and "js/poll.js" in html and "Tờ khai đang được tạo." in html


def test_returned_filing_is_corrected_through_the_edit_page(client, owner, district_officer):
    client.force_login(owner)
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    html = page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
    assert "Ghi rõ địa chỉ nhận sổ." in html and "Sửa và nộp lại hồ sơ" in html
    html = page(client, f"/dich-vu-cong/ho-so/{filing.pk}/sua/")
    assert 'value="12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh"' in html
    response = client.post(f"/dich-vu-cong/ho-so/{filing.pk}/sua/",
                           correction(filing, "607A", delivery_address="12 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh (nhà số 2)"))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and filing.revision == 2
    assert "nhà số 2" in filing.data["delivery_address"]


def test_what_officers_wrote_is_marked_vietnamese_on_the_english_pages(client, settings, owner, district_officer):
    """Officers' notes and reasons are stored in Vietnamese only: lang="vi" has a screen reader on an
    English page read them with Vietnamese pronunciation (WCAG 3.1.2)."""
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    returned = submit(owner)
    filing_receive(filing=returned, officer=district_officer)
    filing_return(filing=returned, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    status = page(client, f"/dich-vu-cong/ho-so/{returned.pk}/")
    assert languages_of(status, "Ghi rõ địa chỉ nhận sổ.") == ["vi", "vi"]  # what to correct, and the history
    assert languages_of(status, "Processing history") == ["en"]
    assert languages_of(page(client, f"/dich-vu-cong/ho-so/{returned.pk}/sua/"), "Ghi rõ địa chỉ nhận sổ.") == ["vi"]
    rejected = submit(owner, "DOI-LIEN-HE")
    filing_reject(filing=rejected, officer=district_officer, reason="Không đủ điều kiện cấp lại.")
    status = page(client, f"/dich-vu-cong/ho-so/{rejected.pk}/")
    assert languages_of(status, "Không đủ điều kiện cấp lại.") == ["vi", "vi"]  # the reason, and the history
    assert languages_of(status, "Reason for rejection") == ["en"]


def test_a_returned_filing_shows_no_due_date_until_it_is_resubmitted(client, owner, district_officer):
    client.force_login(owner)
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    due = vn_date(Filing.objects.get(pk=filing.pk).due_date)
    assert due in page(client, f"/dich-vu-cong/ho-so/{filing.pk}/") and due in page(client, "/dich-vu-cong/ho-so/")
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    status = page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
    assert "Hẹn trả kết quả" not in status and due not in status
    assert due not in page(client, "/dich-vu-cong/ho-so/")


def test_a_second_tap_on_resubmit_lands_on_the_status_page_not_on_an_error(client, owner, district_officer,
                                                                           monkeypatch):
    """Two taps read the filing as returned; the first resubmits it, the second's resubmission is
    then refused: it goes to the status page like the first, with no error on the form."""
    from public_services.models import FilingEvent
    from public_services.views import correction as correction_views

    client.force_login(owner)
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    real = correction_views.filing_resubmit

    def first_tap_already_resubmitted(**kwargs):
        real(**kwargs)
        real(**kwargs)  # this tap's own, refused: the filing is no longer returned

    monkeypatch.setattr(correction_views, "filing_resubmit", first_tap_already_resubmitted)
    response = client.post(f"/dich-vu-cong/ho-so/{filing.pk}/sua/", correction(filing, "607A"))
    assert response.status_code == 302 and response["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and filing.revision == 2
    assert FilingEvent.objects.filter(filing=filing, status=Filing.Status.SUBMITTED).count() == 2  # first and resubmit


def test_a_correction_sent_after_another_tab_resubmitted_says_it_was_not_sent_and_keeps_the_text(
        client, owner, district_officer):
    """Tabs A and B open the correction page; B resubmits. A's different answers are not sent: the
    page says so and shows them again; a post of B's answers again (a late second tap) is the
    status page."""
    client.force_login(owner)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    page(client, url)  # tab A
    sent_by_b = correction(filing, "607A", delivery_address="12 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh (nhà số 2)")
    assert client.post(url, sent_by_b).status_code == 302
    response = client.post(url, correction(filing, "607A", details="Sổ bị ướt, rách bìa (tab A)"))
    html = response.content.decode()
    assert response.status_code == 409
    assert f"Những thay đổi dưới đây chưa được gửi: hồ sơ {filing.tracking_number} đã được nộp lại" in html
    assert "Sổ bị ướt, rách bìa (tab A)" in html and "<title>Lỗi: " in html
    assert "Nộp lại hồ sơ" not in html and f'href="/dich-vu-cong/ho-so/{filing.pk}/"' in html
    filing.refresh_from_db()
    assert filing.revision == 2 and "nhà số 2" in filing.data["delivery_address"]
    assert "tab A" not in filing.data["details"]
    again = client.post(url, sent_by_b)
    assert again.status_code == 302 and again["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"


@pytest.mark.parametrize("changed", [True, False])
def test_a_correction_sent_after_the_agency_rejected_the_filing_says_so_not_that_it_was_resubmitted(
        client, owner, district_officer, changed):
    """The citizen corrects a returned filing while the agency rejects it. The correction is not
    sent, and the page says the filing was rejected (not "resubmitted earlier"), with the answers
    kept, whether or not they differ from those the filing holds."""
    client.force_login(owner)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    page(client, url)
    filing_reject(filing=filing, officer=district_officer, reason="Sổ đã được cấp lại theo hồ sơ khác.")
    sent = correction(filing, "607A", **({"details": "Sổ bị ướt, rách bìa (sửa)"} if changed else {}))
    response = client.post(url, sent)
    html = response.content.decode()
    assert response.status_code == 409 and "<title>Lỗi: " in html
    assert (f"Những thay đổi dưới đây chưa được gửi: cơ quan BHXH đã từ chối giải quyết hồ sơ "
            f"{filing.tracking_number}") in html
    assert "đã được nộp lại trước đó" not in html and "Hồ sơ giữ nội dung đã nộp lại" not in html
    assert sent["details"] in html and "Nộp lại hồ sơ" not in html
    filing.refresh_from_db()
    assert filing.status == Filing.Status.REJECTED and filing.revision == 1


def test_a_correction_sent_after_another_tab_withdrew_the_filing_says_it_was_withdrawn(client, owner, district_officer):
    client.force_login(owner)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    page(client, url)  # tab A
    assert client.post(f"/dich-vu-cong/ho-so/{filing.pk}/rut/").status_code == 302  # tab B
    response = client.post(url, correction(filing, "607A", details="Sổ bị ướt, rách bìa (tab A)"))
    html = response.content.decode()
    assert response.status_code == 409
    assert f"Những thay đổi dưới đây chưa được gửi: hồ sơ {filing.tracking_number} đã được rút" in html
    assert "đã được nộp lại trước đó" not in html and "Sổ bị ướt, rách bìa (tab A)" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post(url, correction(filing, "607A", details="Sổ bị ướt (tab A)")).content.decode()
    assert f"application {filing.tracking_number} was withdrawn" in html


def test_a_correction_page_opened_before_a_second_return_is_not_sent_until_the_new_request_is_shown(
        client, owner, district_officer):
    """Tab A opens the correction page; tab B resubmits and the agency returns the filing again with
    a new request. A's answers, sent afterwards, answered the first request only: they are not sent,
    the page shows the new request with A's answers kept, and the next post goes through."""
    client.force_login(owner)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    tab_a = correction(filing, "607A", details="Sổ bị ướt, rách bìa (tab A)")
    assert client.post(url, correction(filing, "607A")).status_code == 302  # tab B
    filing.refresh_from_db()
    filing_return(filing=filing, officer=district_officer, what="Nộp thêm bản sao CCCD.")
    response = client.post(url, tab_a)
    html = response.content.decode()
    assert response.status_code == 409 and "<title>Lỗi: " in html
    assert f"Hồ sơ {filing.tracking_number} đã được trả lại lần nữa sau khi trang này được mở" in html
    assert "Nộp thêm bản sao CCCD." in html and "Sổ bị ướt, rách bìa (tab A)" in html
    assert f'name="revision" value="{filing.revision}"' in html
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED and "tab A" not in filing.data["details"]
    assert client.post(url, {**tab_a, "revision": str(filing.revision)}).status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and "tab A" in filing.data["details"]


@pytest.mark.parametrize("code", ["607A", "608A", "CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA", "UY-QUYEN"])
def test_the_same_correction_posted_again_after_it_was_sent_is_the_status_page(client, owner, province_officer, code):
    """What the page posts and what the filing holds compare equal for every procedure."""
    client.force_login(owner)
    reauthenticated(client)  # asked by the procedures that move the benefits' money
    filing = submit(owner, code)
    filing_return(filing=filing, officer=province_officer, what="Bổ sung.")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    assert client.post(url, correction(filing, code)).status_code == 302
    again = client.post(url, correction(filing, code))
    assert again.status_code == 302 and again["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"


def test_a_correction_refused_because_another_tab_resubmitted_at_that_moment_says_it_was_not_sent(
        client, owner, district_officer, monkeypatch):
    from public_services.views import correction as correction_views

    client.force_login(owner)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    real = correction_views.filing_resubmit

    def other_tab_first(**kwargs):
        real(**{**kwargs, "data": {**kwargs["data"], "details": "Nội dung của thẻ kia"}})
        real(**kwargs)  # this post's own, refused: the filing is no longer returned

    monkeypatch.setattr(correction_views, "filing_resubmit", other_tab_first)
    response = client.post(f"/dich-vu-cong/ho-so/{filing.pk}/sua/", correction(filing, "607A", details="Nội dung của thẻ này"))
    html = response.content.decode()
    assert response.status_code == 409 and "chưa được gửi" in html and "Nội dung của thẻ này" in html
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and filing.data["details"] == "Nội dung của thẻ kia"


def test_someone_elses_filing_and_files_are_not_found(client, owner, stranger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "608A")
    document = filing.documents.get()
    client.force_login(owner)
    html = page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
    pdf_link = re.search(r'href="(/tep/[^"]+)"', html).group(1)
    assert client.get(f"/dich-vu-cong/ho-so/{filing.pk}/giay-to/{document.pk}/").status_code == 200
    client.force_login(stranger)
    for url in (f"/dich-vu-cong/ho-so/{filing.pk}/", f"/dich-vu-cong/ho-so/{filing.pk}/sua/",
                f"/dich-vu-cong/ho-so/{filing.pk}/giay-to/{document.pk}/", pdf_link):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Nguyễn Văn Đức" not in response.content.decode()
    assert client.post(f"/dich-vu-cong/ho-so/{filing.pk}/rut/").status_code == 404
    other = submit(stranger)
    client.force_login(owner)
    assert client.get(f"/dich-vu-cong/ho-so/{filing.pk}/giay-to/{document.pk + 1000}/").status_code == 404
    assert client.get(f"/dich-vu-cong/ho-so/{other.pk}/").status_code == 404
    assert filing.tracking_number in page(client, "/dich-vu-cong/ho-so/")
    assert other.tracking_number not in page(client, "/dich-vu-cong/ho-so/")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_filings_or_history(client, owner, district_officer):
    client.force_login(owner)
    first = submit(owner, "608A")
    client.get("/dich-vu-cong/")  # the first request of a session records it (allauth usersessions)
    list_one, status_one = count_queries(client, "/dich-vu-cong/ho-so/"), count_queries(client, f"/dich-vu-cong/ho-so/{first.pk}/")
    for _ in range(4):
        withdrawn(submit(owner, "DOI-LIEN-HE"))  # not 607A: the 608A in hand holds it
        withdrawn(submit(owner, "UY-QUYEN"))
    filing_receive(filing=first, officer=district_officer)
    filing_return(filing=first, officer=district_officer, what="Chụp lại ảnh")
    client.get("/dich-vu-cong/")  # the new notices dropped the cached unread count: counted again here
    assert count_queries(client, "/dich-vu-cong/ho-so/") == list_one
    assert count_queries(client, f"/dich-vu-cong/ho-so/{first.pk}/") == status_one


def test_without_javascript_the_agency_list_follows_the_chosen_province(client, owner):
    from lookup.models import Agency

    url = "/dich-vu-cong/chuyen-noi-huong/"
    client.force_login(owner)
    key = key_of(client.get(url))
    target = Agency.objects.get(code="07902")
    response = client.post(url, {"idempotency_key": key, "new_province": str(target.province_id), "refresh": "1",
                                 "new_address": "45 Hà Huy Giáp"})
    # The page again by a GET, which Back loads again with the list for the province chosen (in which
    # the browser puts back the agency chosen), never the post, which the browser offers only to send again.
    assert response.status_code == 302 and response["Location"] == url
    for _ in range(2):  # and so whenever the page is opened again
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and 'class="error-summary"' not in html
        assert "[07902] BHXH Quận 12" in html and 'value="45 Hà Huy Giáp"' in html
        assert key_of(response) == key
        assert f'<option value="{target.province_id}" selected>' in html


def test_a_forged_refresh_keeps_in_the_session_only_what_the_form_could_hold(client, owner):
    """The no-JavaScript refresh keeps what was typed in the session (read on every request, for up
    to 12 hours): a forged post of megabytes in the texts, of a choice not offered and of hundreds of
    list values was kept whole. Only the form's own fields are kept, each text cut to its field's
    length, a choice only if offered and each choice of a several-choices field once."""
    from lookup.models import Agency, Province

    client.force_login(owner)
    key = key_of(client.get(BENEFIT_PLACE))
    hcm = Province.objects.get(code="79")
    big = "x" * 600_000
    response = client.post(BENEFIT_PLACE, {"idempotency_key": key, "refresh": "1", "new_province": str(hcm.pk),
                                           "new_agency": str(Agency.objects.get(code="00101").pk),  # Hà Nội's
                                           "new_address": big, "details": big, "phone": big, "forged": big})
    assert response.status_code == 302
    typed = client.session["public_services_drafts"][f"CHUYEN-NOI-HUONG:{owner.person.pk}"]["typed"]
    assert set(typed) <= {"new_province", "new_agency", "new_address", "details", "phone"}
    assert typed["new_province"] == str(hcm.pk) and typed["new_agency"] is None
    assert len(typed["new_address"]) == 300 and len(typed["details"]) == 1000 and len(typed["phone"]) <= 1000
    assert len(json.dumps(client.session["public_services_drafts"])) < 5_000
    response = client.post(BENEFIT_PLACE, {"idempotency_key": key, "refresh": "1", "new_province": "9" * 500_000,
                                           "new_agency": "1" * 500_000, "details": "Về ở với con"})
    typed = client.session["public_services_drafts"][f"CHUYEN-NOI-HUONG:{owner.person.pk}"]["typed"]
    assert typed["new_province"] is None and typed["new_agency"] is None and typed["details"] == "Về ở với con"

    contact = "/dich-vu-cong/dieu-chinh-thong-tin-lien-he/"
    key = key_of(client.get(contact))
    response = client.post(contact, {"idempotency_key": key, "refresh": "1",
                                     "changes": ["address", "address", "forged", big] + ["phone"] * 500,
                                     "new_province": "9" * 60})  # past any integer column: no province
    typed = client.session["public_services_drafts"][f"DOI-LIEN-HE:{owner.person.pk}"]["typed"]
    assert typed["changes"] == ["address", "phone"] and typed["new_province"] is None


def test_the_scripts_refresh_answers_the_list_and_keeps_nothing(client, owner):
    """static/js/refresh-list.js asks for the list with the same `refresh` post, marked as its own: the
    form is answered with the province's agencies and nothing is kept, since what is typed after it on
    the page would not be. Before, each province changed kept a snapshot in the draft, which the form
    opened again from the menu showed, out of date (a typo fixed, a text cleared back, no agency)."""
    from lookup.models import Agency

    client.force_login(owner)
    key = key_of(client.get(BENEFIT_PLACE))
    target = Agency.objects.get(code="07902")
    response = client.post(BENEFIT_PLACE, {"idempotency_key": key, "new_province": str(target.province_id),
                                           "refresh": "1", "new_address": "45 Hà Huy Giáp, Quận 12 (typo)"},
                           HTTP_X_REQUESTED_WITH="refresh-list")
    html = response.content.decode()
    assert response.status_code == 200 and "[07902] BHXH Quận 12" in html and 'class="error-summary"' not in html
    assert "typed" not in client.session["public_services_drafts"][f"CHUYEN-NOI-HUONG:{owner.person.pk}"]
    html = page(client, BENEFIT_PLACE)  # opened again from the menu: no snapshot of the refresh
    assert "(typo)" not in html and key_of(client.get(BENEFIT_PLACE)) == key


def _returned(owner, officer, code="CHUYEN-NOI-HUONG"):
    filing = submit(owner, code)
    filing_receive(filing=filing, officer=officer)
    return filing_return(filing=filing, officer=officer, what="Ghi rõ địa chỉ mới.")


def test_without_javascript_a_corrections_refresh_is_shown_by_a_get_for_that_filing_and_login(
        client, owner, province_officer):
    """A returned filing's correction page refreshed without JavaScript keeps what was typed for that
    filing's correction and answers with the page by a GET, which Back loads again with the list of
    the province chosen, never the post, which the browser offers only to send again. Before, the post
    answered with the page itself. Another filing's correction page, and the same one after logging out
    and in again, show their filing's answers."""
    from lookup.models import Agency

    filing, other = _returned(owner, province_officer), _returned(owner, province_officer, "DOI-LIEN-HE")
    client.force_login(owner)
    url, target = f"/dich-vu-cong/ho-so/{filing.pk}/sua/", Agency.objects.get(code="00101")
    response = client.post(url, {**correction(filing, "CHUYEN-NOI-HUONG", new_province=str(target.province_id),
                                              new_address="12 Hàng Bài"), "new_agency": "", "refresh": "1"})
    assert response.status_code == 302 and response["Location"] == url
    for _ in range(2):  # and so whenever the page is opened again
        html = page(client, url)
        assert 'value="12 Hàng Bài"' in html and "[00101] BHXH cơ sở Cầu Giấy" in html
        assert f'<option value="{target.province_id}" selected>' in html and "Ghi rõ địa chỉ mới." in html
        assert 'class="error-summary"' not in html
    assert "12 Hàng Bài" not in page(client, f"/dich-vu-cong/ho-so/{other.pk}/sua/")
    client.logout()
    client.force_login(owner)
    html = page(client, url)
    assert "12 Hàng Bài" not in html and "[07902] BHXH Quận 12" in html  # the filing's own answers


def test_a_corrections_refresh_is_forgotten_once_sent_or_once_the_filing_is_no_longer_returned(
        client, owner, province_officer):
    client.force_login(owner)
    filing = _returned(owner, province_officer)
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    refresh = {**correction(filing, "CHUYEN-NOI-HUONG", new_address="12 Hàng Bài (chưa gửi)"), "refresh": "1"}
    assert client.post(url, refresh).status_code == 302
    response = client.post(url, correction(filing, "CHUYEN-NOI-HUONG", new_address=""))  # judged: refused
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert "(chưa gửi)" not in page(client, url)  # opened again: the filing's answers, not the refresh's

    assert client.post(url, refresh).status_code == 302
    filing_withdraw(filing=filing, user=owner)
    assert client.get(url)["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    assert not any(name.startswith(f"edit-{filing.pk}-") for name in client.session["public_services_drafts"])

    # Resubmitted from another device (this session's draft of revision 1 stays) and returned again:
    # the page of revision 2 starts from the filing's answers, not from revision 1's refresh.
    filing = _returned(owner, province_officer)
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    assert client.post(url, {**refresh, "revision": "1"}).status_code == 302
    filing_resubmit(filing=filing, user=owner, data=answers("CHUYEN-NOI-HUONG"), uploads={}, revision=1)
    filing_receive(filing=filing, officer=province_officer)
    filing_return(filing=filing, officer=province_officer, what="Ghi rõ số nhà.")
    html = page(client, url)
    assert "Ghi rõ số nhà." in html and "(chưa gửi)" not in html


def test_a_refresh_from_a_page_opened_before_a_later_return_is_refused_and_keeps_nothing(
        client, owner, province_officer):
    """Tab A opened the correction of revision 1; tab B sent the correction (revision 2), which the
    agency returned again. Tab A's refresh without JavaScript is answered as its send would be (409,
    the filing returned again, the new request shown), and keeps nothing: before, its answers were
    kept as revision 2's draft, shown on every correction page opened after and sent from it."""
    client.force_login(owner)
    reauthenticated(client)  # asked by the procedures that move the benefits' money
    filing = _returned(owner, province_officer)
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    tab_a = {**correction(filing, "CHUYEN-NOI-HUONG", new_address="12 Hàng Bài (trang cũ)"), "refresh": "1"}
    sent = client.post(url, correction(filing, "CHUYEN-NOI-HUONG"))  # tab B, of the same browser
    assert sent["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    filing_receive(filing=filing, officer=province_officer)
    filing_return(filing=filing, officer=province_officer, what="Ghi rõ số nhà.")

    response = client.post(url, tab_a)
    html = response.content.decode()
    assert response.status_code == 409 and "đã được trả lại lần nữa sau khi trang này được mở" in html
    assert "Ghi rõ số nhà." in html and 'name="revision" value="2"' in html
    assert not any("typed" in draft for draft in client.session.get("public_services_drafts", {}).values())
    html = page(client, url)  # opened again: revision 2's answers, not tab A's
    assert "(trang cũ)" not in html and "Ghi rõ số nhà." in html and "trang này được mở" not in html


def test_a_send_from_a_page_opened_before_a_later_return_leaves_what_this_revisions_refresh_kept(
        client, owner, province_officer):
    """Tab A opened the correction of revision 1; tab B sent it (revision 2), which the agency returned
    again; tab C, opened after, kept what it typed by a refresh without JavaScript. Tab A's send is
    refused (409) and leaves tab C's answers as they were: before, it cleared them, as a send of this
    revision does once judged, and the page opened again showed the filing's answers instead."""
    client.force_login(owner)
    reauthenticated(client)  # asked by the procedures that move the benefits' money
    filing = _returned(owner, province_officer)
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    tab_a = correction(filing, "CHUYEN-NOI-HUONG", new_address="12 Hàng Bài (trang cũ)")
    assert client.post(url, correction(filing, "CHUYEN-NOI-HUONG")).status_code == 302  # tab B
    filing_receive(filing=filing, officer=province_officer)
    filing_return(filing=filing, officer=province_officer, what="Ghi rõ số nhà.")
    filing.refresh_from_db()
    tab_c = {**correction(filing, "CHUYEN-NOI-HUONG", new_address="12 Hàng Bài, số nhà 5 (trang mới)"), "refresh": "1"}
    assert client.post(url, tab_c).status_code == 302

    response = client.post(url, tab_a)
    html = response.content.decode()
    assert response.status_code == 409 and "đã được trả lại lần nữa sau khi trang này được mở" in html
    assert "(trang cũ)" in html and 'name="revision" value="2"' in html  # what tab A sent, to send again
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED and "(trang cũ)" not in filing.data["new_address"]
    html = page(client, url)  # tab C's answers, kept for revision 2
    assert "(trang mới)" in html and "(trang cũ)" not in html


def test_the_scripts_refresh_from_a_page_opened_before_a_later_return_is_refused_as_the_buttons_is(
        client, owner, province_officer):
    """refresh-list.js's request from a correction page opened before the filing was sent and returned
    again is refused as the button's is, 409 and nothing kept, so that the script shows the button
    again, whose post shows the new request: before, it answered the list of a page whose send would be
    refused, saying nothing of the new request."""
    client.force_login(owner)
    reauthenticated(client)
    filing = _returned(owner, province_officer)
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    tab_a = {**correction(filing, "CHUYEN-NOI-HUONG", new_address="12 Hàng Bài (trang cũ)"), "refresh": "1"}
    assert client.post(url, correction(filing, "CHUYEN-NOI-HUONG")).status_code == 302  # tab B
    filing_receive(filing=filing, officer=province_officer)
    filing_return(filing=filing, officer=province_officer, what="Ghi rõ số nhà.")

    response = client.post(url, tab_a, HTTP_X_REQUESTED_WITH="refresh-list")
    html = response.content.decode()
    assert response.status_code == 409 and "đã được trả lại lần nữa sau khi trang này được mở" in html
    assert not any("typed" in draft for draft in client.session.get("public_services_drafts", {}).values())
    html = page(client, url)
    assert "(trang cũ)" not in html and "trang này được mở" not in html
    filing.refresh_from_db()
    response = client.post(url, {**tab_a, "revision": str(filing.revision)}, HTTP_X_REQUESTED_WITH="refresh-list")
    assert response.status_code == 200 and "(trang cũ)" in response.content.decode()  # an up-to-date page's


def test_a_forged_corrections_refresh_keeps_only_what_the_form_could_hold(client, owner, province_officer):
    client.force_login(owner)
    filing = _returned(owner, province_officer)
    url, big = f"/dich-vu-cong/ho-so/{filing.pk}/sua/", "x" * 600_000
    response = client.post(url, {"revision": "1", "refresh": "1", "new_province": "9" * 500_000,
                                 "new_address": big, "forged": big, "remove_files": [big, "attached_files-1"] * 50})
    assert response.status_code == 302
    draft = client.session["public_services_drafts"][f"edit-{filing.pk}-r1"]
    assert set(draft["typed"]) <= set(filing.procedure.form_class.base_fields)
    assert draft["typed"]["new_province"] is None and len(draft["typed"]["new_address"]) == 300
    assert draft["ticked"] == []  # no file of the filing's: nothing to keep ticked
    assert len(json.dumps(client.session["public_services_drafts"])) < 5_000


def test_the_scripts_refresh_of_a_correction_answers_the_list_and_keeps_nothing(client, owner, province_officer):
    client.force_login(owner)
    filing = _returned(owner, province_officer)
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    response = client.post(url, {**correction(filing, "CHUYEN-NOI-HUONG", new_address="12 Hàng Bài (typo)"),
                                 "refresh": "1"}, HTTP_X_REQUESTED_WITH="refresh-list")
    assert response.status_code == 200 and "(typo)" in response.content.decode()
    assert "(typo)" not in page(client, url)


def test_a_list_hanging_on_a_province_follows_it_by_the_registrations_script(client, owner, district_officer):
    """Every procedure's list that hangs on another select (province → agency, province → ward), on
    a new filing's form and on a returned one's correction page, has its update button wired to
    static/js/refresh-list.js, as the registration's ward list, and the page loads that script: with
    JavaScript the list follows the province at once (tests/e2e/test_procedure_lists.py). Before,
    the button was the only way, JavaScript or not. A form without such a list loads no script."""
    from public_services.procedures.registry import all_procedures

    client.force_login(owner)
    with_lists = [procedure for procedure in all_procedures() if procedure.form_class.refreshed_lists]
    assert {procedure.code for procedure in with_lists} == {"CHUYEN-NOI-HUONG", "DOI-LIEN-HE"}
    pages = {procedure.code: [page(client, f"/dich-vu-cong/{procedure.slug}/")] for procedure in with_lists}
    returned = submit(owner, "DOI-LIEN-HE")
    filing_receive(filing=returned, officer=district_officer)
    filing_return(filing=returned, officer=district_officer, what="Ghi rõ phường/xã.")
    pages["DOI-LIEN-HE"].append(page(client, f"/dich-vu-cong/ho-so/{returned.pk}/sua/"))
    for procedure in with_lists:
        for html in pages[procedure.code]:
            for source, (target, label, hint) in procedure.form_class.refreshed_lists.items():
                assert (f'data-refresh-from="{source}" data-refresh-list="{target}" data-refresh-hint="{hint}">'
                        f"{label}</button>") in html
            assert len(re.findall(r'<script src="[^"]*/js/refresh-list\.[^"]*js" defer></script>', html)) == 1
    assert "refresh-list" not in page(client, BOOK)


AUTHORISATION = "/dich-vu-cong/uy-quyen-nhan-thay/"
BENEFIT_PLACE = "/dich-vu-cong/chuyen-noi-huong/"


@pytest.mark.parametrize(("valid_from", "valid_to"), [("01/01/9999", "02/01/9999"), ("01/01/0900", "02/01/0900")])
def test_an_authorisation_period_out_of_range_is_explained_not_a_server_error(client, owner, valid_from, valid_to):
    client.force_login(owner)
    key = key_of(client.get(AUTHORISATION))
    response = client.post(AUTHORISATION, {**answers("UY-QUYEN", valid_from=valid_from, valid_to=valid_to),
                                           "idempotency_key": key})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in html
    assert "Chọn ngày bắt đầu ủy quyền từ" in html and f'value="{valid_from}"' in html
    assert not Filing.objects.exists()


@pytest.mark.parametrize("refresh", [False, True])
@pytest.mark.parametrize("province", ["²", "7²"])
def test_a_province_that_is_not_ascii_digits_is_no_province(client, owner, province, refresh):
    # "²".isdigit() is True but int("²") fails: the form and its refresh button were a 500.
    client.force_login(owner)
    key = key_of(client.get(BENEFIT_PLACE))
    data = {**answers("CHUYEN-NOI-HUONG", new_province=province), "idempotency_key": key}
    if refresh:
        data["refresh"] = "1"
    response = client.post(BENEFIT_PLACE, data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and 'value="45 Hà Huy Giáp, Quận 12"' in html
    assert "[07902] BHXH Quận 12" not in html  # no province chosen: no agencies to choose from
    if not refresh:
        assert "Chọn tỉnh/thành phố trong danh sách." in html


def test_a_correction_of_an_earlier_revision_is_refused_under_the_filings_lock(owner, district_officer):
    """The check is made on the locked row: a return landing between the page's read and the
    resubmission is seen too."""
    from public_services.services import FilingReturnedAgain

    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    seen_by_the_page = Filing.objects.get(pk=filing.pk)  # revision 1, returned
    filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=1)
    filing_return(filing=Filing.objects.get(pk=filing.pk), officer=district_officer, what="Nộp thêm bản sao CCCD.")
    with pytest.raises(FilingReturnedAgain):
        filing_resubmit(filing=seen_by_the_page, user=owner, data=answers("607A", details="Trang cũ"), uploads={},
                        revision=seen_by_the_page.revision)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED and filing.revision == 2 and filing.data["details"] != "Trang cũ"


def test_the_list_of_filings_comes_in_pages_newest_first(client, owner):
    """Years of filings do not make one endless page: 20 a page, the newest on the first, with
    links to the others; a page number out of range or not a number shows a page, never an error."""
    import datetime

    client.force_login(owner)
    newest = submit(owner)
    older = [Filing(**{**{field.attname: getattr(newest, field.attname) for field in Filing._meta.concrete_fields
                          if not field.primary_key},
                       "tracking_number": f"HS2601OLD{n:03d}", "idempotency_key": f"old-{n:03d}",
                       "status": Filing.Status.WITHDRAWN,
                       "submitted_at": newest.submitted_at - datetime.timedelta(days=n + 1)})
             for n in range(21)]
    Filing.objects.bulk_create(older)
    first, second = page(client, "/dich-vu-cong/ho-so/"), page(client, "/dich-vu-cong/ho-so/?trang=2")
    assert newest.tracking_number in first and "HS2601OLD018" in first and "HS2601OLD019" not in first
    assert "HS2601OLD019" in second and "HS2601OLD020" in second and newest.tracking_number not in second
    assert 'aria-label="Phân trang"' in first and 'href="?trang=2"' in first
    assert "HS2601OLD020" in page(client, "/dich-vu-cong/ho-so/?trang=99")
    assert newest.tracking_number in page(client, "/dich-vu-cong/ho-so/?trang=abc")


def test_an_expired_declaration_link_leads_back_to_the_filing_for_a_fresh_one(
        client, owner, open_expired_link, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        submit_through_pages(client)
    filing = Filing.objects.get()
    pdf_link = re.search(r'href="(/tep/[^"]+)"', page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")).group(1)
    response, html = open_expired_link(client, pdf_link)
    assert response.status_code == 410 and "Liên kết tải đã hết hạn" in html
    assert f'href="/dich-vu-cong/ho-so/{filing.pk}/"' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "The download link has expired" in client.get(pdf_link).content.decode()
