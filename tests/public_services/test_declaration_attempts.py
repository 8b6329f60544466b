"""A declaration that cannot be built is tried at most JOB_MAX_ATTEMPTS times — by the task, its
retries and the periodic sweep together — and then given up: the sweep stops queueing it, the
citizen is told the filing is kept, and an officer of the agency can start it again."""

from unittest import mock

import pytest
from django.conf import settings

from public_services.models import Filing
from public_services.services import declarations, filing_build_declaration, filings_missing_declarations
from public_services.tasks import build_missing_filing_declarations

from .helpers import answers, district_officer, other_district_officer, owner, submit  # noqa: F401
from .test_admin import QUEUE, logged

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_render(settings):
    settings.JOB_MAX_ATTEMPTS = 3
    with mock.patch.object(declarations, "render_pdf", side_effect=RuntimeError("a template that cannot render")) as render:
        yield render


def test_a_build_that_always_fails_is_given_up_after_the_last_attempt(owner, broken_render, settings):
    filing = submit(owner)
    for attempt in range(1, 4):
        assert filings_missing_declarations() == [filing.pk]
        with pytest.raises(RuntimeError):
            filing_build_declaration(filing_id=filing.pk)
        # The attempt is counted although the build's own transaction rolled back.
        assert Filing.objects.get(pk=filing.pk).pdf_attempts == attempt

    # One more delivery (a retry already queued, a worker re-delivery) gives up without rendering.
    assert filing_build_declaration(filing_id=filing.pk) is None
    assert broken_render.call_count == 3
    filing.refresh_from_db()
    assert filing.pdf_given_up and not filing.pdf_ready
    assert filings_missing_declarations() == []
    build_missing_filing_declarations()  # the beat's sweep: nothing is queued, nothing rendered
    assert broken_render.call_count == 3


def test_the_citizen_is_told_the_filing_is_kept(owner, broken_render):
    filing = submit(owner)
    client = logged(owner)
    assert "Tờ khai đang được tạo." in client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    Filing.objects.filter(pk=filing.pk).update(pdf_attempts=4)
    html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert "Chưa tạo được tờ khai." in html and "bạn không cần nộp lại" in html
    assert "Tờ khai đang được tạo." not in html and "data-poll" not in html


def test_an_officer_starts_a_given_up_declaration_again(owner, district_officer, other_district_officer, broken_render,
                                                        django_capture_on_commit_callbacks):
    given_up, building = submit(owner), submit(owner, "DOI-LIEN-HE")
    Filing.objects.filter(pk=given_up.pk).update(pdf_attempts=4)
    Filing.objects.filter(pk=building.pk).update(pdf_attempts=1)
    listed = logged(district_officer).get(QUEUE + "?to_khai=chua_tao_duoc").content.decode()
    assert given_up.tracking_number in listed and building.tracking_number not in listed
    page = logged(district_officer).get(f"{QUEUE}{given_up.pk}/change/").content.decode()
    assert "Chưa tạo được tờ khai." in page

    action = {"action": "retry_declarations_selected", "_selected_action": [given_up.pk, building.pk]}
    # An officer of another agency does not see the filings: the action starts nothing.
    logged(other_district_officer).post(QUEUE, action)
    assert Filing.objects.get(pk=given_up.pk).pdf_attempts == 4

    broken_render.side_effect = None
    broken_render.return_value = b"%PDF-1.7 declaration"
    with django_capture_on_commit_callbacks(execute=True):
        response = logged(district_officer).post(QUEUE, action, follow=True)
    assert "Đã bắt đầu tạo lại 1 tờ khai." in response.content.decode()
    given_up.refresh_from_db()
    assert given_up.pdf_ready and given_up.pdf_attempts == 1
    assert Filing.objects.get(pk=building.pk).pdf_attempts == 1  # not given up: left to its own task


def test_a_corrected_filing_gets_its_attempts_back(owner, district_officer, broken_render):
    from public_services.services import filing_receive, filing_resubmit, filing_return

    filing = submit(owner)
    Filing.objects.filter(pk=filing.pk).update(pdf_attempts=4)
    filing = filing_receive(filing=Filing.objects.get(pk=filing.pk), officer=district_officer)
    filing = filing_return(filing=filing, officer=district_officer, what="Ảnh giấy tờ bị mờ, chụp lại.")
    filing = filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=1)
    filing.refresh_from_db()
    assert filing.revision == 2 and filing.pdf_attempts == 0 and not filing.pdf_given_up
    assert filings_missing_declarations() == [filing.pk]


def test_a_storage_outage_does_not_use_up_the_attempts(owner):
    from public_services.tasks import build_filing_declaration

    filing = submit(owner)
    with mock.patch.object(declarations, "render_pdf", side_effect=OSError(28, "No space left on device")):
        for _dispatch in range(3):  # the submit's task with its 5 retries, then two sweeps during the outage
            build_filing_declaration.delay(filing.pk)
    assert Filing.objects.get(pk=filing.pk).pdf_attempts == 0
    build_missing_filing_declarations()  # the storage is back: the next sweep builds it
    assert Filing.objects.get(pk=filing.pk).pdf_ready


def test_a_withdrawn_filing_is_not_listed_as_given_up(owner, district_officer, broken_render):
    from public_services.services import filing_withdraw

    filing = filing_withdraw(filing=submit(owner), user=owner)
    Filing.objects.filter(pk=filing.pk).update(pdf_attempts=4)
    assert not Filing.objects.get(pk=filing.pk).pdf_given_up
    listed = logged(district_officer).get(QUEUE + "?to_khai=chua_tao_duoc").content.decode()
    assert filing.tracking_number not in listed


