"""An officer's reason or note is quoted as one sentence: with or without its own full stop, the
message reads "… chụp lại. Vui lòng …", never "chụp lại.. Vui lòng"."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from notifications.templatetags.message_text import SMS_QUOTE_LENGTH, quoted
from public_services.models import Feedback
from public_services.procedures import registry
from tests.notifications.sms_parts import sms_parts
from vssid_portal.text import sentence


@pytest.mark.parametrize(("words", "said"), [
    ("Ảnh mờ", "Ảnh mờ."), ("Ảnh mờ.", "Ảnh mờ."), ("  Ảnh mờ!  ", "Ảnh mờ!"), ("Có đúng không?", "Có đúng không?"),
    ("Xem lại…", "Xem lại…"), ("", ""), (None, ""),
])
def test_sentence_adds_a_full_stop_only_where_none_ends_the_words(words, said):
    assert sentence(words) == said


def body(template, channel="inbox", **context):
    """The text as send_message renders it for `channel`."""
    return render_to_string(f"notifications/messages/{template}.body.txt", {**context, "channel": channel})


@pytest.mark.parametrize("reason", ["Ảnh CCCD mờ, vui lòng chụp lại", "Ảnh CCCD mờ, vui lòng chụp lại."])
def test_reasons_and_notes_end_in_one_full_stop(reason):
    registration = SimpleNamespace(reference="DK26ABC", reject_reason=reason)
    assert "Lý do: Ảnh CCCD mờ, vui lòng chụp lại. Hãy đăng ký lại" in body(
        "registration_rejected", registration=registration)

    filing = SimpleNamespace(tracking_number="HS26XYZ", due_date=datetime.date(2026, 12, 10))
    # a return's request follows its status after a colon, not after "Cần bổ sung" said again
    for status, label, said in [("rejected", "Từ chối", "từ chối. Lý do"),
                                ("returned", "Cần bổ sung, sửa đổi", "cần bổ sung, sửa đổi")]:
        event = SimpleNamespace(status=status, note=reason, get_status_display=lambda label=label: label)
        text = body("public_service_filing", filing=filing, event=event, procedure_name="Cấp lại thẻ BHYT")
        assert f"– {said}: Ảnh CCCD mờ, vui lòng chụp lại. Xem tại mục" in text and ".." not in text, text
        assert "Cần bổ sung:" not in text, text
    event = SimpleNamespace(status="done", note="", get_status_display=lambda: "Đã trả kết quả")
    text = body("public_service_filing", filing=filing, event=event, procedure_name="Cấp lại thẻ BHYT")
    assert text.strip().endswith("– đã trả kết quả. Xem tại mục Dịch vụ công trên Cổng dịch vụ BHXH số.")

    record = SimpleNamespace(kind_phrase="ốm đau", reference="OD-1", status="rejected", reject_reason=reason,
                             get_status_display=lambda: "Không giải quyết", decision_number="", paid_date=None)
    text = body("benefit_updated", record=record)
    assert "lý do: Ảnh CCCD mờ, vui lòng chụp lại. Xem chi tiết" in text and ".." not in text
    record = SimpleNamespace(kind_phrase="ốm đau", reference="OD-1", status="paid", reject_reason="",
                             get_status_display=lambda: "Đã chi trả", decision_number="12/QĐ",
                             decision_date=datetime.date(2026, 11, 2), paid_date=datetime.date(2026, 11, 20))
    assert ("Trạng thái: Đã chi trả, quyết định số 12/QĐ ngày 02/11/2026, đã chi trả ngày 20/11/2026. Xem chi tiết"
            in body("benefit_updated", record=record))

    card = SimpleNamespace(version=2, issued_on=datetime.date(2026, 12, 1))
    assert "Lý do: Ảnh CCCD mờ, vui lòng chụp lại. Mã QR của thẻ cũ" in body("bhyt_card_reissued", card=card,
                                                                             reason=reason)


# --- An officer's words by SMS: cut; whole in the notice and the e-mail ---------------------------

LONG_NOTE = "Ảnh CCCD mặt sau bị mờ,\nvui lòng chụp lại rõ nét và tải lên cùng giấy khai sinh. " * 30  # ~2,000 characters
UCS2_PART = 67  # characters in each part of a multi-part SMS in UCS-2 (Vietnamese with diacritics)


def test_by_sms_a_long_note_is_cut_at_a_word_on_one_line_elsewhere_it_is_whole():
    cut = quoted(LONG_NOTE, "sms")
    assert len(cut) <= SMS_QUOTE_LENGTH and cut.endswith("…") and "\n" not in cut
    assert LONG_NOTE.replace("\n", " ").startswith(cut[:-1]) and cut[-2] not in " ,"
    assert quoted("Ảnh mờ", "sms") == "Ảnh mờ."  # a short note whole, as one sentence
    assert quoted(LONG_NOTE, "inbox") == quoted(LONG_NOTE, "email") == LONG_NOTE.strip()


def test_the_longest_sms_of_a_filing_or_an_answer_stays_within_a_few_parts():
    filing = SimpleNamespace(tracking_number="HS2612ABCDEF", due_date=datetime.date(2026, 12, 10))
    person = SimpleNamespace(full_name="Công Tằng Tôn Nữ Thị Hoàng Phương Thảo")
    procedure = registry.get("THAY-DOI-CHI-TRA")  # the longest procedure name
    for status, label in [("rejected", "Từ chối giải quyết"), ("returned", "Cần bổ sung, sửa đổi")]:
        event = SimpleNamespace(status=status, note=LONG_NOTE, get_status_display=lambda label=label: label)
        context = {"filing": filing, "event": event, "procedure_name": procedure.name, "person": person,
                   "procedure_sms_name": procedure.sms_name, "for_child": True}
        text = body("public_service_filing", channel="sms", **context).strip()
        # the step named short (at most 2 parts: test_filing_sms_parts), a return's request cut on top; a
        # refusal's reason not by SMS, read on a lock screen
        assert sms_parts(text) <= 5 and str(procedure.name) not in text, len(text)
        assert text.endswith("…") if status == "returned" else "Ảnh CCCD" not in text, text
        assert LONG_NOTE.strip() in body("public_service_filing", channel="inbox", **context)
        # Told instead to the parent who filed it for a child grown to 18 since: the reason is not quoted,
        # and the person is named once.
        text = body("public_service_filing_left", channel="sms", **context).strip()
        assert len(text) <= 6 * UCS2_PART and text.count(person.full_name) == 1, len(text)
    feedback = SimpleNamespace(tracking_number="PA2612ABCDEFGH", answer=LONG_NOTE)
    text = body("feedback_answered", channel="sms", feedback=feedback).strip()
    assert len(text) <= 4 * UCS2_PART and "… Xem đầy đủ tại mục Hỗ trợ" in text, len(text)


def test_an_officers_reason_is_cut_by_sms_in_every_message_that_quotes_one():
    """A rejected registration quotes an officer's words too: by SMS cut like a filing's note, whole on the
    portal and by e-mail. A rejected benefit claim's SMS and a card's reissue or revocation quote none, read on
    a lock screen (test_sms_lock_screen, tests/health_card/test_card_message_keys.py), their notice whole."""
    person = SimpleNamespace(full_name="Nguyễn Thị Hồng Nhung Phương")
    card = SimpleNamespace(number="7901234567", version=2, issued_on=datetime.date(2026, 12, 1),
                           changed_at=datetime.datetime(2026, 12, 1, 9, 0), agency=SimpleNamespace(name="BHXH Quận 1"))
    record = SimpleNamespace(kind_phrase="hưởng trợ cấp ốm đau", reference="OD-2026-001", status="rejected",
                             reject_reason=LONG_NOTE, get_status_display=lambda: "Không giải quyết")
    for template in ("bhyt_card_revoked", "bhyt_card_reissued"):
        context = {"card": card, "reason": LONG_NOTE, "person": person, "for_child": True}
        assert "Ảnh CCCD" not in body(template, channel="sms", **context), template
        assert LONG_NOTE.strip() in body(template, **context), template
    cases = [("registration_rejected", {"registration": SimpleNamespace(reference="DK2612ABCD", reject_reason=LONG_NOTE, is_child=True, bhxh_code="7905555555")})]
    sms = body("benefit_updated", channel="sms", person=person, for_child=True, record=record)
    assert "Ảnh CCCD" not in sms and LONG_NOTE.strip() in body("benefit_updated", person=person, record=record)
    for template, context in cases:
        sms = body(template, channel="sms", person=person, for_child=True, **context).strip()
        assert "…" in sms and LONG_NOTE.strip() not in sms and len(sms) <= 6 * UCS2_PART, (template, len(sms))
        assert LONG_NOTE.strip() in body(template, channel="inbox", person=person, for_child=True, **context), template


@pytest.mark.parametrize("for_child", [False, True])
def test_a_revoked_card_s_sms_says_what_happened_and_where_to_read_more_without_the_card_s_number(for_child):
    """Read on a lock screen, it names the holder as the other card SMS do, a child by name, and leaves
    the card's number, the officer's reason and the agency to ask to the notice."""
    person = SimpleNamespace(full_name="Nguyễn Gia Bảo")
    card = SimpleNamespace(number="7901234567", changed_at=datetime.datetime(2026, 12, 1, 9, 0),
                           agency=SimpleNamespace(name="BHXH Quận 1"))
    context = {"card": card, "reason": "Gian lận trong việc cấp thẻ BHYT", "person": person, "for_child": for_child}
    holder = "Thẻ BHYT của Nguyễn Gia Bảo" if for_child else "Thẻ BHYT"
    assert body("bhyt_card_revoked", channel="sms", **context).strip() == (
        f"BHXH: {holder} đã bị thu hồi ngày 01/12/2026, không còn dùng được để khám chữa bệnh BHYT. Xem chi tiết tại "
        "mục Thẻ BHYT trên Cổng BHXH số.")
    notice = body("bhyt_card_revoked", **context)
    assert "7901234567" in notice and "BHXH Quận 1" in notice and "Gian lận" in notice and (person.full_name in notice) == for_child


# The most parts each card SMS takes for the suite's longest name (38 characters), for a child.
CARD_SMS_PARTS = {"bhyt_card_issued": 3, "bhyt_card_reissued": 3, "bhyt_card_expired": 3}


@pytest.mark.parametrize("for_child", [False, True])
@pytest.mark.parametrize("template", sorted(CARD_SMS_PARTS))
def test_no_card_s_sms_carries_the_card_s_number_which_the_notice_keeps(template, for_child):
    """As the revoked card's: read on a lock screen, an issued, reissued or expired card's SMS says what
    happened, naming the holder as before, and not the card's number, which the notice keeps (the
    reissued one never carried it): the citizen uses the card from the portal's Thẻ BHYT page."""
    person = SimpleNamespace(full_name="Công Tằng Tôn Nữ Thị Hoàng Phương Thảo")
    card = SimpleNamespace(number="7901234567", version=2, issued_on=datetime.date(2026, 12, 1),
                           valid_from=datetime.date(2027, 1, 1), valid_to=datetime.date(2027, 12, 31))
    context = {"card": card, "reason": "Thẻ bị hỏng", "person": person, "for_child": for_child}
    sms = body(template, channel="sms", **context).strip()
    holder = "Thẻ BHYT của Công Tằng Tôn Nữ Thị Hoàng Phương Thảo" if for_child else "Thẻ BHYT"
    assert "7901234567" not in sms and sms.startswith(f"BHXH: {holder} "), sms
    assert sms_parts(sms) <= CARD_SMS_PARTS[template], (len(sms), sms)
    if template != "bhyt_card_reissued":
        assert "7901234567" in body(template, **context)


