"""The migration giving clinic API tokens made before an expiry (health_card 0009, set_expiry): a
year from the token's making, or GRACE_DAYS from the deploy when that year is over or nearly so.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing: the tests after it keep today's
schema. The reference data the other tests need is loaded by their own fixture whenever missing
(tests/conftest.py), so the flush after this test takes nothing from them."""

import datetime
import importlib

import pytest
from django.utils import timezone

from health_card.models import FacilityApiToken
from lookup.models import MedicalFacility, Province
from tests.db_migrations import back_to_latest, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("health_card", "0008_card_end_date_help")]
set_expiry = importlib.import_module("health_card.migrations.0009_api_token_expiry")



def test_tokens_made_before_get_a_year_from_their_making_or_the_grace_days_from_the_deploy():
    # The reference data's clinic when this test runs first of those outside a transaction, else made.
    province, _ = Province.objects.get_or_create(
        code="79", defaults={"name": "Hồ Chí Minh", "division_type": "Thành phố Trung ương"})
    facility, _ = MedicalFacility.objects.get_or_create(
        code="79001", defaults={"name": "Bệnh viện Thử", "province": province})
    try:
        old_apps = migrate(BEFORE)
        OldToken = old_apps.get_model("health_card", "FacilityApiToken")
        assert "expires_at" not in {field.name for field in OldToken._meta.get_fields()}
        now = timezone.now()
        made = {"old": now - datetime.timedelta(days=730), "recent": now - datetime.timedelta(days=30)}
        for name, created_at in made.items():
            token = OldToken.objects.create(facility_id=facility.pk, name=name, prefix=name[:8], token_hash=name * 8)
            OldToken.objects.filter(pk=token.pk).update(created_at=created_at)  # auto_now_add on create

        before = timezone.now()
        new_apps = migrate()
        after = timezone.now()
    finally:
        back_to_latest(FacilityApiToken)  # for the tests after this one, whatever happened above

    expiry = dict(new_apps.get_model("health_card", "FacilityApiToken").objects.values_list("name", "expires_at"))
    grace = datetime.timedelta(days=set_expiry.GRACE_DAYS)
    # its year long over: the grace days from the deploy, so that its clinic is not cut off by it
    assert before + grace <= expiry["old"] <= after + grace
    # its year still eleven months on: that year
    assert expiry["recent"] == made["recent"] + datetime.timedelta(days=set_expiry.TOKEN_DAYS)
