"""Changes of a person's contact details, once an agency has approved them: the mobile phone that
receives login and password codes, the contact address in the registry, and the e-mail address of
their login, where notices and declarations are sent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from ..models import Person, User


@transaction.atomic
def person_change_contact(*, person: Person, phone=None, province=None, ward=None, street: str | None = None,
                          email: str | None = None) -> Person:
    """Write the approved new details (only those given, None leaving one as it is): the phone and
    the address (province, ward and street together) to the registry, the e-mail to the person's
    login. Saved through the models, so the cached user and the stored pages are dropped. The person's
    row, then the login's, locked FOR NO KEY UPDATE: none of their keys change (vssid_portal/locks.py)."""
    person = Person.objects.select_for_update(no_key=True).get(pk=person.pk)
    fields = []
    if phone is not None:
        person.phone = phone
        fields.append("phone")
    if province is not None:
        if ward is None or ward.province_id != province.pk:
            raise ValidationError(gettext("Phường/xã không thuộc tỉnh/thành phố đã chọn."))
        person.province, person.ward, person.street = province, ward, street or ""
        fields += ["province", "ward", "street"]
    if fields:
        try:
            # Only what is written: a detail the registry took under older rules is not this change's to refuse.
            person.clean_fields(exclude=[field.name for field in Person._meta.fields if field.name not in fields])
        except ValidationError as error:
            raise ValidationError(gettext("Không cập nhật được hồ sơ BHXH của %(code)s: %(reasons)s")
                                  % {"code": person.bhxh_code, "reasons": " ".join(error.messages)}) from error
        person.save(update_fields=[*fields, "updated_at"])
    if email is not None:
        for user in User.objects.select_for_update(no_key=True).filter(person=person):
            user.email = email
            user.save(update_fields=["email"])  # post_save drops the cached user (signals.py)
    return person
