"""Officers' admin: the queue of their agency subtree sorted by due date with overdue filings
marked, the filing page with evidence through the permission-checked view, the steps as
buttons and note forms, each logged."""

import datetime
import re

import pytest
from django.contrib.messages import INFO, WARNING
from django.test import override_settings
from django.utils import timezone

from notifications.models import Message
from public_services.models import Filing, FilingEvent

from .helpers import district_officer, logged, other_district_officer, owner, province_officer, stranger, submit  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"


def test_queue_is_scoped_sorted_by_due_date_and_marks_overdue(owner, stranger, district_officer, province_officer,
                                                              other_district_officer):
    late, soon = submit(owner), submit(owner, "DOI-LIEN-HE")
    theirs = submit(stranger)
    Filing.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 1, 2))
    html = logged(district_officer).get(QUEUE).content.decode()
    assert late.tracking_number in html and soon.tracking_number in html
    assert theirs.tracking_number not in html
    assert html.index(late.tracking_number) < html.index(soon.tracking_number)
    assert '<span class="filing-overdue">02/01/2020 – quá hạn</span>' in html
    html = logged(province_officer).get(QUEUE).content.decode()
    assert all(filing.tracking_number in html for filing in (late, soon, theirs))
    assert late.tracking_number not in logged(other_district_officer).get(QUEUE).content.decode()
    overdue = logged(district_officer).get(QUEUE + "?tinh_trang=qua_han").content.decode()
    assert late.tracking_number in overdue and soon.tracking_number not in overdue


def test_a_filing_due_today_is_not_overdue_and_one_due_yesterday_is(owner, district_officer):
    """The agency has the whole of the due date: the queue marks, and its filter lists, a filing as
    overdue only from the day after."""
    today, yesterday = submit(owner), submit(owner, "DOI-LIEN-HE")
    Filing.objects.filter(pk=today.pk).update(due_date=timezone.localdate())
    Filing.objects.filter(pk=yesterday.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert not Filing.objects.get(pk=today.pk).is_overdue and Filing.objects.get(pk=yesterday.pk).is_overdue
    overdue = logged(district_officer).get(QUEUE + "?tinh_trang=qua_han").content.decode()
    assert yesterday.tracking_number in overdue and today.tracking_number not in overdue


def test_a_staff_login_of_the_agency_without_the_filings_permission_opens_no_evidence_nor_declaration(
        owner, django_capture_on_commit_callbacks):
    """The evidence and the declaration are an officer's to read: a staff login of the same agency that
    may not view filings (feedback only) gets neither, however it learns their addresses."""
    from django.contrib.auth.models import Permission

    from tests.accounts.helpers import officer

    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "608A")
    staff = officer("hotro07901", "07901", "Cán bộ BHXH cơ sở")
    staff.groups.clear()
    staff.user_permissions.set(Permission.objects.filter(codename__in=["view_feedback", "answer_feedback"]))
    document = filing.documents.first()
    urls = [f"{QUEUE}{filing.pk}/giay-to/{document.pk}/", f"{QUEUE}{filing.pk}/to-khai/"]
    client = logged(staff)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    staff.user_permissions.add(Permission.objects.get(codename="view_filing"))  # the positive control
    assert [client.get(url).status_code for url in urls] == [200, 200]