@pytest.mark.parametrize(("language", "sms"), [
    ("vi", "BHXH: Thẻ BHYT của Công Tằng Tôn Nữ Thị Hoàng Phương Thảo có giá trị sử dụng đến ngày 31/12/2027, nay đã "
           "hết hạn. Để có thẻ mới, hãy tiếp tục tham gia BHYT qua nơi làm việc, nhà trường hoặc đại lý thu."),
    ("en", "BHXH: The health insurance card of Công Tằng Tôn Nữ Thị Hoàng Phương Thảo, valid until 31/12/2027, has "
           "expired. For a new one, keep up health insurance via an employer, a school or a collection agent."),
])
def test_an_expired_card_s_sms_to_a_parent_says_whose_card_until_when_and_what_to_do_in_3_parts(language, sms):
    """On a phone the family shares, it names the child and says until when the card served and how a new one
    is had, in 3 parts for the suite's longest name; that it no longer serves for care and the hotline are left
    to the notice, which still says them."""
    person = SimpleNamespace(full_name="Công Tằng Tôn Nữ Thị Hoàng Phương Thảo")
    card = SimpleNamespace(number="7901234567", valid_to=datetime.date(2027, 12, 31))
    context = {"card": card, "person": person, "for_child": True, "hotline": "1900 9068"}
    with translation.override(language):
        assert body("bhyt_card_expired", channel="sms", **context).strip() == sms
        notice = body("bhyt_card_expired", **context)
    assert sms_parts(sms) <= 3
    assert {"vi": "không còn dùng được để khám chữa bệnh BHYT", "en": "can no longer be used for insured medical care"
            }[language] in notice and "1900 9068" in notice


