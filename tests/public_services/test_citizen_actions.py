"""What a citizen may do with a filing is said once, by the filing: withdraw it while the agency
has not received it or once it returned it, correct it once the agency returned it. The status page, the confirmation
pages and the services all ask it. A form posted again finds the filing it made, and only its own."""

import pytest
from django.core.exceptions import ValidationError

from public_services.models import Filing
from public_services.selectors import filing_submitted_with
from vssid_portal.form_keys import new_idempotency_key

from .helpers import owner, stranger, submit  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", Filing.Status.values)
def test_only_a_filing_not_yet_received_or_returned_is_withdrawn_and_only_a_returned_one_corrected(status):
    filing = Filing(status=status)
    assert filing.can_withdraw == (status in {Filing.Status.SUBMITTED, Filing.Status.RETURNED})
    assert filing.can_edit == (status == Filing.Status.RETURNED)


def test_a_form_posted_again_finds_its_filing_and_another_accounts_key_is_refused(owner, stranger):
    filing = submit(owner)
    assert filing_submitted_with(idempotency_key=filing.idempotency_key, user=owner) == filing
    assert filing_submitted_with(idempotency_key=new_idempotency_key(), user=owner) is None
    with pytest.raises(ValidationError):
        filing_submitted_with(idempotency_key=filing.idempotency_key, user=stranger)


def test_the_review_page_sends_a_form_posted_again_to_its_filing_not_anothers(client, owner, stranger):
    filing = submit(owner)
    client.force_login(stranger)
    response = client.post("/dich-vu-cong/cap-lai-so-bhxh/xem-lai/", {"idempotency_key": filing.idempotency_key})
    assert response.status_code == 302 and response["Location"] != f"/dich-vu-cong/ho-so/{filing.pk}/"
    client.force_login(owner)
    response = client.post("/dich-vu-cong/cap-lai-so-bhxh/xem-lai/", {"idempotency_key": filing.idempotency_key})
    assert response["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
