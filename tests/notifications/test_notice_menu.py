"""The header's "Thông báo" item says where the reader is, as the other menu items do: the current
page on the notice list, the current section on a notice's own page."""

import re

import pytest
from django.test import Client

from notifications.models import Message
from tests.benefits.helpers import citizen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def notices_item(html: str) -> str:
    return re.search(r'<a href="/thong-bao/"[^>]*>', html).group()


def test_the_notices_menu_item_is_marked_current_on_the_notices_pages():
    user = citizen()
    notice = Message.objects.create(channel=Message.Channel.INBOX, user=user, template="t", subject="Thông báo thử",
                                    body="Nội dung", idempotency_key="menu-test", status=Message.Status.SENT)
    client = Client()
    client.force_login(user)
    assert notices_item(client.get("/thong-bao/").content.decode()) == '<a href="/thong-bao/" aria-current="page">'
    assert notices_item(client.get(f"/thong-bao/{notice.pk}/").content.decode()) == \
        '<a href="/thong-bao/" aria-current="true">'
    assert notices_item(client.get("/ca-nhan/").content.decode()) == '<a href="/thong-bao/">'


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
