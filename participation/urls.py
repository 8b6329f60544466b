from django.urls import path, re_path

from .views import history

app_name = "participation"
urlpatterns = [
    path("qua-trinh-tham-gia/", history.index, name="index"),
    path("qua-trinh-tham-gia/xuat-csv/", history.export_csv, name="export_csv"),
    re_path(r"^qua-trinh-tham-gia/(?P<tab>bhxh|bhtn|bhtnld|bhyt)/$", history.index, name="tab"),
]
