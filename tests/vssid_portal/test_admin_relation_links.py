"""A read-only relation on an admin page links to the related object's page only where the reader
may open that object (vssid_portal.admin.RelationLinksOnlyWhereAllowed), row by row in an inline,
and finds which they may open in one query per page however many rows link."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from benefits.models import BenefitEvent
from tests.benefits.helpers import citizen, decided, record

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def some_accounts_only(monkeypatch):
    """The account admin opens only the accounts whose username ends in "-mo", as an admin narrowed to
    a scope does (not found for the others)."""
    user_admin = type(admin.site.get_model_admin(User))
    everyone = user_admin.get_queryset
    monkeypatch.setattr(user_admin, "get_queryset",
                        lambda self, request: everyone(self, request).filter(username__endswith="-mo"))


def test_an_audit_trail_links_each_actor_only_where_the_reader_may_open_them_in_one_query(
        client, db, some_accounts_only):
    obj = record(citizen().person, **decided())
    url = f"/quan-tri/benefits/benefitrecord/{obj.pk}/change/"
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))

    def page_with(events: int) -> tuple[str, int]:
        for number in range(events):
            actor = User.objects.create_user(f"canbo-{events}-{number}-{'mo' if number % 2 else 'dong'}")
            BenefitEvent.objects.create(record=obj, revision=events * 100 + number, status="received", changes="—",
                                        actor=actor)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return html, len(queries)

    one, queries_of_one = page_with(1)
    assert "canbo-1-0-dong" in one
    many, queries_of_many = page_with(12)
    assert queries_of_many == queries_of_one
    actors = User.objects.filter(username__startswith="canbo-")
    assert actors.count() == 13
    for actor in actors:
        assert actor.username in many
        linked = f"/quan-tri/accounts/user/{actor.pk}/change/" in many
        assert linked == actor.username.endswith("-mo"), actor.username
        assert (client.get(f"/quan-tri/accounts/user/{actor.pk}/change/").status_code == 200) == linked
