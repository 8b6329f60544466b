"""The participation chart's year labels: every bar up to 16 on a wide screen (then the first, the
last and every 5th); on a phone, where the 640-unit chart is drawn at about half size, about six
labels at twice the size, never closer than half a step."""

import re

import pytest

from participation.charts import bar_chart
from tests.participation.helpers import monthly_periods


def labelled(count: int, screen: str) -> list[int]:
    chart = bar_chart([(str(2000 + index), 1_000_000 + index) for index in range(count)])
    return [index for index, bar in enumerate(chart.bars) if bar.label_on in ("both", screen)]


@pytest.mark.parametrize("count", [1, 2, 5, 6, 7, 12, 16, 17, 25, 40, 41])
def test_a_phone_gets_about_six_labels_spread_over_the_years(count):
    narrow = labelled(count, "narrow")
    assert narrow[0] == 0 and 1 <= len(narrow) <= 7
    step = -(-count // 6)
    assert all(b - a >= step / 2 for a, b in zip(narrow, narrow[1:], strict=False))
    if count > 1:
        assert count - 1 - narrow[-1] < step  # the right end is labelled or close to it


def test_a_wide_screen_keeps_its_labels():
    assert labelled(16, "wide") == list(range(16))
    assert labelled(40, "wide") == [0, 4, 9, 14, 19, 24, 29, 34, 39]


def test_the_page_marks_which_labels_each_screen_shows(client, citizen, person):
    monthly_periods(person, 1986 * 12, 40 * 12)  # 40 years, 1986–2025
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    # Nine year labels on a wide screen (some on both), plus the "Cao nhất" line.
    assert html.count('class="chart__label chart__label--wide"') + html.count('class="chart__label"') == 9 + 1
    assert 1 <= html.count('class="chart__label chart__label--narrow"') <= 6


DIGIT_EM = 0.64  # a digit's advance in the widest usual sans-serif fonts (DejaVu Sans: 0.636 em)


@pytest.mark.parametrize("count", [1, 2, 16, 17, 28, 40, 60])
def test_every_label_fits_inside_the_drawing(count):
    """A year label starts at its bar's left edge: the drawing is wide enough for the last one,
    four digits at the phone's 22-unit font, so '2026' is not cut to '202'."""
    chart = bar_chart([(str(2000 + index), 1_000_000) for index in range(count)])
    assert chart.width >= 640
    for bar in chart.bars:
        if bar.label_on:
            assert bar.x + len(bar.label) * DIGIT_EM * 22 <= chart.width, (bar.label, bar.x, chart.width)


def test_the_page_draws_the_last_year_inside_the_viewbox(client, citizen, person):
    monthly_periods(person, 2004 * 12, 23 * 12)  # 2004–2026
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    width = float(re.search(r'<svg viewBox="0 0 ([\d.]+) 240"', html)[1])
    last_x = float(re.findall(r'<text x="([\d.]+)"[^>]*>2026</text>', html)[-1])
    assert f'x2="{width:g}"' in html  # the axis runs the whole width
    assert last_x + 4 * DIGIT_EM * 22 <= width


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_last_year_is_whole_on_a_390_px_phone(page, live_server, citizen, person):
    from django.conf import settings
    from django.test import Client

    monthly_periods(person, 2004 * 12, 23 * 12)  # 2004–2026: a phone labels the last year too
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/qua-trinh-tham-gia/")
    svg = page.locator(".chart svg").bounding_box()
    last = page.locator(".chart__label", has_text="2026").filter(visible=True).bounding_box()
    assert last["width"] > 20 and last["x"] + last["width"] <= svg["x"] + svg["width"], (last, svg)


def test_a_chart_of_zero_bases_says_its_highest_is_zero():
    """Periods imported with no contribution base (muc_dong 0): flat bars, and the top says 0 đ, not 1 đ."""
    chart = bar_chart([("2024", 0), ("2025", 0)])
    assert chart.max_value == "0 đ"
    assert all(bar.height == 0 and bar.value == "0 đ" for bar in chart.bars)
