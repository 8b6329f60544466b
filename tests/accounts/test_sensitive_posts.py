"""The portal's pages that take a password or a code mark them as sensitive: an error report
(mailed to ADMINS) shows "********************" in their place, never what was typed."""

import contextlib
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.models import QuerySet
from django.test import Client
from django.urls import resolve, reverse
from django.views.debug import ExceptionReporter

from accounts.models import User

SENSITIVE = {
    "accounts_auth:login_confirm": ["code"],
    "accounts_auth:password_change_required": ["password1", "password2"],
    "accounts_auth:password_change": ["oldpassword", "password1", "password2"],
    "accounts_auth:password_change_confirm": ["code"],
    "accounts_auth:password_reset_code": ["code"],
    "accounts_auth:password_reset_new": ["password1", "password2"],
    # allauth's pages the portal keeps, which mark nothing themselves: the password asked again before
    # switching the authenticator app on, the app's code at login and again, and its first code.
    "account_reauthenticate": ["password"],
    "mfa_authenticate": ["code"],
    "mfa_reauthenticate": ["code"],
    "mfa_activate_totp": ["code"],
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


class Refusing:
    """A password validator that fails with an error instead of answering (a service it asks is down)."""

    def validate(self, password, user=None):
        raise RuntimeError("validator unavailable")

    def get_help_text(self):
        return ""


def error_report(response) -> str:
    """The report an error mails to ADMINS (its text) and the page the debug view shows (its HTML)."""
    reporter = ExceptionReporter(response.wsgi_request, *response.exc_info)
    return reporter.get_traceback_text() + reporter.get_traceback_html()


@pytest.mark.parametrize("failing", ["validator", "lock"])
def test_an_error_setting_a_password_in_the_admin_leaves_the_password_out_of_its_report(db, settings, failing):
    """The admin's page writes the password an officer sets itself (UserAdmin.user_change_password):
    a validator or the account's lock failing sends a report without the temporary password."""
    citizen = User.objects.create_user("7901234567", password="x-Pass-2026!")
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    if failing == "validator":
        settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": f"{__name__}.Refusing"}]
    fails = mock.patch.object(QuerySet, "select_for_update", side_effect=OperationalError("lock timeout"))
    with fails if failing == "lock" else contextlib.nullcontext():
        response = client.post(reverse("admin:auth_user_password_change", args=[citizen.pk]),
                               {"password1": "Tam-thoi-2026", "password2": "Tam-thoi-2026", "usable_password": "true"})
    assert response.status_code == 500
    report = error_report(response)
    assert ("Refusing" if failing == "validator" else "user_password_set_by_agency") in report  # where it failed
    assert "Tam-thoi-2026" not in report


def test_the_code_lookup_leaves_the_identity_it_was_given_out_of_an_error_report(db, client, reference_data):
    """The public BHXH-code lookup takes a name, a birth date, an ID number and a parent's name: what
    anyone could type to find someone else's code stays out of the report."""
    from django.views.debug import SafeExceptionReporterFilter

    typed = {"full_name": "Nguyễn Văn Đức", "birth_date": "15/03/1988", "id_number": "079088012345",
             "parent_name": "Trần Thị Hoa"}
    response = client.post(reverse("accounts:code_lookup"), typed)
    assert sorted(response.wsgi_request.sensitive_post_parameters) == sorted(typed)
    cleansed = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert not set(typed.values()) & set(cleansed.values())
    # Nor does it in the frames' locals: the view's cleaned answers, the selector's arguments.
    from lookup.models import Province

    failing = Client(raise_request_exception=False)
    with mock.patch("accounts.forms_challenge.challenge_spend", return_value=True), \
            mock.patch("accounts.selectors.code_lookup.fold", side_effect=RuntimeError("registry unavailable")):
        response = failing.post(reverse("accounts:code_lookup"),
                                {**typed, "province": Province.objects.get(code="79").pk})
    assert response.status_code == 500
    report = error_report(response)
    assert "person_for_code_lookup" in report  # where it failed
    dates = ["datetime.date(1988, 3, 15)", "datetime.date(1988, 1, 1)"]  # as typed, and its year's first day
    assert not [value for value in [*typed.values(), *dates] if value in report]


# The portal's own pages that take a post of identity, contact, bank data or a reference code, and what they mark.
# Filing forms mark every answer: a procedure's questions change (bank account, address, ID number, ...).
IDENTITY = {
    "accounts:registration": ["bhxh_code", "full_name", "id_number", "birth_date", "street", "phone",
                                          "email"],
    "accounts:registration_lookup": ["reference", "bhxh_code", "birth_date"],
    "accounts:child_registration": ["bhxh_code", "full_name", "birth_date", "birth_certificate_number"],
    "accounts:code_lookup": ["full_name", "birth_date", "id_number", "parent_name"],
    "accounts_auth:password_reset": ["bhxh_code"],
    "public_services:form": "__ALL__",
    "public_services:edit": "__ALL__",
    "public_services:feedback": ["full_name", "phone", "email", "content"],
    "public_services:feedback_lookup": ["tracking_number", "contact"],
    "health_card:verify": ["ma_qr", "so_the", "ho_ten", "ngay_sinh"],
}

# The portal's pages that take a post of nothing personal: a choice, a button, a key of the portal's own.
POSTS_NOTHING_PERSONAL = {
    "accounts:personal", "accounts:registration_photos", "accounts:registration_agency", "accounts:view_as",
    "accounts_auth:security", "accounts_auth:session_keepalive", "notifications:index", "notifications:mark_all_read",
    "public_services:index",
    "health_card:api_verify",  # a clinic's JSON body, not a form post: nothing an error report lists as POST
    # a button: a statement asked or asked again, a filing withdrawn, its typed e-mail address's
    # confirmation asked again or given
    "participation:statement_list", "participation:statement_status", "public_services:withdraw",
    "public_services:email_resend", "public_services:email_confirm",
    "public_services:review",  # the draft's key and a SHA-256 fingerprint of its answers, never the answers
    "set_language",  # the language chosen and the page to go back to
    # pages answering a post as a GET, reading nothing posted
    "accounts:registration_status", "notifications:detail", "public_services:filings", "public_services:filing",
    "public_services:document",
}

# The pages that answer a post of the citizen's with a 404 though they mark nothing, and why.
REFUSED_TO_A_CITIZEN = {
    "notifications:dev_inbox": "the embedded portal's outbox, there only with DEBUG on",
}


def _portal_patterns(resolver=None, namespace=""):
    """(name, pattern) of every named page of the portal's own apps."""
    from django.urls import URLPattern, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            if entry.name and module.split(".")[0] in {"accounts", "public_services", "health_card", "participation",
                                                       "benefits", "lookup", "notifications", "vssid_portal"}:
                yield f"{namespace}{entry.name}", entry
        else:
            if entry.namespace != "admin":  # the officers' site: its own pages mark what they take
                yield from _portal_patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)


