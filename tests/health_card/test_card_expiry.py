"""A card past its end date is expired wherever it shows, whether or not the nightly task has
marked it yet: the clinic check, the holder's page, the QR, the printed card, a reissue and a new
card all read the same state (health_card.selectors.card_state). A card still to begin can be
printed, not shown as a QR."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import accounts.pages
from accounts.models import Person
from health_card.models import BeneficiaryGroup, Card
from health_card.qr import Kind, Purpose
from health_card.selectors import card_state
from health_card.services import card_check, card_qr, cards_expire, reissue_card
from health_card.tasks import expire_cards
from lookup.models import Agency
from tests.accounts.helpers import born_years_ago, cccd_for, make_person, officer

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


NO_QR = "Không có mã QR để xuất trình: hôm nay bạn không có thẻ BHYT đang có giá trị sử dụng."
NOT_PRINTABLE = "Thẻ này không in được: chỉ in được thẻ đang sử dụng hoặc sắp có giá trị sử dụng."


def leads_to_the_card_page(client, url: str, message: str) -> bool:
    """A QR page or print link opened with nothing to show (a bookmark, a page left open) leads to
    the card page, which says why, instead of a page not found."""
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/the-bhyt/", (url, response.status_code)
    page = text(client.get("/the-bhyt/"))
    return message in page and 'role="status"' in page


def with_dates(card, *, valid_from=None, valid_to=None) -> Card:
    """The card with other dates, written as the registry holds them (status untouched)."""
    Card.objects.filter(pk=card.pk).update(valid_from=valid_from or card.valid_from, valid_to=valid_to)
    return Card.objects.get(pk=card.pk)


def test_an_active_card_past_its_end_date_is_expired_for_the_check_and_the_page_alike(holder, card):
    today = timezone.localdate()
    card = with_dates(card, valid_to=today - DAY)
    assert card.status == Card.Status.ACTIVE  # the nightly task has not run yet
    assert card_state(card) == Kind.EXPIRED
    assert card_check(channel="typed", number=card.number, full_name=card.person.full_name,
                      birth_date=card.person.birth_date).kind == Kind.EXPIRED

    client = logged_in(holder)
    page = text(client.get("/the-bhyt/"))
    assert "<strong>Thẻ hết hạn.</strong>" in page and "không có mã QR và không in được thẻ này" in page
    assert 'href="/tra-cuu/diem-thu/"' in page and "tiếp tục tham gia BHYT" in page  # what to do
    assert 'href="/the-bhyt/ma-qr/"' not in page and f'href="/the-bhyt/{card.pk}/in/"' not in page
    assert leads_to_the_card_page(client, "/the-bhyt/ma-qr/", NO_QR)
    assert client.get(f"/the-bhyt/{card.pk}/ma-qr.png").status_code == 404
    assert leads_to_the_card_page(client, f"/the-bhyt/{card.pk}/in/", NOT_PRINTABLE)
    assert NO_QR not in text(client.get("/the-bhyt/"))  # told once


def test_a_card_is_valid_to_the_end_of_its_last_day(holder, card):
    today = timezone.localdate()
    card = with_dates(card, valid_to=today)
    client = logged_in(holder)
    page = text(client.get("/the-bhyt/"))
    assert 'href="/the-bhyt/ma-qr/"' in page and "Thẻ hết hạn" not in page
    assert client.get("/the-bhyt/ma-qr/").status_code == 200
    assert client.get(f"/the-bhyt/{card.pk}/ma-qr.png").status_code == 200


def test_a_card_still_to_begin_is_printed_but_has_no_screen_qr(holder, card):
    today = timezone.localdate()
    card = with_dates(card, valid_from=today + DAY, valid_to=None)
    assert card_state(card) == Kind.NOT_YET_VALID
    client = logged_in(holder)
    page = text(client.get("/the-bhyt/"))
    assert f"Thẻ có giá trị từ ngày {today + DAY:%d/%m/%Y}" in page
    assert 'href="/the-bhyt/ma-qr/"' not in page and f'href="/the-bhyt/{card.pk}/in/"' in page
    assert leads_to_the_card_page(client, "/the-bhyt/ma-qr/", NO_QR)
    assert client.get(f"/the-bhyt/{card.pk}/ma-qr.png").status_code == 404
    response = client.get(f"/the-bhyt/{card.pk}/in/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_card_marked_expired_reads_the_same_as_one_past_its_date(holder, card):
    Card.objects.filter(pk=card.pk).update(status=Card.Status.EXPIRED)
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert "<strong>Thẻ hết hạn.</strong>" in page and 'href="/the-bhyt/ma-qr/"' not in page


def test_a_new_card_replaces_an_expired_one_and_a_card_in_use_still_refuses_it(holder, card, facility):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="đã có thẻ BHYT đang sử dụng"):
        issue(holder.person, facility, valid_from=today)

    card = with_dates(card, valid_to=today - DAY)
    new = issue(holder.person, facility, valid_from=today, valid_to=today + 365 * DAY)
    card.refresh_from_db()
    assert card.status == Card.Status.EXPIRED and card.changed_at is not None
    assert new.status == Card.Status.ACTIVE and new.version == card.version + 1


def test_an_officer_adds_a_card_for_someone_whose_card_has_expired(holder, card, facility):
    today = timezone.localdate()
    with_dates(card, valid_to=today - DAY)
    Person.objects.filter(pk=holder.person_id).update(agency=Agency.objects.get(code="07901"))  # managed by the officer
    client = logged_in(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    response = client.post("/quan-tri/health_card/card/add/", {
        "person": holder.person.pk, "group": BeneficiaryGroup.objects.get(code="DN").pk, "facility": facility.pk,
        "agency": Agency.objects.get(code="07901").pk, "valid_from": f"{today:%d/%m/%Y}", "valid_to": "",
        "living_area": ""})
    assert response.status_code == 302, text(response)[:3000]
    new = Card.objects.get(person=holder.person, status=Card.Status.ACTIVE)
    assert new.version == 2
    from notifications.models import Message  # the holder is told, as of a reissue
    about_new = Message.objects.filter(user=holder, template="bhyt_card_issued", idempotency_key__contains=f"card-{new.pk}-")
    notice = about_new.get(channel=Message.Channel.INBOX)
    assert notice.subject == "Thẻ BHYT đã được cấp"
    assert f"đã được cấp ngày {today:%d/%m/%Y}, có giá trị sử dụng từ ngày {today:%d/%m/%Y}." in notice.body
    assert about_new.filter(channel=Message.Channel.SMS).count() == 1


def test_an_expired_card_is_not_reissued_with_its_old_dates(holder, card):
    today = timezone.localdate()
    card = with_dates(card, valid_to=today - DAY)
    with pytest.raises(ValidationError, match="đã hết hạn"):
        reissue_card(holder.person, "Cấp lại do mất thẻ")
    assert list(Card.objects.filter(person=holder.person).values_list("version", "status")) == [(1, "active")]


def test_a_card_still_to_begin_can_be_reissued(holder, card):
    today = timezone.localdate()
    with_dates(card, valid_from=today + DAY, valid_to=None)
    new = reissue_card(holder.person, "Cấp lại do mất thẻ")
    assert new.valid_from == today + DAY and new.status == Card.Status.ACTIVE


def test_the_nightly_task_marks_active_cards_past_their_end_date_once(holder, card, stranger, facility):
    today = timezone.localdate()
    card = with_dates(card, valid_to=today - DAY)
    still_valid = Card.objects.get(person=stranger.person)
    ending_today = issue(make_person("7901000011", "Phạm Văn Nam", id_number="079088000011"), facility,
                         valid_to=today)
    replaced = issue(make_person("7901000012", "Đỗ Thị Lan", sex=2, id_number="079188000012"), facility,
                     valid_to=today - DAY)
    Card.objects.filter(pk=replaced.pk).update(status=Card.Status.REPLACED)

    assert expire_cards.delay().get() == 1
    assert {c.pk: c.status for c in Card.objects.filter(pk__in=[card.pk, still_valid.pk, ending_today.pk, replaced.pk])} == {
        card.pk: Card.Status.EXPIRED, still_valid.pk: Card.Status.ACTIVE, ending_today.pk: Card.Status.ACTIVE,
        replaced.pk: Card.Status.REPLACED}
    changed_at = Card.objects.get(pk=card.pk).changed_at
    assert changed_at is not None
    assert cards_expire() == 0 and Card.objects.get(pk=card.pk).changed_at == changed_at  # run again: nothing moves
    assert cards_expire(today=today + DAY) == 1  # tomorrow, the card ending today


def test_the_holder_and_a_minors_parent_are_told_once_when_a_card_has_just_ended(client, holder, card, stranger):
    from accounts.models import Guardianship
    from notifications.models import Message

    today = timezone.localdate()
    with_dates(card, valid_to=today - DAY)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    childs = with_dates(issue(child, card.facility, group="HS"), valid_to=today - 2 * DAY)
    long_ago = Card.objects.get(person=stranger.person)  # ended before the notices' window: marked, not told
    with_dates(long_ago, valid_to=today - 30 * DAY)

    assert cards_expire() == 3 and cards_expire() == 0
    assert not Message.objects.filter(user=stranger, template="bhyt_card_expired").exists()
    notices = Message.objects.filter(template="bhyt_card_expired", channel=Message.Channel.INBOX, user=holder)
    assert sorted(notices.values_list("subject", flat=True)) == ["Thẻ BHYT của Nguyễn Gia Bảo đã hết hạn", "Thẻ BHYT đã hết hạn"]
    own = notices.get(subject="Thẻ BHYT đã hết hạn")
    assert f"có giá trị sử dụng đến ngày {(today - DAY):%d/%m/%Y}, nay đã hết hạn" in own.body
    assert Message.objects.filter(template="bhyt_card_expired", channel=Message.Channel.SMS).count() == 2
    client.force_login(holder)
    response = client.get(notices.get(subject__contains="Gia Bảo").link)  # opens the child's card page
    assert response.status_code == 302 and "Thẻ hết hạn." in text(client.get(response.url))
    # a child of 16 is told, as an adult, to keep up BHYT through school or work; not the under-6's free card
    child_notice = notices.get(subject__contains="Gia Bảo")
    assert "nhà trường" in child_notice.body and "dưới 6 tuổi" not in child_notice.body
    assert Card.objects.get(pk=childs.pk).status == Card.Status.EXPIRED


def test_a_parent_is_told_where_the_free_card_of_a_child_under_6_is_had(holder, card):
    """A card of a child under 6 that ended before the child's last day of a TE card (health_card.selectors.
    child_card_valid_to): the child is insured by the state budget, not by work or school."""
    from accounts.models import Guardianship
    from notifications.models import Message

    today = timezone.localdate()
    born = born_years_ago(3)
    child = make_person("7905555556", "Nguyễn Gia Huy", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    with_dates(issue(child, card.facility, group="TE"), valid_to=today - DAY)
    assert cards_expire() == 1
    told = {message.channel: message for message in Message.objects.filter(template="bhyt_card_expired", user=holder)}
    for channel in (Message.Channel.INBOX, Message.Channel.SMS):
        assert "dưới 6 tuổi được cấp thẻ" in told[channel].body and "nhà trường" not in told[channel].body, channel


@pytest.mark.parametrize("ended, free", [("the day before the child's last TE day", True),
                                          ("on the child's last TE day, the child now six", False)])
def test_a_childs_card_is_judged_on_the_runs_day_and_a_child_grown_past_the_te_card_gets_no_free_card_advice(
        holder, card, ended, free):
    """A run for a day past (queued again for that day, it may start after midnight) judges the child's
    age on that day: a card ending the day before the child's last day of a TE card is told of the free
    card even when the run starts later; a card that ended because the child grew past it (its end is
    child_card_valid_to) is told of work and school, not of a free card the child no longer has."""
    from accounts.models import Guardianship
    from health_card.selectors import child_card_valid_to
    from notifications.models import Message

    born = born_years_ago(7)
    last_te_day = child_card_valid_to(born)
    child = make_person("7905555557", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    valid_to = last_te_day - DAY if free else last_te_day
    with_dates(issue(child, card.facility, group="TE"), valid_to=valid_to)
    assert cards_expire(today=valid_to + DAY) == 1  # the child's: the parent's own card is still in use
    told = {message.channel: message for message in Message.objects.filter(template="bhyt_card_expired", user=holder)}
    for channel in (Message.Channel.INBOX, Message.Channel.SMS):
        body = told[channel].body
        assert ("dưới 6 tuổi được cấp thẻ" in body) is free and ("nhà trường" in body) is not free, (channel, body)


@pytest.mark.parametrize("ended_as", [Card.Status.EXPIRED, Card.Status.REVOKED, Card.Status.REPLACED])
def test_the_nightly_expiry_never_reaches_a_card_ended_before_its_end_date(holder, card, ended_as):
    """The nightly run marks and tells only the cards still active past their end date (selectors.cards_past_end):
    a card ended early (marked expired by a corrected birth date, card_expire; revoked; replaced), whose end is the
    day it was so marked (Card.ended_on), is never reached, even once its printed end date has passed, so that no
    expiry notice can name for it a later day than its pages and the verify API show."""
    from notifications.models import Message

    today = timezone.localdate()
    with_dates(card, valid_to=today - DAY)
    Card.objects.filter(pk=card.pk).update(status=ended_as, changed_at=timezone.now() - 10 * DAY)
    ended = Card.objects.get(pk=card.pk)
    assert ended.ended_on == today - 10 * DAY < ended.valid_to  # ended before its end date
    assert cards_expire() == 0 and expire_cards.delay().get() == 0
    assert Card.objects.get(pk=card.pk).changed_at == ended.changed_at and not Message.objects.filter(
        template="bhyt_card_expired").exists()


@pytest.mark.parametrize("run_for", [0, 1])
def test_a_card_the_nightly_expiry_marks_is_told_the_end_its_pages_show(holder, card, run_for):
    """Every card the run marks was in use until its end date: marked then, for the run's day or a day past (a run
    queued again for its day), its end (Card.ended_on, what the holder's page and the verify API show) is that
    date, the one its notice and SMS name."""
    from notifications.models import Message
    from vssid_portal.templatetags.vn_format import vn_date

    today = timezone.localdate()
    with_dates(card, valid_to=today - (run_for + 1) * DAY)
    assert cards_expire(today=today - run_for * DAY) == 1
    marked = Card.objects.get(pk=card.pk)
    assert marked.status == Card.Status.EXPIRED and marked.ended_on == marked.valid_to
    told = Message.objects.filter(template="bhyt_card_expired", user=holder)
    assert told.count() == 2 and all(vn_date(marked.ended_on) in message.body for message in told)
    assert f"đến {vn_date(marked.ended_on)}" in text(logged_in(holder).get("/the-bhyt/"))


def test_the_beat_runs_the_expiry_task_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["cards-expire"]
    assert entry["task"] == "health_card.tasks.expire_cards"
    assert entry["schedule"].hour == {0} and settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_a_card_page_stored_yesterday_is_not_served_today(holder, card, monkeypatch):
    """The page is stored whole (vssid_portal.pagecache) while the content version holds; a card
    ending today moves no version at midnight, so the stored page must not outlive the day."""
    today = timezone.localdate()
    with_dates(card, valid_to=today)
    monkeypatch.setattr(accounts.pages, "content_version", lambda *ids: "1:1:1")  # as PostgreSQL would keep it
    client = logged_in(holder)
    assert 'href="/the-bhyt/ma-qr/"' in text(client.get("/the-bhyt/"))
    Card.objects.filter(pk=card.pk).update(living_area=Card.LivingArea.K2)  # on SQLite no trigger moves the version
    assert "Nơi sinh sống" not in text(client.get("/the-bhyt/"))  # so the page was served stored

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + DAY)
    page = text(client.get("/the-bhyt/"))
    assert "Nơi sinh sống" in page  # rendered afresh
    assert "<strong>Thẻ hết hạn.</strong>" in page and 'href="/the-bhyt/ma-qr/"' not in page
    assert leads_to_the_card_page(client, "/the-bhyt/ma-qr/", NO_QR)


def test_a_signed_qr_of_an_expired_card_is_refused_as_expired(card, clinic_user):
    today = timezone.localdate()
    card = with_dates(card, valid_to=today - DAY)
    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/",
                                             {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.PRINT)}))
    assert "Thẻ hết hạn" in page


def test_an_expired_card_whose_holder_has_a_new_card_names_the_new_one(holder, card, facility, clinic_user):
    """The printed QR of an old, expired card: the clinic is told the holder has a new card (the API
    names it in maTheMoi, as for a replaced card), and an expired card without one says nothing more;
    the public page still learns only that the card is not valid."""
    from django.test import Client

    from health_card.services import api_token_create

    today = timezone.localdate()
    old = with_dates(card, valid_to=today - DAY)
    printed = card_qr(old, purpose=Purpose.PRINT)
    _token, raw = api_token_create(facility=facility, name="HIS")
    url, auth = "/api/xac-thuc/the-bhyt/", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    note = "Người bệnh đã được cấp thẻ mới sau thẻ này"

    alone = Client().post(url, {"maQR": printed}, content_type="application/json", **auth).json()
    assert alone["maKetQua"] == "010" and alone["maTheMoi"] is None and note not in alone["ghiChu"]
    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}))
    assert "Thẻ hết hạn" in page and note not in page

    new = issue(holder.person, facility, valid_from=today, valid_to=today + 365 * DAY)
    answer = Client().post(url, {"maQR": printed}, content_type="application/json", **auth).json()
    assert answer["maKetQua"] == "010" and answer["ketQua"] == "expired" and answer["hopLe"] is False
    assert answer["maTheCu"] == old.legacy_number and answer["maTheMoi"] == new.legacy_number
    assert note in answer["ghiChu"] and answer["lanCap"] == old.version
    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}))
    assert "Thẻ hết hạn" in page and note in page
    public = text(Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}))
    assert "Thẻ không hợp lệ" in public and note not in public and new.legacy_number not in public

    Card.objects.filter(pk=new.pk).update(status=Card.Status.REVOKED)  # a new card no longer in use: not named
    gone = Client().post(url, {"maQR": printed}, content_type="application/json", **auth).json()
    assert gone["maTheMoi"] is None and note not in gone["ghiChu"]


def test_the_clinic_page_names_the_new_card_of_an_expired_ones_holder_as_the_api_does(holder, card, facility,
                                                                                    clinic_user):
    """An expired card whose holder has a card in use since (under another group: another number):
    the clinic page shows that card's number beside the note, as maTheMoi gives it; the public
    page does not."""
    from django.test import Client

    from health_card.services import api_token_create

    today = timezone.localdate()
    printed = card_qr(with_dates(card, valid_to=today - DAY), purpose=Purpose.PRINT)
    new = issue(holder.person, facility, group="GD", valid_from=today, valid_to=today + 365 * DAY)
    assert new.legacy_number != card.legacy_number
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": printed}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (answer["ketQua"], answer["maTheMoi"]) == ("expired", new.legacy_number)
    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}))
    assert "Thẻ hết hạn" in page and f"Mã thẻ mới: <strong>{new.legacy_number}</strong>" in page
    public = text(Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}))
    assert "Thẻ không hợp lệ" in public and new.legacy_number not in public and "Mã thẻ mới" not in public


def test_a_card_whose_notice_cannot_be_written_is_still_expired_logged_and_the_others_go_on(
        holder, card, stranger, monkeypatch, caplog):
    """One broken record (its notice fails to render or to be written) must not keep every other
    card of the night active and untold: it is logged, the rest are expired and told."""
    from health_card.services import cards
    from notifications.models import Message

    today = timezone.localdate()
    broken = with_dates(card, valid_to=today - DAY)
    told = with_dates(Card.objects.get(person=stranger.person), valid_to=today - DAY)
    person_notify = cards.person_notify

    def fails_for_one(*, person, **kwargs):
        if person.pk == broken.person_id:
            raise ValueError("broken record")
        return person_notify(person=person, **kwargs)

    monkeypatch.setattr(cards, "person_notify", fails_for_one)
    assert cards_expire() == 2
    assert set(Card.objects.filter(pk__in=[broken.pk, told.pk]).values_list("status", flat=True)) == {
        Card.Status.EXPIRED}
    assert Message.objects.filter(user=stranger, template="bhyt_card_expired").exists()
    assert any(record.levelname == "ERROR" and f"card {broken.pk}:" in record.getMessage() for record in caplog.records)


def test_the_soft_time_limit_still_stops_the_nightly_expiry_while_it_writes_a_notice(holder, card, monkeypatch):
    """Told to stop (the task's soft time limit) while writing a notice, the run stops and its
    batch is rolled back for the next run, instead of going on until the worker is killed."""
    from celery.exceptions import SoftTimeLimitExceeded

    from health_card.services import cards

    today = timezone.localdate()
    card = with_dates(card, valid_to=today - DAY)

    def time_is_up(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(cards, "person_notify", time_is_up)
    with pytest.raises(SoftTimeLimitExceeded):
        cards_expire()
    assert Card.objects.get(pk=card.pk).status == Card.Status.ACTIVE


def test_a_large_night_is_expired_in_runs_of_bounded_time_each_queueing_the_next(holder, card, stranger, facility,
                                                                                monkeypatch):
    """The cards of 31/12 are many: a run stops starting batches after its time (well within the
    task's time limits, and leaving the worker to the one-time codes queued meanwhile) and queues
    the next run for the same day, until none is left."""
    from health_card import tasks
    from health_card.services import cards

    today = timezone.localdate()
    due = [with_dates(card, valid_to=today - DAY), with_dates(Card.objects.get(person=stranger.person), valid_to=today - DAY),
           issue(make_person("7901000011", "Phạm Văn Nam", id_number="079088000011"), facility, valid_to=today - DAY)]
    monkeypatch.setattr(cards, "EXPIRE_BATCH", 1)
    monkeypatch.setattr(cards, "EXPIRE_RUN_SECONDS", 0)  # every run's time is up after its first batch
    queued = []
    monkeypatch.setattr(tasks, "dispatch", lambda task, *args: queued.append((task, args)))
    active = Card.objects.filter(pk__in=[c.pk for c in due], status=Card.Status.ACTIVE)

    assert expire_cards() == 1  # the beat's run
    assert active.count() == 2 and queued == [(expire_cards, (today.isoformat(),))]
    while queued:
        _task, args = queued.pop()
        assert expire_cards(*args) == 1
    assert active.count() == 0


BY_KEY = re.compile(r'ORDER BY (1|"health_card_card"\."id") ASC')


def test_the_nightly_expiry_locks_its_cards_in_one_order(holder, card, stranger):
    """Two runs at once (the beat's and a re-delivered one), or a run and an officer, take the
    rows' locks in the same order, so neither waits on the other in a circle (a deadlock)."""
    today = timezone.localdate()
    Card.objects.update(valid_to=today - DAY)
    with CaptureQueriesContext(connection) as queries:
        assert cards_expire() == 2
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"].upper()]
    picking = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('SELECT "health_card_card"."id"') and "LIMIT" in q["sql"]]
    if connection.features.has_select_for_update:
        assert locking and all(BY_KEY.search(sql) for sql in locking), locking
    assert picking and all(BY_KEY.search(sql) for sql in picking), picking


def test_the_nightly_expiry_reads_the_holders_of_a_batch_in_one_query_after_marking_their_cards(holder, card,
                                                                                                stranger):
    """The notices name each holder as read once the batch is marked, all in one query, none per card
    (test_card_expiry_locks.py: the name corrected while the run waited for a card)."""
    Card.objects.update(valid_to=timezone.localdate() - DAY)
    with CaptureQueriesContext(connection) as queries:
        assert cards_expire() == 2
    sql = [query["sql"] for query in queries.captured_queries]
    marking = next(i for i, query in enumerate(sql) if query.startswith('UPDATE "health_card_card"'))
    reading = [i for i, query in enumerate(sql) if query.startswith('SELECT "accounts_person"."id"')]
    assert len(reading) == 1 and reading[0] > marking and ' IN (' in sql[reading[0]], [sql[i] for i in reading]


def test_a_cards_end_is_unknown_in_use_without_an_end_date_ended_with_no_recorded_change_or_before_its_start():
    """Card.ended_on, as its docstring says: None for a card in use without an end date, for a card
    ended with no end date and no recorded change time, and for one so ended before its first day;
    else the end date or the change day."""
    changed = timezone.make_aware(datetime.datetime(2025, 6, 30, 10))
    assert Card(status=Card.Status.ACTIVE).ended_on is None
    assert Card(status=Card.Status.EXPIRED).ended_on is None
    start = datetime.date(2025, 1, 1)
    assert Card(status=Card.Status.REVOKED, valid_from=start, changed_at=changed).ended_on == datetime.date(2025, 6, 30)
    assert Card(status=Card.Status.REVOKED, valid_from=datetime.date(2025, 7, 1), changed_at=changed).ended_on is None
    assert Card(status=Card.Status.EXPIRED, valid_to=datetime.date(2025, 12, 31), valid_from=start,
                changed_at=changed).ended_on == datetime.date(2025, 6, 30)  # ended before its end date
    assert Card(status=Card.Status.EXPIRED, valid_to=datetime.date(2025, 6, 29), valid_from=start,
                changed_at=changed).ended_on == datetime.date(2025, 6, 29)  # marked the day(s) after it
    assert Card(status=Card.Status.ACTIVE, valid_to=datetime.date(2025, 12, 31), valid_from=start,
                changed_at=changed).ended_on == datetime.date(2025, 12, 31)