def test_only_an_officer_who_processes_filings_starts_declarations_again(owner):
    from django.core.exceptions import PermissionDenied

    from public_services.services import filings_retry_declarations

    filing = submit(owner)
    Filing.objects.filter(pk=filing.pk).update(pdf_attempts=11)
    with pytest.raises(PermissionDenied):
        filings_retry_declarations(filings=Filing.objects.all(), officer=owner)
    assert Filing.objects.get(pk=filing.pk).pdf_attempts == 11


def test_a_filing_withdrawn_before_its_declaration_was_built_says_there_is_none(owner, district_officer, broken_render):
    """None is ever built for it (the sweep skips it): neither the officer's page nor the citizen's
    says one is being made, and the citizen's does not leave the declaration's heading empty."""
    from public_services.services import filing_withdraw

    filing = filing_withdraw(filing=submit(owner), user=owner)
    assert filings_missing_declarations() == []
    officer_page = logged(district_officer).get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert "Đang tạo tờ khai" not in officer_page
    assert "Không có: người nộp đã rút hồ sơ trước khi tờ khai được tạo." in officer_page
    citizen_page = logged(owner).get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert "Hồ sơ đã được rút trước khi tờ khai được tạo nên không có tờ khai." in citizen_page
    assert "Tờ khai đang được tạo." not in citizen_page and "Tải tờ khai" not in citizen_page


def _moved_to(filing, status, officer):
    from public_services import services as moves

    filing = moves.filing_receive(filing=filing, officer=officer)
    if status == "returned":
        return moves.filing_return(filing=filing, officer=officer, what="Ảnh giấy tờ bị mờ, chụp lại.")
    if status == "rejected":
        return moves.filing_reject(filing=filing, officer=officer, reason="Không thuộc thẩm quyền.")
    filing = moves.filing_start(filing=filing, officer=officer)
    return moves.filing_complete(filing=filing, officer=officer) if status == "done" else filing


@pytest.mark.parametrize(("status", "said", "not_said"), [
    ("processing", "vẫn đang được giải quyết. Cơ quan BHXH sẽ tạo lại tờ khai", ""),
    ("returned", "tờ khai sẽ được tạo lại khi bạn sửa và nộp lại hồ sơ.", "bạn không cần nộp lại"),
    ("done", "Hồ sơ đã giải quyết xong; việc chưa có tờ khai không ảnh hưởng đến kết quả.", "đang được giải quyết"),
    ("rejected", "Hồ sơ đã bị từ chối nên không được giải quyết tiếp.", "đang được giải quyết"),
])
def test_what_the_citizen_is_told_of_a_given_up_declaration_follows_the_filing_status(
        owner, district_officer, broken_render, status, said, not_said):
    filing = _moved_to(submit(owner), status, district_officer)
    Filing.objects.filter(pk=filing.pk).update(pdf_attempts=4)
    client = logged(owner)
    html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert "Chưa tạo được tờ khai." in html and said in html
    if not_said:
        assert not_said not in html
    if status in {"done", "rejected"}:
        assert "Nếu cần tờ khai" in html and filing.agency.name in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert "The declaration could not be made yet." in english
    assert ("still being handled" in english) == (status == "processing")


def test_the_sweep_goes_on_when_the_broker_refuses_one_declaration(caplog):
    """The broker blinks while the sweep queues: that declaration is logged and left to the next
    sweep, and the ones after it are still queued."""
    from kombu.exceptions import OperationalError

    from public_services import tasks

    with mock.patch.object(declarations, "filings_missing_declarations", return_value=[21, 22]), \
            mock.patch.object(tasks.build_filing_declaration, "delay",
                              side_effect=[OperationalError("connection refused"), None]) as delay:
        tasks.build_missing_filing_declarations()
    assert [call.args for call in delay.call_args_list] == [(21,), (22,)]
    assert any(record.levelname == "WARNING" and "(21,)" in record.getMessage() for record in caplog.records)


def test_the_service_starts_again_only_the_declarations_of_the_officers_agency(owner, district_officer,
                                                                               other_district_officer, broken_render):
    """Whoever calls it, not only through the admin's list already scoped to the officer."""
    given_up = submit(owner)
    Filing.objects.filter(pk=given_up.pk).update(pdf_attempts=4)
    chosen = Filing.objects.filter(pk=given_up.pk)
    assert declarations.filings_retry_declarations(filings=chosen, officer=other_district_officer) == 0
    assert Filing.objects.get(pk=given_up.pk).pdf_attempts == 4
    assert declarations.filings_retry_declarations(filings=chosen, officer=district_officer) == 1


def test_a_last_attempt_failed_without_a_retry_left_is_queued_once_more_by_the_sweep_to_be_given_up(owner, broken_render):
    """The task's own retries lost (a worker gone), the periodic sweep still lists a filing whose last
    attempt failed: that delivery renders nothing and gives it up, so the citizen is told it is kept and
    the officers find it among those to start again, instead of it waiting as "being made" for ever."""
    filing = submit(owner)
    for _attempt in range(settings.JOB_MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            filing_build_declaration(filing_id=filing.pk)
    assert not Filing.objects.get(pk=filing.pk).pdf_given_up
    listed = filings_missing_declarations()
    assert listed == [filing.pk]
    for pk in listed:  # what the sweep's tasks do
        assert filing_build_declaration(filing_id=pk) is None
    assert broken_render.call_count == settings.JOB_MAX_ATTEMPTS
    assert Filing.objects.get(pk=filing.pk).pdf_given_up and filings_missing_declarations() == []
