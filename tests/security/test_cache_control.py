"""What a browser may keep: nothing answered to a visitor with a session (personal data stays out
of shared computers' caches after logging out), while the public pages say nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.accounts.helpers import make_person

from .test_headers import parameterless_paths

pytestmark = [pytest.mark.security, pytest.mark.django_db]
PUBLIC_KEYS = "/.well-known/bhyt-keys.json"  # the same for everyone: its view says how long to keep it


def test_every_page_answered_to_a_logged_in_citizen_is_kept_by_no_cache(client, reference_data):
    person = make_person()
    user = get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    client.force_login(user)
    answered = {}
    for path in parameterless_paths():
        if path.startswith(("/quan-tri/", "/tai-khoan/dang-xuat/", PUBLIC_KEYS)):
            continue
        response = client.get(path)
        answered[path] = response.status_code
        assert "no-store" in response.get("Cache-Control", ""), (path, response.status_code)
    personal = client.get("/ca-nhan/")
    assert person.id_number in personal.content.decode()  # the page the header protects
    assert {answered[p] for p in ("/ca-nhan/", "/qua-trinh-tham-gia/", "/thong-tin-huong/", "/so-kham-chua-benh/",
                                  "/thong-bao/", "/dich-vu-cong/ho-so/")} == {200}


def test_a_public_page_without_a_session_sets_no_cache_rule(reference_data):
    response = Client().get("/tra-cuu/")
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_a_views_own_rule_is_kept_for_a_logged_in_visitor(client):
    user = get_user_model().objects.create_user("7901234560", password="x-Pass-2026!")
    client.force_login(user)
    response = client.get(PUBLIC_KEYS)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
