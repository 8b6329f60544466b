"""The citizen's participation history: a tab per insurance type, totals, chart, CSV export."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from accounts.selectors import person_in_view

from ..charts import bar_chart
from ..selectors import TABS, TABS_BY_SLUG, periods_fingerprint, periods_for, totals_of, yearly_average_base


@login_required
def index(request, tab="bhxh"):
    current = TABS_BY_SLUG.get(tab)
    if current is None:
        raise Http404
    person = person_in_view(request)
    context = {"tabs": TABS, "tab": current, "person": person}
    if person is not None:
        context["history_html"] = _history_html(person, current)
    return render(request, "participation/index.html", context)


# Bumped when _history.html changes, so a deploy does not serve fragments of the old template.
HISTORY_FRAGMENT_VERSION = 1
HISTORY_FRAGMENT_SECONDS = 24 * 60 * 60


def _history_html(person, tab) -> str:
    """Totals, chart and periods of one tab, rendered once per content: the cache key is a digest
    of the data shown (selectors.periods_fingerprint), so a changed period is a new key and the
    old entry simply expires. Rendering 40 years of monthly periods costs far more than the
    digest query; without a digest (SQLite) the fragment is rendered every time."""
    fingerprint = periods_fingerprint(person=person, kinds=tab.kinds)
    key = (f"participation:history:v{HISTORY_FRAGMENT_VERSION}:{translation.get_language()}:{person.pk}:{tab.slug}:"
           f"{fingerprint}") if fingerprint else None
    html = cache.get(key) if key else None
    if html is None:
        periods = list(periods_for(person=person, kinds=tab.kinds))
        yearly = yearly_average_base(periods)
        html = render_to_string("participation/_history.html", {
            "tab": tab, "periods": periods, "totals": totals_of(periods), "yearly": yearly,
            "chart": bar_chart([(str(point.year), point.average_base) for point in yearly]),
        })
        if key:
            cache.set(key, html, HISTORY_FRAGMENT_SECONDS)
    return mark_safe(html)  # rendered by the template engine above, escaping included


class _Echo:
    def write(self, value):
        return value


@login_required
def export_csv(request):
    """Every period of the person in view, as CSV (UTF-8 with BOM so spreadsheet programs read the accents)."""
    person = person_in_view(request)
    if person is None:
        raise Http404
    writer = csv.writer(_Echo())
    header = ["Loại", "Từ tháng", "Đến tháng", "Số tháng", "Người đóng / đơn vị", "Mã đơn vị", "Chức vụ",
              "Mức đóng (đồng)", "Tỷ lệ (%)", "Số tiền (đồng)", "Số tháng nợ", "Tỉnh", "Cơ quan BHXH", "Nơi KCB ban đầu"]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for p in periods_for(person=person).iterator(chunk_size=500):
            yield writer.writerow([
                p.get_kind_display(), f"{p.from_month:%m/%Y}", f"{p.to_month:%m/%Y}", p.months, p.payer_label,
                p.employer.code if p.employer_id else "", p.job_title, p.base, p.rate, p.amount, p.unpaid_months,
                p.province.name, str(p.agency), p.facility.display_code if p.facility_id else "",
            ])

    filename = f"qua-trinh-tham-gia-{person.bhxh_code}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
