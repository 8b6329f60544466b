from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notice_list, name="index"),
    path("<id:pk>/", views.notice_detail, name="detail"),
    path("da-doc/", views.notice_mark_all_read, name="mark_all_read"),
    path("hop-thu-thu-nghiem/", views.dev_inbox, name="dev_inbox"),
]
