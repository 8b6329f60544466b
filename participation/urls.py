from django.urls import path

from .views import history

app_name = "participation"
urlpatterns = [
    path("qua-trinh-tham-gia/", history.index, name="index"),
]
