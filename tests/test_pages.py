"""Every app has a real index page; error pages speak Vietnamese; headers protect every page."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

PUBLIC = ["home", "lookup:index", "lookup:support", "public_services:index", "health_card:verify", "accounts:registration"]
PERSONAL = ["accounts:personal", "participation:index", "benefits:index", "health_card:index", "notifications:index"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_render_in_vietnamese_with_the_base_layout(client, name):
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert 'href="#noi-dung"' in html  # skip link
    for item in ("Trang chủ", "Tra cứu", "Dịch vụ công", "Quản lý cá nhân", "Hỗ trợ", "Đăng nhập", "Đăng ký"):
        assert f">{item}</a>" in html
    assert "1900 9068" in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAL)
def test_personal_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Each personal page's own heading, its title and what it says to a login without a registry person.
PERSONAL_MARKERS = {
    "accounts:personal": ("Quản lý cá nhân", "Quản lý cá nhân",
                          "Tài khoản này không gắn với người tham gia BHXH nào."),
    "participation:index": ("Quá trình tham gia", "Quá trình tham gia BHXH",
                            "Tài khoản này không gắn với người tham gia BHXH nào."),
    "benefits:index": ("Thông tin hưởng", "Thông tin hưởng",
                       "Tài khoản này không gắn với người tham gia BHXH nào."),
    "health_card:index": ("Thẻ BHYT", "Thẻ BHYT", "Chưa có thẻ BHYT còn hiệu lực cho tài khoản này."),
    "notifications:index": ("Thông báo", "Thông báo", "Bạn chưa có thông báo nào."),
}


def test_every_personal_page_has_its_markers():
    assert sorted(PERSONAL_MARKERS) == sorted(PERSONAL)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAL)
def test_personal_pages_render_for_a_logged_in_user(client, name):
    client.force_login(get_user_model().objects.create_user("7901234567", password="x-Pass-2026!"))
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    heading, title, marker = PERSONAL_MARKERS[name]
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S) == [heading]
    assert f"<title>{title} – Cổng dịch vụ BHXH số</title>" in html
    assert marker in html
    assert "Đăng xuất" in html  # the logged-in header


@pytest.mark.django_db
def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    # Said to who typed the address and to who followed a link alike (a notice, a bookmark).
    assert "Nếu bạn tự gõ địa chỉ, hãy kiểm tra lại." in html
    assert "Nếu bạn mở một liên kết, trang có thể đã được chuyển đi hoặc không còn nữa." in html


@pytest.mark.django_db
def test_unknown_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "If you typed the address, check it." in html
    assert "If you followed a link, the page may have moved or no longer exist." in html


@pytest.mark.django_db
def test_server_error_page_is_vietnamese_and_standalone(rf):
    from vssid_portal.views import server_error

    html = server_error(rf.get("/")).content.decode()
    assert "Hệ thống đang gặp sự cố" in html and "1900 9068" in html


@pytest.mark.django_db
def test_csrf_failure_is_explained_in_vietnamese():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x" * 32  # a cookie from before, with another secret than the form's
    response = client.post(reverse("notifications:mark_all_read"), {"csrfmiddlewaretoken": "y" * 32})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC + PERSONAL)
def test_security_headers_on_every_page(client, name):
    """Every public page, and every personal page for a logged-in user (tests/security/test_headers.py
    reads them from a production server)."""
    if name in PERSONAL:
        client.force_login(get_user_model().objects.create_user("7901234567", password="x-Pass-2026!"))
    response = client.get(reverse(name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_vietnamese_stays_the_default_whatever_the_browser_language(client):
    html = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in html and ">Trang chủ</a>" in html


@pytest.mark.django_db
def test_english_base_layout_through_the_language_switcher(client):
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert ">Home</a>" in html and ">Public services</a>" in html and "Skip to main content" in html


@pytest.mark.django_db
def test_self_service_signup_of_allauth_is_closed(client):
    client.post(reverse("account_signup"), {"username": "7901234567", "password1": "x-Pass-2026!"})
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_static_assets_are_served_locally(client):
    html = client.get(reverse("home")).content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


@pytest.mark.django_db
def test_admin_login_goes_through_the_portal_login(client):
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(get_user_model().objects.create_user("7901234567", password="x-Pass-2026!"))
    assert client.get("/quan-tri/login/").status_code == 403  # a citizen is not staff


@pytest.mark.django_db
def test_login_page_is_vietnamese_at_the_portal_path(client):
    assert reverse("account_login") == "/tai-khoan/dang-nhap/"
    assert reverse("account_logout") == "/tai-khoan/dang-xuat/"
    get_user_model().objects.create_user("7901234567", password="x-Pass-2026!")
    response = client.post(reverse("account_login"), {"login": "7901234567", "password": "sai-mat-khau"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_login">Mã số BHXH hoặc tên đăng nhập</label>' in html
    assert "Mã số BHXH (tên đăng nhập) hoặc mật khẩu không đúng." in html
    assert 'class="error-summary"' in html
    ok = client.post(reverse("account_login"), {"login": "7901234567", "password": "x-Pass-2026!"})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_too_many_requests_page_is_vietnamese(rf):
    from allauth.core.internal.ratelimit import handler429

    request = rf.get("/tai-khoan/dang-nhap/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = handler429(request)
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()


@pytest.mark.django_db
def test_admin_password_change_uses_the_portal_page(client):
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!"))
    response = client.get("/quan-tri/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts_auth:password_change")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/tai-khoan/email/", "/tai-khoan/password/set/", "/tai-khoan/confirm-email/",
                                  "/tai-khoan/login/code/confirm/", "/tai-khoan/confirm-email/abc/", "/tai-khoan/signup/"])
def test_allauth_pages_the_portal_does_not_offer_are_gone(client, path):
    client.force_login(get_user_model().objects.create_user("canbo1", password="x-Pass-2026!", email="a@b.vn"))
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "attacker@example.com", "action_add": "1"}).status_code == 404
    assert get_user_model().objects.get(username="canbo1").email == "a@b.vn"
