"""The officers' admin in English (settings LANGUAGE_CODE="en"): its own words in English, and the
same words unchanged in the Vietnamese admin."""

import html as html_lib

import pytest
from django.contrib.auth import get_user_model


def _officer_index(client) -> str:
    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    return html_lib.unescape(client.get("/quan-tri/").content.decode())


@pytest.mark.django_db
def test_the_english_admin_names_itself_in_english(client, settings, reference_data):
    settings.LANGUAGE_CODE = "en"
    index = _officer_index(client)
    assert "<title>Operations | Digital Social Insurance administration</title>" in index
    assert ">Digital Social Insurance Portal administration</a>" in index


@pytest.mark.django_db
def test_the_vietnamese_admin_names_itself_as_before(client, reference_data):
    index = _officer_index(client)
    assert "<title>Nghiệp vụ | Quản trị BHXH số</title>" in index
    assert ">Quản trị Cổng BHXH số</a>" in index
