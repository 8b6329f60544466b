"""Pages of the medical-visit history (sổ KCB): the book a year at a time with every year's totals,
one visit with its cost lines.

Each page shows the person in view (the user, or a child the user is switched to); a visit of
anybody else is a 404. The book is not a stored page (vssid_portal.pagecache): no write to a
visit moves the person's content version.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.selectors import person_in_view, viewing

from ..selectors import visit_years_for, visits_for, visits_in_year


@login_required
@require_safe
def visits(request):
    """The latest year with visits, or the one `?nam=` names. As the participation pages do with
    their page numbers, only a year the links write (four ASCII digits) that has visits is served;
    anything else is a 404."""
    person = person_in_view(request)
    asked = request.GET.get("nam")
    if asked is not None and not re.fullmatch(r"[1-9][0-9]{3}", asked):
        raise Http404
    years = visit_years_for(person=person)
    context = {**viewing(request.user, person), "years": years}
    if asked is not None or years:
        year = next((year for year in years if asked is None or year.year == int(asked)), None)
        if year is None:
            raise Http404
        context.update(year=year, visits=visits_in_year(person=person, year=year.year))
    return render(request, "health_card/visits.html", context)


@login_required
@require_safe
def visit_detail(request, pk: int):
    person = person_in_view(request)
    if person is None:
        raise Http404
    visit = visits_for(person=person).filter(pk=pk).first()
    if visit is None:  # anybody else's, or removed since a notice linked to it: the same 404 for both
        return render(request, "health_card/visit_missing.html", viewing(request.user, person), status=404)
    return render(request, "health_card/visit_detail.html", {**viewing(request.user, person), "visit": visit})
