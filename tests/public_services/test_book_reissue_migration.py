"""The migration holding one 607A/608A filing in hand per person (public_services 0013): a person who
already has both in hand keeps the one filed first, and the later one is rejected with a reason
naming it, which the citizen reads on its page; the deploy does not fail on them.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing (as tests/health_card's
test_token_expiry_migration does)."""

import pytest

from public_services.models import Filing
from tests.db_migrations import migrate

from .helpers import logged, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("public_services", "0012_agency_order_index")]


def back_to_latest(extra_pk):
    """Every migration applied again; should the filing added here stop that, without it."""
    try:
        migrate()
    except Exception:
        Filing.objects.filter(pk=extra_pk).delete()
        migrate()
        raise


def test_a_later_book_reissue_in_hand_is_rejected_naming_the_one_kept(owner):
    first = submit(owner, "607A")
    later_pk = None
    try:
        old_apps = migrate(BEFORE)
        OldFiling = old_apps.get_model("public_services", "Filing")
        row = OldFiling.objects.filter(pk=first.pk).values().get()
        row.update(id=None, procedure_code="608A", tracking_number="HS2612LATER1", idempotency_key="later-608a",
                   status="received")
        later_pk = OldFiling.objects.create(**row).pk
        migrate()
    finally:
        back_to_latest(later_pk)

    first.refresh_from_db()
    later = Filing.objects.get(pk=later_pk)
    assert first.status == Filing.Status.SUBMITTED and first.finished_at is None
    assert later.status == Filing.Status.REJECTED and later.finished_at is not None
    assert later.note == (
        f"Hồ sơ {first.tracking_number} cấp lại sổ BHXH của cùng người tham gia đã được nộp trước và chưa có kết quả; "
        "mỗi người chỉ được giải quyết một hồ sơ cấp lại sổ BHXH tại một thời điểm, nên hồ sơ này được đóng lại. "
        f"Nếu cần, hãy nộp hồ sơ mới sau khi hồ sơ {first.tracking_number} có kết quả.")
    event = later.events.get()
    assert (event.from_status, event.status, event.actor, event.note) == ("received", "rejected", None, later.note)
    page = logged(owner).get(f"/dich-vu-cong/ho-so/{later.pk}/").content.decode()
    assert first.tracking_number in page and "chỉ được giải quyết một hồ sơ cấp lại sổ BHXH" in page
