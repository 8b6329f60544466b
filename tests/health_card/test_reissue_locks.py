"""A card reissue locks the card it replaces, not the rows the card is read with (its beneficiary
group, agency, province, holder): two officers reissuing two people's cards of the same group and
agency at once do not wait for each other."""

import threading

import pytest
from django.db import connection, connections, transaction

from health_card.models import Card
from health_card.services import CardReplacedMeanwhile, reissue_card
from tests.accounts.helpers import make_person
from tests.db_locks import wait_until_blocked

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


def test_a_reissue_that_waited_for_another_is_told_the_card_was_replaced(reference_data, facility):  # noqa: F811
    """An officer reissuing a card another officer (or a filing's completion) is reissuing at that
    moment waits, then is told which card replaced it, not that the person has no card in use."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    person = make_person()
    card = issue(person, facility)
    outcome, pid = {}, []

    def other_officer():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            outcome["card"] = reissue_card(person, "Cấp lại do thẻ hỏng", replacing=card)
        except Exception as error:  # noqa: BLE001 - the test reports what the other officer got
            outcome["card"] = error
        finally:
            connections.close_all()

    with transaction.atomic():
        new = reissue_card(person, "Cấp lại do mất thẻ", replacing=card)
        thread = threading.Thread(target=other_officer)
        thread.start()
        waited = wait_until_blocked(thread, pid)
    thread.join(15)
    assert waited, "the second reissue did not wait for the first"
    assert isinstance(outcome["card"], CardReplacedMeanwhile), outcome
    assert outcome["card"].card.pk == new.pk
    assert "thẻ đang sử dụng là thẻ lần 2" in outcome["card"].messages[0]
    assert list(Card.objects.filter(person=person).values_list("version", "status").order_by("version")) == [
        (1, Card.Status.REPLACED), (2, Card.Status.ACTIVE)]
