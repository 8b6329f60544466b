"""What a filing's status means for the citizen next (filing_next_step), and where its declaration PDF
stands, for the filing's page."""

import dataclasses

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import PORTAL_NAME

from ..models import AGENCY_PENDING_STATUSES, Filing
from ..procedures.fields import PICKUP, POST
from .filings import resubmit_refused


@dataclasses.dataclass(frozen=True)
class NextStep:
    """What happens next with a filing, or what the citizen should do: one sentence, and a link
    when there is something to do elsewhere."""

    text: str
    link_text: str = ""
    link_url: str = ""


def _agency_contact(agency) -> str:
    if agency.phone:
        return gettext("gọi %(agency)s theo số %(phone)s") % {"agency": agency.name, "phone": agency.phone}
    return gettext("liên hệ %(agency)s") % {"agency": agency.name}


def _result_delivery(filing: Filing) -> str:
    """How the result reaches the citizen, from the answers of the filing: by post to the address
    given, at the agency, or (procedures without a delivery question) electronically."""
    delivery = filing.data.get("delivery")
    if delivery == POST:
        address = filing.data.get("delivery_address")
        if address:
            return gettext("kết quả được gửi qua bưu điện đến địa chỉ %(address)s") % {"address": address}
        return gettext("kết quả được gửi qua bưu điện đến địa chỉ bạn đã khai")
    if delivery == PICKUP:
        agency = filing.agency
        if agency.address:
            return gettext("bạn nhận kết quả tại %(agency)s, %(address)s") % {"agency": agency.name,
                                                                               "address": agency.address}
        return gettext("bạn nhận kết quả tại %(agency)s") % {"agency": agency.name}
    return gettext("kết quả được trả điện tử qua thông báo trên %(portal)s") % {"portal": PORTAL_NAME}


def declaration_given_up_note(filing: Filing, *, user=None) -> str:
    """What the citizen is told about a declaration given up after its last attempt, true to the
    filing's status: a filing still in the agency's hands is handled without it and an officer starts
    it again; a returned one gets a new one when corrected and sent again; one already ended
    (done, refused, or returned but no longer resubmittable by `user`, None: who filed it) is not
    affected by it."""
    status = Filing.Status
    if filing.status in AGENCY_PENDING_STATUSES:
        return gettext("Hồ sơ của bạn đã được lưu và vẫn đang được giải quyết. Cơ quan BHXH sẽ tạo lại tờ khai; "
                       "bạn không cần nộp lại.")
    contact = _agency_contact(filing.agency)
    if filing.status == status.RETURNED and not resubmit_refused(filing, user=user):
        return gettext("Hồ sơ của bạn đã được lưu; tờ khai sẽ được tạo lại khi bạn sửa và nộp lại hồ sơ.")
    if filing.status == status.DONE:
        return gettext("Hồ sơ đã giải quyết xong; việc chưa có tờ khai không ảnh hưởng đến kết quả. Nếu cần tờ khai, "
                       "bạn hãy %(contact)s.") % {"contact": contact}
    if filing.status == status.REJECTED:
        return gettext("Hồ sơ đã bị từ chối nên không được giải quyết tiếp. Nếu cần tờ khai của hồ sơ này, "
                       "bạn hãy %(contact)s.") % {"contact": contact}
    return gettext("Hồ sơ của bạn đã được lưu. Nếu cần tờ khai, bạn hãy %(contact)s.") % {"contact": contact}


# How long a filing's declaration PDF may take from the submission before its page stops saying it is
# being made and says it is late.
PDF_PATIENCE_SECONDS = 120


def filing_declaration_state(filing: Filing, *, user=None) -> dict:
    """Where the declaration PDF of `filing` stands for its page: "building" (still being made), "late"
    (waited for past PDF_PATIENCE_SECONDS from the submission), "failed" (given up, with "given_up_note"
    saying what `user` can do), or none of them when it is ready or a withdrawn filing needs none."""
    waiting = not filing.pdf_ready and not filing.withdrawn_without_declaration
    failed = filing.pdf_given_up
    late = waiting and not failed and (timezone.now() - filing.submitted_at).total_seconds() > PDF_PATIENCE_SECONDS
    return {"building": waiting and not late and not failed, "late": late, "failed": failed,
            "given_up_note": declaration_given_up_note(filing, user=user) if failed else ""}


def filing_next_step(filing: Filing, *, user=None) -> NextStep:
    """One sentence per status (Filing.Status) saying what happens next or what `user` (None: who
    filed it) can do, in the active language."""
    status = Filing.Status
    if filing.status == status.SUBMITTED:
        return NextStep(gettext("Cơ quan BHXH sẽ kiểm tra và tiếp nhận hồ sơ; trước khi hồ sơ được tiếp nhận, "
                                "bạn vẫn có thể rút hồ sơ."))
    if filing.status == status.RECEIVED:
        return NextStep(gettext("Cơ quan BHXH sẽ giải quyết hồ sơ và trả kết quả chậm nhất ngày %(date)s; "
                                "bạn không cần làm gì thêm.") % {"date": vn_date(filing.due_date)})
    if filing.status == status.PROCESSING:
        return NextStep(gettext("Cơ quan BHXH đang xem xét hồ sơ; bạn không cần làm gì thêm và sẽ nhận được "
                                "thông báo khi có kết quả."))
    if filing.status == status.RETURNED and resubmit_refused(filing, user=user):
        return NextStep(gettext("Hồ sơ này không nộp lại được nữa, vì lý do nêu dưới đây; bạn có thể rút hồ sơ ở "
                                "cuối trang."))
    if filing.status == status.RETURNED:
        return NextStep(gettext("Sửa, bổ sung hồ sơ theo nội dung cơ quan BHXH đề nghị rồi nộp lại; thời hạn "
                                "giải quyết được tính lại khi cơ quan BHXH tiếp nhận lại hồ sơ."))
    if filing.status == status.DONE:
        if filing.finished_at:
            done = gettext("Hồ sơ đã giải quyết xong ngày %(date)s") % {"date": vn_date(filing.finished_at)}
        else:
            done = gettext("Hồ sơ đã giải quyết xong")
        return NextStep(f"{done}; {_result_delivery(filing)}.")
    again = reverse("public_services:form", args=[filing.procedure.slug])
    if filing.status == status.REJECTED:
        return NextStep(gettext("Bạn có thể nộp hồ sơ mới sau khi khắc phục lý do từ chối, hoặc %(contact)s để "
                                "được hướng dẫn.") % {"contact": _agency_contact(filing.agency)},
                        gettext("Nộp hồ sơ mới cho thủ tục này"), again)
    if filing.status == status.WITHDRAWN:
        return NextStep(gettext("Hồ sơ đã rút sẽ không được giải quyết; nếu vẫn cần, bạn hãy nộp hồ sơ mới."),
                        gettext("Nộp hồ sơ mới"), again)
    raise ValueError(f"no next step for status {filing.status!r}")
