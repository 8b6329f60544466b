from django.urls import path

from . import views, views_support

app_name = "lookup"
urlpatterns = [
    path("tra-cuu/", views.index, name="index"),
    path("tra-cuu/co-quan-bhxh/", views.agencies, name="agencies"),
    path("tra-cuu/co-so-kcb/", views.facilities, name="facilities"),
    path("tra-cuu/co-so-kcb/cap-giay-nghi-om/", views.sick_leave_facilities, name="sick_leave_facilities"),
    path("tra-cuu/don-vi/", views.employers, name="employers"),
    path("tra-cuu/diem-thu/", views.collection_points, name="collection_points"),
    path("ho-tro/", views_support.support, name="support"),
    path("tin-tuc/", views_support.news_list, name="news"),
    path("tin-tuc/anh/<id:pk>/", views_support.news_image, name="news_image"),
    path("tin-tuc/<slug:slug>/", views_support.news_detail, name="news_article"),
]
