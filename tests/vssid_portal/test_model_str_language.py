"""Django's admin stores str(object) in its change log (LogEntry.object_repr, shown in every officer's
history): a model whose __str__ reads a choice's label (get_*_display) writes it in Vietnamese, the
portal's language, whatever the language of the officer who saved it (as Card.__str__ does,
tests/health_card/test_card_language.py)."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from accounts.models import Person
from benefits.models import BenefitRecord, Kind, SalaryAdjustment
from notifications.models import Message

OBJECTS = {
    "a benefit record": lambda: BenefitRecord(reference="HS-0001", kind=Kind.MATERNITY,
                                              received_on=datetime.date(2026, 1, 5),
                                              person=Person(bhxh_code="7901234567")),
    "a salary adjustment": lambda: SalaryAdjustment(scheme=SalaryAdjustment.Scheme.VOLUNTARY, year=2020,
                                                    coefficient=Decimal("1.12")),
    "a portal notice": lambda: Message(channel=Message.Channel.INBOX, subject="Hồ sơ đã được tiếp nhận"),
}
CHOICES = {"a benefit record": "kind", "a salary adjustment": "scheme", "a portal notice": "channel"}


@pytest.mark.parametrize("name", list(OBJECTS))
def test_what_the_admin_log_keeps_of_it_is_in_the_portals_language(name):
    obj = OBJECTS[name]()
    label = getattr(obj, f"get_{CHOICES[name]}_display")
    with translation.override(settings.LANGUAGE_CODE):
        in_vietnamese, label_in_vietnamese = str(obj), str(label())
    with translation.override("en"):
        assert str(label()) != label_in_vietnamese, "the control: the label has an English translation"
        assert label_in_vietnamese in in_vietnamese
        assert str(obj) == in_vietnamese
