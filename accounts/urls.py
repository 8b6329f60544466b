from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("ca-nhan/", views.personal, name="personal"),
    path("dang-ky/", views.registration, name="registration"),
]
