"""The filing lifecycle in the services: allowed and refused transitions, one notice per change,
idempotent submit, withdraw, correct-and-resubmit, officer scope, the BHYT card reissued on
completion."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from health_card.models import Card
from notifications.models import Message
from public_services.models import TRANSITIONS, Filing, FilingEvent
from public_services.procedures import registry
from public_services.services import (
    filing_complete,
    filing_receive,
    filing_reject,
    filing_resubmit,
    filing_return,
    filing_start,
    filing_submit,
    filing_withdraw,
)
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from tests.notifications.sms_parts import sms_parts
from vssid_portal.form_keys import new_idempotency_key

from .helpers import (  # noqa: F401
    answers,
    district_officer,
    other_district_officer,
    owner,
    province_officer,
    stored_upload,
    stranger,
    submit,
    withdrawn,
)

pytestmark = pytest.mark.django_db

S = Filing.Status


def statuses(filing):
    return list(FilingEvent.objects.filter(filing=filing).values_list("status", flat=True))


def notices(filing, channel=Message.Channel.INBOX):
    return Message.objects.filter(channel=channel, idempotency_key__startswith=f"filing-{filing.tracking_number}-")


def test_submit_to_done_notifies_once_per_change(owner, district_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner)
    assert filing.status == S.SUBMITTED and filing.agency.code == "07901"
    assert filing.tracking_number.startswith("HS")
    assert filing.identity["full_name"] == "Nguyễn Văn Đức"
    filing.refresh_from_db()
    assert filing.pdf_ready  # eager Celery built it on commit
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    filing_complete(filing=filing, officer=district_officer)
    filing.refresh_from_db()
    assert filing.status == S.DONE and filing.finished_at and filing.received_at
    assert statuses(filing) == [S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.DONE]
    assert list(FilingEvent.objects.filter(filing=filing).values_list("actor__username", flat=True)) == [
        owner.username, "canbo07901", "canbo07901", "canbo07901"]
    assert notices(filing).count() == 4
    assert notices(filing, Message.Channel.SMS).count() == 4
    assert notices(filing, Message.Channel.EMAIL).count() == 4
    texts = list(notices(filing, Message.Channel.SMS).order_by("id").values_list("body", flat=True))
    assert filing.tracking_number in texts[0] and "đã nộp" in texts[0] and "hẹn trả kết quả" in texts[0]
    assert "đã có kết quả" in texts[-1]


def test_a_long_note_is_whole_in_the_notice_and_the_email_and_cut_in_the_sms(owner, district_officer):
    note = ("Ảnh CCCD mặt sau bị mờ, vui lòng chụp lại rõ nét. " * 40)[:2000].strip()
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what=note)
    inbox, email, sms = (notices(filing, channel).order_by("id").last().body
                         for channel in (Message.Channel.INBOX, Message.Channel.EMAIL, Message.Channel.SMS))
    assert note in inbox and note in email
    # the step in at most 2 parts (the procedure named short), the note cut on top: at most 5 UCS-2 parts
    assert sms_parts(sms) <= 5 and note[:100] in sms and sms.endswith("…")


@pytest.mark.parametrize("start", [S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.RETURNED, S.DONE, S.REJECTED, S.WITHDRAWN])
def test_refused_transitions_change_nothing(owner, district_officer, start):
    filing = submit(owner)
    Filing.objects.filter(pk=filing.pk).update(status=start, note="x")
    filing.refresh_from_db()
    steps = {
        S.RECEIVED: lambda: filing_receive(filing=filing, officer=district_officer),
        S.PROCESSING: lambda: filing_start(filing=filing, officer=district_officer),
        S.DONE: lambda: filing_complete(filing=filing, officer=district_officer),
        S.REJECTED: lambda: filing_reject(filing=filing, officer=district_officer, reason="Thiếu giấy tờ"),
        S.RETURNED: lambda: filing_return(filing=filing, officer=district_officer, what="Bổ sung ảnh"),
        S.WITHDRAWN: lambda: filing_withdraw(filing=filing, user=owner),
    }
    events = FilingEvent.objects.count()
    for target, step in steps.items():
        if target in TRANSITIONS[start]:
            continue
        # An officer's step to the status the filing stands in: already done, and said as such.
        refusal = "không thể chuyển sang|Chỉ rút được hồ sơ khi|đã ở trạng thái .* không cần thực hiện lại"
        with pytest.raises(ValidationError, match=refusal):
            step()
        assert Filing.objects.get(pk=filing.pk).status == start
    assert FilingEvent.objects.count() == events


def test_allowed_transitions_each_leave_an_event(owner, district_officer):
    for path in ([filing_receive, filing_start, filing_complete], [filing_receive, filing_start],
                 [filing_receive], []):
        filing = submit(owner)
        for step in path:
            step(filing=filing, officer=district_officer)
        filing_reject(filing=filing, officer=district_officer, reason="Không đủ điều kiện") if len(path) < 3 else None
        filing.refresh_from_db()
        assert filing.status == (S.DONE if len(path) == 3 else S.REJECTED)
        assert FilingEvent.objects.filter(filing=filing).count() == 2 + len(path) - (1 if len(path) == 3 else 0)


def test_reject_and_return_need_a_note(owner, district_officer):
    filing = submit(owner)
    with pytest.raises(ValidationError):
        filing_reject(filing=filing, officer=district_officer, reason="  ")
    with pytest.raises(ValidationError):
        filing_return(filing=filing, officer=district_officer, what="")
    with pytest.raises(ValidationError, match=r"Tối đa 2000 ký tự \(hiện có 2001\)"):  # refused whole, never cut
        filing_return(filing=filing, officer=district_officer, what="x" * 2001)
    assert Filing.objects.get(pk=filing.pk).status == S.SUBMITTED
    filing_return(filing=filing, officer=district_officer, what="x" * 2000)
    assert Filing.objects.get(pk=filing.pk).note == "x" * 2000


def test_withdraw_until_received(owner, district_officer):
    filing = submit(owner)
    filing_withdraw(filing=filing, user=owner)
    assert Filing.objects.get(pk=filing.pk).status == S.WITHDRAWN
    received = submit(owner)
    filing_receive(filing=received, officer=district_officer)
    with pytest.raises(ValidationError, match="chưa tiếp nhận"):
        filing_withdraw(filing=received, user=owner)


def test_nobody_else_may_withdraw(owner, stranger):
    filing = submit(owner)
    with pytest.raises(PermissionDenied):
        filing_withdraw(filing=filing, user=stranger)


def test_returned_filing_is_corrected_and_resubmitted_as_the_same_filing(owner, district_officer,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "608A")
    first_pdf = filing.declaration_pdf.name if (filing := Filing.objects.get(pk=filing.pk)).declaration_pdf else ""
    filing_receive(filing=filing, officer=district_officer)
    filing_return(filing=filing, officer=district_officer, what="Ảnh giấy khai sinh bị mờ, hãy chụp lại.")
    filing.refresh_from_db()
    assert filing.status == S.RETURNED and "bị mờ" in filing.note
    with pytest.raises(ValidationError):  # still validated by the procedure's form
        filing_resubmit(filing=filing, user=owner, data=answers("608A", new_full_name=""), uploads={}, revision=1)
    with django_capture_on_commit_callbacks(execute=True):
        filing_resubmit(filing=filing, user=owner, data=answers("608A", new_full_name="Nguyễn Văn Đức Tài"),
                        uploads={"evidence_1": stored_upload(color=(200, 10, 10))}, revision=1)
    filing.refresh_from_db()
    assert filing.status == S.SUBMITTED and filing.revision == 2 and filing.note == ""
    assert filing.data["new_full_name"] == "Nguyễn Văn Đức Tài"
    assert filing.documents.count() == 1 and filing.documents.get().file.name.endswith("-r2.jpg")
    assert filing.pdf_ready and filing.declaration_pdf.name != first_pdf
    assert statuses(filing) == [S.SUBMITTED, S.RECEIVED, S.RETURNED, S.SUBMITTED]
    assert Filing.objects.count() == 1


def test_same_key_makes_one_filing(owner):
    procedure = registry.get("607A")
    key = new_idempotency_key()
    first = filing_submit(procedure=procedure, person=owner.person, user=owner, data=answers("607A"), uploads={},
                          idempotency_key=key)
    again = filing_submit(procedure=procedure, person=owner.person, user=owner, data=answers("607A"), uploads={},
                          idempotency_key=key)
    assert first.pk == again.pk and Filing.objects.count() == 1
    assert FilingEvent.objects.count() == 1 and notices(first).count() == 1


def test_someone_elses_key_is_refused(owner, stranger):
    procedure = registry.get("607A")
    filing = submit(owner)
    with pytest.raises(ValidationError, match="Phiên khai hồ sơ không hợp lệ"):
        filing_submit(procedure=procedure, person=stranger.person, user=stranger, data=answers("607A"), uploads={},
                      idempotency_key=filing.idempotency_key)


def test_608a_without_evidence_is_refused(owner):
    with pytest.raises(ValidationError):
        submit(owner, "608A", uploads={})
    assert not Filing.objects.exists()


def test_officers_act_only_within_their_agency_subtree(owner, stranger, district_officer, other_district_officer,
                                                       province_officer):
    mine, theirs = submit(owner), submit(stranger)
    assert theirs.agency.code == "07902"
    with pytest.raises(PermissionDenied):
        filing_receive(filing=theirs, officer=district_officer)
    with pytest.raises(PermissionDenied):
        filing_receive(filing=mine, officer=other_district_officer)
    filing_receive(filing=theirs, officer=province_officer)  # the province sees its districts
    filing_receive(filing=mine, officer=district_officer)
    assert set(Filing.objects.values_list("status", flat=True)) == {S.RECEIVED}


def test_an_officer_without_the_process_permission_cannot_act(owner, district_officer):
    from django.contrib.auth.models import Permission

    district_officer.groups.first().permissions.remove(Permission.objects.get(codename="process_filing"))
    district_officer = type(district_officer).objects.get(pk=district_officer.pk)
    with pytest.raises(PermissionDenied):
        filing_receive(filing=submit(owner), officer=district_officer)


def test_benefit_place_goes_to_the_new_agency(owner):
    filing = submit(owner, "CHUYEN-NOI-HUONG")
    assert filing.agency.code == "07902"


def test_card_reissue_completion_reissues_the_card(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    old = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    filing = submit(owner, "BHYT-CL")
    for step in (filing_receive, filing_start, filing_complete):
        step(filing=filing, officer=district_officer)
    new = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    assert new.version == old.version + 1 and filing.tracking_number in new.reason
    assert Card.objects.get(pk=old.pk).status == Card.Status.REPLACED


def test_a_failing_completion_hook_leaves_the_filing_open(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    filing = submit(owner, "BHYT-CL")
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    Card.objects.filter(person=owner.person).update(status=Card.Status.REVOKED)
    with pytest.raises(ValidationError):
        filing_complete(filing=filing, officer=district_officer)
    assert Filing.objects.get(pk=filing.pk).status == S.PROCESSING


def test_due_dates_skip_weekends_and_public_holidays(owner, district_officer):
    import datetime

    from django.utils import timezone

    from public_services.calendar import WorkingCalendar, estimated_days
    from public_services.models import Holiday

    today = timezone.localdate()
    # A year without rows counts an estimate, which one row of its own replaces whole: the weeks
    # counted get their year's rows first (the estimate, as the admin would enter it), so that the
    # day added below is one day off more whatever the day the test runs, even late in December.
    for year in {today.year, (today + datetime.timedelta(days=60)).year}:
        if not Holiday.objects.filter(date__year=year).exists():
            days_off, worked = estimated_days(year)
            Holiday.objects.bulk_create([Holiday(date=d, name="Ngày nghỉ ước tính", kind=Holiday.Kind.HOLIDAY)
                                         for d in days_off]
                                        + [Holiday(date=d, name="Ngày làm bù ước tính",
                                                   kind=Holiday.Kind.WORKING_SATURDAY)
                                           for d in worked])
    plain = withdrawn(submit(owner)).due_date
    assert plain >= today + datetime.timedelta(days=10 + 2 * 1)  # 10 working days span at least one weekend
    day = today + datetime.timedelta(days=1)
    while not WorkingCalendar.load(day, day).is_working_day(day):
        day += datetime.timedelta(days=1)
    Holiday.objects.create(date=day, name="Ngày nghỉ thử nghiệm", kind=Holiday.Kind.COMPENSATORY)
    later = submit(owner)
    assert later.due_date > plain and later.due_date.weekday() < 5
    assert not Holiday.objects.filter(date=later.due_date).exists()
    # Received today: counted again from the receipt day, with the same calendar.
    filing_receive(filing=later, officer=district_officer)
    later.refresh_from_db()
    assert later.due_date > plain


def test_a_filing_submitted_before_tet_is_due_after_it(owner, monkeypatch):
    """607A takes 10 working days. Submitted on Wednesday 03/02/2027 at 10:00 (Vietnam time), it
    is due on Wednesday 24/02/2027 by the seeded 2027 calendar, counted by hand: Thu 04/02 is day
    1; Fri 05/02 (29 tháng Chạp), the weekend of mùng 1–2, Mon 08 – Tue 09/02 (mùng 3–4) and
    Wed 10 – Thu 11/02 (made up for mùng 1–2 falling on the weekend) are off; Fri 12/02 is day 2;
    Mon 15 – Fri 19/02 are days 3–7; Mon 22 – Wed 24/02 days 8–10. Weekends alone would give
    Wed 17/02."""
    import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from public_services.calendar import load
    from public_services.models import Holiday

    load(Holiday)  # the seed rows, should a transactional test elsewhere have flushed them
    frozen = datetime.datetime(2027, 2, 3, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: frozen)  # the clock filing_submit reads
    filing = submit(owner)
    assert filing.submitted_at == frozen and registry.get("607A").handling_days == 10
    assert filing.due_date == datetime.date(2027, 2, 24)
    filing.refresh_from_db()
    assert filing.due_date == datetime.date(2027, 2, 24)


def test_a_parallel_submit_of_the_same_form_that_commits_first_is_the_filing_returned(owner):
    """filing_submit looks the key up first; an identical request (a double click reaching two
    workers) may commit between that look-up and this insert. The database's unique key decides,
    and the citizen gets the filing that exists instead of "Hồ sơ chưa nộp được: … đã tồn tại"."""
    book = registry.get("607A")
    key = new_idempotency_key()
    uploads = {name: stored_upload(name) for name in book.upload_fields
               if book.form_class.base_fields[name].required}
    first = []

    class RacedBookReissue(type(book)):
        def agency_for(self, *, person, data):
            if not first:  # past the look-up: the other request commits now
                first.append(filing_submit(procedure=book, person=person, user=owner, data=answers("607A"),
                                           uploads=uploads, idempotency_key=key))
            return super().agency_for(person=person, data=data)

    filing = filing_submit(procedure=RacedBookReissue(), person=owner.person, user=owner, data=answers("607A"),
                           uploads=uploads, idempotency_key=key)
    assert first and filing == first[0]
    assert Filing.objects.filter(idempotency_key=key).count() == 1 and statuses(filing) == [S.SUBMITTED]
