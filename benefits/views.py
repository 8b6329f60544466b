"""The citizen's benefit pages: the records grouped by type, one record, the one-time estimate.

Each page shows the person in view (the user, or a child the user is switched to); a record of
anybody else is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.selectors import person_in_view, viewing
from participation.selectors import format_months

from .estimator import MONTHS_PER_YEAR_BEFORE, MONTHS_PER_YEAR_FROM, PENSION_YEARS, PENSION_YEARS_OLD_LAW
from .selectors import benefit_timeline, benefits_for, group_by_kind, one_time_estimate_for


@login_required
@require_safe
def index(request):
    person = person_in_view(request)
    groups = group_by_kind(benefits_for(person=person))
    return render(request, "benefits/index.html", {**viewing(request.user, person), "groups": groups})


@login_required
@require_safe
def detail(request, pk: int):
    person = person_in_view(request)
    if person is None:
        raise Http404
    record = benefits_for(person=person).filter(pk=pk).first()
    if record is None:  # anybody else's, or removed since a notice linked to it: the same 404 for both
        return render(request, "benefits/record_missing.html", viewing(request.user, person), status=404)
    context = {**viewing(request.user, person), "record": record, "timeline": benefit_timeline(record)}
    return render(request, "benefits/detail.html", context)


@login_required
@require_safe
def estimate(request):
    person = person_in_view(request)
    estimate = one_time_estimate_for(person=person)
    result = estimate.result
    context = {
        **viewing(request.user, person),
        "periods": estimate.periods,
        "settlement": estimate.settlement,
        "result": result,
        "total": format_months(result.months_total),
        "months_before": format_months(result.months_before),
        "months_from": format_months(result.months_from),
        "months_from_counted": format_months(result.months_from_counted),
        "months_per_year_before": MONTHS_PER_YEAR_BEFORE,
        "months_per_year_from": MONTHS_PER_YEAR_FROM,
        "pension_years": PENSION_YEARS,
        "pension_years_old_law": PENSION_YEARS_OLD_LAW,
        "pension_needed": format_months(result.pension_months_needed),
        "pension_needed_old_law": format_months(result.pension_months_needed_old_law),
    }
    return render(request, "benefits/estimate.html", context)
