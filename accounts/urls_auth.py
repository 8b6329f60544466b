"""The portal's own account pages under /tai-khoan/ (what allauth lacks).

Included before allauth's URLs: where allauth has a page for the same job without the portal's
SMS step (password change and reset, the session list), its path leads to the portal's page.
"""

from allauth.mfa.base import views as mfa_views
from allauth.mfa.totp import views as totp_views
from django.http import Http404
from django.urls import path, re_path
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import RedirectView

from .views import security


def not_offered(request, *args, **kwargs):
    raise Http404


app_name = "accounts_auth"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts_auth:security")),
    path("dang-nhap/xac-nhan/", security.login_confirm, name="login_confirm"),
    # allauth.mfa's step for the authenticator app, saying so when the login has expired meanwhile.
    path("2fa/authenticate/",
         sensitive_post_parameters("code")(security.tells_an_expired_login(mfa_views.authenticate))),
    # allauth's pages asking for the app's code again, and the app's first code, whose views mark
    # nothing sensitive: an error report shows stars in place of what was typed. They keep allauth's URL
    # names, which the 429 page reads (vssid_portal.ratelimit.PAGE_LIMITS). The page asking for the
    # password again is at /tai-khoan/nhap-lai-mat-khau/ (vssid_portal/urls.py, which names it as
    # allauth does); its old path, which a page opened before may still send to, leads there.
    path("reauthenticate/", RedirectView.as_view(pattern_name="account_reauthenticate", query_string=True)),
    path("2fa/reauthenticate/", sensitive_post_parameters("code")(mfa_views.reauthenticate), name="mfa_reauthenticate"),
    path("2fa/totp/activate/", sensitive_post_parameters("code")(totp_views.activate_totp), name="mfa_activate_totp"),
    path("bao-mat/", security.security, name="security"),
    path("dat-mat-khau-moi/", security.password_change_required, name="password_change_required"),
    path("doi-mat-khau/", security.password_change, name="password_change"),
    path("doi-mat-khau/xac-nhan/", security.password_change_confirm, name="password_change_confirm"),
    path("phien/tiep-tuc/", security.session_keepalive, name="session_keepalive"),
    path("quen-mat-khau/", security.password_reset, name="password_reset"),
    path("quen-mat-khau/xac-thuc/", security.password_reset_code, name="password_reset_code"),
    path("quen-mat-khau/mat-khau-moi/", security.password_reset_new, name="password_reset_new"),
    path("password/change/", RedirectView.as_view(pattern_name="accounts_auth:password_change")),
    path("password/reset/", RedirectView.as_view(pattern_name="accounts_auth:password_reset")),
    path("sessions/", RedirectView.as_view(pattern_name="accounts_auth:security")),
    # allauth pages the portal does not use: changing the e-mail that receives officers' codes,
    # setting a password without the old one, e-mail confirmation and e-mail login codes, and
    # allauth's own sign-up (closed: citizens register with their BHXH code at /dang-ky/).
    *[path(prefix, not_offered) for prefix in ("email/", "password/set/", "confirm-email/", "login/code/confirm/",
                                               "password/reset/done/", "password/reset/key/done/", "inactive/",
                                               "signup/")],
    re_path(r"^(confirm-email|password/reset/key)/.+$", not_offered),
]