@pytest.mark.parametrize(("template", "code"), [("registration_replaced", "******5555"),
                                              ("registration_approved_elsewhere", "******5555")])
def test_a_registration_s_sms_names_the_code_as_a_social_insurance_code(template, code):
    """As the portal names it everywhere, not a bare "mã số" that could be any number's; read on a lock
    screen, by its last 4 digits, enough for the holder to know which account an alert is about. (The SMS
    that a registration was received names no code: with its reference, it would open the status page.)"""
    registration = SimpleNamespace(reference="DK2612ABCDEF", bhxh_code="7905555555", is_child=True, reject_reason="Ảnh mờ",
                                   phone="0912345678")
    sms = body(template, channel="sms", registration=registration, hotline="1900 9068")
    assert f"mã số BHXH {code}" in sms, sms
    if template == "registration_replaced":  # its length is the same for everyone: a reference, a code, the hotline
        assert sms_parts(sms.strip()) <= 2, (len(sms.strip()), sms)
    with translation.override("en"):
        assert f"social insurance code {code}" in body(template, channel="sms", registration=registration)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("template", ["registration_child_approved", "registration_rejected"])
def test_a_child_s_registration_decided_is_told_by_sms_without_the_child_s_code(template, language):
    """Read on a lock screen, the parent's SMS names the registration by its reference, for a child, and
    not the child's BHXH code, which the notice and the e-mail keep."""
    registration = SimpleNamespace(reference="DK2612ABCDEF", bhxh_code="7905555555", is_child=True,
                                   reject_reason="Ảnh mờ")
    with translation.override(language):
        sms = body(template, channel="sms", registration=registration, hotline="1900 9068").strip()
        assert "7905555555" not in sms and "DK2612ABCDEF" in sms and sms_parts(sms) <= 2, sms
        assert {"vi": "cho con", "en": "your child"}[language] in sms, sms
        for channel in ("inbox", "email"):
            assert "7905555555" in body(template, channel=channel, registration=registration), channel


