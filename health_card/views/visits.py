"""Pages of the medical-visit history (sổ KCB): the visits by year with yearly totals, one visit.

Each page shows the person in view (the user, or a child the user is switched to); a visit of
anybody else is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.selectors import person_in_view, viewing

from ..selectors_visits import visits_by_year, visits_for


@login_required
def visits(request):
    person = person_in_view(request)
    years = visits_by_year(visits_for(person=person))
    return render(request, "health_card/visits.html", {**viewing(request.user, person), "years": years})


@login_required
def visit_detail(request, pk: int):
    person = person_in_view(request)
    if person is None:
        raise Http404
    visit = get_object_or_404(visits_for(person=person), pk=pk)
    return render(request, "health_card/visit_detail.html", {**viewing(request.user, person), "visit": visit})
