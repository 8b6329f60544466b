"""A notice links to the page it speaks of: the filing, the benefit record, the visit; for a
child's record, the section the parent opens the child's records from."""

import pytest
from django.test import Client

from benefits.services import benefit_save
from notifications.models import Message
from notifications.services import _link, send_message
from tests.benefits.helpers import citizen, record
from tests.public_services.helpers import owner, submit  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def opened(user, notice) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/thong-bao/{notice.pk}/").content.decode()


def test_a_filing_notice_links_to_the_filing_and_the_link_opens_it(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner)
    notice = Message.objects.get(user=owner, channel=Message.Channel.INBOX, template="public_service_filing")
    assert notice.link == f"/dich-vu-cong/ho-so/{filing.pk}/"
    assert f'<a href="/dich-vu-cong/ho-so/{filing.pk}/">Xem chi tiết</a>' in opened(owner, notice)
    client = Client()
    client.force_login(owner)
    assert filing.tracking_number in client.get(notice.link).content.decode()


def test_a_benefit_notice_links_to_the_record(django_capture_on_commit_callbacks):
    user = citizen()
    obj = record(user.person, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        benefit_save(record=obj)
    notice = Message.objects.get(user=user, channel=Message.Channel.INBOX)
    assert notice.link == f"/thong-tin-huong/{obj.pk}/"
    sms = Message.objects.get(user=user, channel=Message.Channel.SMS)
    assert sms.link == ""  # only a notice on the portal carries a link


def test_a_notice_without_a_link_template_shows_no_link():
    user = citizen()
    notice = send_message(channel=Message.Channel.INBOX, template="welcome", user=user, idempotency_key="welcome-1",
                          context={"name": "Nguyễn Văn Đức", "code": "7901234567"})
    assert notice.link == "" and "Xem chi tiết" not in opened(user, notice)


def test_only_a_path_of_the_portal_is_kept(settings, tmp_path):
    folder = tmp_path / "notifications" / "messages"
    folder.mkdir(parents=True)
    for name, text in {"abroad": "https://evil.example/", "protocol": "//evil.example/x", "here": " /ca-nhan/\n"}.items():
        (folder / f"{name}.link.txt").write_text(text)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert [_link(name, {}) for name in ("abroad", "protocol", "here", "missing")] == ["", "", "/ca-nhan/", ""]
