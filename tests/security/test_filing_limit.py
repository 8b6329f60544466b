"""A login submits at most public_services.services.SUBMISSIONS_PER_LOGIN new filings: each one texts
its holder (a minor's parents too), a withdrawal again, and has its declaration PDF built, so that a
script submitting and withdrawing in a loop would otherwise make the portal send SMS and build PDFs
without end. Past the limit nothing is recorded nor sent, and the review page answers 429 with
Retry-After, saying so in Vietnamese, the answers kept. The limit is counted from the filings in
PostgreSQL, so that it holds, and filings are still taken, while Redis is down. A returned filing
corrected and sent again is no new filing: it is neither counted nor refused, and is sent once per
return."""

import datetime
import math
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from notifications.models import Message
from public_services import services
from public_services.models import Filing, FilingEvent
from public_services.services import filing_resubmit, filing_return, filings
from tests.accounts.helpers import jpeg
from tests.accounts.test_code_lookup_redis_down import stop_redis
from tests.public_services.helpers import (  # noqa: F401
    answers,
    correction,
    district_officer,
    logged,
    owner,
    reauthenticated,
    review_post,
    submit,
    submitted_at_once,
    withdrawn,
)

pytestmark = [pytest.mark.security, pytest.mark.django_db]

URL = "/dich-vu-cong/cap-lai-so-bhxh/"
REFUSED = "Bạn đã nộp quá nhiều hồ sơ trong một giờ."


@pytest.fixture
def two_an_hour(monkeypatch):
    monkeypatch.setattr(filings, "SUBMISSIONS_PER_LOGIN", 2, raising=False)  # fails, not errs, without it


def sent_minutes_ago(filing, minutes: int):
    """The filing made `minutes` earlier than it was: its submission and the event that recorded it."""
    earlier = datetime.timedelta(minutes=minutes)
    Filing.objects.filter(pk=filing.pk).update(submitted_at=filing.submitted_at - earlier)
    first = FilingEvent.objects.get(filing=filing, from_status="")
    FilingEvent.objects.filter(pk=first.pk).update(at=first.at - earlier)
    filing.refresh_from_db()
    return filing


def returned_made_two_hours_ago(owner, officer):
    """A filing the login made two hours ago, which the agency has just returned for correction."""
    filing = sent_minutes_ago(submit(owner, "THAY-DOI-CHI-TRA"), 120)
    filing_return(filing=filing, officer=officer, what="Ghi rõ bưu điện nhận tiền.")
    filing.refresh_from_db()
    return filing


def corrected(filing, user):
    return filing_resubmit(filing=filing, user=user, data=answers(filing.procedure_code), uploads={},
                           revision=filing.revision)


def test_submitting_and_withdrawing_in_a_loop_stops_at_the_logins_limit(owner, two_an_hour,  # noqa: F811
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            withdrawn(submit(owner))
    texts = Message.objects.filter(channel=Message.Channel.SMS).count()
    assert texts >= 4  # each submission and each withdrawal texted the holder
    with pytest.raises(services.FilingsRefused) as refused:
        submit(owner)
    assert REFUSED in refused.value.messages[0]
    assert Filing.objects.filter(person=owner.person).count() == 2
    assert Message.objects.filter(channel=Message.Channel.SMS).count() == texts


def test_the_review_page_refuses_past_the_limit_with_429_retry_after_and_the_answers_kept(owner, two_an_hour):  # noqa: F811
    for _ in range(2):
        withdrawn(submit(owner))
    client = logged(owner)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)
    assert client.post(URL, {**answers("607A"), "idempotency_key": key}).status_code == 302
    response = client.post(URL + "xem-lai/", review_post(client, URL, key))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert REFUSED in page and 'name="answers_shown"' in page  # the review again, ready to be sent later
    assert f"Hãy thử lại sau {math.ceil(int(response['Retry-After']) / 60)} phút;" in page
    assert not Filing.objects.filter(idempotency_key=key).exists()


def test_the_wait_is_until_the_oldest_filing_in_the_window_leaves_it(owner, two_an_hour):  # noqa: F811
    sent_minutes_ago(withdrawn(submit(owner)), 50)
    withdrawn(submit(owner))
    with pytest.raises(services.FilingsRefused) as refused:
        submit(owner)
    assert 9 * 60 < refused.value.wait <= 10 * 60  # the one sent 50 minutes ago leaves the hour in 10
    assert "Hãy thử lại sau 10 phút;" in refused.value.messages[0]  # the wait, not "later"


