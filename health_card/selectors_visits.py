"""Reads of the medical-visit history: a person's visits grouped by year, and who else may see them.

The citizen's pages read a fixed number of queries whatever the number of visits: the visits
with their facility in one query, every cost line in a second; grouping and totals are summed
in Python.

Scope of staff (the admin):
- clinic staff (a login attached to one KCB facility) see and enter the visits of their own
  facility, nothing else;
- a BHXH officer sees the visits of the people their agency (or an agency below it) manages
  (`Person.agency`), wherever they were treated — the agency that answers the person's questions;
- an officer of a top-level (province) agency also sees every visit at a facility of their
  province, since the provincial BHXH assesses and pays those facilities' BHYT claims;
- superusers see all; any other login none.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from lookup.models import Agency
from lookup.selectors import agency_subtree_ids

from .models import Visit


def visits_for(*, person):
    """A person's visits with facility and cost lines, newest admission first."""
    if person is None:
        return Visit.objects.none()
    return (Visit.objects.filter(person=person).select_related("facility")
            .prefetch_related("lines").order_by("-admitted_on", "-pk"))


@dataclass
class VisitYear:
    """The visits of one year (by admission date) and their totals."""

    year: int
    visits: list = field(default_factory=list)
    total_cost: int = 0
    bhyt_paid: int = 0
    patient_paid: int = 0

    @property
    def count(self) -> int:
        return len(self.visits)


def visits_by_year(visits) -> list[VisitYear]:
    """Visits grouped by the year they began, newest year first, keeping the visits' order."""
    years: dict[int, VisitYear] = {}
    for visit in visits:
        group = years.setdefault(visit.admitted_on.year, VisitYear(visit.admitted_on.year))
        group.visits.append(visit)
        group.total_cost += visit.total_cost
        group.bhyt_paid += visit.bhyt_paid
        group.patient_paid += visit.patient_paid
    return sorted(years.values(), key=lambda group: group.year, reverse=True)


def visit_scope(user) -> Q | None:
    """The visits a staff user may see and write, as a filter; None means every visit."""
    if user.is_superuser:
        return None
    if not user.is_active or not user.is_staff:
        return Q(pk__in=[])
    scope = Q(pk__in=[])
    if user.facility_id is not None:
        scope |= Q(facility_id=user.facility_id)
    if user.agency_id is not None:
        agency = Agency.objects.only("pk", "parent_id", "province_id").get(pk=user.agency_id)
        scope |= Q(person__agency_id__in=agency_subtree_ids(agency))
        if agency.parent_id is None:
            scope |= Q(facility__province_id=agency.province_id)
    return scope


def visits_visible_to(user):
    """Visits a staff user may see in the admin (see the module docstring for the rule)."""
    visits = Visit.objects.select_related("person", "facility")
    scope = visit_scope(user)
    return visits if scope is None else visits.filter(scope)


def visit_in_scope(user, visit: Visit) -> bool:
    """Whether a visit with these values (saved or not) falls in the user's scope."""
    if user.is_superuser:
        return True
    if not user.is_active or not user.is_staff:
        return False
    if user.facility_id is not None and visit.facility_id == user.facility_id:
        return True
    if user.agency_id is None:
        return False
    agency = Agency.objects.only("pk", "parent_id", "province_id").get(pk=user.agency_id)
    person_agency = visit.person.agency_id if visit.person_id else None
    if person_agency is not None and person_agency in agency_subtree_ids(agency):
        return True
    return (agency.parent_id is None and visit.facility_id is not None
            and visit.facility.province_id == agency.province_id)
