from django.urls import path

from . import feedback_views, views

app_name = "public_services"
urlpatterns = [
    path("", views.index, name="index"),
    path("ho-so/", views.filing_list, name="filings"),
    path("ho-so/<id:pk>/", views.filing_status, name="filing"),
    path("ho-so/<id:pk>/rut/", views.filing_withdraw_view, name="withdraw"),  # GET asks, POST withdraws
    path("ho-so/<id:pk>/sua/", views.filing_edit, name="edit"),
    path("ho-so/<id:pk>/giay-to/<id:document_pk>/", views.filing_document, name="document"),
    path("ho-so/<id:pk>/gui-lai-xac-nhan-email/", views.filing_email_resend, name="email_resend"),  # GET leads to the filing, POST sends
    path("xac-nhan-email/<str:token>/", views.email_confirm, name="email_confirm"),  # GET asks, POST confirms
    path("phan-anh/", feedback_views.feedback_form, name="feedback"),
    path("phan-anh/tra-cuu/", feedback_views.feedback_lookup, name="feedback_lookup"),
    path("phan-anh/<str:tracking_number>/", feedback_views.feedback_status, name="feedback_status"),
    path("<slug:slug>/", views.procedure_form, name="form"),
    path("<slug:slug>/xem-lai/", views.review, name="review"),
]