def test_the_english_refusal_says_the_minutes_left_too(owner, two_an_hour):  # noqa: F811
    sent_minutes_ago(withdrawn(submit(owner)), 59)
    withdrawn(submit(owner))
    with translation.override("en"), pytest.raises(services.FilingsRefused) as refused:
        submit(owner)
    assert ("You have submitted too many applications in an hour. Try again in 1 minute; what you entered is kept."
            == refused.value.messages[0])


def test_filings_sent_over_an_hour_ago_no_longer_count(owner, two_an_hour):  # noqa: F811
    sent_minutes_ago(withdrawn(submit(owner)), 61)
    withdrawn(submit(owner))
    assert submit(owner).status == Filing.Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_submissions_sent_at_once_are_counted_one_after_another(owner, two_an_hour):  # noqa: F811
    """A script sending its submissions together (other procedures, other people) does not have them all
    read the count before any is committed: the second waits for the first and sees it."""
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock ordering a login's submissions is PostgreSQL's; SQLite writes one "
                    "transaction at a time, so two cannot be held open together")
    withdrawn(submit(owner))
    first, outcome = submitted_at_once(lambda: submit(owner, "608A"), lambda: submit(owner, "DOI-LIEN-HE"))
    assert list(outcome) == ["refused"] and outcome["refused"].startswith(REFUSED), outcome
    assert list(Filing.objects.filter(submitted_by=owner).exclude(status=Filing.Status.WITHDRAWN)) == [first]


def test_the_limit_holds_and_filings_are_taken_while_redis_is_down(owner, two_an_hour, settings,  # noqa: F811
                                                                    monkeypatch):
    stop_redis(settings, monkeypatch)
    client = logged(owner)
    for expected in (302, 302, 429):
        key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)
        assert client.post(URL, {**answers("607A"), "idempotency_key": key}).status_code == 302
        response = client.post(URL + "xem-lai/", review_post(client, URL, key))
        assert response.status_code == expected
        if expected == 302:
            withdrawn(Filing.objects.get(idempotency_key=key))
    assert 3500 <= int(response["Retry-After"]) <= 3600 and REFUSED in response.content.decode()
    assert Filing.objects.filter(submitted_by=owner).count() == 2


def test_posts_with_files_stop_at_the_logins_limit_reading_nothing_more(owner, monkeypatch):  # noqa: F811
    """Each file posted to a procedure's form is decoded and re-encoded (or parsed) before the form is
    judged: past drafts.UPLOAD_POSTS_PER_LOGIN posts carrying files, nothing posted is read and the form
    comes back as a 429 with Retry-After, saying so, the files kept before still listed."""
    from public_services.views import drafts

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "2/h", raising=False)  # fails, not errs, without it
    client = logged(owner)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)
    incomplete = {**answers("607A"), "reason": "", "idempotency_key": key}  # refused for the reason missing
    for name in ("a.jpg", "b.jpg"):
        response = client.post(URL, {**incomplete, "attached_files": [jpeg(name)]})
        assert response.status_code == 200 and response.context["form"].errors
    assert len(response.context["attached"]) == 2
    refused = client.post(URL, {**incomplete, "attached_files": [jpeg("c.jpg")]})
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600
    assert "Bạn đã gửi tệp quá nhiều lần trong một giờ." in refused.content.decode()
    assert f"Hãy thử lại sau {math.ceil(int(refused['Retry-After']) / 60)} phút;" in refused.content.decode()
    assert len(refused.context["attached"]) == 2  # c.jpg was not read nor kept


def test_the_correction_page_counts_posts_with_files_as_the_form_does(owner, district_officer, monkeypatch):  # noqa: F811
    from public_services.services import filing_return
    from public_services.views import drafts

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h", raising=False)  # fails, not errs, without it
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Gửi kèm bản chụp giấy tờ.")
    filing.refresh_from_db()
    client, url = logged(owner), f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    incomplete = {**correction(filing, "607A"), "reason": ""}
    assert client.post(url, {**incomplete, "attached_files": [jpeg("a.jpg")]}).status_code == 200
    refused = client.post(url, {**incomplete, "attached_files": [jpeg("b.jpg")]})
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600
    assert "Bạn đã gửi tệp quá nhiều lần trong một giờ." in refused.content.decode()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED


