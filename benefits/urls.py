from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("", views.index, name="index"),
    path("uoc-tinh/", views.estimate, name="estimate"),
    path("<id:pk>/", views.detail, name="detail"),
]
