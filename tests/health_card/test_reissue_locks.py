"""A card reissue locks the card it replaces, not the rows the card is read with (its beneficiary
group, agency, province, holder): two officers reissuing two people's cards of the same group and
agency at once do not wait for each other."""

import threading

import pytest
from django.db import connection, connections, transaction

from health_card.models import Card
from health_card.services import reissue_card
from tests.accounts.helpers import make_person

from .card_fixtures import facility, issue, signing_keys  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reissues_of_the_same_group_and_agency_do_not_wait_for_each_other(reference_data, facility):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    first = make_person()
    second = make_person("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345")
    issue(first, facility), issue(second, facility)  # both DN cards of agency 07901
    outcome = {}

    def other_officer():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                outcome["card"] = reissue_card(second, "Cấp lại do thẻ hỏng")
        except Exception as error:  # noqa: BLE001 - the test reports what the other officer got
            outcome["card"] = error
        finally:
            connections.close_all()

    with transaction.atomic():
        reissue_card(first, "Cấp lại do mất thẻ")  # not committed yet while the other officer works
        thread = threading.Thread(target=other_officer)
        thread.start()
        thread.join(15)
    assert isinstance(outcome["card"], Card), outcome
    assert Card.objects.filter(status=Card.Status.ACTIVE, version=2).count() == 2
