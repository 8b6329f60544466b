"""Builders shared by the benefits tests: people with logins, records, officers with the benefit
permissions, and the admin's form read back as POST data."""

import contextlib
import datetime
from html.parser import HTMLParser

from django.db import connection

from accounts.models import Guardianship, User
from benefits.models import BenefitRecord
from lookup.models import Agency
from tests.accounts.helpers import born_years_ago, cccd_for, make_person, officer

DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"


def citizen(code="7901234567", name="Nguyễn Văn Đức", **person):
    person = make_person(code, name, **person)
    return User.objects.create_user(code, password="x-Pass-2026!", person=person)


def child_of(parent, code="7905555555", name="Nguyễn Gia Bảo"):
    born = born_years_ago(16)
    child = make_person(code, name, birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    return child


def childs_dates(child) -> dict:
    """record()'s received and promised days in the year the child turns 15: a child's claim is never
    dated before the birth, whenever the tests run."""
    year = child.birth_date.year + 15
    return {"received_on": datetime.date(year, 9, 1), "expected_on": datetime.date(year, 9, 15)}


def benefits_officer(username, agency_code, group):
    """An officer in the real role group (accounts.roles): the benefit permissions come from there."""
    user = officer(username, agency_code, group)
    assert user.has_perm("benefits.change_benefitrecord") and not user.has_perm("benefits.delete_benefitrecord")
    return user


SEQUENCE = iter(range(1, 10**6))


def record(person, kind=BenefitRecord.Kind.SICKNESS, agency="07901", save=True, **fields):
    """A valid record of each kind, stored directly (no notice) unless save=False."""
    details = {
        BenefitRecord.Kind.SICKNESS: {"days_off": 5},
        BenefitRecord.Kind.MATERNITY: {"child_birth_date": datetime.date(2025, 3, 1), "days_off": 180},
        BenefitRecord.Kind.ACCIDENT: {"impairment_percent": 21},
    }.get(kind, {})
    values = {"reference": f"T-{next(SEQUENCE):06d}", "received_on": datetime.date(2025, 9, 1),
              "expected_on": datetime.date(2025, 9, 15), **details, **fields}
    obj = BenefitRecord(person=person, kind=kind, agency=Agency.objects.get(code=agency), **values)
    if save:
        obj.full_clean()
        obj.save()
    return obj


def decided(**fields):
    """Fields of an approved record (decision, amount, payment)."""
    return {"status": "approved", "decision_number": "123/QĐ-BHXH", "decision_date": datetime.date(2025, 9, 10),
            "amount": 11_531_338, "payment_method": "bank", **fields}


@contextlib.contextmanager
def stored_before(constraint_name: str):
    """Rows written inside are not held to the record's check constraint `constraint_name`, as a row
    stored before the constraint was added for the rows written from then on (NOT VALID): SQLite
    ignores check constraints meanwhile; PostgreSQL drops it and adds it back NOT VALID, in the test's
    transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
            return
        constraint = next(each for each in BenefitRecord._meta.constraints if each.name == constraint_name)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE with foreign key checks pending
        with connection.schema_editor(atomic=False) as editor:
            editor.remove_constraint(BenefitRecord, constraint)
        yield
        with connection.schema_editor(atomic=False) as editor:
            editor.execute(f"{constraint.create_sql(BenefitRecord, editor)} NOT VALID", params=None)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def admin_form(client, url, form_id="benefitrecord_form"):
    """The admin form at `url` as the browser would post it unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return shown_form(response, form_id)


def shown_form(response, form_id="benefitrecord_form"):
    """The admin form of a page already answered (a form shown again with its errors) as the
    browser would post it unchanged."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    if reader.data.get("reject_reason", "").startswith("\n"):
        reader.data["reject_reason"] = reader.data["reject_reason"][1:]
    return reader.data
