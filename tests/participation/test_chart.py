"""The participation chart's year labels: every bar up to 16 on a wide screen (then the first, the
last and every 5th); on a phone, where the 640-unit chart is drawn at about half size, about six
labels at twice the size, never closer than half a step."""

import pytest

from participation.charts import bar_chart
from tests.participation.test_history import citizen, monthly_periods, person  # noqa: F401


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
    monthly_periods(person, 2000 * 12, 40 * 12)  # 40 years
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    # Nine year labels on a wide screen (some on both), plus the "Cao nhất" line.
    assert html.count('class="chart__label chart__label--wide"') + html.count('class="chart__label"') == 9 + 1
    assert 1 <= html.count('class="chart__label chart__label--narrow"') <= 6
