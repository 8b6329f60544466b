"""The BHXH-code lookup: the one person matching every field typed.
"""

import datetime

from django.db.models import Q
from django.views.decorators.debug import sensitive_variables

from vssid_portal.text import fold

from ..models import Person


@sensitive_variables()  # every local is the identity typed or drawn from it (dates, filters, matches)
def person_for_code_lookup(
    *, full_name: str, birth_date: datetime.date | int, province, id_number: str = "", parent_name: str = ""
) -> Person | None:
    """The one person matching every field exactly (accents and case aside), else None.

    `birth_date` is a date, or a year alone (an int). A person whose registry holds only the
    birth year (kept as 1 January of it) is matched on the year, as registration does; anyone
    else on the full date only, so a year never finds them. Name, birth date and province narrow
    the registry through one index (at most two birth dates to look up in it); the ID number typed
    is compared in the same query, and so, when none is typed, is the parent's name, with the folded
    keys of the mother's and father's names (only people with no ID number on record, whose mother's
    or father's name is the one typed). Nothing cuts the namesakes before those comparisons: old
    records hold the birth year only, so a common name can be shared by dozens born the same year in
    a province; the query answers two rows at most, enough to tell one match from several. A person
    who has an ID number is found by it only: their parents' names are no substitute. No partial
    answer exists: a near miss and a stranger give the same None.
    """
    year = birth_date if isinstance(birth_date, int) else birth_date.year
    first_of_year = datetime.date(year, 1, 1)
    born = Q(birth_date=first_of_year, birth_year_only=True)
    dates = [first_of_year]
    if not isinstance(birth_date, int):
        born |= Q(birth_date=birth_date, birth_year_only=False)
        dates.append(birth_date)
    id_number, parent_key = id_number.strip(), fold(parent_name)
    if id_number:
        identified = Q()
    elif parent_key:
        identified = Q(mother_key=parent_key) | Q(father_key=parent_key)
    else:
        return None
    matches = list(Person.objects.filter(
        born, identified, name_key=fold(full_name), birth_date__in=dates, province=province, id_number=id_number,
    ).order_by().only("bhxh_code", "full_name")[:2])
    return matches[0] if len(matches) == 1 else None
