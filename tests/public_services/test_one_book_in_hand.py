"""607A and 608A both reissue the BHXH book: while a filing of one is in hand for a person, the
other is refused too, or the agency would issue two books. The procedure's page says which
filing is in hand before the form is filled, the service refuses it, and a constraint holds it
when both are sent at the same moment."""


import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from public_services.models import Filing
from public_services.services import filing_receive

from .helpers import (  # noqa: F401
    citizen,
    district_officer,
    owner,
    stranger,
    submit,
    submitted_at_once,
    two_parents_and_their_child,
    withdrawn,
)

pytestmark = pytest.mark.django_db

PAGES = {"607A": "/dich-vu-cong/cap-lai-so-bhxh/", "608A": "/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/"}


@pytest.mark.parametrize("first, then", [("607A", "608A"), ("608A", "607A")])
def test_the_other_book_procedure_names_the_filing_in_hand(client, owner, first, then):
    filing = submit(owner, first)
    with pytest.raises(ValidationError) as refused:
        submit(owner, then)
    said = refused.value.messages[0]
    assert f"Bạn đã có hồ sơ {filing.tracking_number} của thủ tục {first}" in said
    assert "hãy rút hồ sơ đó rồi nộp hồ sơ này" in said
    assert Filing.objects.count() == 1

    client.force_login(owner)
    response = client.get(PAGES[then])
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Bạn đã có hồ sơ {filing.tracking_number} của thủ tục {first}" in html
    assert f'href="/dich-vu-cong/ho-so/{filing.pk}/"' in html
    assert 'name="idempotency_key"' not in html


def test_a_received_filing_is_waited_for(owner, district_officer):
    filing = submit(owner, "608A")
    filing_receive(filing=filing, officer=district_officer)
    with pytest.raises(ValidationError) as refused:
        submit(owner, "607A")
    assert "khi hồ sơ đó đã có kết quả" in refused.value.messages[0]


def test_a_withdrawn_filing_frees_the_other_and_other_people_are_not_held(owner, stranger):
    withdrawn(submit(owner, "607A"))
    submit(owner, "608A")
    submit(stranger, "607A")
    assert Filing.objects.count() == 3


def test_the_database_refuses_a_second_open_book_filing(owner):
    second = submit(owner, "607A")
    second.pk, second.tracking_number, second.idempotency_key, second.procedure_code = None, "X" * 12, "y" * 24, "608A"
    with pytest.raises(IntegrityError):
        second.save()


@pytest.mark.django_db(transaction=True)
def test_a_607a_and_a_608a_sent_at_the_same_moment_make_one_filing(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    mother, father, child = two_parents_and_their_child()
    first, outcome = submitted_at_once(lambda: submit(mother, "607A", person=child),
                                       lambda: submit(father, "608A", person=child, changes=["full_name"],
                                                      new_birth_date=""))
    assert "filing" not in outcome, "a 608A was filed while a 607A was being committed"
    assert first.tracking_number in outcome["refused"]
    assert Filing.objects.count() == 1
