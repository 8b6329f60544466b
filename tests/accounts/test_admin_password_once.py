"""A password the agency sets in the admin, or logging in with one turned off, is told to the holder
once however often the same page is posted: a double click sends the two posts at once, each read the
account before either wrote it, and the second finds under the row's lock that the account is already
as it asks."""

import functools
import threading
from unittest import mock

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.models import Message
from tests.accounts.test_otp import make_citizen
from tests.db_locks import run_into

NEW = {"password1": "Moi-Mat-Khau-2026", "password2": "Moi-Mat-Khau-2026", "usable_password": "true"}
OFF = {"usable_password": "false", "unset-password": "1"}


def told(user, template: str) -> int:
    return Message.objects.filter(user=user, template=template, channel=Message.Channel.SMS).count()


def post_committed(client, url: str, data: dict, commit) -> int:
    with commit(execute=True):  # the notices go out once the post's transaction commits
        return client.post(url, data).status_code


@pytest.mark.django_db
def test_the_same_temporary_password_posted_again_tells_the_holder_nothing_more(
        client, django_capture_on_commit_callbacks):
    user = make_citizen()
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    assert post_committed(client, url, NEW, django_capture_on_commit_callbacks) == 302
    assert post_committed(client, url, NEW, django_capture_on_commit_callbacks) == 302  # the page posted again
    assert told(user, "security_password_set_by_agency") == 1
    user.refresh_from_db()
    assert user.check_password(NEW["password1"]) and user.must_change_password

    other = {**NEW, "password1": "Mat-Khau-Khac-2026", "password2": "Mat-Khau-Khac-2026"}
    assert post_committed(client, url, other, django_capture_on_commit_callbacks) == 302  # another one: told
    assert told(user, "security_password_set_by_agency") == 2
    user.refresh_from_db()
    assert user.check_password("Mat-Khau-Khac-2026") and user.must_change_password


@pytest.mark.django_db
def test_an_officer_posting_their_own_password_twice_stays_logged_in_and_is_told_once(
        client, django_capture_on_commit_callbacks):
    officer = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    client.force_login(officer)
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    assert post_committed(client, url, NEW, django_capture_on_commit_callbacks) == 302
    assert post_committed(client, url, NEW, django_capture_on_commit_callbacks) == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert told(officer, "security_password_set_by_agency") == 0  # no phone: the inbox only
    assert Message.objects.filter(user=officer, template="security_password_set_by_agency").count() == 1
    officer.refresh_from_db()
    assert officer.check_password(NEW["password1"]) and not officer.must_change_password


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("post, template", [(NEW, "security_password_set_by_agency"),
                                            (OFF, "security_password_disabled_by_agency")])
def test_a_double_click_on_the_admins_password_page_tells_the_holder_once(post, template):
    """Both posts have read the account and checked the form before either writes: the one that
    writes second waits for the first's lock and then finds nothing left to change or to tell."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    user = make_citizen()
    officer = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(officer)
    both_checked = threading.Barrier(2, timeout=10)
    clean = AdminPasswordChangeForm.clean

    def checked(form):  # each post waits here, the account read, until the other has read it too
        cleaned = clean(form)
        both_checked.wait()
        return cleaned

    outcome = {}
    run = functools.partial(run_into, outcome)
    with mock.patch.object(AdminPasswordChangeForm, "clean", checked):
        clicks = [threading.Thread(target=run, args=(n, lambda b=browser: b.post(url, post).status_code))
                  for n, browser in enumerate(browsers)]
        for click in clicks:
            click.start()
        for click in clicks:
            click.join(30)
    assert outcome == {0: 302, 1: 302}
    assert told(user, template) == 1
    user.refresh_from_db()
    assert user.has_usable_password() == (post is NEW)
