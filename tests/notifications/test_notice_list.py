"""The notice list offers "Đánh dấu tất cả là đã đọc" only while pressing it would change something.
(The header's "Thông báo" item marked as the current page: tests/vssid_portal/test_layout.py.)"""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from notifications.models import Message
from tests.benefits.helpers import citizen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_mark_all_read_is_offered_only_while_a_notice_is_unread():
    user = citizen()
    notice = Message.objects.create(channel=Message.Channel.INBOX, user=user, template="t", subject="Thông báo thử",
                                    body="Nội dung", idempotency_key="mark-test", status=Message.Status.SENT)
    client = Client()
    client.force_login(user)
    assert "Đánh dấu tất cả là đã đọc" in client.get("/thong-bao/").content.decode()
    client.get(f"/thong-bao/{notice.pk}/")  # read
    html = client.get("/thong-bao/").content.decode()
    assert "Thông báo thử" in html and "Đánh dấu tất cả là đã đọc" not in html


def test_the_notice_list_pages_like_the_portals_other_lists():
    """Numbered page links, the current page marked for screen readers (includes/pagination.html)."""
    user = citizen()
    Message.objects.bulk_create(
        Message(channel=Message.Channel.INBOX, user=user, template="t", subject=f"Thông báo {n}", body="Nội dung",
                idempotency_key=f"page-test-{n}", status=Message.Status.SENT) for n in range(45))
    client = Client()
    client.force_login(user)
    html = client.get("/thong-bao/?trang=2").content.decode()
    assert '<nav class="pagination" aria-label="Phân trang">' in html
    assert '<span aria-current="page"><span class="visually-hidden">Trang </span>2</span>' in html
    assert 'href="?trang=1" rel="prev"' in html and 'href="?trang=3" rel="next"' in html
    assert '<a href="?trang=3"><span class="visually-hidden">Trang </span>3</a>' in html


def test_marking_all_read_says_it_was_done_and_pressing_it_twice_says_the_same():
    user = citizen()
    Message.objects.create(channel=Message.Channel.INBOX, user=user, template="t", subject="Thông báo thử",
                           body="Nội dung", idempotency_key="mark-all-said", status=Message.Status.SENT)
    client = Client()
    client.force_login(user)
    for _ in range(2):  # a double submit
        response = client.post("/thong-bao/da-doc/", follow=True)
        assert response.redirect_chain == [("/thong-bao/", 302)]
        html = response.content.decode()
        assert "Đã đánh dấu tất cả thông báo là đã đọc." in html and "Đánh dấu tất cả là đã đọc</button>" not in html
    assert not Message.objects.filter(user=user, read_at__isnull=True).exists()


def test_marking_all_read_says_it_was_done_in_english():
    user = citizen()
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    assert "All notices are marked as read." in client.post("/thong-bao/da-doc/", follow=True).content.decode()


def notice(user, key: str) -> Message:
    return Message.objects.create(channel=Message.Channel.INBOX, user=user, template="t", subject=f"Thông báo {key}",
                                  body="Nội dung", idempotency_key=key, status=Message.Status.SENT)


def test_marking_all_read_leaves_unread_a_notice_that_came_after_the_list_was_shown():
    import re

    user = citizen()
    seen = notice(user, "seen")
    client = Client()
    client.force_login(user)
    form = re.search(r'<form method="post" action="/thong-bao/da-doc/">.*?</form>', client.get("/thong-bao/")
                     .content.decode()).group(0)
    newest = re.search(r'<input type="hidden" name="den" value="(\d+)">', form).group(1)
    later = notice(user, "later")  # arrives while the list is open
    client.post("/thong-bao/da-doc/", {"den": newest})
    seen.refresh_from_db()
    later.refresh_from_db()
    assert seen.read_at is not None and later.read_at is None
    assert "Đánh dấu tất cả là đã đọc" in client.get("/thong-bao/").content.decode()


