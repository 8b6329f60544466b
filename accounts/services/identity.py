"""Corrections of a person's identity in the registry, once an agency has approved them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from ..models import Person
from ..validators import IdType


def id_number_taken(id_number: str, *, person: Person) -> bool:
    """Whether the registry already has this ID number for somebody else."""
    return Person.objects.filter(id_number=id_number).exclude(pk=person.pk).exists()


def taken_message():
    return gettext("Số CCCD này đã có trong hồ sơ BHXH của người khác. Hãy kiểm tra lại số CCCD hoặc liên hệ "
                   "cơ quan BHXH.")


@transaction.atomic
def person_correct_identity(*, person: Person, full_name: str = "", birth_date: datetime.date | None = None,
                            sex: int | None = None, id_number: str = "") -> Person:
    """Write the approved new details (only those given) to the registry: the citizen's pages, the
    screen QR of their card and the lookups show them from then on. A full birth date replaces a
    year-only one; a new ID number is a CCCD. The ID number must still agree with the birth date
    and sex (a CCCD encodes both): a change that leaves it disagreeing is refused as a whole.
    A caller that then reissues the person's card locks the cards first, as every card write does
    (card, then person): the 608A's completion, public_services.services.filing_complete. The person is
    locked FOR NO KEY UPDATE, as none of their keys changes: a filing for them committed meanwhile is
    not waited for (vssid_portal/locks.py)."""
    person = Person.objects.select_for_update(no_key=True).get(pk=person.pk)
    if full_name:
        person.full_name = full_name
    if birth_date is not None:
        person.birth_date, person.birth_year_only = birth_date, False
    if sex is not None:
        person.sex = sex
    if id_number:
        if id_number_taken(id_number, person=person):
            raise ValidationError(taken_message())
        person.id_type, person.id_number = IdType.CCCD, id_number
    try:
        person.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(gettext("Không cập nhật được hồ sơ BHXH của %(code)s: %(reasons)s")
                              % {"code": person.bhxh_code, "reasons": " ".join(error.messages)}) from error
    # The columns corrected alone: an UPDATE that names the BHXH code, a key, locks the row FOR UPDATE, even
    # to the same value (the person table's BEFORE UPDATE trigger: vssid_portal/locks.py).
    person.save(update_fields=["full_name", "birth_date", "birth_year_only", "sex", "id_type", "id_number",
                               "updated_at"])
    return person
