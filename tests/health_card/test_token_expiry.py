"""Clinic API tokens expire: the officer picks the day (a year by default, two at most), the list
shows it and finds the tokens expired or expiring soon, and the API refuses an expired token, cached
or not, saying when it expired and what to do."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from health_card.models import CardCheck, FacilityApiToken
from health_card.models.card import add_years
from health_card.qr import Purpose
from health_card.services import api_token_authenticate, api_token_create, api_token_revoke, card_qr
from health_card.services import tokens as token_services
from tests.accounts.helpers import officer
from vssid_portal.templatetags.vn_format import vn_date, vn_datetime

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

API = "/api/xac-thuc/the-bhyt/"
TOKENS = "/quan-tri/health_card/facilityapitoken/"


def call(raw, card):
    return Client().post(API, {"maQR": card_qr(card, purpose=Purpose.SCREEN)}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}")


def end_of_local_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def test_a_new_token_expires_at_the_end_of_the_day_a_year_on_by_default(facility):
    """Left blank, as on the officer's form: the token works to the end of the day the page that
    shows it names ("dùng được đến hết ngày"), not to the time of day it was made."""
    token, _raw = api_token_create(facility=facility, name="HIS")
    assert token.expires_at == end_of_local_day(add_years(timezone.localdate(), 1))
    client = logged_in(officer("canbo079", "079", "Cán bộ BHXH tỉnh"))
    nonce = client.get(f"{TOKENS}add/").context["adminform"].form["nonce"].value()
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS 2", "nonce": nonce,
                                             "expires_on": ""})
    made = FacilityApiToken.objects.get(name="HIS 2")
    assert made.expires_at == token.expires_at
    assert f"dùng được đến hết ngày {vn_date(made.expires_at)}" in response.content.decode()


def test_an_expired_token_is_refused_saying_when_it_expired_and_what_to_do(card, facility):
    token, raw = api_token_create(facility=facility, name="HIS")
    assert call(raw, card).status_code == 200  # read, and cached
    expired_at = timezone.now() - datetime.timedelta(days=2)
    FacilityApiToken.objects.filter(pk=token.pk).update(expires_at=expired_at)
    token_services._forget_token(token.token_hash)
    response = call(raw, card)
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="xac-thuc-the-bhyt"'
    assert response.json() == {"maKetQua": "401", "hopLe": False, "thongBao": (
        f"Mã truy cập API này đã hết hạn ngày {vn_date(expired_at)}. Liên hệ cơ quan BHXH để được cấp mã mới.")}
    assert CardCheck.objects.count() == 1


def test_a_cached_token_is_refused_once_it_expires_and_cached_no_longer_than_it_lives(facility, monkeypatch):
    token, raw = api_token_create(facility=facility, name="HIS")
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # the clock stands still until moved below
    FacilityApiToken.objects.filter(pk=token.pk).update(expires_at=now + datetime.timedelta(seconds=30))
    token_services._forget_token(token.token_hash)
    timeouts = []
    set_in_cache = token_services.cache.set
    monkeypatch.setattr(token_services.cache, "set", lambda key, value, timeout: (timeouts.append(timeout),
                                                                             set_in_cache(key, value, timeout)))
    for _ in range(2):  # its first use is written down, and the row read again and cached
        assert api_token_authenticate(raw) == token
    assert timeouts and timeouts[-1] == 30  # its 30 seconds left, not the cache's TOKEN_CACHE_SECONDS
    later = now + datetime.timedelta(seconds=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert token_services.cache.get(token_services._token_cache_key(token.token_hash)) is not None  # still in the cache here
    assert api_token_authenticate(raw) is None


def token_form(client):
    return client.get(f"{TOKENS}add/").context["adminform"].form


def test_the_officer_picks_the_expiry_a_year_by_default_at_most_two(facility):
    client = logged_in(officer("canbo079", "079", "Cán bộ BHXH tỉnh"))
    form = token_form(client)
    today = timezone.localdate()
    assert form["expires_on"].value() == add_years(today, 1)
    too_late = add_years(today, 2) + datetime.timedelta(days=1)
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": form["nonce"].value(),
                                             "expires_on": too_late.strftime("%d/%m/%Y")})
    assert response.status_code == 200 and not FacilityApiToken.objects.exists()
    last = add_years(today, 2)
    assert f"chọn ngày hết hạn không muộn hơn {last:%d/%m/%Y}" in response.content.decode()
    form = token_form(client)
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": form["nonce"].value(),
                                             "expires_on": last.strftime("%d/%m/%Y")})
    assert response.status_code == 200 and "<code>bhyt_" in response.content.decode()
    assert vn_date(FacilityApiToken.objects.get().expires_at) == f"{last:%d/%m/%Y}"
    yesterday = (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    form = token_form(client)
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS 2",
                                             "nonce": form["nonce"].value(), "expires_on": yesterday})
    assert "Ngày hết hạn phải sau hôm nay." in response.content.decode()
    assert FacilityApiToken.objects.count() == 1


def test_the_expiry_limits_count_calendar_years_29_february_included():
    from django.core.exceptions import ValidationError

    from health_card.services import api_token_expiry

    assert vn_date(api_token_expiry(datetime.date(2028, 12, 5), today=datetime.date(2026, 12, 5))) == "05/12/2028"
    with pytest.raises(ValidationError, match="tối đa 2 năm: chọn ngày hết hạn không muộn hơn 05/12/2028"):
        api_token_expiry(datetime.date(2028, 12, 6), today=datetime.date(2026, 12, 5))
    with pytest.raises(ValidationError, match="không muộn hơn 28/02/2030"):
        api_token_expiry(datetime.date(2030, 3, 1), today=datetime.date(2028, 2, 29))


def test_the_token_list_shows_the_expiry_and_finds_tokens_expired_or_expiring_within_30_days(facility):
    client = logged_in(officer("canbo079", "079", "Cán bộ BHXH tỉnh"))
    now = timezone.now()
    tokens = {}
    for name, days in (("Đã hết", -1), ("Sắp hết", 20), ("Còn lâu", 200), ("Đã thu hồi", 10)):
        token, _raw = api_token_create(facility=facility, name=name)
        FacilityApiToken.objects.filter(pk=token.pk).update(expires_at=now + datetime.timedelta(days=days))
        tokens[name] = token
    api_token_revoke(token=tokens["Đã thu hồi"])  # its clinic needs no new token for it
    page = client.get(TOKENS).content.decode()
    assert "Hết hạn lúc" in page
    assert vn_datetime(now + datetime.timedelta(days=200)) in re.sub(r"\s+", " ", page)

    def listed(value):
        html = client.get(TOKENS, {"het_han": value}).content.decode()
        return {name for name in tokens if f">{name}</td>" in html}

    assert listed("da_het") == {"Đã hết"}
    assert listed("sap_het") == {"Sắp hết"}