def test_filing_page_shows_data_and_evidence_through_the_checked_view(owner, district_officer, other_district_officer,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "608A")
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert "Nguyễn Văn Đức Thành" in html and "Tiếp nhận hồ sơ" in html and "Tải tờ khai (PDF)" in html
    image = re.search(r'<img src="([^"]+)" alt="Ảnh giấy tờ chứng minh"', html).group(1)
    response = client.get(image)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert client.get(f"{QUEUE}{filing.pk}/to-khai/").status_code == 200
    outsider = logged(other_district_officer)
    assert outsider.get(image).status_code == 404
    assert outsider.get(f"{QUEUE}{filing.pk}/to-khai/").status_code == 404
    for response in (outsider.get(f"{QUEUE}{filing.pk}/change/"), outsider.get(f"{QUEUE}{filing.pk}/change/", follow=True),
                     outsider.get(f"{QUEUE}{filing.pk}/history/", follow=True)):
        assert response.status_code in (200, 302, 404)  # the admin index after its redirect, or a 404
        html = response.content.decode()
        for secret in ("Nguyễn Văn Đức", "Nguyen Van Duc", "7901234567", filing.tracking_number, "079088012345"):
            assert secret not in html, secret
    assert "Nguyễn Văn Đức" in html_of(client, f"{QUEUE}{filing.pk}/change/")  # the positive control


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_filing_page_lists_the_status_history_with_who_and_when(owner, district_officer):
    filing = submit(owner)
    client = logged(district_officer)
    client.post(f"{QUEUE}{filing.pk}/buoc/receive/")
    client.post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Bổ sung ảnh sổ cũ"})
    html = html_of(client, f"{QUEUE}{filing.pk}/change/")
    history = html[html.index("Lịch sử xử lý"):]
    headers = re.findall(r'<th scope="col">([^<]*)</th>', history)
    assert headers[:5] == ["Lúc", "Từ trạng thái", "Trạng thái", "Người thực hiện", "Ghi chú"]
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", history)
    assert len(rows) == 3
    assert "canbo07901" in rows[1] and "Bổ sung ảnh sổ cũ" in rows[2]
    assert 'name="events-' not in html  # read only: no form fields for the history


def test_officer_steps_from_the_filing_page(owner, district_officer, other_district_officer):
    filing = submit(owner)
    client = logged(district_officer)
    assert logged(other_district_officer).post(f"{QUEUE}{filing.pk}/buoc/receive/").status_code == 404
    assert client.get(f"{QUEUE}{filing.pk}/buoc/receive/").status_code == 405
    for step in ("receive", "start"):
        assert client.post(f"{QUEUE}{filing.pk}/buoc/{step}/").status_code == 302
    response = client.post(f"{QUEUE}{filing.pk}/buoc/receive/", follow=True)  # not allowed any more
    assert "không thể chuyển" in response.content.decode()
    html = client.get(f"{QUEUE}{filing.pk}/ghi-chu/return/").content.decode()
    assert "Nội dung người nộp cần bổ sung" in html
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": ""})
    assert "Hãy ghi nội dung người nộp cần bổ sung, sửa đổi." in response.content.decode()
    client.post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Bổ sung ảnh sổ cũ"})
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED and filing.note == "Bổ sung ảnh sổ cũ"
    events = FilingEvent.objects.filter(filing=filing)
    assert [event.status for event in events] == ["submitted", "received", "processing", "returned"]
    assert all(event.actor_id == district_officer.pk for event in events[1:])


def test_bulk_receive_and_reject(owner, district_officer):
    first, second = submit(owner), submit(owner, "DOI-LIEN-HE")
    client = logged(district_officer)
    client.post(QUEUE, {"action": "receive_selected", "_selected_action": [first.pk, second.pk]})
    assert set(Filing.objects.values_list("status", flat=True)) == {"received"}
    client.post(f"{QUEUE}{first.pk}/ghi-chu/reject/", {"note": "Không thuộc diện cấp lại"})
    assert Filing.objects.get(pk=first.pk).status == "rejected"


def test_citizens_cannot_enter_the_queue(client, owner):
    submit(owner)
    client.force_login(owner)
    assert client.get(QUEUE).status_code == 302


