"""The notice list offers "Đánh dấu tất cả là đã đọc" only while pressing it would change something.
(The header's "Thông báo" item marked as the current page: tests/vssid_portal/test_layout.py.)"""

import pytest
from django.test import Client

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
