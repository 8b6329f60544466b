"""Every action of every model admin, run by a superuser on one selected row, answers without a
500. Django runs an action from the change list outside any transaction (only the change page and
the single delete page are atomic), so a service the action calls that locks rows
(select_for_update) without its own transaction.atomic fails on PostgreSQL with
TransactionManagementError; this test runs without pytest-django's wrapping transaction so it
would see it. The rows are the security suite's world, which holds one behind every admin model,
and the data migrations' rows (holidays, salary adjustments, questions), seeded again: a
transactional test run earlier flushed them.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.test import RequestFactory

from public_services.calendar import load as load_holidays
from tests.security.test_idor import world  # noqa: F401  (the fixture)
from tests.security.world import client_for

pytestmark = pytest.mark.django_db(transaction=True)
SEEDS = ("benefits.migrations.0002_seed_salary_adjustments", "lookup.migrations.0004_faq_news_seed")


@pytest.fixture
def seeded(world):  # noqa: F811
    """The world, with the rows `migrate` leaves that a flush after a transactional test removed."""
    load_holidays()
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
        response = client.post(url, data)
    except Exception as error:  # the test client raises what the view raised
        return f"{model._meta.label_lower} {name}: {type(error).__name__}: {error}"
    if response.status_code >= 500:
        return f"{model._meta.label_lower} {name}: {response.status_code}"
    return None


def test_every_admin_action_on_one_selected_row_answers_without_a_500(seeded):
    world = seeded
    client = client_for(world.superuser)
    runs = [(model, name) for model, model_admin in admin.site._registry.items()
            for name in _actions(model_admin, world.superuser)]
    assert len({model for model, _ in runs}) > 20  # the registry was walked
    empty = [model._meta.label_lower for model in admin.site._registry
             if not model._default_manager.exists()]
    assert empty == []  # every action has a row to run on
    # Deletions last: a deleted row takes others with it.
    runs.sort(key=lambda run: run[1] == "delete_selected")
    failures = [failure for model, name in runs if (failure := _run(client, model, name))]
    assert failures == []


def test_the_admin_buttons_that_write_answer_without_a_500(world):  # noqa: F811
    """The admin's own pages that write outside the change page: approving a registration, a step
    of a filing and setting an account's password (Django's page, not atomic either)."""
    client, objects = client_for(world.superuser), world.objects
    posts = {
        f"/quan-tri/accounts/registration/{objects['registration'].pk}/duyet/": {},
        f"/quan-tri/public_services/filing/{objects['filing'].pk}/buoc/receive/": {},
        f"/quan-tri/accounts/user/{objects['user'].pk}/password/": {
            "usable_password": "true", "password1": "Mk-moi-2026!x", "password2": "Mk-moi-2026!x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 302, url  # done, back to the record
