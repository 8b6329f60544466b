"""The registration's photo step decodes, checks and re-encodes every photo posted (up to three of 40
million pixels): one client may post photos there accounts.views.registration.PHOTO_POSTS_PER_CLIENT
times, then nothing posted is read and the step answers 429 with Retry-After, saying in Vietnamese that
photos were sent too often and the minutes left, the photos kept before still there. A post without a photo (the step opened again) is not counted."""

import math
import re

import pytest
from django.test import Client

from accounts.views import registration as views
from tests.accounts.helpers import declaration_data, jpeg, make_person

pytestmark = [pytest.mark.security, pytest.mark.django_db]


def test_photo_posts_stop_at_the_clients_limit_reading_nothing_more(reference_data, monkeypatch):
    monkeypatch.setattr(views, "PHOTO_POSTS_PER_CLIENT", ("registration-photos-ip", "2/h"),
                        raising=False)  # fails, not errs, without it
    make_person()
    client = Client(REMOTE_ADDR="192.0.2.70")
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    assert client.post("/dang-ky/anh/", {}).status_code == 200  # nothing chosen: not counted
    for _ in range(2):
        assert client.post("/dang-ky/anh/", {"portrait": jpeg()}).status_code == 200  # the ID card still missing
    refused = client.post("/dang-ky/anh/", {"id_front": jpeg(), "id_back": jpeg()})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    minutes = math.ceil(int(refused["Retry-After"]) / 60)
    page = refused.content.decode()
    # what was sent too often, not a check of the registry's records, with the wait Retry-After says
    assert (f"Bạn đã gửi ảnh quá nhiều lần trong một giờ. Hãy thử lại sau {minutes} phút; các ảnh đã nhận trước "
            "đó và nội dung đã khai vẫn được giữ.") in page
    assert "Để bảo vệ thông tin của người tham gia" not in page
    assert set(refused.context["previews"]) == {"portrait"}  # the ID card's sides were not read nor kept


def test_a_childs_registration_posts_with_photos_stop_at_the_logins_limit(reference_data, monkeypatch):
    from accounts.views import personal
    from tests.public_services.helpers import citizen

    monkeypatch.setattr(personal, "CHILD_PHOTO_POSTS_PER_USER", "2/h", raising=False)  # fails, not errs, without it
    client = Client()
    client.force_login(citizen())
    key = re.search(r'name="submission_key" value="([^"]+)"',
                    client.get("/ca-nhan/dang-ky-cho-con/").content.decode()).group(1)
    for _ in range(2):  # the child's details missing: the form again, the portrait kept
        assert client.post("/ca-nhan/dang-ky-cho-con/", {"submission_key": key, "portrait": jpeg()}).status_code == 200
    refused = client.post("/ca-nhan/dang-ky-cho-con/", {"submission_key": key, "id_front": jpeg()})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    minutes = math.ceil(int(refused["Retry-After"]) / 60)
    page = refused.content.decode()
    assert (f"Bạn đã gửi ảnh quá nhiều lần trong một giờ. Hãy thử lại sau {minutes} phút; các ảnh đã nhận trước "
            "đó và nội dung đã khai vẫn được giữ.") in page
    assert "Để bảo vệ thông tin của người tham gia" not in page
    assert set(refused.context["previews"]) == {"portrait"}  # the new photo was not read nor kept
