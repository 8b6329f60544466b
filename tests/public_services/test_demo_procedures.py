"""The demo citizen can try every procedure: the ones about monthly benefits are open to him (his
demo records hold a monthly labour-accident allowance), and to nobody without one."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Person
from public_services.procedures.registry import all_procedures

pytestmark = pytest.mark.usefixtures("reference_data")


def test_every_procedure_is_open_to_the_demo_citizen(db):
    call_command("seed_demo", persons=5, seed=7, stdout=io.StringIO())
    citizen = Person.objects.get(bhxh_code="7901234567")
    assert {procedure.code: procedure.unavailable(citizen) for procedure in all_procedures()
            if procedure.unavailable(citizen)} == {}
    son = Person.objects.get(bhxh_code="7901234581")  # a small child: no monthly benefit, no login
    assert {procedure.code for procedure in all_procedures() if procedure.unavailable(son)} == {
        "CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA", "UY-QUYEN", "DOI-LIEN-HE"}
