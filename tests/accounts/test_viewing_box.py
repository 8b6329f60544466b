"""Every page about the person in view says so when a parent is viewing a child's records, with the
button back to the parent's own; the card page speaks of the child's card, not "my" card; a stored
page keeps the box and takes this request's CSRF token in its button."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.benefits.helpers import child_of
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401 (fixtures)
from tests.public_services.helpers import answers, owner  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"
PAGES = ["/ca-nhan/", "/qua-trinh-tham-gia/", "/qua-trinh-tham-gia/bhyt/", "/qua-trinh-tham-gia/xac-nhan/",
         "/thong-tin-huong/", "/thong-tin-huong/uoc-tinh/", "/the-bhyt/", "/the-bhyt/ai-da-xem/", "/so-kham-chua-benh/",
         "/dich-vu-cong/ho-so/",
         BOOK, f"{BOOK}xem-lai/"]
BOX = re.compile(
    r'<div class="notice" role="status">\s*<p>Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>\.</p>\s*'
    r'<form method="post" action="/ca-nhan/xem/"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
    r'<button class="button button--secondary" type="submit">Quay về tài khoản của tôi</button></form>\s*</div>')


@pytest.fixture
def parent(owner, facility):  # noqa: F811
    owner.child = child_of(owner)
    issue(owner.child, facility)
    return owner


def reviewed(client) -> None:
    """A draft of the book reissue, so that its review page shows."""
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(BOOK).content.decode()).group(1)
    assert client.post(BOOK, {**answers("607A"), "idempotency_key": key}).status_code == 302


def test_every_page_about_a_child_in_view_shows_the_box_and_the_way_back(client, parent):
    client.force_login(parent)
    client.post("/ca-nhan/xem/", {"child": parent.child.pk})
    reviewed(client)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(BOX.findall(response.content.decode())) == 1, path


def test_the_parents_own_pages_show_no_box(client, parent):
    client.force_login(parent)
    reviewed(client)
    for path in PAGES:
        assert "Đang xem thông tin của" not in client.get(path).content.decode(), path


@pytest.mark.parametrize(("language", "wanted", "unwanted"), [
    ("vi", ["Thẻ BHYT điện tử của Nguyễn Gia Bảo có mã QR", ">Ai đã xem thẻ của Nguyễn Gia Bảo</a>"],
     [">Ai đã xem thẻ của tôi</a>"]),
    ("en", [], ["Your electronic health insurance card", "Who has viewed my card"]),
])
def test_the_card_page_of_a_child_speaks_of_the_childs_card(client, parent, language, wanted, unwanted):
    client.force_login(parent)
    client.post("/ca-nhan/xem/", {"child": parent.child.pk})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/the-bhyt/").content.decode()
    assert [text for text in wanted if text not in html] == []
    assert [text for text in unwanted if text in html] == []
    log = client.get("/the-bhyt/ai-da-xem/").content.decode()
    assert ("<h1>Ai đã xem thẻ của Nguyễn Gia Bảo</h1>" in log) == (language == "vi")
    assert ("<h1>Who has viewed the card of Nguyễn Gia Bảo</h1>" in log) == (language == "en")


@pytest.mark.parametrize("path", ["/ca-nhan/", "/the-bhyt/", "/qua-trinh-tham-gia/"])
def test_a_stored_page_of_a_child_keeps_the_box_with_this_requests_token(parent, monkeypatch, path):
    from accounts import pages

    # A version that never moves (PostgreSQL keeps the real one): pages are stored on SQLite too.
    monkeypatch.setattr(pages, "content_version", lambda *ids: "1:" + ".".join(sorted(map(str, ids))))
    served = []
    cached = pages.Page.cached
    monkeypatch.setattr(pages.Page, "cached", lambda page: served.append(cached(page)) or served[-1])
    tokens = []
    for _ in range(2):  # two sessions: the first stores the page, the second is served it
        client = Client(enforce_csrf_checks=True)
        client.force_login(parent)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get("/ca-nhan/").content.decode())[1]
        client.post("/ca-nhan/xem/", {"csrfmiddlewaretoken": token, "child": parent.child.pk}, follow=True)  # its message shown
        html = client.get(path).content.decode()
        assert "\ue000" not in html and (served[-1] is None) == (not tokens)  # the second session's is the stored one
        tokens.append(BOX.search(html)[1])
        assert client.post("/ca-nhan/xem/", {"csrfmiddlewaretoken": tokens[-1]}).status_code == 302  # back
        assert "Đang xem thông tin của" not in client.get(path).content.decode()
    assert tokens[0] != tokens[1]


@pytest.mark.parametrize(("language", "wanted"), [
    ("vi", "<p class=\"notice\">Nguyễn Gia Bảo chưa có thẻ BHYT còn hiệu lực.</p>"),
    ("en", "<p class=\"notice\">Nguyễn Gia Bảo has no valid health insurance card yet.</p>"),
])
def test_the_card_page_of_a_child_without_a_card_names_the_child(client, owner, language, wanted):  # noqa: F811
    """It said "no valid card for this account", of a child who has no account of their own."""
    child = child_of(owner)
    client.force_login(owner)
    client.post("/ca-nhan/xem/", {"child": child.pk})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/the-bhyt/").content.decode()
    assert wanted in html
    assert "cho tài khoản này" not in html and "for this account" not in html
