from django.urls import path

from . import views

app_name = "lookup"
urlpatterns = [
    path("tra-cuu/", views.index, name="index"),
    path("ho-tro/", views.support, name="support"),
]
