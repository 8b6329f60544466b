from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from . import files, views
from .text import PORTAL_NAME

admin.site.site_header = format_lazy(_("Quản trị {portal}"), portal=PORTAL_NAME)
admin.site.site_title = _("Quản trị BHXH số")
admin.site.index_title = _("Nghiệp vụ")
# Officers log in through allauth (rate limits, device codes), never through the admin's own form.
admin.site.login = secure_admin_login(admin.site.login)
# Password changes go through the portal's page (SMS code, other sessions ended), admins included.
admin.site.password_change = RedirectView.as_view(pattern_name="accounts_auth:password_change")

handler500 = views.server_error
handler429 = views.too_many_requests  # allauth's limits answer with it (allauth.core.internal.ratelimit)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("lookup.urls")),
    path("", include("health_card.urls")),
    path("", include("participation.urls")),
    path("thong-tin-huong/", include("benefits.urls")),
    path("dich-vu-cong/", include("public_services.urls")),
    path("thong-bao/", include("notifications.urls")),
    # The portal's Vietnamese paths for allauth's busiest views and the page asking for the password
    # again before a filing (public_services/reauthenticate.py); the rest keep allauth's paths.
    path("tai-khoan/", include("accounts.urls_auth")),
    path("tai-khoan/", include("allauth.urls")),
    path("tai-khoan/dang-nhap/", account_views.login, name="account_login"),
    path("tai-khoan/dang-xuat/", account_views.logout, name="account_logout"),
    path("tai-khoan/nhap-lai-mat-khau/", include("public_services.urls_reauthenticate")),
    path("tep/<str:token>/", files.private_file, name="private_file"),
    path("i18n/", include("accounts.urls_language")),  # Django's switch, remembered for a logged-in citizen
    path("quan-tri/", admin.site.urls),
]