def test_a_stale_correction_page_past_the_upload_limit_is_refused_as_stale_first(  # noqa: F811
        owner, district_officer, monkeypatch):  # noqa: F811
    """A correction page opened before the filing was sent and returned again, posting a file past the
    login's upload limit: refused as a page of an earlier revision (409, the new request shown), not by
    the limit, whose page would carry the new revision with the old page's answers, so that the next
    send would go through with them."""
    from public_services.views import drafts

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h", raising=False)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Gửi kèm bản chụp giấy tờ.")
    filing.refresh_from_db()
    client, url = logged(owner), f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    stale = correction(filing, "607A", details="Sổ bị ướt (trang cũ)")
    assert client.post(url, {**stale, "reason": "", "attached_files": [jpeg("a.jpg")]}).status_code == 200
    assert client.post(url, correction(filing, "607A")).status_code == 302  # another tab's send
    filing.refresh_from_db()
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ nơi làm mất sổ.")
    filing.refresh_from_db()

    refused = client.post(url, {**stale, "attached_files": [jpeg("b.jpg")]})

    assert refused.status_code == 409, refused.status_code
    assert "Ghi rõ nơi làm mất sổ." in refused.content.decode()
    assert Filing.objects.get(pk=filing.pk).revision == filing.revision


def test_a_login_at_its_limit_still_sends_a_correction(owner, district_officer, two_an_hour):  # noqa: F811
    """A correction is no new filing: a login that has made its filings of the hour still sends the
    correction of a returned one from its page."""
    filing = returned_made_two_hours_ago(owner, district_officer)
    for _ in range(2):
        withdrawn(submit(owner))
    with pytest.raises(services.FilingsRefused):
        submit(owner)
    response = reauthenticated(logged(owner)).post(f"/dich-vu-cong/ho-so/{filing.pk}/sua/",
                                                   correction(filing, "THAY-DOI-CHI-TRA"))
    assert response.status_code == 302 and response["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and filing.revision == 2


def test_corrections_do_not_use_up_the_logins_limit(owner, district_officer, two_an_hour):  # noqa: F811
    corrected(returned_made_two_hours_ago(owner, district_officer), owner)
    for _ in range(2):  # the correction took none of the hour's two new filings
        withdrawn(submit(owner))
    with pytest.raises(services.FilingsRefused):
        submit(owner)


def test_a_new_filing_corrected_within_the_hour_still_counts_once(owner, district_officer, two_an_hour):  # noqa: F811
    filing = filing_return(filing=submit(owner, "THAY-DOI-CHI-TRA"), officer=district_officer,
                           what="Ghi rõ bưu điện nhận tiền.")
    corrected(filing, owner)
    withdrawn(submit(owner))
    with pytest.raises(services.FilingsRefused):
        submit(owner)


def test_a_correction_is_sent_once_per_return(owner, district_officer,  # noqa: F811
                                              django_capture_on_commit_callbacks):
    """What bounds corrections instead of the limit: one is sent only while the filing is returned, so a
    second send of the same page (a double submit) records, texts and builds nothing more."""
    filing = returned_made_two_hours_ago(owner, district_officer)
    with django_capture_on_commit_callbacks(execute=True):
        corrected(filing, owner)
    texts = Message.objects.filter(channel=Message.Channel.SMS).count()
    with pytest.raises(ValidationError, match="Chỉ sửa được hồ sơ cơ quan BHXH đã trả lại"):
        corrected(filing, owner)  # the same revision, the page's own
    filing.refresh_from_db()
    assert filing.revision == 2
    assert filing.events.filter(from_status=Filing.Status.RETURNED, status=Filing.Status.SUBMITTED).count() == 1
    assert Message.objects.filter(channel=Message.Channel.SMS).count() == texts


def test_stale_correction_posts_with_files_spend_the_upload_limit(owner, district_officer, monkeypatch):  # noqa: F811
    """A correction page of an earlier revision is refused (409) before its files are read: the post is
    still counted as a post carrying files, so that a script cannot send them again and again past the
    login's limit. The 409 page stays as it is; the next post carrying files is refused by the limit."""
    from public_services.views import drafts

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h", raising=False)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Gửi kèm bản chụp giấy tờ.")
    filing.refresh_from_db()
    stale = correction(filing, "607A")
    corrected(filing, owner)
    filing.refresh_from_db()
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ nơi làm mất sổ.")
    filing.refresh_from_db()
    client, url = logged(owner), f"/dich-vu-cong/ho-so/{filing.pk}/sua/"

    refused_as_stale = client.post(url, {**stale, "attached_files": [jpeg("a.jpg")]})
    assert refused_as_stale.status_code == 409
    assert "Ghi rõ nơi làm mất sổ." in refused_as_stale.content.decode()

    current = {**correction(filing, "607A"), "reason": "", "attached_files": [jpeg("b.jpg")]}
    assert client.post(url, current).status_code == 429


