"""One CSV import tells each affected person once: one summary notice and one SMS per person per
import, however many rows or batches their periods span; a dry run, a file that changes nothing
and rows with errors tell nobody."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Guardianship, Person
from notifications.models import Message
from participation.models import Period
from participation.services import imports
from participation.services.imports import periods_import
from tests.accounts.helpers import born_years_ago, cccd_for, make_person

from .test_import import HEADER, csv_lines

pytestmark = pytest.mark.usefixtures("reference_data")

SMS_LIMIT = 134  # two concatenated UCS-2 segments (67 characters each): Vietnamese needs UCS-2


def monthly(code, first, months, *, kind="bhyt", base=1_000_000):
    """`months` one-month rows from `first` (a date), paid by the person."""
    rows = []
    for n in range(months):
        index = first.year * 12 + first.month - 1 + n
        mm_yyyy = f"{index % 12 + 1:02d}/{index // 12}"
        rows.append(f"{code},{kind},{mm_yyyy},{mm_yyyy},self,,,{base},4.5,{base * 45 // 1000},0,79,07901,")
    return rows


def with_account(person):
    get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    return person


@pytest.fixture
def person(db, reference_data):
    return with_account(make_person())


@pytest.fixture
def other(db, reference_data):
    person = make_person("7901234568", "Trần Thị Lan", id_number="079190012346", sex=2)
    Person.objects.filter(pk=person.pk).update(phone="+84987654321")
    return with_account(Person.objects.get(pk=person.pk))


def notices(person=None, channel=None):
    found = Message.objects.filter(template="participation_import")
    if person is not None:
        found = found.filter(user__person=person)
    if channel is not None:
        found = found.filter(channel=channel)
    return found


def run(rows, capture, **options):
    with capture(execute=True):
        return periods_import(lines=csv_lines(*rows), dry_run=options.pop("dry_run", False), **options)


SEVENTY_TWO = "BHXH: Quá trình tham gia BHYT vừa được cập nhật: 72 giai đoạn, 10/2005–09/2011. Xem trên Cổng BHXH số."


def test_seventy_two_periods_make_one_notice_and_one_sms(person, django_capture_on_commit_callbacks, sms_outbox):
    report = run(monthly(person.bhxh_code, datetime.date(2005, 10, 1), 72), django_capture_on_commit_callbacks)
    assert report.created == 72 and Period.objects.count() == 72
    [sms] = sms_outbox()
    assert sms["to"] == "+84912345678" and sms["text"] == SEVENTY_TWO and len(sms["text"]) <= SMS_LIMIT
    [notice] = notices(person, "inbox")
    assert notice.subject == "Quá trình tham gia BHYT vừa được cập nhật (72 giai đoạn)"
    assert notice.body == SEVENTY_TWO.replace("Cổng BHXH số", "Cổng dịch vụ BHXH số")  # the SMS says it short
    assert notices().count() == 2  # the notice and the SMS, nothing per period
    assert not Message.objects.filter(template="participation_changed").exists()


def test_two_people_are_told_once_each_about_their_own_periods(person, other, django_capture_on_commit_callbacks,
                                                                sms_outbox):
    rows = (monthly(person.bhxh_code, datetime.date(2020, 1, 1), 12)
            + monthly(other.bhxh_code, datetime.date(2019, 7, 1), 3, kind="bhxh_tn")
            + monthly(other.bhxh_code, datetime.date(2021, 1, 1), 2))
    run(rows, django_capture_on_commit_callbacks)
    texts = {sms["to"]: sms["text"] for sms in sms_outbox()}
    assert len(sms_outbox()) == 2
    assert texts["+84912345678"] == ("BHXH: Quá trình tham gia BHYT vừa được cập nhật: 12 giai đoạn, 01/2020–12/2020. "
                                     "Xem trên Cổng BHXH số.")
    assert texts["+84987654321"] == ("BHXH: Quá trình tham gia BHXH tự nguyện, BHYT vừa được cập nhật: 5 giai đoạn, "
                                     "07/2019–02/2021. Xem trên Cổng BHXH số.")
    assert notices(person, "inbox").count() == notices(other, "inbox").count() == 1


@pytest.mark.parametrize("kinds, tab", [(("bhyt",), "bhyt"), (("bhyt", "bhtn"), "bhtn"),
                                         (("bhyt", "bhtnld", "bhxh_tn"), "bhxh")])
def test_the_summary_opens_the_tab_of_the_first_type_it_names(person, kinds, tab, client,
                                                              django_capture_on_commit_callbacks):
    rows = [row for kind in kinds for row in monthly(person.bhxh_code, datetime.date(2024, 1, 1), 2, kind=kind)]
    run(rows, django_capture_on_commit_callbacks)
    [notice] = notices(person, "inbox")
    assert notice.link == f"/ca-nhan/xem/{person.pk}/?tiep=%2Fqua-trinh-tham-gia%2F{tab}%2F"
    client.force_login(get_user_model().objects.get(person=person))
    response = client.get(notice.link, follow=True)
    assert response.redirect_chain[-1][0] == f"/qua-trinh-tham-gia/{tab}/"
    assert "Chưa có giai đoạn tham gia" not in response.content.decode()


def test_rows_of_one_person_across_batches_make_one_notice(person, other, monkeypatch,
                                                           django_capture_on_commit_callbacks, sms_outbox):
    monkeypatch.setattr(imports, "BATCH", 10)
    rows = monthly(person.bhxh_code, datetime.date(2005, 10, 1), 72)
    rows.insert(35, monthly(other.bhxh_code, datetime.date(2022, 1, 1), 1)[0])
    report = run(rows, django_capture_on_commit_callbacks)
    assert report.created == 73
    assert {sms["to"]: sms["text"] for sms in sms_outbox()} == {
        "+84912345678": SEVENTY_TWO,
        "+84987654321": "BHXH: Quá trình tham gia BHYT vừa được cập nhật: 1 giai đoạn, 01/2022. Xem trên Cổng BHXH số.",
    }
    assert len(sms_outbox()) == 2
    assert notices(person, "inbox").count() == notices(other, "inbox").count() == 1


def test_a_dry_run_tells_nobody(person, django_capture_on_commit_callbacks, sms_outbox):
    report = run(monthly(person.bhxh_code, datetime.date(2005, 10, 1), 72), django_capture_on_commit_callbacks,
                 dry_run=True)
    assert report.created == 72 and not Period.objects.exists()
    assert not Message.objects.exists() and sms_outbox() == []


def test_the_same_file_again_tells_nobody_and_a_different_import_tells_again(
        person, django_capture_on_commit_callbacks, sms_outbox):
    rows = monthly(person.bhxh_code, datetime.date(2005, 10, 1), 72)
    run(rows, django_capture_on_commit_callbacks)
    again = run(rows, django_capture_on_commit_callbacks)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 72)
    assert notices(person, "inbox").count() == 1 and len(sms_outbox()) == 1
    # Three of the periods get a new contribution base: a second import, a second notice.
    changed = monthly(person.bhxh_code, datetime.date(2006, 1, 1), 3, base=1_200_000)
    report = run(changed, django_capture_on_commit_callbacks)
    assert report.updated == 3
    assert notices(person, "inbox").count() == 2 and len(sms_outbox()) == 2
    assert sms_outbox()[-1]["text"] == ("BHXH: Quá trình tham gia BHYT vừa được cập nhật: 3 giai đoạn, "
                                        "01/2006–03/2006. Xem trên Cổng BHXH số.")


def test_the_same_import_run_never_sends_twice(person, django_capture_on_commit_callbacks, sms_outbox):
    """A task that runs an import again under the same run id (acks_late redelivery) finds its
    notices written: nothing new leaves, even if the run changes something again."""
    rows = monthly(person.bhxh_code, datetime.date(2005, 10, 1), 2)
    run(rows, django_capture_on_commit_callbacks, run_id="task-42")
    Period.objects.all().delete()
    assert run(rows, django_capture_on_commit_callbacks, run_id="task-42").created == 2
    assert notices(person, "inbox").count() == 1 and len(sms_outbox()) == 1


def test_rows_with_errors_are_not_counted(person, django_capture_on_commit_callbacks, sms_outbox):
    rows = monthly(person.bhxh_code, datetime.date(2020, 1, 1), 4)
    rows.insert(1, rows[0].replace("bhyt", "bhxh"))  # an unknown type
    rows.append(rows[0])  # a duplicate line
    report = run(rows, django_capture_on_commit_callbacks)
    assert (report.created, report.error_count) == (4, 2)
    [sms] = sms_outbox()
    assert "4 giai đoạn, 01/2020–04/2020" in sms["text"]
    # A file whose only rows are errors tells nobody.
    run([rows[1]], django_capture_on_commit_callbacks)
    assert len(sms_outbox()) == 1


def test_people_without_anyone_to_tell_get_nothing_and_a_parent_is_told_about_a_child(
        person, django_capture_on_commit_callbacks, sms_outbox):
    no_account = make_person("7901234569", "Lê Văn Hùng", id_number="079085012347")
    born = born_years_ago(10)
    child = make_person("7901234570", "Nguyễn Minh An", birth=born, id_number=cccd_for(born, serial="012348"))
    Guardianship.objects.create(parent=get_user_model().objects.get(person=person), child=child, relationship="cha")
    rows = (monthly(no_account.bhxh_code, datetime.date(2020, 1, 1), 5)
            + monthly(child.bhxh_code, born, 30))
    assert run(rows, django_capture_on_commit_callbacks).created == 35
    [sms] = sms_outbox()
    assert sms["text"] == ("BHXH: Quá trình tham gia BHYT của Nguyễn Minh An vừa được cập nhật: 30 giai đoạn, "
                           f"06/{born.year}–11/{born.year + 2}. Xem trên Cổng BHXH số.")
    assert len(sms["text"]) <= SMS_LIMIT
    [notice] = Message.objects.filter(channel="inbox")
    assert notice.user.person == person and notice.subject == (
        "Quá trình tham gia BHYT của Nguyễn Minh An vừa được cập nhật (30 giai đoạn)")


def test_an_employers_four_types_fit_two_sms_segments_and_stay_vietnamese(
        person, django_capture_on_commit_callbacks, sms_outbox):
    rows = []
    for kind in ("bhxh_bb", "bhtn", "bhtnld", "bhyt"):
        for n in range(12):
            rows.append(f"{person.bhxh_code},{kind},{n + 1:02d}/2025,{n + 1:02d}/2025,employer,{{E}},Kỹ sư,"
                        f"12000000,8,960000,0,79,07901,")
    with translation.override("en"):  # an officer browsing the admin in English
        run(rows, django_capture_on_commit_callbacks)
    [sms] = sms_outbox()
    assert sms["text"] == ("BHXH: Quá trình tham gia BHXH, BHTN, BHTNLĐ-BNN, BHYT vừa được cập nhật: 48 giai đoạn, "
                           "01/2025–12/2025. Xem trên Cổng BHXH số.")
    assert len(sms["text"]) <= SMS_LIMIT
    # Two types keep their full names, in Vietnamese whatever the officer's language.
    with translation.override("en"):
        run([rows[0].replace("01/2025", "01/2026"), rows[-1].replace("12/2025", "12/2026")],
            django_capture_on_commit_callbacks)
    assert sms_outbox()[-1]["text"] == ("BHXH: Quá trình tham gia BHXH bắt buộc, BHYT vừa được cập nhật: 2 giai đoạn, "
                                        "01/2026–12/2026. Xem trên Cổng BHXH số.")


def test_the_longest_own_message_fits_two_sms_segments():
    from django.template.loader import render_to_string

    text = render_to_string("notifications/messages/participation_import.body.txt", {
        "kinds": ["BHXH bắt buộc", "BHXH tự nguyện"], "count": 999, "first": datetime.date(1995, 1, 1),
        "last": datetime.date(2026, 12, 1), "for_child": False, "channel": "sms"}).strip()
    assert len(text) <= SMS_LIMIT, (len(text), text)


def test_queries_do_not_grow_with_the_rows_of_a_person(person, django_capture_on_commit_callbacks):
    """Apart from the bulk insert itself (which SQLite splits into chunks of its bound-variable
    limit), importing 72 periods for a person costs the queries of importing 2."""

    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            run(rows, django_capture_on_commit_callbacks)
        return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith('INSERT INTO "participation_period"')]

    few = queries(monthly(person.bhxh_code, datetime.date(2000, 1, 1), 2))
    many = queries(monthly(person.bhxh_code, datetime.date(2005, 10, 1), 72))
    assert len(many) == len(few), "\n".join(many)
    assert notices(person, "inbox").count() == 2


def test_the_import_command_tells_each_person_once(person, tmp_path, django_capture_on_commit_callbacks,
                                                   sms_outbox):
    path = tmp_path / "qua-trinh.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in monthly(person.bhxh_code, datetime.date(2005, 10, 1), 72)),
                    encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_periods", str(path), "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    assert sms_outbox() == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_periods", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert [sms["text"] for sms in sms_outbox()] == [SEVENTY_TWO]
    assert notices(person, "inbox").count() == 1
