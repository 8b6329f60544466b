"""The migration marking confirmed the addresses typed on the filings recorded before 0015, which
were mailed every step without being asked (public_services 0016_typed_email_confirmed_before):
an open filing goes on being told there, a filing without a typed address is left as it was.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing (as test_book_reissue_migration does)."""

import pytest

from public_services.models import Filing
from public_services.selectors import typed_email_confirmed
from tests.db_migrations import back_to_latest, migrate

from .helpers import owner, stranger, submit, withdrawn  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("public_services", "0014_filing_due_date_told")]


def test_addresses_typed_before_are_confirmed(owner, stranger):  # noqa: F811
    typed = submit(owner, "607A", email="nguoi.nop@example.vn")
    withdrawn(typed)  # closed: marked as well, it changes nothing
    untyped = submit(owner, "607A", email="")
    spaced = submit(stranger, "607A", email="mai.tran@example.vn")
    Filing.objects.filter(pk=spaced.pk).update(data={**spaced.data, "email": " Mai.Tran@example.vn "})
    try:
        migrate(BEFORE)
        migrate()
    finally:
        back_to_latest(Filing)
    assert Filing.objects.get(pk=typed.pk).email_confirmed == "nguoi.nop@example.vn"
    assert Filing.objects.get(pk=untyped.pk).email_confirmed == ""
    spaced = Filing.objects.get(pk=spaced.pk)
    assert spaced.email_confirmed == "Mai.Tran@example.vn" and typed_email_confirmed(spaced)
