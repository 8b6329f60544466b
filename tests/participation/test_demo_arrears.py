"""The demo registry agrees with the public employer lookup: months are owed, at the end of their
current periods, by the employees of an employer listed as in arrears and of no other."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Max

from lookup.models import Employer
from participation.models import Period


@pytest.mark.django_db
def test_months_are_owed_exactly_where_the_employer_is_listed_in_arrears(reference_data):
    call_command("seed_demo", persons=300, seed=7, stdout=io.StringIO())
    current = Period.objects.filter(employer__isnull=False).aggregate(last=Max("to_month"))["last"]
    owing = Period.objects.filter(employer__isnull=False, to_month=current)
    assert owing.filter(employer__in_arrears=True).exists() and owing.filter(employer__in_arrears=False).exists()
    assert not owing.filter(employer__in_arrears=True, unpaid_months=0).exists()
    assert not Period.objects.filter(employer__in_arrears=False, unpaid_months__gt=0).exists()
    assert Employer.objects.filter(in_arrears=True).exists()
