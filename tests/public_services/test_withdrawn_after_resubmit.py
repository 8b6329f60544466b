"""A filing returned by the agency, corrected and sent again, then withdrawn before the declaration of
that new submission was built: it has no declaration of its own, but the one of its first submission
exists. The citizen's page, its download and the officer's page all offer that one, named as the
first submission's (with its date), never as the withdrawn submission's, and none says a declaration
is being made or that there is none at all."""

import re

import pytest
from django.conf import settings
from django.utils import timezone

from public_services.models import Filing
from public_services.services import filing_receive, filing_resubmit, filing_return, filing_withdraw
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import (  # noqa: F401
    answers,
    district_officer,
    other_district_officer,
    owner,
    stranger,
    submit,
    withdrawn,
)
from .test_admin import QUEUE, logged

pytestmark = pytest.mark.django_db

NONE_AT_ALL = "Hồ sơ đã được rút trước khi tờ khai được tạo nên không có tờ khai."


@pytest.fixture
def resubmitted_then_withdrawn(owner, district_officer, django_capture_on_commit_callbacks):
    """Submission 1 with its declaration built; returned, corrected and sent again as submission 2,
    whose declaration task has not run (its on-commit dispatch is dropped); then withdrawn."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner)
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.pdf_ready and filing.pdf_revision == 1
    filing_receive(filing=filing, officer=district_officer)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    filing.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):
        filing_resubmit(filing=filing, user=owner, data=answers("607A", details="Sổ bị ướt, rách bìa"),
                        uploads={}, revision=1)
    filing.refresh_from_db()
    filing = filing_withdraw(filing=filing, user=owner)
    return Filing.objects.get(pk=filing.pk)


def test_the_declaration_offered_is_the_first_submissions_and_says_so(resubmitted_then_withdrawn):
    filing = resubmitted_then_withdrawn
    assert filing.revision == 2 and filing.pdf_revision == 1 and filing.withdrawn_without_declaration
    assert filing.declaration_revision == 1 and filing.declaration_is_earlier
    assert filing.declaration_filename == f"to-khai-{filing.tracking_number}-lan-nop-1.pdf"
    first, second = [event.at for event in filing.events.filter(status=Filing.Status.SUBMITTED)]
    assert filing.submitted_at_of(1) == first and filing.submitted_at_of(2) == second
    assert filing.submitted_at_of(3) is None and filing.submitted_at_of(0) is None


def test_a_filing_withdrawn_before_any_declaration_offers_none(owner):
    filing = Filing.objects.get(pk=withdrawn(submit(owner)).pk)
    assert filing.declaration_revision is None and not filing.declaration_is_earlier


def test_a_built_declaration_is_the_current_submissions(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner)
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.declaration_revision == 1 and not filing.declaration_is_earlier
    assert filing.declaration_filename == f"to-khai-{filing.tracking_number}.pdf"


def test_while_the_resubmissions_declaration_is_being_built_the_earlier_one_is_not_offered(
        owner, district_officer, django_capture_on_commit_callbacks):
    """Still in the agency's hands, the new declaration is coming: the page waits for it."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner)
    filing = Filing.objects.get(pk=filing.pk)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    filing.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):
        filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=1)
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.declaration_revision is None
    html = logged(owner).get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert "Tờ khai đang được tạo." in html and "Tải tờ khai" not in html


def _download_link(html: str) -> str:
    return re.search(r'<a class="button button--secondary" href="([^"]+)">Tải tờ khai lần nộp thứ 1 \(PDF\)</a>',
                     html).group(1)


