"""Editing the holiday table counts again the due dates of the filings in the agency's hands whose
handling time spans the changed day: a day off added moves the due date one working day later, one
removed brings it back. A finished filing, one returned to the citizen (its resubmission sets a
new date) and one whose handling time ends before the day keep theirs. Each change costs the same
queries whatever the number of filings."""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications.models import Message
from public_services.calendar import add_working_days, load
from public_services.models import Filing, Holiday
from public_services.services import holiday_save, holidays_delete
from tests.db_locks import wait_until_blocked
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import district_officer, owner, stranger, submit  # noqa: F401

pytestmark = pytest.mark.django_db

D = datetime.date
ADMIN = "/quan-tri/public_services/holiday/"
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = D(2026, 3, 2)
WEDNESDAY = D(2026, 3, 4)  # a working day inside a 10-day handling time from Monday 02/03/2026
THURSDAY = D(2026, 3, 5)


@pytest.fixture(autouse=True)
def holidays():
    load(Holiday)


def dated(filing, *, status="submitted", on=MONDAY):
    """The filing as if submitted (or received) on `on`, with the due date counted then."""
    at = datetime.datetime.combine(on, datetime.time(9), tzinfo=HANOI)
    Filing.objects.filter(pk=filing.pk).update(
        status=status, note="Bổ sung ảnh" if status == "returned" else "", submitted_at=at, received_at=None if status == "submitted" else at,
        due_date=add_working_days(on, filing.procedure.handling_days))
    filing.refresh_from_db()
    return filing


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    return client


def due(filing):
    return Filing.objects.get(pk=filing.pk).due_date


def test_a_day_off_added_in_the_admin_moves_open_due_dates_and_leaves_done_ones(admin_client, owner, stranger):
    open_, received, done = dated(submit(owner)), dated(submit(owner, "DOI-LIEN-HE"), status="processing"), dated(
        submit(stranger), status="done")
    later = dated(submit(stranger, "DOI-LIEN-HE"), on=THURSDAY)  # its time starts after Wednesday
    before = {filing.pk: filing.due_date for filing in (open_, received, done, later)}
    response = admin_client.post(ADMIN + "add/", {"date": "04/03/2026", "name": "Nghỉ bù", "kind": "compensatory"})
    assert response.status_code == 302
    assert due(open_) == add_working_days(before[open_.pk], 1) and due(open_).weekday() < 5
    assert due(received) == add_working_days(before[received.pk], 1)
    assert due(done) == before[done.pk] and due(later) == before[later.pk]

    holiday = Holiday.objects.get(date=WEDNESDAY)
    admin_client.post(f"{ADMIN}{holiday.pk}/change/", {"date": "05/03/2026", "name": "Nghỉ bù", "kind": "compensatory"})
    assert due(later) == before[later.pk]  # its time starts the day after 05/03
    assert due(open_) == add_working_days(before[open_.pk], 1)  # Thursday instead of Wednesday: still one day

    admin_client.post(f"{ADMIN}{holiday.pk}/delete/", {"post": "yes"})
    assert {filing.pk: due(filing) for filing in (open_, received, done, later)} == before


@pytest.mark.django_db(transaction=True)  # as in a request: the action is not run inside a transaction
def test_the_admins_bulk_delete_counts_again(admin_client, owner):
    filing = dated(submit(owner))
    first = filing.due_date
    for day in ("04/03/2026", "05/03/2026"):
        admin_client.post(ADMIN + "add/", {"date": day, "name": "Nghỉ bù", "kind": "compensatory"})
    assert due(filing) == add_working_days(first, 2)
    added = Holiday.objects.filter(date__in=[WEDNESDAY, THURSDAY])
    admin_client.post(ADMIN, {"action": "delete_selected", "_selected_action": [h.pk for h in added], "post": "yes"})
    assert not Holiday.objects.filter(date__in=[WEDNESDAY, THURSDAY]).exists()
    assert due(filing) == first


