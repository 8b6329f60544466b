from django.contrib import admin
from django.urls import include, path

from . import files, views

admin.site.site_header = "Quản trị Cổng BHXH số"
admin.site.site_title = "Quản trị BHXH số"
admin.site.index_title = "Nghiệp vụ"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("lookup.urls")),
    path("", include("health_card.urls")),
    path("qua-trinh-tham-gia/", include("participation.urls")),
    path("thong-tin-huong/", include("benefits.urls")),
    path("dich-vu-cong/", include("public_services.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("tai-khoan/", include("allauth.urls")),
    path("tep/<str:token>/", files.private_file, name="private_file"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]

handler400 = "vssid_portal.views.bad_request"
handler403 = "vssid_portal.views.permission_denied"
handler404 = "vssid_portal.views.page_not_found"
