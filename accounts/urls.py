from django.urls import path

from .views import personal, registration

app_name = "accounts"
urlpatterns = [
    path("ca-nhan/", personal.personal, name="personal"),
    path("dang-ky/", registration.start, name="registration"),
]