def test_a_contact_change_s_sms_names_the_account_by_its_social_insurance_code():
    filing = SimpleNamespace(tracking_number="HS2612ABCDEF", person=SimpleNamespace(bhxh_code="7901234567"))
    for done in (True, False):
        sms = body("contact_change", channel="sms", filing=filing, changed=["email"], done=done, hotline="1900 9068")
        assert "của tài khoản Cổng BHXH số (mã số BHXH ******4567)" in sms and "số mã số" not in sms, sms
        # whole by e-mail (to a login's address without a phone), masked on a lock screen
        assert "(mã số BHXH 7901234567)" in body("contact_change", channel="email", filing=filing, changed=["email"],
                                                 done=done, hotline="1900 9068")


SECURITY_TEMPLATES = sorted(path.name.removesuffix(".body.txt") for path in (
    Path(__file__).resolve().parents[2] / "notifications/templates/notifications/messages").glob("security_*.body.txt"))


@pytest.mark.parametrize("codes_removed", [False, True])
@pytest.mark.parametrize("template", SECURITY_TEMPLATES)
def test_an_account_s_security_sms_takes_at_most_4_parts_and_says_whom_to_call(template, codes_removed):
    """What happened to the account, when, and to call the hotline if it was not the holder: the app removed
    by the agency with its recovery codes says the codes once, not a second time in other words."""
    at = datetime.datetime(2026, 12, 31, 23, 59, tzinfo=datetime.UTC)
    sms = body(template, channel="sms", at=at, temporary=True, codes_removed=codes_removed, hotline="1900 9068").strip()
    assert sms.startswith("BHXH: ") and sms.endswith("1900 9068.") and "01/01/2027" in sms, sms
    assert sms_parts(sms) <= 4, (len(sms), sms)


