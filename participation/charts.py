"""A server-rendered bar chart (SVG geometry computed here, drawn by the template)."""

import math
from dataclasses import dataclass

from vssid_portal.templatetags.vn_format import vnd


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    label_on: str = ""  # where the label is written: "both", "wide" or "narrow" screens, or "" nowhere


WIDE_LABELS_ALL_UP_TO = 16  # a wide screen labels every bar up to 16, then the first, last and every 5th
NARROW_LABELS = 6  # a phone draws the chart at half size: about six labels, twice as large
# The room a year label takes right of its bar's left edge: four digits at the phone's 22-unit font
# (portal.css, .chart__label), about 50 units in Noto Sans, 56 in wider fallback fonts.
LABEL_WIDTH = 60


def label_on(index: int, count: int) -> str:
    wide = count <= WIDE_LABELS_ALL_UP_TO or index in (0, count - 1) or (index + 1) % 5 == 0
    step = -(-count // NARROW_LABELS)
    # The last bar is labelled unless the label before it is less than half a step away.
    narrow = index % step == 0 or (index == count - 1 and index % step >= step / 2)
    return {(True, True): "both", (True, False): "wide", (False, True): "narrow"}.get((wide, narrow), "")


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    baseline: float
    max_value: str


def bar_chart(points: list[tuple[str, int]], *, width: int = 640, height: int = 240) -> BarChart | None:
    """Bars for (label, value) points, scaled to the largest value; None when there is nothing.
    The drawing is widened past `width` where the last bar's label would otherwise be cut off."""
    if not points:
        return None
    top, bottom, left, right = 24, 28, 8, 8
    plot_height = height - top - bottom
    largest = max(value for _label, value in points)
    scale = largest or 1  # bars of nothing but zeros stay flat
    step = (width - left - right) / len(points)
    bar_width = max(step * 0.7, 1)
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = plot_height * value / scale
        bars.append(Bar(
            x=round(left + index * step + (step - bar_width) / 2, 1),
            y=round(top + plot_height - bar_height, 1),
            width=round(bar_width, 1),
            height=round(bar_height, 1),
            label=label,
            value=vnd(value),
            label_on=label_on(index, len(points)),
        ))
    drawn_width = max(width, math.ceil(bars[-1].x + LABEL_WIDTH))  # the last bar is labelled on a wide screen
    return BarChart(drawn_width, height, bars, top + plot_height, vnd(largest))
