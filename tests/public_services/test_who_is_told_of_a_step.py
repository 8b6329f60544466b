"""Whom an officer's step on a filing tells, and what the officer's message says of it: the filer
when they may view the filing; else the person, or a minor person's other parent or guardian; and,
when no login may view it, a rejection or a return for correction is still told to the parent who
filed it for a child grown to 18 since without a login of their own, without its reason (the
grown child's to read), instead of to nobody."""

import pytest
from django.utils import translation

from accounts.models import Guardianship, User
from notifications.models import Message
from public_services.admin import RECEIVED_MANY, told_message, will_tell
from public_services.selectors import FilingsTold
from tests.accounts.helpers import born_years_ago

from .helpers import citizen, district_officer, logged, owner, submit  # noqa: F401
from .test_admin import QUEUE, UNTOLD, said
from .test_filed_for_a_grown_child import CHILD, _son_of, returned  # noqa: F401

pytestmark = pytest.mark.django_db

REASON = "Không thuộc diện cấp lại sổ"


def _grown(filing):
    son = filing.person
    son.birth_date = born_years_ago(19)
    son.save(update_fields=["birth_date"])
    return filing


def _told(user, template="public_service_filing_left"):
    return {message.channel: message for message in Message.objects.filter(user=user, template=template)}


def test_a_rejection_nobody_may_read_is_told_to_the_parent_who_filed_it_without_its_reason(
        owner, returned, district_officer, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        assert said(logged(district_officer), f"{QUEUE}{returned.pk}/ghi-chu/reject/", {"note": REASON}) == [
            f"Từ chối giải quyết: hồ sơ {returned.tracking_number} đã cập nhật; người nộp đã được thông báo."]
    told = _told(owner)
    assert set(told) == {Message.Channel.INBOX, Message.Channel.SMS, Message.Channel.EMAIL}
    for message in told.values():
        assert returned.tracking_number in message.body and CHILD in message.body and REASON not in message.body
    assert "bị từ chối" in told[Message.Channel.SMS].body and "đủ 18 tuổi" in told[Message.Channel.SMS].body
    # No link: the parent's list of filings shows the open ones only, of which a refused one is no more.
    assert told[Message.Channel.INBOX].link == ""
    assert told[Message.Channel.EMAIL].recipient == owner.email


def test_a_return_nobody_may_read_is_told_to_the_parent_who_filed_it(owner, district_officer,  # noqa: F811
                                                                    django_capture_on_commit_callbacks):
    filing = _grown(submit(owner, person=_son_of(owner)))
    with django_capture_on_commit_callbacks(execute=True):
        assert said(logged(district_officer), f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Bổ sung giấy khai sinh"}) == [
            f"Trả lại để bổ sung, sửa đổi: hồ sơ {filing.tracking_number} đã cập nhật; người nộp đã được thông báo."]
    told = _told(owner)
    sms = told[Message.Channel.SMS]
    assert "cần sửa" in sms.body and "sửa và nộp lại" in sms.body and "giấy khai sinh" not in sms.body
    # The parent's list of filings, where the returned one is still listed (selectors.filings_left_by).
    link = told[Message.Channel.INBOX].link
    assert link == f"/ca-nhan/xem/{owner.person_id}/?tiep=%2Fdich-vu-cong%2Fho-so%2F"
    assert filing.tracking_number in logged(owner).get(link, follow=True).content.decode()


def test_another_step_nobody_may_read_still_tells_nobody(owner, district_officer):  # noqa: F811
    filing = _grown(submit(owner, person=_son_of(owner)))
    assert said(logged(district_officer), f"{QUEUE}{filing.pk}/buoc/receive/") == [
        f"Tiếp nhận hồ sơ: hồ sơ {filing.tracking_number} đã cập nhật; {UNTOLD}"]
    assert not _told(owner)


def test_a_parent_no_longer_linked_is_not_told(owner, district_officer):  # noqa: F811
    filing = _grown(submit(owner, person=_son_of(owner)))
    Guardianship.objects.filter(parent=owner).delete()
    assert said(logged(district_officer), f"{QUEUE}{filing.pk}/ghi-chu/reject/", {"note": REASON}) == [
        f"Từ chối giải quyết: hồ sơ {filing.tracking_number} đã cập nhật; {UNTOLD}"]
    assert not _told(owner)


def test_a_step_told_to_the_grown_child_and_not_the_parent_says_the_person_was_told(owner, district_officer):  # noqa: F811
    filing = _grown(submit(owner, person=_son_of(owner)))
    child = User.objects.create_user(filing.person.bhxh_code, password="x-Pass-2026!", person=filing.person)
    parents = Message.objects.filter(user=owner).count()  # of the submission, while the son was 17
    assert said(logged(district_officer), f"{QUEUE}{filing.pk}/ghi-chu/reject/", {"note": REASON}) == [
        f"Từ chối giải quyết: hồ sơ {filing.tracking_number} đã cập nhật; người tham gia đã được thông báo."]
    assert Message.objects.filter(user=child, template="public_service_filing").exists()
    assert Message.objects.filter(user=owner).count() == parents


def test_a_step_told_to_a_minors_other_parent_only_says_so(owner, district_officer):  # noqa: F811
    filing = submit(owner, person=_son_of(owner))
    mother = citizen("7901000003", "Trần Thị Lan", sex=2, id_number="079188012347", monthly_benefit=False)
    Guardianship.objects.create(parent=mother, child=filing.person, relationship="me")
    User.objects.filter(pk=owner.pk).update(is_active=False)
    assert said(logged(district_officer), f"{QUEUE}{filing.pk}/buoc/receive/") == [
        f"Tiếp nhận hồ sơ: hồ sơ {filing.tracking_number} đã cập nhật; cha, mẹ, người giám hộ của người tham gia "
        "đã được thông báo."]


def test_a_bulk_step_says_whom_each_filing_was_told_to(owner, district_officer):  # noqa: F811
    own = submit(owner)
    grown = _grown(submit(owner, person=_son_of(owner)))
    User.objects.create_user(grown.person.bhxh_code, password="x-Pass-2026!", person=grown.person)
    response = logged(district_officer).post(QUEUE, {"action": "receive_selected",
                                                     "_selected_action": [own.pk, grown.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Đã tiếp nhận: 2 hồ sơ; người nộp của 1 hồ sơ đã được thông báo; người tham gia của 1 hồ sơ đã được "
        "thông báo."]


def test_whom_a_step_was_told_to_is_written_in_english_too():
    with translation.override("en"):
        done = RECEIVED_MANY % {"count": 4}
        assert told_message(done, FilingsTold(person=1)) == "4 applications received; the insured person was told."
        assert told_message(done, FilingsTold(guardian=2)) == (
            "4 applications received; the parents or guardians of the insured people were told.")
        assert told_message(done, FilingsTold(filer=1, person=1, guardian=1, nobody=1)) == (
            "4 applications received; the applicant of 1 application was told; the insured person of 1 application "
            "was told; the parent or guardian of the insured person of 1 application was told, except for 1 "
            "application that no active login on the portal may view, so nobody was told of it.")


def test_the_completion_page_says_whom_the_completion_will_tell(owner, district_officer):  # noqa: F811
    from public_services.services import filing_receive, filing_start

    filing = submit(owner, person=_son_of(owner))
    for step in (filing_receive, filing_start):
        step(filing=filing, officer=district_officer)
    client, page = logged(district_officer), f"{QUEUE}{filing.pk}/buoc/complete/"
    assert "và người nộp được thông báo." in client.get(page).content.decode()
    _grown(filing)
    html = client.get(page).content.decode()
    assert "người nộp được thông báo" not in html
    assert "; không ai được thông báo vì không có tài khoản đang hoạt động nào trên Cổng được xem hồ sơ." in html
    User.objects.create_user(filing.person.bhxh_code, password="x-Pass-2026!", person=filing.person)
    assert "và người tham gia được thông báo." in client.get(page).content.decode()


def test_whom_a_completion_will_tell_is_said_from_the_words_of_the_steps_message_in_english_too():
    """The page confirming a completion names whom it will tell with the step message's words (WHOM,
    NO_LOGIN_MAY_VIEW), in the officer's language."""
    assert will_tell(FilingsTold(guardian=1)) == "và cha, mẹ, người giám hộ của người tham gia được thông báo"
    with translation.override("en"):
        assert will_tell(FilingsTold(filer=1)) == "and the applicant will be told"
        assert will_tell(FilingsTold(nobody=1)) == (
            "nobody will be told, as no active login on the portal may view the application")
