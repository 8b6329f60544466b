from django.urls import path, re_path

from .views import history, statements

app_name = "participation"
urlpatterns = [
    path("qua-trinh-tham-gia/", history.index, name="index"),
    path("qua-trinh-tham-gia/xuat-csv/", history.export_csv, name="export_csv"),
    re_path(r"^qua-trinh-tham-gia/(?P<tab>bhxh|bhtn|bhtnld|bhyt)/$", history.index, name="tab"),
    path("qua-trinh-tham-gia/xac-nhan/", statements.statement_list, name="statement_list"),
    path("qua-trinh-tham-gia/xac-nhan/<id:pk>/", statements.statement_status, name="statement_status"),
    path("xac-thuc/van-ban/", statements.statement_verify_form, name="statement_verify_form"),
    path("xac-thuc/van-ban/<str:code>/", statements.statement_verify, name="statement_verify"),
]