def test_a_holiday_written_outside_the_admin_through_the_services_counts_again(owner):
    """The table's one way in, for a command loading next year's days as for the admin."""
    filing = dated(submit(owner))
    first = filing.due_date
    assert holiday_save(holiday=Holiday(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory")) == 1
    assert due(filing) == add_working_days(first, 1)
    assert holidays_delete(holidays=Holiday.objects.filter(date=WEDNESDAY)) == 1
    assert due(filing) == first


def test_a_returned_filing_keeps_its_date_for_its_resubmission(admin_client, owner):
    returned = dated(submit(owner), status="returned")
    admin_client.post(ADMIN + "add/", {"date": "04/03/2026", "name": "Nghỉ bù", "kind": "compensatory"})
    assert due(returned) == returned.due_date


def test_counting_again_costs_the_same_queries_whatever_the_number_of_filings(owner, stranger):
    from public_services.services import due_dates_recounted

    dated(submit(owner))

    def recount():
        with CaptureQueriesContext(connection) as queries:
            due_dates_recounted([WEDNESDAY])
        return len(queries)

    Holiday.objects.create(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory")
    one = recount()
    Holiday.objects.filter(date=WEDNESDAY).delete()
    dated(submit(owner, "DOI-LIEN-HE"))
    dated(submit(stranger))
    Holiday.objects.create(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory")
    assert recount() == one


def test_a_years_first_row_added_or_its_last_deleted_counts_again_over_its_estimated_holidays(admin_client, owner):
    """A year without rows skips an estimate of its statutory holidays; once it has a row, only its rows count."""
    # Friday; Monday 01/05/2028 and Tuesday 02/05 (30/4 on Sunday made up) skipped: 10 working days end 16/05
    filing = dated(submit(owner), on=D(2028, 4, 28))
    assert filing.due_date == D(2028, 5, 16)
    admin_client.post(ADMIN + "add/", {"date": "15/06/2028", "name": "Nghỉ bù", "kind": "compensatory"})
    assert due(filing) == D(2028, 5, 12)  # 2028 now has a row and none for 01/05 and 02/05: working days
    holiday = Holiday.objects.get(date=D(2028, 6, 15))
    admin_client.post(f"{ADMIN}{holiday.pk}/delete/", {"post": "yes"})
    assert due(filing) == D(2028, 5, 16)


def test_a_years_first_row_counts_again_a_filing_submitted_after_2_9_over_an_estimated_make_up_day(admin_client, owner):
    """The estimate's last day off of 2028 is Monday 04/09 (2/9 on Saturday made up): a filing submitted
    on Sunday 03/09 runs over it, so the year's first row, entered in January, counts it again."""
    filing = dated(submit(owner), on=D(2028, 9, 3))
    assert filing.due_date == D(2028, 9, 18)  # 04/09 skipped
    admin_client.post(ADMIN + "add/", {"date": "14/01/2028", "name": "Nghỉ bù", "kind": "compensatory"})
    assert due(filing) == D(2028, 9, 15)  # 2028 has a row now, and none for 04/09


def test_an_edit_in_a_year_with_other_rows_leaves_filings_over_its_fixed_date_holidays_alone(admin_client, owner):
    """2026 has its rows: a day off added in June leaves 30/04 and 01/05 as they were, and a filing
    running over them (not over the day) is neither read nor written again."""
    filing = dated(submit(owner), on=D(2026, 4, 27))
    stale = D(2026, 5, 20)  # not what the calendar counts: read and counted again, it would move
    assert filing.due_date < D(2026, 6, 15) and filing.due_date != stale
    Filing.objects.filter(pk=filing.pk).update(due_date=stale)
    with CaptureQueriesContext(connection) as queries:
        admin_client.post(ADMIN + "add/", {"date": "15/06/2026", "name": "Nghỉ bù", "kind": "compensatory"})
    assert Holiday.objects.filter(date=D(2026, 6, 15)).exists()
    assert due(filing) == stale
    filings_read = [q["sql"] for q in queries if q["sql"].startswith("SELECT")
                    and '"public_services_filing"."due_date" >=' in q["sql"]]
    assert filings_read and all("2026-01-01" not in sql and "2026-06-15" in sql for sql in filings_read)


@pytest.mark.django_db(transaction=True)
def test_a_submission_while_a_holiday_change_is_not_committed_waits_for_it_and_counts_with_it(owner):
    """The change holds its lock until it commits: a submission counting its due date meanwhile
    waits, then counts the new day off (it would have counted without it, unseen by the recount)."""
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    today = timezone.localdate()
    day_off = add_working_days(today, 1)  # inside the handling time of a filing submitted today
    before = add_working_days(today, 10)  # 607A's handling time, counted without the day off
    pids, outcome = [], {}

    def submission():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])
            outcome["filing"] = submit(owner)
        except Exception as error:  # noqa: BLE001 - the test reports what the submission ended with
            outcome["error"] = error
        finally:
            connections.close_all()

    with transaction.atomic():  # the holiday change, uncommitted until this block ends
        holiday_save(holiday=Holiday(date=day_off, name="Nghỉ bù", kind="compensatory"))
        thread = threading.Thread(target=submission)
        thread.start()
        waited = wait_until_blocked(thread, pids)
        assert waited and "filing" not in outcome, "the submission counted before the change committed"
    thread.join(10)
    assert "error" not in outcome, outcome.get("error")
    filing = outcome["filing"]
    assert filing.procedure.handling_days == 10
    assert due(filing) == add_working_days(before, 1) == add_working_days(today, 10)


@pytest.mark.django_db(transaction=True)
def test_a_submission_does_not_wait_for_another_one_not_committed(owner, stranger):
    """The calendar lock of a submission is shared: only a holiday change waits for it."""
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    outcome = {}

    def second():
        try:
            outcome["filing"] = submit(stranger)
        finally:
            connections.close_all()

    with transaction.atomic():  # the first submission, uncommitted until this block ends
        submit(owner)
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(10)
        assert "filing" in outcome, "the second submission waited for the first"
    assert due(outcome["filing"]) == outcome["filing"].due_date


def moved_notices(user):
    return list(Message.objects.filter(user=user, channel=Message.Channel.INBOX, template="public_service_due_date_moved"))


def queue_instead(monkeypatch):
    """The notice tasks queued (their arguments and options) instead of run."""
    from public_services import tasks

    queued = []
    monkeypatch.setattr(tasks.notify_due_dates_moved, "apply_async",
                        lambda args=(), kwargs=None, **options: queued.append((tuple(args), options)))
    return queued


def test_the_citizen_is_told_once_when_a_holiday_change_moves_their_due_date(owner, stranger,
                                                                              django_capture_on_commit_callbacks):
    moved, later = dated(submit(owner)), dated(submit(stranger), on=THURSDAY)
    first = moved.due_date
    with django_capture_on_commit_callbacks() as callbacks:
        holiday_save(holiday=Holiday(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory"))
    assert moved_notices(owner) == []  # told once the change is committed, not before
    for callback in callbacks:
        callback()
    [notice], moved_to = moved_notices(owner), due(moved)
    assert moved.tracking_number in notice.body and moved_to != first
    assert f"từ {vn_date(first)} sang {vn_date(moved_to)}" in notice.body
    assert notice.link == f"/dich-vu-cong/ho-so/{moved.pk}/"
    assert due(later) == later.due_date and moved_notices(stranger) == []  # its time starts after the day

    with django_capture_on_commit_callbacks(execute=True):  # the day taken back: the date moves back, told again
        holidays_delete(holidays=Holiday.objects.filter(date=WEDNESDAY))
        holiday_save(holiday=Holiday(date=D(2026, 6, 15), name="Nghỉ bù", kind="compensatory"))  # moves none
    assert len(moved_notices(owner)) == 2 and moved_notices(stranger) == []
    assert any(f"từ {vn_date(moved_to)} sang {vn_date(first)}" in notice.body for notice in moved_notices(owner))


def test_a_submission_that_waits_on_a_holiday_change_across_midnight_counts_from_the_day_it_is_saved(owner, monkeypatch):
    """Its time is read once the calendar lock is held: a submission sent at 23:59 that waited for a
    holiday change until past midnight is submitted, and counted, on the next day."""
    from public_services.services import filings

    clock = [datetime.datetime(2026, 3, 2, 23, 59, 50, tzinfo=HANOI)]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    waited = filings.wait_for_holiday_changes

    def wait_until_past_midnight():
        waited()
        clock[0] = datetime.datetime(2026, 3, 3, 0, 0, 5, tzinfo=HANOI)

    monkeypatch.setattr(filings, "wait_for_holiday_changes", wait_until_past_midnight)
    filing = submit(owner)
    assert filing.submitted_at == clock[0]
    assert due(filing) == add_working_days(D(2026, 3, 3), filing.procedure.handling_days) == D(2026, 3, 17)


def test_the_admin_says_how_many_due_dates_moved_and_that_their_people_are_told(admin_client, owner):
    dated(submit(owner))
    response = admin_client.post(ADMIN + "add/", {"date": "04/03/2026", "name": "Nghỉ bù", "kind": "compensatory"},
                                 follow=True)
    assert ("Đã tính lại hẹn trả kết quả của 1 hồ sơ đang giải quyết có thời hạn qua ngày vừa thay đổi; người tham "
            "gia có tài khoản trên Cổng sẽ được báo hẹn mới sau ít phút.") in [str(message) for message in response.context["messages"]]


def test_an_english_admin_says_how_many_due_dates_moved_in_english(admin_client, owner, settings):
    dated(submit(owner))
    settings.LANGUAGE_CODE = "en"
    response = admin_client.post(ADMIN + "add/", {"date": "04/03/2026", "name": "Nghỉ bù", "kind": "compensatory"},
                                 follow=True)
    assert ("The result due date of 1 application in progress whose handling time runs over the day just changed "
            "was counted again; its insured person, if they have an account on the portal, will be told the new date "
            "in a few minutes.") in [str(message) for message in response.context["messages"]]


def test_the_holiday_list_names_the_weekdays_in_the_admins_language(admin_client, settings):
    def weekday_of(day: str) -> str:  # the list's "weekday" cell on the row of `day`
        page = admin_client.get(ADMIN, {"nam": "2026"}).content.decode()
        row = page.split(f">{day}</a>", 1)[1].split("</tr>", 1)[0]
        return row.split('<td class="field-weekday">', 1)[1].split("</td>", 1)[0]

    assert weekday_of("02/09/2026") == "Thứ Tư" and weekday_of("26/04/2026") == "Chủ nhật"
    settings.LANGUAGE_CODE = "en"
    assert weekday_of("02/09/2026") == "Wednesday" and weekday_of("26/04/2026") == "Sunday"


def test_the_notices_of_a_change_go_to_one_task_after_it_is_committed_which_tells_each_once(
        owner, stranger, monkeypatch, django_capture_on_commit_callbacks):
    """The admin's request writes no notice: once the change is committed it queues one task with the
    filings' ids and the dates they had; run twice (a re-delivery), it tells each citizen once, and
    nobody whose filing is no longer in the agency's hands."""
    from public_services import tasks

    first, second, done = dated(submit(owner)), dated(submit(stranger)), dated(submit(owner, "DOI-LIEN-HE"))
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        assert holiday_save(holiday=Holiday(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory")) == 3
    assert moved_notices(owner) == moved_notices(stranger) == []
    [((change, moved), _options)] = queued
    assert sorted(moved) == sorted([[filing.pk, filing.due_date.isoformat(), filing.submitted_at.isoformat(),
                                     due(filing).isoformat()] for filing in (first, second, done)])
    Filing.objects.filter(pk=done.pk).update(status="done")  # finished before the task runs: not told
    for _twice in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.notify_due_dates_moved(change, moved)
    [notice] = moved_notices(owner)
    assert first.tracking_number in notice.body and f"từ {vn_date(first.due_date)} sang {vn_date(due(first))}" in notice.body
    assert len(moved_notices(stranger)) == 1


def test_a_run_out_of_time_queues_the_rest_and_the_broker_away_leaves_them_to_the_request(
        owner, stranger, monkeypatch, django_capture_on_commit_callbacks):
    from public_services import tasks
    from public_services.services import holidays

    first, second = dated(submit(owner)), dated(submit(stranger))
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory"))
    [((change, moved), _options)] = queued
    monkeypatch.setattr(holidays, "NOTIFY_RUN_SECONDS", 0)  # one filing a run
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_due_dates_moved(change, moved)
    assert len(moved_notices(owner)) == 1 and moved_notices(stranger) == []
    assert queued[1] == ((change, [[second.pk, second.due_date.isoformat(), second.submitted_at.isoformat(),
                                    due(second).isoformat()]]), {"countdown": 0})

    def broker_away(*args, **options):
        raise OSError("broker away")

    monkeypatch.setattr(tasks.notify_due_dates_moved, "apply_async", broker_away)
    with django_capture_on_commit_callbacks(execute=True):
        holidays_delete(holidays=Holiday.objects.filter(date=WEDNESDAY))
    # The second filing's notice had not gone out: its date is back to the one its person knows.
    assert len(moved_notices(owner)) == 2 and moved_notices(stranger) == []
    assert due(first) == first.due_date and due(second) == second.due_date
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_due_dates_moved(*queued[1][0])
    assert moved_notices(stranger) == []


def test_a_filing_received_between_the_change_and_its_notices_is_not_told_the_calendar_moved_its_date(
        owner, district_officer, monkeypatch, django_capture_on_commit_callbacks):
    """The receipt counts the handling time again from its day (and says so): the task, run after
    it, does not tell the citizen the holiday calendar moved the date the receipt set."""
    from public_services import tasks
    from public_services.services import filing_receive

    received, waiting = dated(submit(owner)), dated(submit(owner, "DOI-LIEN-HE"))
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory"))
    [((change, moved), _options)] = queued
    assert sorted(moved) == sorted([[filing.pk, filing.due_date.isoformat(), filing.submitted_at.isoformat(),
                                     due(filing).isoformat()] for filing in (received, waiting)])
    with django_capture_on_commit_callbacks(execute=True):
        filing_receive(filing=received, officer=district_officer)
        tasks.notify_due_dates_moved(change, moved)
    [notice] = moved_notices(owner)
    assert waiting.tracking_number in notice.body and received.tracking_number not in notice.body


def test_a_run_out_of_time_with_the_broker_away_tells_the_rest_itself(owner, stranger, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    """Its leftovers could not be queued again and nothing else would: the run writes them."""
    from public_services import tasks
    from public_services.services import holidays

    dated(submit(owner))
    dated(submit(stranger))
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory"))
    [((change, moved), _options)] = queued

    def broker_away(*args, **options):
        raise OSError("broker away")

    monkeypatch.setattr(tasks.notify_due_dates_moved, "apply_async", broker_away)
    monkeypatch.setattr(holidays, "NOTIFY_RUN_SECONDS", 0)  # one filing a run
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_due_dates_moved(change, moved)
    assert len(moved_notices(owner)) == len(moved_notices(stranger)) == 1


def test_days_off_entered_one_by_one_tell_each_citizen_once_the_final_date_from_the_one_they_knew(
        owner, stranger, monkeypatch, django_capture_on_commit_callbacks):
    """Tết entered as five single days: each save moves the due dates again and queues its notices to
    run a while later. The runs of the earlier saves find the date moved again since and leave it to
    the last one, which tells each citizen once (in the portal and by SMS) the final date and the one
    they knew; delivered twice, they tell nobody again."""
    from public_services import services, tasks

    first, second = dated(submit(owner)), dated(submit(stranger))
    queued = queue_instead(monkeypatch)
    tet = (WEDNESDAY, THURSDAY, D(2026, 3, 6), D(2026, 3, 9), D(2026, 3, 10))
    for day in tet:
        with django_capture_on_commit_callbacks(execute=True):
            assert holiday_save(holiday=Holiday(date=day, name="Tết", kind="holiday")) == 2
    assert len(queued) == len(tet) and moved_notices(owner) == []
    for _twice in range(2):
        for args, _options in queued:
            with django_capture_on_commit_callbacks(execute=True):
                tasks.notify_due_dates_moved(*args)
    for filing, user in ((first, owner), (second, stranger)):
        assert due(filing) == add_working_days(filing.due_date, len(tet))
        [notice] = moved_notices(user)
        assert f"từ {vn_date(filing.due_date)} sang {vn_date(due(filing))}" in notice.body
        assert Message.objects.filter(user=user, channel=Message.Channel.SMS,
                                      template="public_service_due_date_moved").count() == 1
    assert all(options.get("countdown") == services.NOTIFY_AFTER_SECONDS > 0 for _args, options in queued)


def test_a_day_entered_after_the_notices_of_the_last_went_out_is_told_from_the_date_then_told(
        owner, monkeypatch, django_capture_on_commit_callbacks):
    """The earlier run went out before the next day was entered: the next notice starts from the date
    it told, not from the one the citizen had before it."""
    from public_services import tasks

    filing = dated(submit(owner))
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=WEDNESDAY, name="Tết", kind="holiday"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_due_dates_moved(*queued[0][0])
    told = due(filing)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=THURSDAY, name="Tết", kind="holiday"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_due_dates_moved(*queued[1][0])
    bodies = sorted(notice.body for notice in moved_notices(owner))
    assert len(bodies) == 2
    assert any(f"từ {vn_date(filing.due_date)} sang {vn_date(told)}" in body for body in bodies)
    assert any(f"từ {vn_date(told)} sang {vn_date(due(filing))}" in body for body in bodies)


def test_a_filing_received_between_two_changes_is_told_the_second_from_the_date_its_receipt_set(
        owner, district_officer, monkeypatch, django_capture_on_commit_callbacks):
    from public_services import tasks
    from public_services.services import filing_receive

    filing = dated(submit(owner))
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=D(2026, 3, 10), name="Tết", kind="holiday"))
    with monkeypatch.context() as patched, django_capture_on_commit_callbacks(execute=True):
        patched.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 3, 9, tzinfo=HANOI))
        filing = filing_receive(filing=filing, officer=district_officer)
    received = due(filing)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=D(2026, 3, 11), name="Tết", kind="holiday"))
    for args, _options in queued:
        with django_capture_on_commit_callbacks(execute=True):
            tasks.notify_due_dates_moved(*args)
    [notice] = moved_notices(owner)
    assert f"từ {vn_date(received)} sang {vn_date(due(filing))}" in notice.body and due(filing) != received


def test_with_the_broker_away_each_change_tells_its_date_at_once_and_once(
        owner, monkeypatch, django_capture_on_commit_callbacks):
    """No run can wait for the next day entered: each change tells its move itself, once."""
    from public_services import tasks

    filing = dated(submit(owner))

    def broker_away(*args, **options):
        raise OSError("broker away")

    monkeypatch.setattr(tasks.notify_due_dates_moved, "apply_async", broker_away)
    dates = [filing.due_date]
    for day in (WEDNESDAY, THURSDAY):
        with django_capture_on_commit_callbacks(execute=True):
            holiday_save(holiday=Holiday(date=day, name="Tết", kind="holiday"))
        dates.append(due(filing))
    bodies = [notice.body for notice in moved_notices(owner)]
    assert len(bodies) == 2
    for before, after in zip(dates, dates[1:]):
        assert sum(f"từ {vn_date(before)} sang {vn_date(after)}" in body for body in bodies) == 1


def test_a_notice_queued_before_the_date_set_was_carried_is_still_told_once(
        owner, monkeypatch, django_capture_on_commit_callbacks):
    """An entry of a task queued by the release before (filing, date it had, start) is told from the
    date it had, as then."""
    from public_services import tasks

    filing = dated(submit(owner))
    queued = queue_instead(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=Holiday(date=WEDNESDAY, name="Nghỉ bù", kind="compensatory"))
    [((change, moved), _options)] = queued
    Filing.objects.filter(pk=filing.pk).update(due_date_told=None)  # not kept by the release before
    for _twice in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.notify_due_dates_moved(change, [entry[:3] for entry in moved])
    [notice] = moved_notices(owner)
    assert f"từ {vn_date(filing.due_date)} sang {vn_date(due(filing))}" in notice.body