@pytest.mark.parametrize("den, marked", [("abc", True), ("", True), ("-1", False), ("99999999999999999999", True)])
def test_a_tampered_newest_notice_marks_all_or_none_and_never_fails(den, marked):
    user = citizen()
    one = notice(user, "one")
    client = Client()
    client.force_login(user)
    assert client.post("/thong-bao/da-doc/", {"den": den}).status_code == 302
    one.refresh_from_db()
    assert (one.read_at is not None) is marked


def test_a_notice_in_another_language_than_the_pages_says_so_and_one_in_the_pages_does_not():
    user = citizen()
    vietnamese = notice(user, "vietnamese")
    english = Message.objects.create(channel=Message.Channel.INBOX, user=user, template="t", subject="A notice",
                                     body="Text", language="en", idempotency_key="english",
                                     status=Message.Status.SENT)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    assert "This notice is available in Vietnamese only." in client.get(f"/thong-bao/{vietnamese.pk}/").content.decode()
    html = client.get(f"/thong-bao/{english.pk}/").content.decode()
    assert "only." not in html and "chỉ có bằng" not in html  # an English notice on an English page
    client.cookies["django_language"] = "vi"
    assert "Thông báo này chỉ có bằng tiếng Anh." in client.get(f"/thong-bao/{english.pk}/").content.decode()
    assert "chỉ có bằng" not in client.get(f"/thong-bao/{vietnamese.pk}/").content.decode()


@pytest.mark.parametrize("languages, page_language, said", [
    (["en"], "en", False), (["vi"], "vi", False), (["en", "vi"], "en", True), (["vi"], "en", True), (["en"], "vi", True),
])
def test_the_list_says_some_notices_are_in_another_language_only_when_one_listed_is(languages, page_language, said):
    user = citizen()
    for n, language in enumerate(languages):
        Message.objects.create(channel=Message.Channel.INBOX, user=user, template="t", subject=f"Notice {n}",
                               body="Text", language=language, idempotency_key=f"list-{n}",
                               status=Message.Status.SENT)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = page_language
    with translation.override(page_language):
        note = gettext("Một số thông báo dưới đây được viết bằng ngôn ngữ khác với ngôn ngữ của trang này.")
    html = client.get("/thong-bao/").content.decode()
    assert (note in html) is said
    assert "only." not in html and "chỉ có bằng" not in html  # the list says no notice is Vietnamese only


def test_the_notice_list_reads_the_same_queries_for_one_notice_and_a_full_page():
    """Twenty notices on a page, read with the list: no query per notice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = citizen()
    client = Client()
    client.force_login(user)

    def notices(count: int, first: int = 0):
        Message.objects.bulk_create(
            Message(channel=Message.Channel.INBOX, user=user, template="t", subject=f"Thông báo {n}", body="Nội dung",
                    idempotency_key=f"count-test-{n}", status=Message.Status.SENT) for n in range(first, count))

    def queries(shown: int) -> int:
        client.get("/thong-bao/")  # the session's caches warmed
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/thong-bao/")
        assert response.status_code == 200
        assert response.content.decode().count('<li class="card unread">') == shown  # the notices are on the page
        return len(captured)

    notices(1)
    one = queries(1)
    notices(45, first=1)
    assert queries(20) == one


def test_one_notice_reads_the_same_queries_among_one_notice_and_fifteen(monkeypatch, django_assert_num_queries):
    """One notice's page, rendered with the page cache off, whatever the number of the citizen's notices;
    its count held (a new query is noticed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vssid_portal import pagecache

    monkeypatch.setattr(pagecache.Page, "cached", lambda self: None)
    user = citizen()
    client = Client()
    client.force_login(user)

    def notice(n: int) -> Message:
        return Message.objects.create(channel=Message.Channel.INBOX, user=user, template="t", subject=f"Thông báo {n}",
                                      body="Nội dung", idempotency_key=f"one-notice-{n}", status=Message.Status.SENT)

    def queries(counted, url: str) -> int:
        client.get(url)  # the session's caches warmed
        with counted as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    url = f"/thong-bao/{notice(1).pk}/"
    one = queries(CaptureQueriesContext(connection), url)
    for n in range(2, 16):
        notice(n)
    assert queries(django_assert_num_queries(3), url) == one
