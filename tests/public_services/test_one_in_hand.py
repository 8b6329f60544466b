"""A person has at most one filing of a procedure in hand: a second 607A while the first is being
handled would reissue the book twice. The form says which filing is in hand and links to it; the
submission is refused by the service too (another tab, a form kept open), and by a constraint, so
two forms sent at the same moment make one filing. A finished, refused or withdrawn filing frees the
procedure; other procedures and other people are not affected."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from public_services.models import Filing
from public_services.services import filing_complete, filing_receive, filing_reject, filing_return, filing_start

from .helpers import (  # noqa: F401
    answers,
    citizen,
    district_officer,
    owner,
    review_post,
    stranger,
    submit,
    submitted_at_once,
    two_parents_and_their_child,
    withdrawn,
)

pytestmark = pytest.mark.django_db

BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"


def key_of(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def test_the_form_names_the_filing_in_hand_instead_of_asking_again(client, owner):
    filing = submit(owner)
    client.force_login(owner)
    response = client.get(BOOK)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Bạn đã có hồ sơ {filing.tracking_number} của thủ tục này" in html
    assert "nếu cần khai lại, hãy rút hồ sơ đó rồi nộp hồ sơ mới" in html  # submitted: it may be withdrawn
    assert f'href="/dich-vu-cong/ho-so/{filing.pk}/"' in html
    assert 'name="idempotency_key"' not in html  # no form to fill in vain
    assert client.get(f"{BOOK}xem-lai/")["Location"] == BOOK


def test_a_form_kept_open_in_another_tab_is_refused_at_submission(client, owner):
    client.force_login(owner)
    first_tab = key_of(client.get(BOOK))
    client.post(BOOK, {**answers("607A"), "idempotency_key": first_tab})
    first = client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, first_tab))
    filing = Filing.objects.get()
    assert first["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"

    # The other tab was rendered before and still posts its own key.
    second_tab = "k" * 24
    response = client.post(BOOK, {**answers("607A"), "idempotency_key": second_tab})
    assert response.status_code == 409 and filing.tracking_number in response.content.decode()
    assert Filing.objects.count() == 1


def test_the_service_refuses_while_the_filing_is_in_any_open_status(owner, district_officer):
    """Each refusal says what can be done with the filing in hand in its status: withdraw it only
    while not received, correct it when returned, else wait for the result."""
    filing = submit(owner)
    for step, advice in (
        (lambda: None, "hãy rút hồ sơ đó rồi nộp hồ sơ mới"),
        (lambda: filing_receive(filing=filing, officer=district_officer), "khi hồ sơ đó đã có kết quả"),
        (lambda: filing_return(filing=filing, officer=district_officer, what="Chụp lại ảnh CCCD"),
         "hãy sửa và nộp lại chính hồ sơ đó"),
    ):
        step()
        with pytest.raises(ValidationError) as refused:
            submit(owner)
        assert filing.tracking_number in refused.value.messages[0] and advice in refused.value.messages[0]
    assert Filing.objects.count() == 1


@pytest.mark.parametrize("finish", ["withdraw", "reject", "complete"])
def test_a_finished_filing_frees_the_procedure(owner, district_officer, finish):
    filing = submit(owner)
    if finish == "withdraw":
        withdrawn(filing)
    else:
        filing_receive(filing=filing, officer=district_officer)
        if finish == "reject":
            filing_reject(filing=filing, officer=district_officer, reason="Không thuộc diện cấp lại")
        else:
            filing_start(filing=filing, officer=district_officer)
            filing_complete(filing=filing, officer=district_officer)
    assert submit(owner).pk != filing.pk
    assert Filing.objects.count() == 2


def test_other_procedures_and_other_people_are_not_held(owner, stranger):
    submit(owner)
    submit(owner, "DOI-LIEN-HE")  # not 608A: it reissues the same book (test_one_book_in_hand)
    submit(stranger)
    assert Filing.objects.count() == 3


def test_the_same_form_posted_again_still_returns_its_filing(owner):
    """Retrying a submission is not a second filing: the idempotency key wins over the rule."""
    from public_services.procedures import registry
    from public_services.services import filing_submit
    from tests.public_services.helpers import stored_upload

    procedure = registry.get("607A")
    uploads = {name: stored_upload(name) for name in procedure.upload_fields
               if procedure.form_class.base_fields[name].required}
    sent = dict(procedure=procedure, person=owner.person, user=owner, data=answers("607A"),
                idempotency_key="r" * 24)
    first = filing_submit(**sent, uploads=uploads)
    assert filing_submit(**sent, uploads={}).pk == first.pk


@pytest.mark.django_db(transaction=True)
def test_two_forms_sent_at_the_same_moment_make_one_filing(reference_data):
    """Two parents file the same procedure for their child at once: the second submission sees nothing
    committed yet, so its insert waits on the first's row in the constraint's index
    (filing_one_open_per_procedure) and is refused once the first commits, naming it. Without the
    constraint both would be filed."""
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    mother, father, child = two_parents_and_their_child()
    first, outcome = submitted_at_once(lambda: submit(mother, person=child), lambda: submit(father, person=child))
    assert "filing" not in outcome, "a second filing was made while the first was being committed"
    assert first.tracking_number in outcome["refused"]
    assert Filing.objects.count() == 1
