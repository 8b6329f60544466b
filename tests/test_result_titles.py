"""A page's title says what it shows (WCAG 2.4.2): a lookup's title tells how many results the
search found and for which words, or that it found none; the visit history's title names the year
whose visits it lists. In both languages."""

import datetime
import re

import pytest

from tests.health_card.test_visits import citizen, visit

pytestmark = pytest.mark.django_db

AGENCIES = "/tra-cuu/co-quan-bhxh/"


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def counted(response) -> int:
    """The number of results the page's count line says."""
    return int(re.search(r'<p class="result-count" role="status">(\d+)', response.content.decode()).group(1))


def test_a_lookups_title_says_the_number_of_results_for_the_words_searched(client, reference_data):
    found = client.get(AGENCIES, {"q": "Phú Nhuận"})
    assert counted(found) > 0
    number = counted(found)
    assert title(found).startswith(f"Cơ quan BHXH – {number} kết quả cho “Phú Nhuận” – ")
    nothing = client.get(AGENCIES, {"q": "zzqqxx"})
    assert counted(nothing) == 0 and "không có kết quả cho “zzqqxx”" in title(nothing)
    assert "kết quả" not in title(client.get(AGENCIES))  # no search made: the title alone


def test_a_lookups_title_without_words_says_the_number_of_results_of_the_choices(client, reference_data):
    province = re.search(r'<option value="([^"]+)">', client.get(AGENCIES).content.decode().split('name="province"')[1])[1]
    found = client.get(AGENCIES, {"province": province})
    assert f"– {counted(found)} kết quả –" in title(found)


def test_a_lookups_title_is_in_english_on_the_english_site(client, reference_data, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found = client.get(AGENCIES, {"q": "Phú Nhuận"})
    number = counted(found)
    assert f"{number} result{'s' if number != 1 else ''} for “Phú Nhuận”" in title(found)
    assert "no results for “zzqqxx”" in title(client.get(AGENCIES, {"q": "zzqqxx"}))


def test_the_visit_historys_title_names_the_year_shown(client, reference_data, settings):
    user = citizen()
    visit(user.person, admitted=datetime.date(2024, 5, 1))
    visit(user.person, admitted=datetime.date(2025, 3, 4))
    client.force_login(user)
    assert "Lịch sử khám chữa bệnh – năm 2024 – " in title(client.get("/so-kham-chua-benh/", {"nam": "2024"}))
    assert "Lịch sử khám chữa bệnh – năm 2025 – " in title(client.get("/so-kham-chua-benh/"))  # the latest
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Medical visit history – 2024 – " in title(client.get("/so-kham-chua-benh/", {"nam": "2024"}))