@pytest.mark.parametrize(("status", "label", "said"), [("received", "Đã tiếp nhận", ""),
                                                       ("paid", "Đã chi trả", " Trạng thái: Đã chi trả.")])
def test_a_benefit_record_received_names_its_status_only_when_it_is_further_on(status, label, said):
    record = SimpleNamespace(agency=SimpleNamespace(name="BHXH Quận 1"), kind_phrase="hưởng chế độ ốm đau",
                             reference="OD-1", received_on=datetime.date(2026, 11, 2), expected_on=None, status=status,
                             get_status_display=lambda: label)
    assert body("benefit_received", record=record).strip() == (
        f"BHXH: BHXH Quận 1 đã tiếp nhận hồ sơ hưởng chế độ ốm đau số OD-1 ngày 02/11/2026.{said} Xem chi tiết tại "
        "mục Thông tin hưởng trên Cổng dịch vụ BHXH số.")


@pytest.mark.parametrize(("language", "is_child", "sms", "subject"), [
    ("vi", True, "BHXH: Đăng ký DK2612ABCD cho con bị từ chối. Lý do: Ảnh mờ. ",
     "Đăng ký tài khoản cho con bị từ chối"),
    ("vi", False, "BHXH: Đăng ký DK2612ABCD bị từ chối. Lý do: Ảnh mờ. ", "Đăng ký giao dịch điện tử bị từ chối"),
    ("en", True, "BHXH: Registration DK2612ABCD for your child was refused. Reason: Blurred photo. ",
     "The registration of an account for your child was refused"),
    ("en", False, "BHXH: Registration DK2612ABCD was refused. Reason: Blurred photo. ",
     "The registration for electronic transactions was refused"),
])
def test_a_refused_registration_says_it_was_refused_not_that_it_is_not_yet_approved(language, is_child, sms, subject):
    """"chưa được duyệt" reads as still waiting: the SMS, the notice and the subject say it was refused, the
    reason as typed, then what to do, in no more parts than before."""
    registration = SimpleNamespace(reference="DK2612ABCD", bhxh_code="7905555555", is_child=is_child,
                                   reject_reason={"vi": "Ảnh mờ", "en": "Blurred photo"}[language])
    with translation.override(language):
        text = body("registration_rejected", channel="sms", registration=registration, hotline="1900 9068").strip()
        said = render_to_string("notifications/messages/registration_rejected.subject.txt",
                                {"registration": registration}).strip()
    assert text.startswith(sms) and "1900 9068" in text and said == subject, (text, said)
    assert "chưa" not in text and "not approved" not in text and sms_parts(text) <= 2, text


@pytest.mark.parametrize(("language", "sms", "advice"), [
    ("vi", "BHXH: Thẻ BHYT của Công Tằng Tôn Nữ Thị Hoàng Phương Thảo có giá trị sử dụng đến ngày 31/12/2027, nay đã "
           "hết hạn. Trẻ dưới 6 tuổi được cấp thẻ miễn phí: hãy liên hệ UBND xã, phường hoặc cơ quan BHXH.",
     "Trẻ em dưới 6 tuổi được cấp thẻ BHYT miễn phí"),
    ("en", "BHXH: The health insurance card of Công Tằng Tôn Nữ Thị Hoàng Phương Thảo, valid until 31/12/2027, has "
           "expired. A child under 6 gets one free: ask the commune, ward or social insurance office.",
     "A child under 6 is given a health insurance card free of charge"),
])
def test_an_expired_card_of_a_child_under_6_advises_the_free_child_s_card_not_work_or_school(language, sms, advice):
    """Luật BHYT, Điều 16.3.d: a child under 6 is insured by the state budget (group TE), not through a workplace,
    a school or a collection agent: the SMS and the notice say where the free card is had, in 3 parts as the
    adult's; the adult's advice stays for a child of 6 or more."""
    person = SimpleNamespace(full_name="Công Tằng Tôn Nữ Thị Hoàng Phương Thảo")
    card = SimpleNamespace(number="7901234567", valid_to=datetime.date(2027, 12, 31))
    context = {"card": card, "person": person, "hotline": "1900 9068", "child_card": True}
    with translation.override(language):
        for for_child in (True, False):
            text = body("bhyt_card_expired", channel="sms", **{**context, "for_child": for_child}).strip()
            assert sms_parts(text) <= 3, (len(text), text)
        assert body("bhyt_card_expired", channel="sms", **context, for_child=True).strip() == sms
        notice = body("bhyt_card_expired", **context, for_child=True)
        older = body("bhyt_card_expired", **{**context, "child_card": False}, for_child=True)
    work = {"vi": "nơi làm việc", "en": "employer"}[language]
    assert advice in notice and "1900 9068" in notice and work not in notice and work not in sms
    assert advice not in older and work in older


