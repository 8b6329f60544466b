"""An officer's reason or note is quoted as one sentence: with or without its own full stop, the
message reads "… chụp lại. Vui lòng …", never "chụp lại.. Vui lòng"."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from vssid_portal.templatetags.vn_format import sentence


@pytest.mark.parametrize(("words", "said"), [
    ("Ảnh mờ", "Ảnh mờ."), ("Ảnh mờ.", "Ảnh mờ."), ("  Ảnh mờ!  ", "Ảnh mờ!"), ("Có đúng không?", "Có đúng không?"),
    ("Xem lại…", "Xem lại…"), ("", ""), (None, ""),
])
def test_sentence_adds_a_full_stop_only_where_none_ends_the_words(words, said):
    assert sentence(words) == said


def body(template, **context):
    return render_to_string(f"notifications/messages/{template}.body.txt", context)


@pytest.mark.parametrize("reason", ["Ảnh CCCD mờ, vui lòng chụp lại", "Ảnh CCCD mờ, vui lòng chụp lại."])
def test_reasons_and_notes_end_in_one_full_stop(reason):
    registration = SimpleNamespace(reference="DK26ABC", reject_reason=reason)
    assert "Lý do: Ảnh CCCD mờ, vui lòng chụp lại. Vui lòng đăng ký lại" in body(
        "registration_rejected", registration=registration)

    filing = SimpleNamespace(tracking_number="HS26XYZ", due_date=datetime.date(2026, 12, 10))
    for status, label, said in [("rejected", "Từ chối", "Lý do"), ("returned", "Cần bổ sung", "Cần bổ sung")]:
        event = SimpleNamespace(status=status, note=reason, get_status_display=lambda label=label: label)
        text = body("public_service_filing", filing=filing, event=event, procedure_name="Cấp lại thẻ BHYT")
        assert f"{said}: Ảnh CCCD mờ, vui lòng chụp lại. Xem tại mục" in text and ".." not in text, text
    event = SimpleNamespace(status="done", note="", get_status_display=lambda: "Đã trả kết quả")
    text = body("public_service_filing", filing=filing, event=event, procedure_name="Cấp lại thẻ BHYT")
    assert text.strip().endswith("- đã trả kết quả. Xem tại mục Dịch vụ công trên Cổng BHXH số.")

    record = SimpleNamespace(kind_phrase="ốm đau", reference="OD-1", status="rejected", reject_reason=reason,
                             get_status_display=lambda: "Không giải quyết", decision_number="", paid_on=None)
    text = body("benefit_updated", record=record)
    assert "lý do: Ảnh CCCD mờ, vui lòng chụp lại. Xem chi tiết" in text and ".." not in text
    record = SimpleNamespace(kind_phrase="ốm đau", reference="OD-1", status="paid", reject_reason="",
                             get_status_display=lambda: "Đã chi trả", decision_number="12/QĐ",
                             decision_date=datetime.date(2026, 11, 2), paid_on=datetime.date(2026, 11, 20))
    assert ("Trạng thái: Đã chi trả, quyết định số 12/QĐ ngày 02/11/2026, đã chi trả ngày 20/11/2026. Xem chi tiết"
            in body("benefit_updated", record=record))

    card = SimpleNamespace(version=2, issued_on=datetime.date(2026, 12, 1))
    assert "Lý do: Ảnh CCCD mờ, vui lòng chụp lại. Mã QR của thẻ cũ" in body("bhyt_card_reissued", card=card,
                                                                             reason=reason)
