"""The page asking for the password again, allauth's account_reauthenticate, at the portal's path
(vssid_portal/urls.py includes it under /tai-khoan/nhap-lai-mat-khau/, without a namespace)."""

from django.urls import path
from django.views.decorators.debug import sensitive_post_parameters

from .reauthenticate import reauthenticate

urlpatterns = [
    # allauth's view marks nothing sensitive: an error report shows stars in place of the password.
    path("", sensitive_post_parameters("password")(reauthenticate), name="account_reauthenticate"),
]
