from django.urls import path

from . import views

app_name = "health_card"
urlpatterns = [
    path("the-bhyt/", views.card, name="index"),
    path("xac-thuc/the-bhyt/", views.verify, name="verify"),
]
