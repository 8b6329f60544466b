"""The portal answers GET, HEAD and POST only: any other method gets 405 with the Allow header
before a view renders anything (vssid_portal.middleware.AllowedMethodsMiddleware), the portal's
405 page at a page's address, except at the card-check API, which answers every method but POST
with its own JSON 405."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PAGES = ["/", "/tra-cuu/co-so-kcb/", "/dang-ky/", "/ca-nhan/", "/quan-tri/", "/dich-vu-cong/phan-anh/tra-cuu/"]
NO_PAGES = ["/static/css/portal.css", "/api/khong-co/"]
API = "/api/xac-thuc/the-bhyt/"
# Pages only read (require_safe): the home page, support and news, the public lookups.
READ_ONLY_PAGES = ["/", "/ho-tro/", "/tin-tuc/", "/tra-cuu/", "/tra-cuu/co-quan-bhxh/", "/tra-cuu/co-so-kcb/",
                   "/tra-cuu/co-so-kcb/cap-giay-nghi-om/", "/tra-cuu/don-vi/", "/tra-cuu/diem-thu/"]
METHODS = ["TRACE", "OPTIONS", "PUT", "PATCH", "DELETE", "CONNECT", "PROPFIND"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", PAGES)
def test_other_methods_at_a_page_are_refused_with_the_405_page(method, path):
    """No view runs and nothing of the request is echoed: the portal's 405 page, with the headers
    of any other page, even without a CSRF token."""
    client = Client(enforce_csrf_checks=True)
    response = client.generic(method, path, "ho_ten=<b>x</b>", content_type="application/x-www-form-urlencoded")
    text = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    assert "<h1>Trang không nhận yêu cầu này</h1>" in text and "<b>x</b>" not in text
    assert "unsafe-inline" not in response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", NO_PAGES)
def test_other_methods_at_an_address_with_no_page_are_refused_in_one_line(method, path):
    response = Client().generic(method, path, "x=1")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert "GET, HEAD và POST" in response.content.decode()
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(("path", "language", "said", "not_said"), [
    ("/tra-cuu/co-so-kcb/", "en", "<h1>This page does not take this request</h1>", "Trang không nhận"),
    ("/dich-vu-cong/phan-anh/tra-cuu/", "vi", "<h1>Trang không nhận yêu cầu này</h1>", "This page"),
    ("/quan-tri/", "en", "<h1>Trang không nhận yêu cầu này</h1>", "This page"),  # the admin is Vietnamese
    ("/api/khong-co/", "en", "The portal accepts only the GET, HEAD and POST methods.", "GET, HEAD và POST"),
])
def test_the_405_is_said_in_the_chosen_language(path, language, said, not_said):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = translation.get_language()
    response = client.delete(path)
    text = response.content.decode()
    assert response.status_code == 405 and said in text and not_said not in text
    assert response["Content-Language"] == ("vi" if path == "/quan-tri/" else language)
    assert "Cookie" in response["Vary"]
    assert translation.get_language() == before


def test_get_head_and_post_still_reach_the_views(reference_data):
    client = Client()
    assert client.get("/tra-cuu/co-so-kcb/").status_code == 200
    assert client.head("/tra-cuu/co-so-kcb/").status_code == 200
    assert client.post("/api/xac-thuc/the-bhyt/", {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"])
def test_the_card_check_api_answers_every_other_method_in_its_own_json_with_allow_post(method):
    """Clinic software reads one error shape: the API's JSON 405 with "Allow: POST", whatever the method."""
    response = Client().generic(method, API, "x=1", HTTP_AUTHORIZATION="Bearer bhyt_x")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response["Content-Type"] == "application/json"
    if method != "HEAD":
        assert response.json() == {"maKetQua": "405", "hopLe": False, "thongBao": "Chỉ nhận yêu cầu POST."}


@pytest.mark.parametrize("path", READ_ONLY_PAGES)  # posted to
def test_a_method_a_view_does_not_take_is_answered_with_a_page_not_a_blank(path, reference_data):
    """Django's view decorators answer 405 with an empty body: the visitor is given a page, with the
    headers of any other page and the view's own Allow."""
    response = Client().post(path, {"q": "x"})
    text = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "<h1>Trang không nhận yêu cầu này</h1>" in text and 'href="/"' in text
    assert "unsafe-inline" not in response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


def test_the_admin_logout_opened_as_a_link_is_a_page_in_vietnamese(db):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.create_superuser("quantri", password=None))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/quan-tri/logout/")
    assert response.status_code == 405 and response["Allow"] == "POST, OPTIONS"
    assert "Trang không nhận yêu cầu này" in response.content.decode()


def test_the_page_is_in_the_chosen_language_and_a_head_stays_empty(reference_data):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/ho-tro/")
    assert response.status_code == 405 and "<h1>This page does not take this request</h1>" in response.content.decode()
    assert Client().head("/quan-tri/logout/").content == b""


@pytest.mark.parametrize("path", READ_ONLY_PAGES)
def test_a_post_without_a_csrf_token_to_a_page_only_read_is_the_405_page_not_an_expired_form(path, reference_data):
    """Reloading and sending again (what the CSRF page asks) would only fail again: the page says
    the address takes no post, as it does for a post with a token."""
    response = Client(enforce_csrf_checks=True).post(path, {"q": "x"})
    text = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "<h1>Trang không nhận yêu cầu này</h1>" in text and "Phiên làm việc đã hết hạn" not in text


def test_a_post_without_a_csrf_token_to_a_form_is_still_the_expired_form_page():
    response = Client(enforce_csrf_checks=True).post("/tra-cuu/ma-so-bhxh/", {"full_name": "x"})
    assert response.status_code == 403 and "Trang không nhận yêu cầu này" not in response.content.decode()


@pytest.mark.parametrize(("language", "said"), [
    ("vi", "Tệp này chỉ đọc được bằng GET hoặc HEAD."), ("en", "This file can only be read with GET or HEAD."),
])
def test_a_post_to_a_static_file_is_refused_in_one_line_in_the_chosen_language(language, said):
    """WhiteNoise answers it 405 with an empty body and no Content-Type."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/static/css/lookup.css", {"x": "1"})
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "text/plain; charset=utf-8" and response["Content-Language"] == language
    assert response.content.decode() == said
    assert Client().get("/static/css/lookup.css").status_code == 200


def test_a_class_view_that_reads_is_said_to_take_head_as_django_itself_answers():
    """Django answers HEAD with GET for a class view (View.setup): the 405 of a CSRF failure names it too."""
    from django.views import View

    from vssid_portal.middleware import methods_taken

    class ReadOnly(View):
        def get(self, request):
            return None

    assert set(methods_taken(ReadOnly.as_view())) == {"GET", "HEAD", "OPTIONS"}
