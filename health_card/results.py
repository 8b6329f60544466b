"""What each card-check answer looks like: words, colour, icon, and the result code (`maKetQua`)
clinic software already reads from the BHXH card-check service (000 valid; 060 wrong name; 070
wrong birth date). Codes that service is not known to use are the portal's own (9xx), and every
code other than 000 means "do not accept the card".

The words are lazy translations, read in the language active where they are shown: the verify
page's, and always Vietnamese in the card-check API (views.verify.api_verify answers under
translation.override(settings.LANGUAGE_CODE)), whose "thongBao" and "ghiChu" clinic software reads."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .qr import Kind


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str | Promise
    tone: str  # CSS modifier: success, warning, error
    icon: str  # a character shown beside the words (colour is never the only signal)
    explanation: str | Promise

    @property
    def valid(self) -> bool:
        return self.code == "000"


OUTCOMES = {
    Kind.VALID: Outcome("000", _("Thẻ hợp lệ"), "success", "✔", _("Thẻ đang có giá trị sử dụng.")),
    Kind.EXPIRED: Outcome("010", _("Thẻ hết hạn"), "warning", "⌛",
                          _("Thẻ đã hết giá trị sử dụng: đã qua ngày hết hạn của thẻ.")),
    Kind.NOT_YET_VALID: Outcome("011", _("Chưa đến hạn sử dụng"), "warning", "⏳",
                                _("Thẻ chưa đến ngày bắt đầu có giá trị sử dụng.")),
    # The QR, not the card: the same codes as the card's (clinic software knows no others), other words.
    Kind.QR_EXPIRED: Outcome("010", _("Mã QR đã hết hạn"), "warning", "⌛", _(
        "Mã QR trên màn hình chỉ dùng được 10 phút: hãy đề nghị người bệnh mở lại mã QR rồi quét lại.")),
    Kind.QR_ISSUED_AHEAD: Outcome("011", _("Mã QR chưa dùng được"), "warning", "⏳", _(
        "Mã QR ghi thời điểm tạo chưa tới theo đồng hồ của Cổng: hãy đề nghị người bệnh mở lại mã QR rồi quét lại.")),
    Kind.REPLACED: Outcome("003", _("Thẻ đã được cấp lại"), "warning", "↻",
                           _("Đây là thẻ cũ: người bệnh đã được cấp thẻ mới. Hãy dùng mã QR của thẻ mới.")),
    Kind.REVOKED: Outcome("110", _("Thẻ đã bị thu hồi"), "error", "⛔",
                          _("Thẻ không còn giá trị. Không tiếp nhận thẻ này.")),
    Kind.FORGED: Outcome("901", _("Mã QR giả mạo"), "error", "✖", _(
        "Chữ ký hoặc chuỗi kiểm tra không đúng: nội dung mã QR đã bị sửa hoặc không do BHXH Việt Nam cấp.")),
    Kind.UNKNOWN_KEY: Outcome("902", _("Khóa ký không xác định"), "error", "✖",
                              _("Mã QR được ký bằng khóa mà Cổng không công bố hoặc đã hết hạn xác thực.")),
    # A QR whose content does not decode or check: FORGED's code, as clinic software knows it (content
    # changed or not issued by BHXH: do not accept), not MALFORMED's "scan again", which would read the same.
    Kind.INVALID_QR: Outcome("901", _("Mã QR không hợp lệ"), "error", "✖", _(
        "Thông tin trên mã đã bị thay đổi hoặc không đúng định dạng; không xác nhận được thẻ.")),
    Kind.MALFORMED: Outcome("205", _("Không đọc được mã QR"), "error", "?",
                            _("Chuỗi không đúng định dạng mã QR thẻ BHYT. Hãy quét lại.")),
    Kind.TRUNCATED: Outcome("205", _("Mã QR bị đọc thiếu"), "error", "?",
                            _("Chuỗi bị cắt ngắn (thiếu trường hoặc phần kết thúc). Hãy quét lại, giữ mã QR trong khung hình.")),
    Kind.JUNK: Outcome("205", _("Dữ liệu không đọc được"), "error", "?", _(
        "Máy quét gửi dữ liệu không phải văn bản. Kiểm tra cài đặt bảng mã (UTF-8) của máy quét rồi quét lại.")),
    Kind.NOT_FOUND: Outcome("050", _("Không tìm thấy thẻ"), "error", "✖", _("Không có thẻ BHYT nào mang mã này.")),
    # The card-check service's "not found" (clinic software knows no other code for it), other words.
    Kind.SHARED_ID: Outcome("050", _("Không xác định được thẻ theo số CCCD"), "error", "✖", _(
        "Số CCCD này có trong hồ sơ của nhiều người tham gia nên không xác định được thẻ của người bệnh. Hãy nhập "
        "mã số BHXH 10 chữ số in trên thẻ BHYT.")),
    Kind.WRONG_NAME: Outcome("060", _("Sai họ tên"), "error", "✖", _("Họ tên không khớp với thông tin thẻ.")),
    Kind.WRONG_BIRTH_DATE: Outcome("070", _("Sai ngày sinh"), "error", "✖",
                                   _("Ngày sinh không khớp với thông tin thẻ.")),
    Kind.UNSIGNED: Outcome("903", _("Mã QR không có chữ ký"), "warning", "?", _(
        "Mã QR này không có chữ ký số của BHXH Việt Nam (thẻ in trước khi có Cổng), nên trang công khai "
        "không xác thực được. Cơ sở KCB đối chiếu thẻ này bằng tài khoản của cơ sở.")),
    # A citizen ID card's QR that cannot be compared here: the public page's, or one whose name or birth date is
    # unreadable. Scanning it again reads the same: the way on is the check by CCCD number, name and birth date.
    Kind.ID_CARD: Outcome("205", _("Mã QR trên thẻ CCCD"), "warning", "?", _(
        "Đây là mã QR trên thẻ CCCD, không phải mã QR thẻ BHYT, nên không xác thực được ở đây. Thẻ BHYT được đối "
        "chiếu theo số CCCD, họ tên và ngày sinh: nhân viên cơ sở KCB nhập các thông tin này ở mục "
        "«Hoặc nhập thông tin trên thẻ».")),
}

# Beside the answer to an unsigned QR compared with the registry (a card printed before the portal
# signed its QRs), on the clinic page and in the API's "ghiChu".
UNSIGNED_NOTE = _("Mã QR không có chữ ký số: chỉ mã thẻ, họ tên và ngày sinh ghi trong mã đã được đối chiếu với "
                  "dữ liệu thẻ. Hãy đối chiếu thêm giấy tờ tùy thân có ảnh.")

# Beside the answer "expired" to a card whose holder has been issued a card in use since, on the
# clinic page and in the API's "ghiChu" (maTheMoi names it), as a replaced card's answer says.
NEWER_CARD_NOTE = _("Người bệnh đã được cấp thẻ mới sau thẻ này: hãy dùng thẻ mới hoặc mã QR của thẻ mới.")

# The answer "expired" to a card marked expired before or without an end date: it is past none (the
# card page says so too), on the clinic page and in the API's "ghiChu"; the code stays 010.
EXPIRED_WITHOUT_END_DATE = _("Thẻ đã hết giá trị sử dụng.")
