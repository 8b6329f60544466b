"""The citizen's participation history: a tab per insurance type, totals, chart, CSV export."""

import csv
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from accounts.pages import render_personal_page
from accounts.selectors import person_in_view, viewing
from vssid_portal.ratelimit import LimitRefusal, counted_or_let_through, minutes_left
from vssid_portal.templatetags.vn_format import vn_number

from ..charts import bar_chart
from ..selectors import TABS, TABS_BY_SLUG, owed_until, periods_for, totals_of, with_owed_until, yearly_average_base

# Five years of monthly changes a page: a 40-year history is eight pages of ~50 KB instead of
# one of 400 KB, which a phone would have to lay out as 480 expandable rows.
PERIODS_PER_PAGE = 60


@login_required
@require_safe
def index(request, tab="bhxh"):
    current = TABS_BY_SLUG.get(tab)
    number = request.GET.get("trang", "1")
    # Only page numbers the page links write (1, 2, ... in ASCII digits, no leading zero) are
    # served, so each page is stored once.
    if current is None or not re.fullmatch(r"[1-9][0-9]{0,5}", number):
        raise Http404
    return _history_page(request, current, number)


def _history_page(request, current, number: str, *, own_path: str | None = None):
    """The history's page `number` of the tab `current`. Shown at another address (a refused export's), its
    page links and the layout's `next` lead to `own_path`, the tab's: not to that address again."""
    def context(person):
        context = {"tabs": TABS, "tab": current, **viewing(request.user, person)}
        if own_path is not None:
            context.update(pages_path=own_path, next_path=own_path)
        if person is not None:
            periods = list(periods_for(person=person, kinds=current.kinds))
            paginator = Paginator(periods, PERIODS_PER_PAGE)
            try:
                page = paginator.page(number)
            except InvalidPage:
                raise Http404 from None
            this_month = timezone.localdate().replace(day=1)
            with_owed_until(page.object_list, until=this_month)
            yearly = yearly_average_base(periods, until=this_month)
            context.update(periods=periods, totals=totals_of(periods, until=this_month), yearly=yearly, page=page,
                           page_range=list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
                           chart=bar_chart([(str(point.year), point.average_base) for point in yearly]))
        return context

    return render_personal_page(request, "participation/index.html", context, queries=("", f"trang={number}"))


class _Echo:
    def write(self, value):
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A text cell a spreadsheet would run as a formula (an employer's name or a job title typed as
    `=HYPERLINK(...)`) is written with a leading apostrophe, which shows it as text."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


@login_required
@require_safe
def export_csv(request):
    """Every period of the person in view, as CSV (UTF-8 with BOM so spreadsheet programs read the accents).
    The file is written in Vietnamese, like the statement, whatever the page's language: its column
    names and type and payer labels stay the same for the spreadsheets that read it. Amounts in đồng
    are whole numbers without separators, which a spreadsheet reads as numbers in any language; a
    rate is written as the pages show it, with a decimal comma ("1,5"), quoted, as vi-VN reads it.
    A period's months owed are those up to this month, as its row on the page says (owed_until), and
    its unpaid months after it are not due yet, in the last column."""
    person = person_in_view(request)
    if person is None:
        raise Http404
    if refusal := _export_refused(request):  # the history's first page saying so, with the wait in Retry-After
        messages.error(request, refusal.message)
        return refusal.answer(_history_page(request, TABS[0], "1", own_path=reverse("participation:index")))
    writer = csv.writer(_Echo())
    header = ["Loại", "Từ tháng", "Đến tháng", "Số tháng", "Người đóng / đơn vị", "Mã đơn vị", "Chức vụ",
              "Mức đóng (đồng)", "Tỷ lệ (%)", "Số tiền (đồng)", "Số tháng nợ", "Tỉnh", "Cơ quan BHXH", "Nơi KCB ban đầu", "Số tháng chưa đến hạn"]
    this_month = timezone.localdate().replace(day=1)

    def row(p) -> str:
        owed, not_due = owed_until(to_month=p.to_month, unpaid_months=p.unpaid_months, until=this_month)
        return writer.writerow([_cell(value) for value in (
            p.get_kind_display(), f"{p.from_month:%m/%Y}", f"{p.to_month:%m/%Y}", p.months, p.payer_label,
            p.employer.code if p.employer_id else "", p.job_title, p.base, vn_number(p.rate), p.amount,
            owed, p.province.name, str(p.agency), p.facility.display_code if p.facility_id else "", not_due,
        )])

    def rows():
        with translation.override(settings.LANGUAGE_CODE):  # the rows are written while the response streams
            yield "\ufeff" + writer.writerow(header)
            for p in periods_for(person=person).iterator(chunk_size=500):
                yield row(p)

    filename = f"qua-trinh-tham-gia-{person.bhxh_code}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def exports_limited(wait: float) -> str:
    """The refusal past PARTICIPATION_EXPORTS_PER_LOGIN, with the minutes left of its hour (`wait` seconds),
    as Retry-After says them."""
    minutes = minutes_left(wait)
    return ngettext("Bạn đã tải quá trình tham gia (tệp CSV) quá nhiều lần trong một giờ. Hãy thử lại sau "
                    "%(minutes)s phút; tệp đã tải về vẫn dùng được.",
                    "Bạn đã tải quá trình tham gia (tệp CSV) quá nhiều lần trong một giờ. Hãy thử lại sau "
                    "%(minutes)s phút; tệp đã tải về vẫn dùng được.", minutes) % {"minutes": minutes}


def _export_refused(request) -> LimitRefusal | None:
    """Counts an export by this login (all the persons it views together) against
    settings.PARTICIPATION_EXPORTS_PER_LOGIN: the refusal, with the seconds left of the limit's window, when
    it is over the limit, or None. The limit only spares the servers' work, the login's own records that
    PostgreSQL holds and nothing a stranger could learn or send: while Redis cannot count it the export is
    let through uncounted (counted_or_let_through), as the printable card is, rather than refused."""
    return counted_or_let_through(request, group="participation.export_csv", key="user",
                                  rate=settings.PARTICIPATION_EXPORTS_PER_LOGIN, too_many=exports_limited)