def test_posts_with_files_to_a_filing_no_longer_returned_spend_the_upload_limit(  # noqa: F811
        owner, district_officer, monkeypatch):  # noqa: F811
    """The correction page of a filing withdrawn meanwhile (in another tab) answers without reading the
    post's files; the post is counted all the same, and the next post carrying files is refused by the limit."""
    from public_services.views import drafts

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h", raising=False)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Gửi kèm bản chụp giấy tờ.")
    filing.refresh_from_db()
    page = correction(filing, "607A")
    withdrawn(filing)
    client = logged(owner)

    sent = client.post(f"/dich-vu-cong/ho-so/{filing.pk}/sua/", {**page, "attached_files": [jpeg("a.jpg")]})
    assert sent.status_code == 409

    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)
    incomplete = {**answers("607A"), "reason": "", "idempotency_key": key, "attached_files": [jpeg("b.jpg")]}
    assert client.post(URL, incomplete).status_code == 429


def test_a_refused_resubmission_posted_with_files_spends_the_upload_limit(  # noqa: F811
        owner, district_officer, monkeypatch):  # noqa: F811
    """A returned filing whose resubmission is refused (its procedure closed to the person since) answers
    403 without reading the post's files; the post is counted all the same, and the next post carrying
    files is refused by the limit."""
    from public_services.views import correction as correction_views
    from public_services.views import drafts

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h", raising=False)
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Gửi kèm bản chụp giấy tờ.")
    filing.refresh_from_db()
    client, url = logged(owner), f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    page = {**correction(filing, "607A"), "reason": ""}
    with monkeypatch.context() as closed:
        closed.setattr(correction_views, "resubmit_refused", lambda filing, user=None: "Thủ tục đã đóng với người này.")
        assert client.post(url, {**page, "attached_files": [jpeg("a.jpg")]}).status_code == 403
    assert client.post(url, {**page, "attached_files": [jpeg("b.jpg")]}).status_code == 429


@pytest.mark.parametrize("scripted", [False, True])
def test_a_refresh_posted_with_files_is_answered_as_a_refresh_and_spends_the_upload_limit(  # noqa: F811
        owner, monkeypatch, scripted):  # noqa: F811
    """The "update the list" post (the button without JavaScript, or refresh-list.js) reads none of the files
    posted with it and is answered as before; it is counted as a post carrying files all the same, so that
    adding `refresh` to a post does not take it out of the count."""
    from public_services.views import drafts
    from vssid_portal.forms.kept import REFRESH_LIST_HEADER_VALUE

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h", raising=False)
    client = logged(owner)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)
    incomplete = {**answers("607A"), "reason": "", "idempotency_key": key}
    headers = {"X-Requested-With": REFRESH_LIST_HEADER_VALUE} if scripted else {}
    refreshed = client.post(URL, {**incomplete, "refresh": "1", "attached_files": [jpeg("a.jpg")]}, headers=headers)
    assert refreshed.status_code == (200 if scripted else 302)
    assert client.post(URL, {**incomplete, "attached_files": [jpeg("b.jpg")]}).status_code == 429


def test_a_form_post_with_files_refused_before_reading_them_spends_the_upload_limit(owner, monkeypatch):  # noqa: F811
    """A procedure's form refusing a post before it reads its files (here a form key no page gave, 403) counts
    it as a post carrying files all the same: the next one is refused by the limit."""
    from public_services.views import drafts

    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h", raising=False)
    client = logged(owner)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)
    incomplete = {**answers("607A"), "reason": ""}
    assert client.post(URL, {**incomplete, "idempotency_key": "?", "attached_files": [jpeg("a.jpg")]}).status_code == 403
    assert client.post(URL, {**incomplete, "idempotency_key": key, "attached_files": [jpeg("b.jpg")]}).status_code == 429
