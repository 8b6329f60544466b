from django.urls import path

from .views import correction, email_confirmation, feedback, filings, procedures

app_name = "public_services"
urlpatterns = [
    path("", procedures.index, name="index"),
    path("ho-so/", filings.filing_list, name="filings"),
    path("ho-so/<id:pk>/", filings.filing_status, name="filing"),
    path("ho-so/<id:pk>/rut/", filings.filing_withdraw_view, name="withdraw"),  # GET asks, POST withdraws
    path("ho-so/<id:pk>/sua/", correction.filing_edit, name="edit"),
    path("ho-so/<id:pk>/giay-to/<id:document_pk>/", filings.filing_document, name="document"),
    path("ho-so/<id:pk>/gui-lai-xac-nhan-email/", email_confirmation.filing_email_resend, name="email_resend"),  # GET leads to the filing, POST sends
    path("xac-nhan-email/<str:token>/", email_confirmation.email_confirm, name="email_confirm"),  # GET asks, POST confirms
    path("phan-anh/", feedback.feedback_form, name="feedback"),
    path("phan-anh/tra-cuu/", feedback.feedback_lookup, name="feedback_lookup"),
    path("phan-anh/<str:tracking_number>/", feedback.feedback_status, name="feedback_status"),
    path("<slug:slug>/", procedures.procedure_form, name="form"),
    path("<slug:slug>/xem-lai/", procedures.review, name="review"),
]
