from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from vssid_portal.paging import paginate
from vssid_portal.ratelimit import client_ip, counted_or_let_through, refusal_on_form

from . import selectors
from .forms import CollectionPointLookupForm, FacilityLookupForm, LookupForm


@require_safe
def index(request):
    return render(request, "lookup/index.html")


# --- Public lookups (menu "Tra cứu"): GET forms, paginated, no login -------------------------

PER_PAGE = 20
UNCONTRACTED_SHOWN = 5
LOOKUP_GROUP = "lookup.public_search"
RATE_LIMITED = _("Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau 1 phút.")


def _search_refused(request):
    """Counts a search or a page of results (any query string) of the four lookups together against
    the client's settings.PUBLIC_LOOKUP_RATE (an IPv4 address or an IPv6 /64): each one is a search
    of whole tables, which a script could otherwise ask for without end. The empty page is not
    counted. The refusal (429 with Retry-After) or None. Public information: while Redis is down the
    searches are let through uncounted rather than the directory taken down."""
    if not request.GET:
        return None
    return counted_or_let_through(request, group=LOOKUP_GROUP, key=client_ip, rate=settings.PUBLIC_LOOKUP_RATE,
                                  too_many=RATE_LIMITED)


def _results_page(request, form, queryset, *, template: str, heading: str, extra: dict | None = None,
                  refreshed: bool = False):
    """`refreshed`: the form is only shown again, a list in it made for the select it hangs on (its
    "update the list" button, or static/js/refresh-list.js asking for it): nothing is searched. An
    empty result advises what was searched with: other or shorter words for words typed (`queried`),
    less of the lists' choices besides them (`filtered`), another province, level or ward chosen
    without words (the page's block no_query_advice)."""
    filters = form.filters()
    params = request.GET.copy()
    params.pop("trang", None)
    refusal = _search_refused(request)
    if refreshed:
        queryset = queryset.none()
    # Refused, nothing is searched, the suggestions neither: the refusal in the error summary, and no
    # count or "no result" advice (`refused`) that would have the citizen change a query that may be right.
    if refusal is not None:
        form.is_valid()
        refusal_on_form(form, refusal.message)
        queryset = queryset.none()
        extra = {key: [] if callable(value) else value for key, value in (extra or {}).items()}
    context = {
        "form": form, "heading": heading, "searched": bool(request.GET), "refused": refusal is not None,
        "refreshed": refreshed,
        "query_string": params.urlencode(),
        "left_out": selectors.search_terms(filters["query"]).left_out,
        "queried": bool(filters["query"]), "query": filters["query"],
        "filtered": any(value for name, value in filters.items() if name != "query"),
        **paginate(queryset, request.GET.get("trang"), per_page=PER_PAGE), **(extra or {}),
    }
    response = render(request, template, context)
    return refusal.answer(response) if refusal is not None else response


@require_safe
def agencies(request):
    form = LookupForm(request.GET or None, query_label=_("Tên, mã hoặc địa chỉ cơ quan BHXH"),
                      query_hint=_("Ví dụ: Phú Nhuận hoặc 07909. Không cần gõ dấu."))
    return _results_page(request, form, selectors.agencies_lookup(**form.filters()),
                         template="lookup/agencies.html", heading=_("Cơ quan BHXH"))


@require_safe
def facilities(request, *, sick_leave_only: bool = False):
    form = FacilityLookupForm(request.GET or None, query_label=_("Tên, mã hoặc địa chỉ cơ sở KCB"),
                              query_hint=_("Ví dụ: benh vien cho ray hoặc 79001. Không cần gõ dấu."))
    heading = _("Cơ sở KCB được cấp giấy nghỉ việc hưởng BHXH") if sick_leave_only else _("Cơ sở khám chữa bệnh BHYT")
    filters = {**form.filters(), "sick_leave_only": sick_leave_only}
    found = selectors.facilities_lookup(**filters)
    # A name searched for and not found may be a facility without a BHYT contract: say so, rather
    # than let the citizen think they misspelt it (one query more, on an empty result only).
    uncontracted = (lambda: list(selectors.facilities_lookup(**filters, bhyt_contract=False)[:UNCONTRACTED_SHOWN])
                    if filters.get("query") else [])
    # On the sick-leave list, likewise a contracted facility that gives no sick-leave certificates.
    no_sick_leave = (lambda: list(selectors.facilities_lookup(**{**filters, "sick_leave_only": False})
                                  .filter(issues_sick_leave=False)[:UNCONTRACTED_SHOWN])
                     if sick_leave_only and filters.get("query") else [])
    return _results_page(request, form, found, template="lookup/facilities.html", heading=heading,
                         extra={"sick_leave_only": sick_leave_only, "uncontracted": uncontracted,
                                "no_sick_leave": no_sick_leave})


@require_safe
def sick_leave_facilities(request):
    return facilities(request, sick_leave_only=True)


@require_safe
def employers(request):
    form = LookupForm(request.GET or None, query_label=_("Tên đơn vị, mã đơn vị hoặc mã số thuế"),
                      query_hint=_("Ví dụ: det may nam viet, TB9489T hoặc 0375187179."))
    return _results_page(request, form, selectors.employers_lookup(**form.filters()),
                         template="lookup/employers.html", heading=_("Đơn vị tham gia BHXH"))


# The collection points' "update the ward list" button: the page again with the wards of the province
# chosen, nothing searched.
REFRESH_WARDS = "cap-nhat"


@require_safe
def collection_points(request):
    form = CollectionPointLookupForm(request.GET or None, query_label=_("Tên hoặc địa chỉ điểm thu"),
                                     query_hint=_("Ví dụ: buu cuc sai gon. Không cần gõ dấu."))
    return _results_page(request, form, selectors.collection_points_lookup(**form.filters()),
                         template="lookup/collection_points.html", heading=_("Điểm thu BHXH, BHYT"),
                         refreshed=REFRESH_WARDS in request.GET, extra={"refresh_param": REFRESH_WARDS})
