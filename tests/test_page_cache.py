"""Personal pages (dashboard, card, participation) are stored once per content version and served
from the cache with one query; every write to what they show — by the ORM, in bulk or to the
reference data beside them — shows on the very next visit, and the per-request parts (CSRF token,
unread badge, flash messages) are never frozen into a stored page."""

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Guardianship, Person, Registration
from accounts.selectors import content_version
from health_card.models import BenefitLevel, Card
from lookup.models import Agency, Employer
from notifications.models import Message
from notifications.services import send_message
from participation.models import Period
from tests.accounts.helpers import born_years_ago, cccd_for, make_person, submit
from tests.conftest import missing
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from tests.participation.helpers import monthly_periods, period

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = pytest.mark.usefixtures("reference_data")
postgresql_only = pytest.mark.usefixtures("_postgresql")

PAGES = ["/ca-nhan/", "/the-bhyt/", "/qua-trinh-tham-gia/"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def _postgresql():
    """Versions are kept by PostgreSQL triggers: without PostgreSQL these tests skip, and fail in CI."""
    if connection.vendor != "postgresql":
        missing("versions are kept by PostgreSQL triggers (DATABASE_URL)")


@pytest.fixture
def person(db, reference_data, facility):  # noqa: F811
    person = make_person()
    issue(person, facility)
    period(person, "01/2010", "12/2012", base=7_000_000)
    return person


@pytest.fixture
def user(person):
    return get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


@pytest.fixture
def citizen(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def visit(client, path) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def without_tokens(html: str) -> str:
    return CSRF.sub("", html)


@postgresql_only
@pytest.mark.parametrize("path", PAGES)
def test_the_second_visit_is_served_stored_with_one_query(citizen, path):
    first, first_queries = visit(citizen, path)
    second, second_queries = visit(citizen, path)
    assert first_queries > 1 and second_queries == 1  # the content version, by primary key
    assert without_tokens(second) == without_tokens(first)
    assert "\ue000" not in second  # every hole filled


@postgresql_only
def test_each_page_of_a_long_history_is_stored_on_its_own(citizen, person):
    monthly_periods(person, 2013 * 12, 70)  # two pages with the period of the fixture
    first, _ = visit(citizen, "/qua-trinh-tham-gia/?trang=2")
    second, queries = visit(citizen, "/qua-trinh-tham-gia/?trang=2")
    assert queries == 1 and without_tokens(second) == without_tokens(first)
    assert "trang 2/2" in second and "01/2010 – 12/2012" in second
    page_one, _ = visit(citizen, "/qua-trinh-tham-gia/")
    assert "trang 1/2" in page_one and "01/2010 – 12/2012" not in page_one


@pytest.mark.parametrize("path", PAGES)
def test_a_stored_page_carries_this_requests_csrf_token(citizen, user, path):
    visit(citizen, path)
    html, _ = visit(citizen, path)
    token = CSRF.search(html).group(1)
    response = citizen.post("/tai-khoan/dang-xuat/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # the token of the stored page is accepted: no 403

    citizen.force_login(user)  # a new session, a new CSRF secret: the stored page is reused with the new token
    html, _ = visit(citizen, path)
    assert CSRF.search(html).group(1) != token
    assert citizen.post("/ca-nhan/xem/", {"csrfmiddlewaretoken": CSRF.search(html).group(1)}).status_code == 302


def test_the_unread_badge_is_filled_per_request(citizen, user):
    visit(citizen, "/ca-nhan/")
    assert '<span class="badge">' not in visit(citizen, "/ca-nhan/")[0]
    send_message(channel=Message.Channel.INBOX, template="welcome", user=user,
                 context={"name": "Đức", "code": user.username}, idempotency_key="badge-1")
    assert '<span class="badge">1<span class="visually-hidden"> chưa đọc</span></span>' in visit(citizen, "/ca-nhan/")[0]


@postgresql_only
def test_an_undeclared_query_string_is_rendered_not_stored(citizen):
    visit(citizen, "/ca-nhan/?utm=1")
    assert visit(citizen, "/ca-nhan/?utm=1")[1] > 1
    visit(citizen, "/ca-nhan/?hien-so-dien-thoai=1")
    html, queries = visit(citizen, "/ca-nhan/?hien-so-dien-thoai=1")
    assert queries == 1 and "0912 345 678" in html
    assert "0912 345 678" not in visit(citizen, "/ca-nhan/")[0]


@postgresql_only
def test_writes_to_the_persons_records_show_on_the_next_visit(citizen, person, user):
    for path in PAGES:
        visit(citizen, path)

    Person.objects.filter(pk=person.pk).update(full_name="Nguyễn Văn Mới")  # no save(), no signal
    assert "Nguyễn Văn Mới" in visit(citizen, "/ca-nhan/")[0]
    assert "Nguyễn Văn Mới" in visit(citizen, "/qua-trinh-tham-gia/")[0]

    first = Period.objects.get(person=person)
    first.base = 9_500_000
    Period.objects.bulk_update([first], ["base"])
    html = visit(citizen, "/qua-trinh-tham-gia/")[0]
    assert "9.500.000" in html and "7.000.000" not in html
    Period.objects.filter(pk=first.pk).delete()
    assert "Chưa có giai đoạn tham gia" in visit(citizen, "/qua-trinh-tham-gia/")[0]

    Card.objects.filter(person=person).update(status=Card.Status.REVOKED)
    assert "Thẻ này không dùng được để khám chữa bệnh" in visit(citizen, "/the-bhyt/")[0]


@postgresql_only
def test_the_nightly_card_expiry_moves_the_holders_version(citizen, person):
    from django.utils import timezone

    from health_card.services import cards_expire

    Card.objects.filter(person=person).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    visit(citizen, "/the-bhyt/")
    before = content_version(person.pk)
    assert cards_expire() == 1
    after = content_version(person.pk)
    assert after != before
    assert cards_expire() == 0 and content_version(person.pk) == after  # run again: nothing moves
    assert "<strong>Thẻ hết hạn.</strong>" in visit(citizen, "/the-bhyt/")[0]


@postgresql_only
def test_renamed_reference_data_shows_on_every_stored_page(citizen, person):
    period(person, "01/2013", "12/2014", employer_code=Employer.objects.order_by("code").first().code)
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    person.refresh_from_db()
    for path in PAGES:
        visit(citizen, path)
    Agency.objects.filter(pk=person.agency_id).update(name="BHXH khu vực Đổi Tên")
    Employer.objects.filter(pk=Period.objects.filter(person=person).exclude(employer=None).first().employer_id).update(
        name="Công ty TNHH Đổi Tên")
    assert "BHXH khu vực Đổi Tên" in visit(citizen, "/ca-nhan/")[0]
    assert "Công ty TNHH Đổi Tên" in visit(citizen, "/qua-trinh-tham-gia/")[0]
    before = content_version(person.pk)
    BenefitLevel.objects.filter(pk=Card.objects.get(person=person).level_id).update(description="Mức hưởng đổi tên")
    assert content_version(person.pk) != before


@postgresql_only
def test_a_child_appears_and_disappears_with_the_guardianship(citizen, user):
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    visit(citizen, "/ca-nhan/")
    guardianship = Guardianship.objects.create(parent=user, child=child, relationship="cha")
    assert "Nguyễn Gia Bảo · 7905555555" in visit(citizen, "/ca-nhan/")[0]
    Person.objects.filter(pk=child.pk).update(full_name="Nguyễn Gia Huy")  # the child's row: the parent's list
    assert "Nguyễn Gia Huy · 7905555555" in visit(citizen, "/ca-nhan/")[0]
    Person.objects.filter(pk=child.pk).update(full_name="Nguyễn Gia Bảo")

    token = CSRF.search(visit(citizen, "/ca-nhan/")[0]).group(1)
    citizen.post("/ca-nhan/xem/", {"csrfmiddlewaretoken": token, "child": child.pk}, follow=True)  # its message shown
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in visit(citizen, "/ca-nhan/")[0]
    html, queries = visit(citizen, "/ca-nhan/")
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in html and queries == 1

    Guardianship.objects.filter(pk=guardianship.pk).delete()  # the parent's version moves: no stale child page
    html = visit(citizen, "/ca-nhan/")[0]
    assert "Nguyễn Gia Bảo" not in html and "7901234567" in html
    assert "Bạn không còn xem được thông tin của người đã chọn" in html  # a flash message...
    html = visit(citizen, "/ca-nhan/")[0]
    assert "Bạn không còn xem được thông tin của người đã chọn" not in html  # ...shown once: that page was not stored


@postgresql_only
def test_a_pending_child_registration_moves_the_parents_version(user):
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    registration = submit(child)
    before = content_version(user.person_id)
    Registration.objects.filter(pk=registration.pk).update(parent=user)
    assert content_version(user.person_id) != before


@postgresql_only
def test_the_version_reads_one_row_per_person_and_knows_missing_ones(person):
    version = content_version(person.pk)
    assert version is not None and content_version(person.pk, person.pk) == version
    assert content_version(person.pk, 10**12) is None
    Person.objects.filter(pk=person.pk).update(full_name="Tên mới")
    assert content_version(person.pk) != version


def test_without_postgresql_nothing_is_stored(citizen, person):
    if connection.vendor == "postgresql":
        # The path without a version on PostgreSQL: test_a_page_without_a_version_is_never_stored_but_still_renders.
        pytest.skip("SQLite keeps no version")
    assert content_version(person.pk) is None
    visit(citizen, "/ca-nhan/")
    assert visit(citizen, "/ca-nhan/")[1] > 1  # rendered again: the person and the children are read


@pytest.fixture
def written_keys(monkeypatch):
    """Keys the page cache writes, whatever the cache backend (local memory, or Redis in CI)."""
    from django.core.cache import cache

    from vssid_portal import pagecache

    keys = []

    class Recording:
        def __getattr__(self, name):
            return getattr(cache, name)

        def set(self, key, *args, **kwargs):
            keys.append(key)
            return cache.set(key, *args, **kwargs)

        def set_many(self, data, *args, **kwargs):
            keys.extend(data)
            return cache.set_many(data, *args, **kwargs)

        def add(self, key, *args, **kwargs):
            keys.append(key)
            return cache.add(key, *args, **kwargs)

    monkeypatch.setattr(pagecache, "cache", Recording())
    return keys


def test_a_page_without_a_version_is_never_stored_but_still_renders(rf, user, person, written_keys):
    """Without a content version (SQLite, or a person whose version cannot be read) the page is
    rendered for every request, holes filled, and nothing is written to the cache; the same
    request with a version is stored, so the recording would have seen a write."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    from vssid_portal.pagecache import Page

    def request():
        req = rf.get("/ca-nhan/")
        req.user, req.session = user, SessionStore()
        req._messages = FallbackStorage(req)
        return req

    send_message(channel=Message.Channel.INBOX, template="welcome", user=user,
                 context={"name": "Đức", "code": user.username}, idempotency_key="unversioned-1")
    context = {"person": person}
    page = Page(request(), "health_card/access_log.html", version=None)
    assert page.key is None and page.cached() is None
    response = page.response(page.render({**context, "checks": []}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ai đã xem thẻ của tôi</h1>" in html and "Chưa có lần xác thực nào." in html
    assert "\ue000" not in html  # every hole filled: this request's CSRF token and unread badge
    assert CSRF.search(html).group(1)
    assert '<span class="badge">1<span class="visually-hidden"> chưa đọc</span></span>' in html
    assert written_keys == []

    stored = Page(request(), "health_card/access_log.html", version="1:1:1")
    stored.render({**context, "checks": []})
    assert written_keys == [stored.key] and stored.key.startswith("page:") and stored.cached() is not None


def test_a_changed_template_or_hotline_starts_a_new_key_space(settings):
    from vssid_portal import pagecache

    folder = Path(settings.BASE_DIR, "var", f"test-templates-{os.getpid()}")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]
        (folder / "trang.html").write_text("<p>Phiên bản 1</p>")
        pagecache.code_version.cache_clear()
        first = pagecache.code_version()
        (folder / "trang.html").write_text("<p>Phiên bản 2</p>")
        pagecache.code_version.cache_clear()
        second = pagecache.code_version()
        settings.PORTAL_HOTLINE = "1900 0000"
        pagecache.code_version.cache_clear()
        assert len({first, second, pagecache.code_version()}) == 3
    finally:
        shutil.rmtree(folder)
        pagecache.code_version.cache_clear()


def stored_page(rf, user, *, version="1:1:1", parts=(), message=None):
    """A Page for `user`'s access-log page, as the view builds it, with its request's session and messages."""
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    from vssid_portal.pagecache import Page

    req = rf.get("/the-bhyt/ai-da-xem/")
    req.user, req.session = user, SessionStore()
    req._messages = FallbackStorage(req)
    if message:
        messages.info(req, message)
    return Page(req, "health_card/access_log.html", version=version, parts=parts)


def test_a_stored_page_is_never_served_to_another_user_with_the_same_version(rf, user, person):
    """The user is part of the key, whatever the version says: two logins whose versions read alike
    (the same persons in view, the same counters) never see each other's stored page."""
    other = get_user_model().objects.create_user("7905555556", password="x-Pass-2026!")
    page = stored_page(rf, user)
    page.render({"person": person, "checks": []})
    assert page.cached() is not None and stored_page(rf, user).cached() is not None
    assert stored_page(rf, other).cached() is None


def test_a_stored_page_is_kept_per_language(rf, user, person):
    from django.utils import translation

    with translation.override("vi"):
        page = stored_page(rf, user)
        page.render({"person": person, "checks": []})
        assert stored_page(rf, user).cached() is not None
    with translation.override("en"):
        assert stored_page(rf, user).cached() is None


def test_a_stored_page_is_kept_for_the_day_it_was_rendered_on(rf, user, person):
    """What a card is (valid, expired) depends on the day as well as on its rows: a page stored
    just before midnight in Vietnam is not served just after it, though no row changed."""
    from tests.clock import at, in_vietnam

    with at(in_vietnam(2026, 6, 30, 23, 58)):
        stored_page(rf, user).render({"person": person, "checks": []})
        assert stored_page(rf, user).cached() is not None
    with at(in_vietnam(2026, 7, 1, 0, 1)):
        assert stored_page(rf, user).cached() is None


def test_a_stored_page_is_kept_per_part_the_view_adds(rf, user, person):
    """A view adds what else its page depends on (the card page: the window its portrait's signed
    link is good for); another value of it is another page."""
    stored_page(rf, user, parts=(41,)).render({"person": person, "checks": []})
    assert stored_page(rf, user, parts=(41,)).cached() is not None
    assert stored_page(rf, user, parts=(42,)).cached() is None


@postgresql_only
def test_a_page_stored_in_vietnamese_is_not_served_in_english(citizen):
    from django.conf import settings

    vietnamese, _ = visit(citizen, "/ca-nhan/")
    visit(citizen, "/ca-nhan/")
    citizen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _ = visit(citizen, "/ca-nhan/")
    assert '<html lang="vi"' in vietnamese and '<html lang="en"' in english
    citizen.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert '<html lang="vi"' in visit(citizen, "/ca-nhan/")[0]


def test_a_page_showing_a_flash_message_is_not_stored(rf, user, person):
    """A message is shown once: the page that shows it is not the page of the next visit."""
    page = stored_page(rf, user, message="Đã lưu.")
    html = page.render({"person": person, "checks": []})
    assert "Đã lưu." in page.response(html).content.decode()
    assert stored_page(rf, user).cached() is None


def test_a_page_rendered_not_to_be_stored_is_not_stored(rf, user, person):
    """The caller may render a page it must not keep (a child no longer viewable): nothing is written."""
    stored_page(rf, user).render({"person": person, "checks": []}, store=False)
    assert stored_page(rf, user).cached() is None
