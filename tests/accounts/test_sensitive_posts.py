"""The portal's own pages that take a password or a code mark them as sensitive: an error report
(mailed to ADMINS) shows "********************" in their place, never what was typed."""

import pytest
from django.urls import reverse

SENSITIVE = {
    "accounts_auth:login_confirm": ["code"],
    "accounts_auth:password_change_required": ["password1", "password2"],
    "accounts_auth:password_change": ["oldpassword", "password1", "password2"],
    "accounts_auth:password_change_confirm": ["code"],
    "accounts_auth:password_reset_code": ["code"],
    "accounts_auth:password_reset_new": ["password1", "password2"],
}


@pytest.mark.parametrize("name", SENSITIVE)
def test_the_page_marks_its_passwords_and_codes_sensitive(db, client, name):
    response = client.post(reverse(name), {field: "Bi-mat-2026" for field in SENSITIVE[name]})
    assert sorted(response.wsgi_request.sensitive_post_parameters) == sorted(SENSITIVE[name])


def test_an_error_report_of_a_password_change_leaves_the_passwords_out(db, client):
    from django.views.debug import SafeExceptionReporterFilter

    response = client.post(reverse("accounts_auth:password_change"),
                           {"oldpassword": "Cu-bi-mat-2026", "password1": "Moi-bi-mat-2026", "password2": "Moi-bi-mat-2026"})
    cleansed = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert "Cu-bi-mat-2026" not in cleansed.values() and "Moi-bi-mat-2026" not in cleansed.values()
