from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from vssid_portal.paging import paginate

from . import selectors
from .forms import CollectionPointLookupForm, FacilityLookupForm, LookupForm


@require_safe
def index(request):
    return render(request, "lookup/index.html")


# --- Public lookups (menu "Tra cứu"): GET forms, paginated, no login -------------------------

PER_PAGE = 20
UNCONTRACTED_SHOWN = 5


def _results_page(request, form, queryset, *, template: str, heading: str, extra: dict | None = None):
    params = request.GET.copy()
    params.pop("trang", None)
    context = {
        "form": form, "heading": heading, "searched": bool(request.GET), "query_string": params.urlencode(),
        "left_out": selectors.search_terms(form.filters()["query"]).left_out,
        **paginate(queryset, request.GET.get("trang"), per_page=PER_PAGE), **(extra or {}),
    }
    return render(request, template, context)


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


@require_safe
def collection_points(request):
    form = CollectionPointLookupForm(request.GET or None, query_label=_("Tên hoặc địa chỉ điểm thu"),
                                     query_hint=_("Ví dụ: buu cuc sai gon. Không cần gõ dấu."))
    return _results_page(request, form, selectors.collection_points_lookup(**form.filters()),
                         template="lookup/collection_points.html", heading=_("Điểm thu BHXH, BHYT"))
