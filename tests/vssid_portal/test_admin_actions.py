"""Every action of every model admin, run by a superuser on one selected row, answers without a
500. Django runs an action from the change list outside any transaction (only the change page and
the single delete page are atomic), so a service the action calls that locks rows
(select_for_update) without its own transaction.atomic fails on PostgreSQL with
TransactionManagementError; this test runs without pytest-django's wrapping transaction so it
would see it. The rows are the security suite's world, which holds one behind every admin model,
and the data migrations' rows (holidays, salary adjustments, questions), seeded again: a
transactional test run earlier flushed them. An answer is not enough: the page it leads to shows
no warning or error (an action run on nothing says so), and a deleted row is gone.
"""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.test import RequestFactory

from accounts.models import Registration
from public_services.calendar import load as load_holidays
from public_services.models import Filing, Holiday
from tests.security.test_idor import world  # noqa: F401  (the fixture)
from tests.security.world import client_for

pytestmark = pytest.mark.django_db(transaction=True)
SEEDS = ("benefits.migrations.0002_seed_salary_adjustments", "lookup.migrations.0004_faq_news_seed")


@pytest.fixture
def seeded(world):  # noqa: F811
    """The world, with the rows `migrate` leaves that a flush after a transactional test removed."""
    load_holidays(Holiday)
    for seed in SEEDS:
        importlib.import_module(seed).seed(apps, None)
    return world


def _actions(model_admin, user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return list(model_admin.get_actions(request))


def _run(client, model, name: str) -> str | None:
    """Run action `name` on the model's first row; what went wrong, or None."""
    row = model._default_manager.order_by("pk").first()
    if row is None:  # a delete run earlier took it with its own: the action would run on nothing
        return f"{model._meta.label_lower} {name}: no row left to run it on"
    url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
    data = {"action": name, "index": 0, helpers.ACTION_CHECKBOX_NAME: [str(row.pk)]}
    if name == "delete_selected":
        data["post"] = "yes"  # past the confirmation page: the rows are deleted
    try:
        response = client.post(url, data, follow=True)  # to the page that shows what it did
    except Exception as error:  # the test client raises what the view raised
        return f"{model._meta.label_lower} {name}: {type(error).__name__}: {error}"
    if response.status_code >= 500:
        return f"{model._meta.label_lower} {name}: {response.status_code}"
    # A redirect alone proves nothing: an action run on nothing comes back with a warning.
    refused = [str(message) for message in _messages(response) if message.level >= messages.WARNING]
    if refused:
        return f"{model._meta.label_lower} {name}: {refused}"
    if name == "delete_selected" and model._default_manager.filter(pk=row.pk).exists() and not (
            response.context and response.context.get("protected")):  # or the page names what keeps it
        return f"{model._meta.label_lower} {name}: the row is still there"
    return None


def _messages(response) -> list:
    """The messages the last page showed (a redirect followed) or its view added."""
    return list(messages.get_messages(response.wsgi_request))


def test_every_admin_action_on_one_selected_row_answers_without_a_500(seeded):
    world = seeded
    client = client_for(world.superuser)
    runs = [(model, name) for model, model_admin in admin.site._registry.items()
            for name in _actions(model_admin, world.superuser)]
    assert len({model for model, _ in runs}) > 20  # the registry was walked
    empty = [model._meta.label_lower for model in admin.site._registry
             if not model._default_manager.exists()]
    assert empty == []  # every action has a row to run on
    for model in (Registration, Filing):  # the first of each has a declaration to build again
        model.objects.filter(pk=model.objects.order_by("pk").values("pk")[:1]).update(
            declaration_pdf="", pdf_attempts=settings.JOB_MAX_ATTEMPTS + 1)
    # Deletions last: a deleted row takes others with it.
    runs.sort(key=lambda run: run[1] == "delete_selected")
    failures = [failure for model, name in runs if (failure := _run(client, model, name))]
    assert failures == []


def test_the_admin_buttons_that_write_answer_without_a_500(world):  # noqa: F811
    """The admin's own pages that write outside the change page: approving a registration, a step
    of a filing and setting an account's password (Django's page, not atomic either)."""
    client, objects = client_for(world.superuser), world.objects
    registration, filing, user = objects["registration"], objects["filing"], objects["user"]
    posts = [
        (f"/quan-tri/accounts/registration/{registration.pk}/duyet/", {},
         lambda: registration.status == registration.Status.APPROVED),
        (f"/quan-tri/public_services/filing/{filing.pk}/buoc/receive/", {},
         lambda: filing.status == filing.Status.RECEIVED),
        (f"/quan-tri/accounts/user/{user.pk}/password/",
         {"usable_password": "true", "password1": "Mk-moi-2026!x", "password2": "Mk-moi-2026!x"},
         lambda: user.check_password("Mk-moi-2026!x")),
    ]
    for url, data, done in posts:
        response = client.post(url, data, follow=True)
        assert response.redirect_chain and response.status_code == 200, url  # back to the record
        assert [str(m) for m in _messages(response) if m.level >= messages.WARNING] == [], url
        for record in (registration, filing, user):
            record.refresh_from_db()
        assert done(), url