def test_the_citizens_page_offers_the_first_submissions_declaration_by_that_name(resubmitted_then_withdrawn, owner):
    filing = resubmitted_then_withdrawn
    client = logged(owner)
    html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert NONE_AT_ALL not in html and "Tờ khai đang được tạo." not in html
    first = vn_date(timezone.localtime(filing.submitted_at_of(1)))
    assert ("Hồ sơ đã được rút trước khi tờ khai của lần nộp thứ 2 được tạo nên lần nộp đó không có tờ khai." in html)
    assert (f"Tờ khai dưới đây là của lần nộp thứ 1 (ngày {first}), trước khi hồ sơ được sửa và nộp lại: nội dung "
            "của tờ khai này có thể khác phần nội dung kê khai bên dưới.") in html
    assert ">Tải tờ khai (PDF)<" not in html  # never offered as the withdrawn submission's own
    response = client.get(_download_link(html))
    assert response.status_code == 200
    assert f'filename="to-khai-{filing.tracking_number}-lan-nop-1.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_citizens_page_says_it_in_english_too(resubmitted_then_withdrawn, owner):
    client = logged(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/dich-vu-cong/ho-so/{resubmitted_then_withdrawn.pk}/").content.decode()
    first = vn_date(timezone.localtime(resubmitted_then_withdrawn.submitted_at_of(1)))
    assert ("The application was withdrawn before the declaration of submission 2 was created, so that submission "
            "has no declaration.") in html
    assert (f"The declaration below is that of submission 1, sent on {first}, before the application was corrected "
            "and sent again: it may differ from your answers below.") in html
    assert "Download the declaration of submission 1 (PDF)" in html


def test_the_officers_page_offers_the_first_submissions_declaration_by_that_name(
        resubmitted_then_withdrawn, district_officer):
    filing = resubmitted_then_withdrawn
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    first = vn_date(timezone.localtime(filing.submitted_at_of(1)))
    assert "Không có: người nộp đã rút hồ sơ trước khi tờ khai được tạo." not in html
    assert "Đang tạo tờ khai" not in html
    assert ("Không có tờ khai của lần nộp thứ 2: người nộp đã rút hồ sơ trước khi tờ khai đó được tạo. Tờ khai hiện "
            f"có là của lần nộp thứ 1 (ngày {first}), trước khi hồ sơ được sửa và nộp lại") in html
    pdf_url = f"{QUEUE}{filing.pk}/to-khai/"
    assert f'<a href="{pdf_url}">Tải tờ khai lần nộp thứ 1 (PDF)</a>' in html
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert f'filename="to-khai-{filing.tracking_number}-lan-nop-1.pdf"' in response["Content-Disposition"]


def test_nobody_else_gets_the_earlier_declaration(resubmitted_then_withdrawn, owner, stranger, other_district_officer):
    filing = resubmitted_then_withdrawn
    link = _download_link(logged(owner).get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode())
    others = logged(stranger)
    for response in (others.get(f"/dich-vu-cong/ho-so/{filing.pk}/"), others.get(link),
                     logged(other_district_officer).get(f"{QUEUE}{filing.pk}/to-khai/")):
        assert response.status_code == 404
        assert "%PDF" not in response.content.decode(errors="replace")
    assert logged(owner).get(link).status_code == 200  # the owner's link itself opens


def test_the_download_links_life_on_the_status_page_is_the_links_own(resubmitted_then_withdrawn, owner, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    """Said under the earlier submission's declaration and under the current one's alike."""
    from public_services.views import filings as filing_views

    with django_capture_on_commit_callbacks(execute=True):
        built = submit(owner, "607A")  # the first was withdrawn: filed again, its declaration built
    client = logged(owner)
    for filing in (resubmitted_then_withdrawn, built):
        url = f"/dich-vu-cong/ho-so/{filing.pk}/"
        assert "Liên kết tải có hiệu lực 15 phút;" in client.get(url).content.decode()
        monkeypatch.setattr(filing_views, "DEFAULT_MAX_AGE", 10 * 60)
        assert "Liên kết tải có hiệu lực 10 phút;" in client.get(url).content.decode()
        monkeypatch.undo()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/dich-vu-cong/ho-so/{built.pk}/").content.decode()
    assert "The download link works for 15 minutes; reload the page to get a new link." in html
