"""Posts over Django's upload limits (DATA_UPLOAD_MAX_NUMBER_FILES, DATA_UPLOAD_MAX_MEMORY_SIZE) on a
page whose view does not say so in its form (vssid_portal.middleware.UploadLimitsMiddleware): a
page that says what happened and what to do, not the bare 400. The filing forms say it in the form
(tests/public_services/test_attachments.py)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

PHOTOS = "/dang-ky/anh/"  # the registration's photos: three one-file fields


def token(client) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get("/dang-ky/").content.decode()).group(1)


def test_too_many_files_on_another_form_get_a_page_that_says_what_to_do(settings):
    client = Client(enforce_csrf_checks=True)
    files = [SimpleUploadedFile(f"anh-{n}.jpg", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(PHOTOS, {"csrfmiddlewaretoken": token(client), "portrait": files})
    assert response.status_code == 413
    html = response.content.decode()
    assert "Nội dung gửi quá lớn" in html and "Cổng nhận tối đa 100 tệp và 12 MB nội dung khai" in html
    assert "chọn ít tệp hơn hoặc rút gọn nội dung rồi gửi lại" in html and "Cổng không hiểu" not in html


def test_answers_over_the_size_limit_on_another_form_get_the_same_page(settings):
    client = Client(enforce_csrf_checks=True)
    csrf = token(client)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = client.post("/dang-ky/", {"csrfmiddlewaretoken": csrf, "full_name": "Nguyễn " * 1000})
    assert response.status_code == 413 and "Nội dung gửi quá lớn" in response.content.decode()


def test_a_post_the_portal_cannot_read_says_to_reload_the_page():
    response = Client().post("/dang-ky/", data=b"--x", content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert "Hãy quay lại trang trước, tải lại trang rồi gửi lại." in response.content.decode()


@pytest.mark.parametrize("path", ["/dang-ky/", "/tai-khoan/dang-nhap/", "/xac-thuc/the-bhyt/"])
def test_a_form_post_in_another_charset_says_to_reload_the_page_in_development_too(settings, path):
    """Django refuses a form post declared in a charset other than UTF-8 (BadRequest), and its debug
    page, reading the post again to show it, fails on it: a 500 in `make run` instead of the 400
    page production shows. The post is read, and refused, here."""
    settings.DEBUG = True
    response = Client(raise_request_exception=False).post(
        path, data=b"ma_qr=%FF", content_type="application/x-www-form-urlencoded; charset=latin-1")
    assert response.status_code == 400
    assert "Hãy quay lại trang trước, tải lại trang rồi gửi lại." in response.content.decode()
