from django.urls import path

from .views import code_lookup, personal, registration

app_name = "accounts"
urlpatterns = [
    path("ca-nhan/", personal.personal, name="personal"),
    path("ca-nhan/xem/", personal.view_as, name="view_as"),
    path("ca-nhan/xem/<id:person_id>/", personal.view_person, name="view_person"),
    path("ca-nhan/dang-ky-cho-con/", personal.child_registration, name="child_registration"),
    path("dang-ky/", registration.declaration, name="registration"),
    path("dang-ky/anh/", registration.photos, name="registration_photos"),
    path("dang-ky/co-quan/", registration.agency, name="registration_agency"),
    path("dang-ky/tra-cuu/", registration.status_lookup, name="registration_lookup"),
    path("dang-ky/ho-so/<str:token>/", registration.status, name="registration_status"),
    path("tra-cuu/ma-so-bhxh/", code_lookup.code_lookup, name="code_lookup"),
]
