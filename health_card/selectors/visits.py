"""Reads of the medical-visit history: a person's visits a year at a time, and who else may see them.

The citizen's book shows one year at a time and reads a fixed number of queries whatever the
number of visits: the years with their counts and totals, summed by the database, in one query;
the chosen year's visits with their facility in a second. Cost lines are read only by a visit's
own page: a dialysis patient's ten years are 1,500 visits and 7,500 lines, which as one page took
11 s to render into 6.7 MB.

Scope of staff (the admin):
- clinic staff (a login attached to one KCB facility) see and enter the visits of their own
  facility, nothing else;
- a BHXH officer sees the visits of the people their agency (or an agency below it) manages
  (`Person.agency`), wherever they were treated — the agency that answers the person's questions;
- an officer of a top-level (province) agency also sees every visit at a facility of their
  province, since the provincial BHXH assesses and pays those facilities' BHYT claims;
- superusers see all; any other login none.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from lookup.models import Agency
from lookup.selectors import agency_subtree_ids

from ..models import Visit


def visits_for(*, person):
    """A person's visits with facility and cost lines, newest admission first: for one visit's page."""
    if person is None:
        return Visit.objects.none()
    return (Visit.objects.filter(person=person).select_related("facility")
            .prefetch_related("lines").order_by("-admitted_on", "-pk"))


@dataclass(frozen=True)
class VisitYear:
    """One year (by admission date) that has visits: how many, and their totals."""

    year: int
    count: int
    total_cost: int
    bhyt_paid: int
    patient_paid: int


def visit_years_for(*, person) -> list[VisitYear]:
    """The years in which the person has visits, newest first, counted and summed by the database."""
    if person is None:
        return []
    rows = (Visit.objects.filter(person=person).order_by().values(year=ExtractYear("admitted_on"))
            .annotate(visits=Count("pk"), cost=Sum("total_cost"), bhyt=Sum("bhyt_paid"), patient=Sum("patient_paid"))
            .order_by("-year"))
    # int(): PostgreSQL's EXTRACT and its sum of bigint are numeric, which psycopg reads as Decimal.
    return [VisitYear(*(int(row[name]) for name in ("year", "visits", "cost", "bhyt", "patient"))) for row in rows]


def visits_in_year(*, person, year: int):
    """A person's visits admitted in `year`, with their facility (not their cost lines), newest first."""
    return (Visit.objects.filter(person=person, admitted_on__year=year).select_related("facility")
            .order_by("-admitted_on", "-pk"))


def own_facility_only(user) -> bool:
    """A clinic's own account (a facility, no agency): it records visits at that facility only."""
    return user is not None and not user.is_superuser and user.facility_id is not None and user.agency_id is None


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