HELP = {"vi": "Tổng đài hỗ trợ: 1900 9068.", "en": "Helpline: 1900 9068."}
# Other words a message once introduced the hotline with, each its own entry of the catalogue
OTHER_HELP = ["Hỗ trợ: 1900", "Tổng đài 1900", "gọi tổng đài 1900", "hoặc gọi 1900", "Help: 1900", "call the helpline",
              "or call 1900"]


def help_cases():
    feedback = SimpleNamespace(tracking_number="PA2612ABCDEFGH", full_name="Nguyễn Văn An", answer="Đã xử lý.",
                               get_kind_display=lambda: Feedback.Kind.REPORT.label,
                               get_topic_display=lambda: Feedback.Topic.ACCOUNT.label)
    card = SimpleNamespace(number="7901234567", valid_to=datetime.date(2027, 12, 31), version=2,
                           changed_at=datetime.datetime(2026, 12, 1, 9, 0), agency=SimpleNamespace(name="BHXH Quận 1"))
    registration = SimpleNamespace(reference="DK2612ABCD", bhxh_code="7905555555", is_child=False, reject_reason="Ảnh mờ",
                                   person=SimpleNamespace(full_name="Nguyễn Văn An"), agency="BHXH Quận 1",
                                   status="pending")
    return [
        ("welcome", "email", {"name": "Nguyễn Văn An", "code": "7905555555"}),
        ("registration_declaration", "email", {"registration": registration}),
        ("registration_rejected", "sms", {"registration": registration}),
        ("registration_rejected", "inbox", {"registration": registration}),
        ("feedback_received", "sms", {"feedback": feedback}),
        ("feedback_received", "email", {"feedback": feedback}),
        ("feedback_answered", "email", {"feedback": feedback}),
        ("public_service_email_confirm", "email", {"days": 7, "confirm_url": "https://example.test/x"}),
        ("bhyt_card_expired", "inbox", {"card": card, "person": registration.person, "child_card": False}),
        ("bhyt_card_expired", "inbox", {"card": card, "person": registration.person, "child_card": True}),
        ("bhyt_card_revoked", "inbox", {"card": card, "person": registration.person, "reason": "Gian lận"}),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("template", "channel", "values"), help_cases())
def test_every_message_offering_the_hotline_introduces_it_in_one_wording(template, channel, values, language):
    """notifications/messages/help.txt: one sentence, one entry of the catalogue, wherever a message points to
    help, by SMS, notice or e-mail alike (a security message's "if it was not you, call …" says what to do)."""
    with translation.override(language):
        text = body(template, channel=channel, hotline="1900 9068", **values)
    assert text.count(HELP[language]) == 1 and not [words for words in OTHER_HELP if words in text], text
    if channel == "sms":
        assert sms_parts(text.strip()) <= 2, (len(text.strip()), text)


@pytest.mark.parametrize("template", ["registration_approved", "registration_child_approved"])
@pytest.mark.parametrize("channel", ["inbox", "email"])
def test_in_english_an_approval_s_notice_and_e_mail_end_with_the_login_page_said_alike(template, channel):
    """notifications/messages/login_url.txt, as "Trang đăng nhập:" says it: "Login page: <address>" (not "Log
    in at: <address>", nor a second "Log in" after the child's "Log in to your account …")."""
    url = "https://dichvucong.baohiemxahoi.gov.vn/tai-khoan/dang-nhap/"
    registration = SimpleNamespace(reference="DK2612ABCDEF", bhxh_code="7901234567", is_child=False)
    with translation.override("en"):
        text = body(template, channel=channel, login_url=url, registration=registration).strip()
    assert text.endswith(f". Login page: {url}") and text.count("Log in at") == 0, text