def test_queue_query_count_does_not_grow_with_filings(owner, district_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged(district_officer)
    submit(owner)
    client.get(QUEUE)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    one = count()
    for code in ("DOI-LIEN-HE", "UY-QUYEN", "CHUYEN-NOI-HUONG"):  # 608A is held by the 607A in hand
        submit(owner, code)
    assert count() == one


def test_a_filing_returned_for_correction_is_not_the_agencys_pending_or_overdue_work(owner, district_officer):
    returned, late = submit(owner), submit(owner, "DOI-LIEN-HE")
    client = logged(district_officer)
    client.post(f"{QUEUE}{returned.pk}/ghi-chu/return/", {"note": "Bổ sung ảnh sổ cũ"}, follow=True)  # its message read
    Filing.objects.filter(pk__in=[returned.pk, late.pk]).update(due_date=datetime.date(2020, 1, 2))
    for value in ("qua_han", "mo"):
        html = html_of(client, f"{QUEUE}?tinh_trang={value}")
        assert late.tracking_number in html and returned.tracking_number not in html, value
    waiting = html_of(client, f"{QUEUE}?tinh_trang=cho_bo_sung")
    assert returned.tracking_number in waiting and late.tracking_number not in waiting
    assert "Chờ người nộp bổ sung" in waiting
    assert waiting.count("02/01/2020") == 0 and "– (chờ người nộp bổ sung)" in waiting
    html = html_of(client, f"{QUEUE}{returned.pk}/change/")
    assert "02/01/2020" not in html and "– (chờ người nộp bổ sung)" in html
    assert "02/01/2020 – quá hạn" in html_of(client, f"{QUEUE}{late.pk}/change/")


def test_a_step_taken_twice_says_it_is_already_done_without_a_second_event_or_notice(owner, district_officer,
                                                                                     province_officer):
    filing = submit(owner)
    client = logged(district_officer)
    client.post(f"{QUEUE}{filing.pk}/buoc/receive/", follow=True)
    for officer in (district_officer, province_officer):  # a double click, or a colleague at the same moment
        response = logged(officer).post(f"{QUEUE}{filing.pk}/buoc/receive/", follow=True)
        [message] = response.context["messages"]
        assert message.level == INFO and "không thể chuyển" not in message.message
        assert message.message.startswith(f"Hồ sơ {filing.tracking_number} đã ở trạng thái “Đã tiếp nhận” (canbo07901, lúc ")
    assert list(filing.events.values_list("status", flat=True)) == ["submitted", "received"]
    assert Message.objects.filter(template="public_service_filing", channel=Message.Channel.INBOX).count() == 2

    response = client.post(QUEUE, {"action": "receive_selected", "_selected_action": [filing.pk]}, follow=True)
    assert [message.level for message in response.context["messages"]] == [INFO]

    client.post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Bổ sung ảnh sổ cũ"}, follow=True)
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Bổ sung ảnh sổ cũ"}, follow=True)
    [message] = response.context["messages"]
    assert message.level == INFO and "đã ở trạng thái “Cần bổ sung, sửa đổi”" in message.message
    assert response.request["PATH_INFO"] == f"{QUEUE}{filing.pk}/change/"
    other = "Ghi rõ số sổ cũ"
    response = logged(province_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": other}, follow=True)
    [message] = response.context["messages"]
    assert message.level == WARNING and f"chưa được gửi: “{other}”" in message.message
    filing.refresh_from_db()
    assert filing.note == "Bổ sung ảnh sổ cũ"
    assert list(filing.events.values_list("status", flat=True)) == ["submitted", "received", "returned"]


def test_the_agency_is_shown_as_text_where_the_officer_may_not_open_its_admin_page(owner, district_officer):
    filing = submit(owner)
    html = html_of(logged(district_officer), f"{QUEUE}{filing.pk}/change/")
    assert "Cơ quan BHXH giải quyết" in html and str(filing.agency) in html
    assert "/quan-tri/lookup/agency/" not in html  # a 403 for officers
    assert logged(district_officer).get(f"/quan-tri/lookup/agency/{filing.agency_id}/change/").status_code == 403


def test_a_note_step_the_filing_can_no_longer_take_is_refused_before_the_officer_writes(owner, district_officer):
    filing = submit(owner)
    client = logged(district_officer)
    client.post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {"note": "Không thuộc diện cấp lại"})
    refused = client.get(f"{QUEUE}{filing.pk}/ghi-chu/return/")
    assert refused.status_code == 302 and refused.url == f"{QUEUE}{filing.pk}/change/"
    html = client.get(refused.url).content.decode()
    assert "đang ở trạng thái “Từ chối giải quyết” nên không thể chuyển sang “Cần bổ sung, sửa đổi”" in html
    again = client.get(f"{QUEUE}{filing.pk}/ghi-chu/reject/", follow=True)
    assert [m.level for m in again.context["messages"]] == [INFO]
    assert "không cần thực hiện lại" in again.content.decode()
    assert 'name="note"' not in again.content.decode()


def test_a_decision_written_on_a_page_opened_before_a_colleague_returned_the_filing_is_not_sent(
        owner, district_officer, province_officer):
    """Officer A opens "Từ chối giải quyết" on a filing just submitted; meanwhile officer B returns it
    for a correction. A's rejection, written for a filing A saw as submitted, is not sent: A is told
    who moved it and when, and gets the reason back; the citizen hears only of B's request."""
    filing = submit(owner)
    reject_page = logged(district_officer).get(f"{QUEUE}{filing.pk}/ghi-chu/reject/").content.decode()
    assert 'name="seen" value="submitted"' in reject_page
    logged(province_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Bổ sung ảnh sổ cũ", "seen": "submitted"})
    response = logged(district_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/reject/",
                                            {"note": "Không thuộc diện cấp lại", "seen": "submitted"}, follow=True)
    [message] = response.context["messages"]
    assert message.level == WARNING
    assert message.message.startswith(f"Hồ sơ {filing.tracking_number} đã chuyển sang trạng thái “Cần bổ sung, sửa đổi” "
                                      "(canbo079, lúc ")
    assert "chưa được gửi: “Không thuộc diện cấp lại”" in message.message
    assert response.request["PATH_INFO"] == f"{QUEUE}{filing.pk}/change/"
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED and filing.note == "Bổ sung ảnh sổ cũ"
    assert list(filing.events.values_list("status", flat=True)) == ["submitted", "returned"]
    assert Message.objects.filter(template="public_service_filing", channel=Message.Channel.INBOX).count() == 2
    # Opened again, the page shows the filing as it now stands: the rejection goes through.
    assert 'name="seen" value="returned"' in logged(district_officer).get(f"{QUEUE}{filing.pk}/ghi-chu/reject/").content.decode()
    logged(district_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {"note": "Không thuộc diện cấp lại", "seen": "returned"})
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.REJECTED


def test_a_rejection_written_while_the_citizen_resubmitted_the_corrected_filing_is_not_sent(owner, district_officer):
    from public_services.services import filing_resubmit

    from .helpers import answers

    filing = submit(owner)
    logged(district_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Ghi rõ địa chỉ", "seen": "submitted"})
    filing.refresh_from_db()
    filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=filing.revision)
    response = logged(district_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/reject/",
                                            {"note": "Quá hạn bổ sung", "seen": "returned"}, follow=True)
    [message] = response.context["messages"]
    assert message.level == WARNING and "đã chuyển sang trạng thái “Đã nộp”" in message.message
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED


def test_the_procedure_filter_names_each_procedure_and_reads_no_filing_to_offer_them(owner, district_officer):
    """The filter offered the bare codes the filings held ("607A", "608A"), found by reading every
    filing of the officer's list on each page view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from public_services.procedures.registry import all_procedures

    first, second = submit(owner), submit(owner, "DOI-LIEN-HE")
    client = logged(district_officer)
    html = html_of(client, QUEUE)
    filters = html[html.index('id="changelist-filter"'):]
    for procedure in all_procedures():  # every procedure, a filing of it in the list or not
        assert f"{procedure.code} – {procedure.name}</a>" in filters
    assert ">607A</a>" not in filters
    only = html_of(client, QUEUE + "?procedure_code__exact=DOI-LIEN-HE")
    assert second.tracking_number in only and first.tracking_number not in only
    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)
    assert not [query for query in queries if "DISTINCT" in query["sql"] and "procedure_code" in query["sql"]]


def test_an_officer_reads_the_answers_in_the_declarations_words_not_the_citizens_form(owner, district_officer):
    """The form asks the citizen "Quan hệ với bạn" and "Thư điện tử (không bắt buộc)"; the officer
    reads the answer as the declaration prints it, about the person giving the authorisation."""
    filing = submit(owner, "UY-QUYEN")
    html = logged(district_officer).get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert '<th scope="row">Quan hệ với người ủy quyền</th><td>Vợ/chồng</td>' in html
    assert "Quan hệ với bạn" not in html and "(không bắt buộc)" not in html


def test_the_filing_page_offers_no_link_to_the_admins_change_log_which_never_holds_its_steps(owner, district_officer):
    """Officers' steps are recorded as the filing's own history (FilingEvent), shown on the page under
    "Lịch sử xử lý"; Django's change log of the admin never holds them, so its page said the filing
    had no history at all."""
    filing = submit(owner)
    client = logged(district_officer)
    client.post(f"{QUEUE}{filing.pk}/buoc/receive/")
    html = html_of(client, f"{QUEUE}{filing.pk}/change/")
    assert f"{QUEUE}{filing.pk}/history/" not in html
    assert "Lịch sử xử lý" in html and "canbo07901" in html[html.index("Lịch sử xử lý"):]


def test_an_officer_attached_to_no_agency_is_told_why_the_queue_is_empty(owner, district_officer):
    from tests.accounts.helpers import officer

    filing = submit(owner)
    lost = logged(officer("canbo-chua-co-quan", None, "Cán bộ BHXH cơ sở"))
    response = lost.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200 and filing.tracking_number not in html
    assert [str(message) for message in response.context["messages"]] == [
        "Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có hồ sơ nào để xử lý. "
        "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc."]
    response = logged(district_officer).get(QUEUE)
    assert filing.tracking_number in response.content.decode() and not list(response.context["messages"])


def test_an_officer_attached_to_no_agency_is_told_why_once_after_a_wrong_filter(owner):
    """A wrong filter is answered by a redirect to the list (?e=1): the warning is said on that
    page once, not also kept from the redirect."""
    from tests.accounts.helpers import officer

    lost = logged(officer("canbo-chua-co-quan", None, "Cán bộ BHXH cơ sở"))
    response = lost.get(QUEUE, {"khong_co_bo_loc": "1"}, follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("?e=1")
    assert [str(message) for message in response.context["messages"]] == [
        "Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có hồ sơ nào để xử lý. "
        "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc."]


def test_a_filing_gone_to_another_agency_after_the_list_was_read_is_named_and_the_others_taken(
        owner, district_officer, monkeypatch):  # noqa: F811
    """The citizen resubmitted it to another agency once the list had read the rows ticked: the step
    refuses it (PermissionDenied), which ended the whole action on a 403 page, the filings after it
    left undone and nothing said of those done before it."""
    from lookup.models import Agency
    from public_services.admin import steps as filing_steps

    first, second = submit(owner), submit(owner, "DOI-LIEN-HE")
    receive = filing_steps.filing_receive

    def after_the_move(*, filing, **kwargs):
        if filing.pk == first.pk:
            Filing.objects.filter(pk=first.pk).update(agency=Agency.objects.get(code="07902"))
        return receive(filing=filing, **kwargs)

    monkeypatch.setattr(filing_steps, "filing_receive", after_the_move)
    response = logged(district_officer).post(QUEUE, {"action": "receive_selected",
                                                     "_selected_action": [first.pk, second.pk]}, follow=True)
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Đã tiếp nhận: 1 hồ sơ; người nộp đã được thông báo.",
        f"Hồ sơ {first.tracking_number} đã chuyển sang cơ quan BHXH khác nên bạn không còn xử lý được; chưa thực hiện."]
    statuses = dict(Filing.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk]) == (Filing.Status.SUBMITTED, Filing.Status.RECEIVED)


def test_a_filing_the_bulk_step_cannot_move_is_named_once_in_its_message(owner, district_officer):
    first, second = submit(owner), submit(owner, "DOI-LIEN-HE")
    client = logged(district_officer)
    client.post(f"{QUEUE}{first.pk}/ghi-chu/reject/", {"note": "Không thuộc diện cấp lại"}, follow=True)
    response = client.post(QUEUE, {"action": "receive_selected", "_selected_action": [first.pk, second.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Đã tiếp nhận: 1 hồ sơ; người nộp đã được thông báo.",
        f"Hồ sơ {first.tracking_number} đang ở trạng thái “Từ chối giải quyết” nên không thể chuyển sang “Đã tiếp nhận”."]


UNTOLD = "không gửi thông báo vì không có tài khoản đang hoạt động nào trên Cổng được xem hồ sơ."


def said(client, url: str, data: dict | None = None) -> list[str]:
    """The messages the officer's page shows after posting a step."""
    return [str(message) for message in client.post(url, data or {}, follow=True).context["messages"]]


def test_a_step_on_one_filing_says_the_filer_was_told_only_when_a_login_could_be_told(owner, district_officer):
    """A step was said to have been told to the filer whether or not anyone could be: a filing whose
    person has no login that signs in (here one an officer deactivated), nor a parent's of a minor, is
    told to nobody."""
    from accounts.models import User

    first, second = submit(owner), submit(owner, "DOI-LIEN-HE")
    client = logged(district_officer)
    User.objects.filter(pk=owner.pk).update(is_active=False)
    sent = Message.objects.count()
    assert said(client, f"{QUEUE}{first.pk}/buoc/receive/") == [
        f"Tiếp nhận hồ sơ: hồ sơ {first.tracking_number} đã cập nhật; {UNTOLD}"]
    assert said(client, f"{QUEUE}{first.pk}/ghi-chu/return/", {"note": "Bổ sung ảnh sổ cũ"}) == [
        f"Trả lại để bổ sung, sửa đổi: hồ sơ {first.tracking_number} đã cập nhật; {UNTOLD}"]
    assert Message.objects.count() == sent
    User.objects.filter(pk=owner.pk).update(is_active=True)
    assert said(client, f"{QUEUE}{second.pk}/buoc/receive/") == [
        f"Tiếp nhận hồ sơ: hồ sơ {second.tracking_number} đã cập nhật; người nộp đã được thông báo."]
    assert said(client, f"{QUEUE}{second.pk}/ghi-chu/reject/", {"note": "Không thuộc diện"}) == [
        f"Từ chối giải quyết: hồ sơ {second.tracking_number} đã cập nhật; người nộp đã được thông báo."]

def test_a_bulk_step_says_which_filers_were_told_only_of_those_a_login_could_be_told(owner, district_officer):
    from accounts.models import User

    from .helpers import citizen

    alone = citizen("7901000003", "Trần Thị Lan", sex=2, id_number="079188012347")
    told, untold = submit(owner), submit(alone)
    User.objects.filter(pk=alone.pk).update(is_active=False)
    client = logged(district_officer)
    response = client.post(QUEUE, {"action": "receive_selected", "_selected_action": [told.pk, untold.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Đã tiếp nhận: 2 hồ sơ; người nộp đã được thông báo, trừ 1 hồ sơ không có tài khoản đang hoạt động nào trên "
        "Cổng được xem nên không gửi thông báo."]
    response = client.post(QUEUE, {"action": "start_selected", "_selected_action": [untold.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        f"Đã chuyển sang đang giải quyết: 1 hồ sơ; {UNTOLD}"]
    response = client.post(QUEUE, {"action": "start_selected", "_selected_action": [told.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Đã chuyển sang đang giải quyết: 1 hồ sơ; người nộp đã được thông báo."]


def test_what_a_filing_step_says_of_who_was_told_is_written_in_english_too():
    from django.utils import translation

    from public_services.admin import RECEIVED_MANY, STEP_DONE, told_message
    from public_services.selectors import FilingsTold

    with translation.override("en"):
        done = STEP_DONE["return"] % {"number": "HS-1"}
        assert told_message(done, FilingsTold(filer=1)) == "Application HS-1 returned for correction; the applicant was told."
        assert told_message(done, FilingsTold(nobody=1)) == (
            "Application HS-1 returned for correction; nobody was told, as no active login on the portal may view "
            "the application.")
        assert told_message(RECEIVED_MANY % {"count": 2}, FilingsTold(nobody=2)) == (
            "2 applications received; nobody was told, as no active login on the portal may view the applications.")
        assert told_message(RECEIVED_MANY % {"count": 3}, FilingsTold(filer=2, nobody=1)) == (
            "3 applications received; the applicants were told, except for 1 application that no active login on "
            "the portal may view, so nobody was told of it.")


def test_the_filing_page_names_the_parent_who_declared_a_childs_filing(owner, district_officer):
    """The declaration is the parent's, and signed by them; the page named only the child."""
    from accounts.models import Guardianship
    from tests.accounts.helpers import born_years_ago, make_person

    son = make_person("7905555556", "Nguyễn Minh Khang", birth=born_years_ago(3), id_number="")
    son.agency = owner.person.agency
    son.save(update_fields=["agency"])
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    for_son, own = submit(owner, person=son), submit(owner, "608A")
    client = logged(district_officer)
    declarant = re.compile(r"<label>Người kê khai:</label>\s*<div class=\"readonly\">([^<]*)</div>")
    assert declarant.search(html_of(client, f"{QUEUE}{for_son.pk}/change/")).group(1) == "Nguyễn Văn Đức (Cha)"
    assert declarant.search(html_of(client, f"{QUEUE}{own.pk}/change/")).group(1) == "Người tham gia tự kê khai"


def test_a_reason_written_on_a_filing_that_moved_to_another_agency_is_given_back(owner, district_officer):
    """The citizen resubmitted it to another agency while the officer wrote: the officer is told, and
    gets the words back, instead of a 404 that lost them. Without the page's token, still a 404."""
    from lookup.models import Agency

    filing = submit(owner)
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/ghi-chu/reject/").content.decode()
    form = dict(re.findall(r'name="(seen|opened)" value="([^"]*)"', html))
    Filing.objects.filter(pk=filing.pk).update(agency=Agency.objects.get(code="07902"))
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {**form, "note": "Thiếu ảnh sổ cũ"}, follow=True)
    assert response.request["PATH_INFO"] == QUEUE
    assert [(m.level, m.message) for m in response.context["messages"]] == [(WARNING, (
        f"Hồ sơ {filing.tracking_number} đã chuyển sang cơ quan BHXH khác sau khi trang này được mở, nên bạn không "
        "còn xử lý được; chưa thực hiện. Nội dung bạn vừa nhập chưa được gửi: “Thiếu ảnh sổ cũ”"))]
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED
    forged = client.post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {"note": "Thiếu ảnh sổ cũ", "seen": "submitted"})
    assert forged.status_code == 404


def test_a_step_taken_on_a_page_opened_before_a_return_and_resubmission_says_the_filing_was_resubmitted(
        owner, district_officer):
    """Back in the status the officer saw: the refusal says it was resubmitted, by whom and when."""
    from django.core.exceptions import ValidationError

    from public_services.services import filing_receive, filing_resubmit, filing_return

    from .helpers import answers

    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ")
    filing.refresh_from_db()
    filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=filing.revision)
    with pytest.raises(ValidationError) as refused:
        filing_receive(filing=filing, officer=district_officer, seen="submitted", seen_revision=1)
    message = refused.value.message
    assert f"Hồ sơ {filing.tracking_number} đã được nộp lại ({owner}, lúc " in message
    assert "đã chuyển sang trạng thái" not in message and "sau khi trang này được mở; chưa thực hiện." in message


def _moved_before_the_lock(steps: dict, step: str, filing, monkeypatch):
    """The citizen resubmits `filing` to another agency once the view has found it theirs, before
    the step locks its row."""
    from lookup.models import Agency

    service, *rest = steps[step]

    def after_the_move(**kwargs):
        Filing.objects.filter(pk=filing.pk).update(agency=Agency.objects.get(code="07902"))
        return service(**kwargs)

    monkeypatch.setitem(steps, step, (after_the_move, *rest))


def test_a_step_on_a_filing_gone_to_another_agency_before_its_lock_says_so(owner, district_officer, monkeypatch):
    """The service refuses it on the locked row (PermissionDenied), which the page answered with a
    bare 403 instead of why."""
    from public_services.admin import steps as filing_steps

    filing = submit(owner)
    _moved_before_the_lock(filing_steps.STEPS, "receive", filing, monkeypatch)
    response = logged(district_officer).post(f"{QUEUE}{filing.pk}/buoc/receive/", {"seen": "submitted"}, follow=True)
    assert response.status_code == 200 and response.request["PATH_INFO"] == QUEUE
    assert [(m.level, m.message) for m in response.context["messages"]] == [(WARNING, (
        f"Hồ sơ {filing.tracking_number} đã chuyển sang cơ quan BHXH khác sau khi trang này được mở, nên bạn không "
        "còn xử lý được; chưa thực hiện."))]
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED


def test_a_step_by_an_officer_without_the_process_permission_is_still_a_403(owner, district_officer):
    from django.contrib.auth.models import Permission

    district_officer.groups.first().permissions.remove(Permission.objects.get(codename="process_filing"))
    filing = submit(owner)
    assert logged(district_officer).post(f"{QUEUE}{filing.pk}/buoc/receive/").status_code == 403
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED


def test_a_reason_on_a_filing_gone_to_another_agency_before_its_lock_is_given_back(owner, district_officer,
                                                                                  monkeypatch):
    """Found theirs by the page, refused by the service on the locked row: the PermissionDenied was
    not caught, a bare 403 page that lost the reason typed."""
    from public_services.admin import steps as filing_steps

    filing = submit(owner)
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/ghi-chu/reject/").content.decode()
    form = dict(re.findall(r'name="(seen|seen_revision|opened)" value="([^"]*)"', html))
    _moved_before_the_lock(filing_steps.NOTE_STEPS, "reject", filing, monkeypatch)
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {**form, "note": "Thiếu ảnh sổ cũ"}, follow=True)
    assert response.status_code == 200 and response.request["PATH_INFO"] == QUEUE
    assert [(m.level, m.message) for m in response.context["messages"]] == [(WARNING, (
        f"Hồ sơ {filing.tracking_number} đã chuyển sang cơ quan BHXH khác sau khi trang này được mở, nên bạn không "
        "còn xử lý được; chưa thực hiện. Nội dung bạn vừa nhập chưa được gửi: “Thiếu ảnh sổ cũ”"))]
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED


def test_an_english_admin_is_told_in_english_that_the_filing_moved_to_another_agency(owner, district_officer):
    """The note page's outcome in the admin's language, as the page itself: it was Vietnamese alone."""
    from lookup.models import Agency

    filing = submit(owner)
    client = logged(district_officer)
    with override_settings(LANGUAGE_CODE="en"):
        html = client.get(f"{QUEUE}{filing.pk}/ghi-chu/return/").content.decode()
        form = dict(re.findall(r'name="(seen|opened)" value="([^"]*)"', html))
        Filing.objects.filter(pk=filing.pk).update(agency=Agency.objects.get(code="07902"))
        response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {**form, "note": "Thiếu ảnh sổ cũ"}, follow=True)
    assert [m.message for m in response.context["messages"]] == [
        f"Application {filing.tracking_number} moved to another social insurance agency after this page was opened, "
        "so you can no longer handle it; nothing was done. What you have just typed was not sent: “Thiếu ảnh sổ cũ”"]
