"""A server-rendered bar chart (SVG geometry computed here, drawn by the template)."""

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


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    baseline: float
    max_value: str


def bar_chart(points: list[tuple[str, int]], *, width: int = 640, height: int = 240) -> BarChart | None:
    """Bars for (label, value) points, scaled to the largest value; None when there is nothing."""
    if not points:
        return None
    top, bottom, left, right = 24, 28, 8, 8
    plot_height = height - top - bottom
    largest = max(value for _label, value in points) or 1
    step = (width - left - right) / len(points)
    bar_width = max(step * 0.7, 1)
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = plot_height * value / largest
        bars.append(Bar(
            x=round(left + index * step + (step - bar_width) / 2, 1),
            y=round(top + plot_height - bar_height, 1),
            width=round(bar_width, 1),
            height=round(bar_height, 1),
            label=label,
            value=vnd(value),
        ))
    return BarChart(width, height, bars, top + plot_height, vnd(largest))