def _citizens_pages(world) -> dict[str, dict]:
    """The arguments of every page that takes an id, a key or a choice: the owner's own objects of the
    security suite's world (and their child), so each page answers as it does to its owner."""
    from tests.benefits.helpers import child_of

    objects, links = world.objects, world.links
    filing, statement = objects["filing"], objects["statement"]
    return {
        "accounts:view_person": {"person_id": child_of(world.owner).pk},
        "accounts:registration_status": resolve(links["registration_status"]).kwargs,
        "lookup:news_image": {"pk": objects["news"].pk},
        "lookup:news_article": {"slug": objects["news"].slug},
        "health_card:qr_image": {"pk": objects["card"].pk},
        "health_card:pdf": {"pk": objects["card"].pk},
        "health_card:visit_detail": {"pk": objects["visit"].pk},
        "participation:tab": {"tab": "bhxh"},
        "participation:statement_status": {"pk": statement.pk},
        "participation:statement_verify": {"code": statement.code},
        "benefits:detail": {"pk": objects["benefit"].pk},
        "public_services:filing": {"pk": filing.pk},
        "public_services:withdraw": {"pk": filing.pk},
        "public_services:email_resend": {"pk": filing.pk},
        "public_services:email_confirm": resolve(links["email_confirm"]).kwargs,
        "public_services:edit": {"pk": filing.pk},
        "public_services:document": {"pk": filing.pk, "document_pk": objects["document"].pk},
        "public_services:feedback_status": {"tracking_number": objects["feedback"].tracking_number},
        "public_services:form": {"slug": "thay-doi-phuong-thuc-nhan"},  # open to the owner: granted a monthly benefit
        "public_services:review": {"slug": "thay-doi-phuong-thuc-nhan"},
        "notifications:detail": {"pk": objects["notice"].pk},
        "private_file": resolve(links["filing_document"]).kwargs,
    }


@pytest.mark.parametrize("name", IDENTITY)
def test_the_page_marks_the_identity_it_is_posted_sensitive(db, reference_data, name):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("7901234567", password="x-Pass-2026!"))
    kwargs = {"slug": "thay-doi-phuong-thuc-nhan"} if name == "public_services:form" else {}
    url = reverse(name, kwargs={"pk": 1} if name == "public_services:edit" else kwargs)
    response = client.post(url, {})
    marked = response.wsgi_request.sensitive_post_parameters
    assert (marked if marked == "__ALL__" else sorted(marked)) == (
        IDENTITY[name] if IDENTITY[name] == "__ALL__" else sorted(IDENTITY[name]))


def test_every_page_taking_a_post_marks_it_or_takes_nothing_personal(db, reference_data):
    """A new page that takes a post: list it in IDENTITY with the fields it marks, or in
    POSTS_NOTHING_PERSONAL if it takes nothing personal. Posted as a citizen with a full record (a
    filing with a document, a card, a visit, a benefit, a statement, a notice, a feedback, a
    registration filed in this browser, a child) to their own objects' pages, every page answers as it
    does to its owner: a 404 is accepted only from a page that marks its post, or one listed in
    REFUSED_TO_A_CITIZEN."""
    from accounts.views.registration import STATUS_SEEN
    from public_services.views.feedback import SEEN as FEEDBACK_SEEN
    from tests.security.world import build_world, make_links

    world = build_world()
    make_links(world)
    pages = _citizens_pages(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    session = client.session
    session[STATUS_SEEN] = [world.objects["registration"].reference]
    session[FEEDBACK_SEEN] = [world.objects["feedback"].tracking_number]
    session.save()
    unmarked, refused, unreached = set(), set(), set()
    for name, pattern in _portal_patterns():
        kwargs = pages.get(name, {})
        if set(kwargs) != set(pattern.pattern.regex.groupindex):
            unreached.add(name)
            continue
        response = client.post(reverse(name, kwargs=kwargs), {})
        if hasattr(response.wsgi_request, "sensitive_post_parameters") or response.status_code == 405:
            continue
        (refused if response.status_code == 404 else unmarked).add(name)
    assert not unreached, f"give these pages one of the owner's objects in _citizens_pages: {sorted(unreached)}"
    assert refused == set(REFUSED_TO_A_CITIZEN), f"a 404 to their owner, marking nothing: {sorted(refused)}"
    taking = unmarked - POSTS_NOTHING_PERSONAL
    assert not taking, f"taking a post, marking nothing: {sorted(taking)}"
    gone = POSTS_NOTHING_PERSONAL - unmarked
    assert not gone, f"no longer taking a post: {sorted(gone)}"