@pytest.mark.parametrize(("language", "parts", "said"), [
    ("vi", 3, "BHXH: Đăng ký DK2612ABCDEF đã được duyệt. Tên đăng nhập: 7901234567. Mật khẩu tạm: Ab3dE5gH9kMn (đổi "
              "khi đăng nhập lần đầu). Đăng nhập: {url}"),
    ("en", 2, "BHXH: Registration DK2612ABCDEF has been approved. User name: 7901234567. Temporary password: "
              "Ab3dE5gH9kMn (change it at your first login). Log in at {url}"),
])
def test_an_approval_s_sms_says_where_to_log_in_within_its_parts(language, parts, said):
    """The login name, the temporary password and the login page's address, which ends the text so that no
    full stop is read as part of it: in 3 parts in Vietnamese (UCS-2), 2 in English, for an address as long as
    the portal's own; without an address (none configured, none from the officer's request) as before."""
    url = "https://dichvucong.baohiemxahoi.gov.vn/tai-khoan/dang-nhap/"
    registration = SimpleNamespace(reference="DK2612ABCDEF", bhxh_code="7901234567", is_child=False)
    context = {"registration": registration, "password": "Ab3dE5gH9kMn"}
    with translation.override(language):
        sms = body("registration_approved", channel="sms", login_url=url, **context).strip()
        without = body("registration_approved", channel="sms", login_url="", **context).strip()
    assert sms == said.format(url=url) and sms_parts(sms) <= parts, (len(sms), sms)
    assert url not in without and "Ab3dE5gH9kMn" in without and sms_parts(without) <= 2


@pytest.mark.parametrize(("language", "parts"), [("vi", 3), ("en", 2)])
def test_a_child_s_approval_sms_says_where_to_log_in_within_the_parts_of_the_adult_s(language, parts):
    """The parent is asked to log in to their account: the SMS ends, as the notice and the e-mail do, with the
    login page (login_url.txt), in no more parts than the adult's approval SMS takes for an address as long as
    the portal's own (test_an_approval_s_sms_says_where_to_log_in_within_its_parts); without an address, as
    before."""
    url = "https://dichvucong.baohiemxahoi.gov.vn/tai-khoan/dang-nhap/"
    registration = SimpleNamespace(reference="DK2612ABCDEF", bhxh_code="7905555555", is_child=True)
    with translation.override(language):
        sms = body("registration_child_approved", channel="sms", login_url=url, registration=registration).strip()
        without = body("registration_child_approved", channel="sms", login_url="", registration=registration).strip()
        login_page = render_to_string("notifications/messages/login_url.txt", {"login_url": url}).strip()
        notice = body("registration_child_approved", channel="inbox", login_url=url, registration=registration).strip()
    assert sms.endswith(f". {login_page}") and notice.endswith(f". {login_page}"), sms
    assert sms_parts(sms) <= parts and "7905555555" not in sms, (len(sms), sms)
    assert url not in without and sms.startswith(without), without


@pytest.mark.parametrize("minutes", [1, 5])
def test_the_three_codes_warn_in_one_wording_in_english_as_in_vietnamese_each_in_one_part(minutes):
    """The login, password-change and password-reset codes say alike "Không cung cấp mã này cho bất kỳ ai" (the
    login's adding "kể cả cán bộ BHXH"): their English says it alike too, the login's adding the staff, each SMS
    in one part (GSM 7-bit)."""
    warnings = {}
    for template in ("otp_login", "otp_password_change", "otp_password_reset"):
        context = {"code": "123456", "minutes": minutes, "hotline": "1900 9068"}
        assert "Không cung cấp mã này cho bất kỳ ai" in body(template, channel="sms", **context)
        with translation.override("en"):
            sms = body(template, channel="sms", **context).strip()
        assert sms_parts(sms) == 1, (len(sms), sms)
        warnings[template] = sms.split(". ")[1]  # the sentence after the code's validity
    assert warnings["otp_password_change"] == warnings["otp_password_reset"], warnings
    assert warnings["otp_login"].startswith(f"{warnings['otp_password_change']}, "), warnings
    assert "social insurance staff" in warnings["otp_login"], warnings
