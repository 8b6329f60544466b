"""The filing status page tells the citizen, for every status, what happens next or what to do:
the finished date and how the result is delivered (from the filing's own answers), the agency
to contact after a refusal, and a way to file the procedure again."""

import re

import pytest

from public_services.models import Filing
from public_services.services import (
    filing_complete,
    filing_receive,
    filing_reject,
    filing_return,
    filing_start,
    filing_withdraw,
)
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

S = Filing.Status
ADDRESS = "12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh"


def status_page(client, filing) -> str:
    response = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def done(filing, officer):
    filing_receive(filing=filing, officer=officer)
    filing_start(filing=filing, officer=officer)
    filing_complete(filing=filing, officer=officer)
    filing.refresh_from_db()
    return filing


@pytest.mark.parametrize("status", S.values)
def test_every_status_has_one_sentence_saying_what_is_next(client, owner, status):
    client.force_login(owner)
    filing = submit(owner)
    Filing.objects.filter(pk=filing.pk).update(status=status, note="Thiếu ảnh CCCD")
    step = re.search(r"<dt>Tiếp theo</dt><dd>(.*?)</dd>", status_page(client, filing), re.S)
    assert step, status
    text = re.sub(r"\s*<a .*", "", step.group(1), flags=re.S)
    assert text[0].isupper() and text.endswith(".") and not re.search(r"[.;]\s+[A-ZĐ]", text)


def test_open_statuses_say_what_the_agency_does_next(client, owner, district_officer):
    client.force_login(owner)
    filing = submit(owner)
    assert "Cơ quan BHXH sẽ kiểm tra và tiếp nhận hồ sơ; trước khi hồ sơ được tiếp nhận, bạn vẫn có thể rút hồ sơ." \
        in status_page(client, filing)
    filing_receive(filing=filing, officer=district_officer)
    filing.refresh_from_db()
    assert (f"Cơ quan BHXH sẽ giải quyết hồ sơ và trả kết quả chậm nhất ngày {vn_date(filing.due_date)}; "
            "bạn không cần làm gì thêm.") in status_page(client, filing)
    filing_start(filing=filing, officer=district_officer)
    assert "Cơ quan BHXH đang xem xét hồ sơ; bạn không cần làm gì thêm" in status_page(client, filing)
    filing_return(filing=filing, officer=district_officer, what="Chụp lại ảnh")
    assert "Sửa, bổ sung hồ sơ theo nội dung cơ quan BHXH đề nghị rồi nộp lại" in status_page(client, filing)


def test_done_by_post_shows_the_finished_date_and_the_address(client, owner, district_officer):
    client.force_login(owner)
    filing = done(submit(owner, "607A", delivery="buu_dien", delivery_address=ADDRESS), district_officer)
    assert (f"Hồ sơ đã giải quyết xong ngày {vn_date(filing.finished_at)}; kết quả được gửi qua bưu điện "
            f"đến địa chỉ {ADDRESS}.") in status_page(client, filing)


def test_done_for_pickup_names_the_agency(client, owner, district_officer):
    client.force_login(owner)
    filing = done(submit(owner, "608A"), district_officer)  # the 608A answers choose "tai_co_quan"
    html = status_page(client, filing)
    assert f"Hồ sơ đã giải quyết xong ngày {vn_date(filing.finished_at)}; bạn nhận kết quả tại {filing.agency.name}" in html


def test_done_without_a_delivery_question_is_electronic(client, owner, district_officer):
    client.force_login(owner)
    filing = done(submit(owner, "UY-QUYEN"), district_officer)
    assert (f"Hồ sơ đã giải quyết xong ngày {vn_date(filing.finished_at)}; kết quả được trả điện tử"
            in status_page(client, filing))


def test_rejected_shows_the_reason_the_agency_to_contact_and_a_link_to_file_again(client, owner, district_officer):
    client.force_login(owner)
    filing = submit(owner)
    filing_reject(filing=filing, officer=district_officer, reason="Không thuộc thẩm quyền giải quyết")
    html = status_page(client, filing)
    agency = filing.agency
    assert "Không thuộc thẩm quyền giải quyết" in html
    assert "Bạn có thể nộp hồ sơ mới sau khi khắc phục lý do từ chối" in html
    assert (f"gọi {agency.name} theo số {agency.phone}" if agency.phone else f"liên hệ {agency.name}") in html
    assert '<a href="/dich-vu-cong/cap-lai-so-bhxh/">Nộp hồ sơ mới cho thủ tục này</a>' in html


def test_withdrawn_links_to_a_new_filing(client, owner):
    client.force_login(owner)
    filing = submit(owner, "608A")
    filing_withdraw(filing=filing, user=owner)
    html = status_page(client, filing)
    assert "Hồ sơ đã rút sẽ không được giải quyết; nếu vẫn cần, bạn hãy nộp hồ sơ mới." in html
    assert '<a href="/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/">Nộp hồ sơ mới</a>' in html
