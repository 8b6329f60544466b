"""A filing's step SMS names its procedure by a short name (Procedure.sms_name: VssID's code, if it has
one, and a short title) and leaves the pointer to the portal to the notice and the e-mail, so that each
step's SMS of each procedure, Vietnamese (UCS-2) or English, takes at most 2 parts, counted as the
gateway counts them (tests/notifications/sms_parts.py), for a child's name of up to 28 characters; a
longer name, never cut, adds a third part. The notice and the e-mail name the procedure in full. The
SMS of a due date moved names it short too, within the same 2 parts; the one to a parent told of a step of a
child grown to 18 leaves the procedure to the notice to say, in 2 parts too, what the grown person must do."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import Message
from public_services.models import Filing
from public_services.procedures import registry
from tests.notifications.sms_parts import sms_parts
from tests.public_services.helpers import owner, submit  # noqa: F401

# The longest values a step's SMS prints: a tracking number as new_reference makes it (HS, year and
# month, 6 characters), a date of two-digit day and month, a child's name of 28 characters.
FILING = SimpleNamespace(tracking_number="HS2612ABCDEF", due_date=datetime.date(2026, 12, 28))
CHILD = SimpleNamespace(full_name="Nguyễn Thị Hồng Nhung Phương")
LONGEST_NAME = SimpleNamespace(full_name="Công Tằng Tôn Nữ Thị Hoàng Phương Thảo")  # 38 characters
REASON = "REASON-AS-TYPED"  # stands for the officer's words, which come on top (cut at SMS_QUOTE_LENGTH)


@pytest.mark.parametrize(("text", "parts"), [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3), ("[" * 80, 1), ("[" * 81, 2),
    ("ă" * 70, 1), ("ă" * 71, 2), ("ă" * 134, 2), ("ă" * 135, 3), ("a" * 69 + "…", 1), ("a" * 70 + "…", 2),
])
def test_sms_parts_counts_as_gsm_7_bit_or_ucs_2(text, parts):
    assert sms_parts(text) == parts


def step_sms(procedure, status, *, for_child, child=CHILD, correctable=True, sms_outcome=""):
    event = SimpleNamespace(status=status, note=REASON,
                            get_status_display=lambda: Filing.Status(status).label)
    context = {"filing": FILING, "event": event, "procedure_name": procedure.name,
               "procedure_sms_name": procedure.sms_name, "person": child, "for_child": for_child, "channel": "sms",
               "correctable": correctable and status == "returned", "sms_outcome": sms_outcome}
    return render_to_string("notifications/messages/public_service_filing.body.txt", context).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("for_child", [False, True])
@pytest.mark.parametrize("status", Filing.Status.values)
@pytest.mark.parametrize("code", [procedure.code for procedure in registry.all_procedures()])
def test_each_step_sms_of_each_procedure_takes_at_most_two_parts(code, status, for_child, language):
    procedure = registry.get(code)
    with translation.override(language):
        sms = step_sms(procedure, status, for_child=for_child)
        assert str(procedure.sms_name) in sms and str(procedure.name) not in sms
    assert FILING.tracking_number in sms and (CHILD.full_name in sms) == for_child
    # A rejection's or a return's reason is the officer's, quoted on top of the step (SMS_QUOTE_LENGTH)
    assert sms_parts(sms.replace(f"{REASON}.", "")) <= 2, (len(sms), sms)


@pytest.mark.parametrize(("language", "where"), [("vi", "cần bổ sung, sửa trên Cổng BHXH số: "),
                                               ("en", "correct it on the VssID Portal: ")])
@pytest.mark.parametrize("for_child", [False, True])
def test_a_return_s_sms_says_where_to_correct_the_filing_before_the_officer_s_words(for_child, language, where):
    with translation.override(language):
        sms = step_sms(registry.get("608A"), "returned", for_child=for_child)
        closed = step_sms(registry.get("608A"), "returned", for_child=for_child, correctable=False)
    assert sms.endswith(f" – {where}{REASON}."), sms
    # one that can no longer be sent again (its procedure closed to the person since) says only its step
    assert where not in closed and closed.endswith(f"{REASON}.") and sms_parts(closed.replace(f"{REASON}.", "")) <= 2


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("for_child", [False, True])
@pytest.mark.parametrize("code", ["BHYT-CL", "608A"])
def test_a_completion_s_sms_that_tells_of_the_new_card_keeps_to_the_step_s_parts(code, for_child, language):
    """The card reissued by a completion sends nothing of its own: the filing's SMS says it, within its parts."""
    filing = SimpleNamespace(card_reissued=SimpleNamespace(version=12, issued_on=FILING.due_date,
                                                           valid_to=datetime.date(2027, 12, 31)))
    completion_sms_within_parts(registry.get(code), filing, for_child=for_child, language=language)


def completion_sms_within_parts(procedure, filing, *, for_child, language) -> str:
    """What the completion's SMS says of its outcome, the SMS held to at most 2 parts, and to 3 with the longest
    child's name; answers that outcome."""
    with translation.override(language):
        told = str(procedure.completion_sms_outcome(filing))
        sms = step_sms(procedure, "done", for_child=for_child, sms_outcome=procedure.completion_sms_outcome(filing))
        longest = step_sms(procedure, "done", for_child=True, child=LONGEST_NAME,
                           sms_outcome=procedure.completion_sms_outcome(filing))
    assert told and sms.endswith(f". {told}") and sms_parts(sms) <= 2, (len(sms), sms)
    assert sms_parts(longest) <= 3, (len(longest), longest)
    return told


# What a 608A's completion leaves on the filing beyond a card reissued as it was: a child's card reissued to end
# earlier by the new birth date, and a child's card that date has ended; and the changes of where and how monthly
# benefits are paid, whose SMS says only that the change is made.
OTHER_OUTCOMES = [
    ("608A", SimpleNamespace(card_reissued=SimpleNamespace(version=12, issued_on=FILING.due_date,
                                                           valid_to=datetime.date(2031, 9, 30)),
                             card_end_before=datetime.date(2032, 9, 30))),
    ("608A", SimpleNamespace(card_ended=(SimpleNamespace(changed_at=datetime.datetime(2026, 12, 28, 9, 0)),
                                         datetime.date(2024, 9, 30)))),
    ("CHUYEN-NOI-HUONG", SimpleNamespace()),
    ("THAY-DOI-CHI-TRA", SimpleNamespace()),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("for_child", [False, True])
@pytest.mark.parametrize(("code", "filing"), OTHER_OUTCOMES)
def test_a_completion_s_sms_that_says_what_was_decided_keeps_to_the_step_s_parts(code, filing, for_child, language):
    told = completion_sms_within_parts(registry.get(code), filing, for_child=for_child, language=language)
    if hasattr(filing, "card_reissued"):
        assert "30/09/2031" in told, told  # the new end, not the old


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("status", Filing.Status.values)
def test_a_longer_childs_name_adds_at_most_one_part(status, language):
    with translation.override(language):
        sms = step_sms(registry.get("607A"), status, for_child=True, child=LONGEST_NAME)
    assert LONGEST_NAME.full_name in sms and sms_parts(sms.replace(f"{REASON}.", "")) <= 3, (len(sms), sms)


@pytest.mark.django_db
def test_a_filing_s_sms_names_its_procedure_short_and_its_notice_in_full(owner):
    filing = submit(owner, "607A")
    sms = Message.objects.get(channel=Message.Channel.SMS, template="public_service_filing")
    notice = Message.objects.get(channel=Message.Channel.INBOX, template="public_service_filing")
    assert sms.body == (f"BHXH: Hồ sơ {filing.tracking_number} – 607A Cấp lại sổ BHXH – đã nộp, "
                        f"hẹn trả kết quả {filing.due_date:%d/%m/%Y}.")
    assert sms_parts(sms.body) <= 2
    assert notice.body == (f"BHXH: Hồ sơ {filing.tracking_number} – Cấp lại sổ BHXH do mất, hỏng (không thay đổi "
                           f"thông tin) – đã nộp, hẹn trả kết quả {filing.due_date:%d/%m/%Y}. "
                           "Xem tại mục Dịch vụ công trên Cổng dịch vụ BHXH số.")


def moved_sms(procedure, *, for_child):
    context = {"filing": FILING, "procedure_name": procedure.name, "procedure_sms_name": procedure.sms_name,
               "before": FILING.due_date, "after": datetime.date(2026, 12, 30), "person": CHILD,
               "for_child": for_child, "channel": "sms"}
    return render_to_string("notifications/messages/public_service_due_date_moved.body.txt", context).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("for_child", [False, True])
@pytest.mark.parametrize("code", [procedure.code for procedure in registry.all_procedures()])
def test_each_procedure_s_sms_of_a_moved_due_date_names_it_short_and_takes_at_most_two_parts(code, for_child,
                                                                                              language):
    procedure = registry.get(code)
    with translation.override(language):
        sms = moved_sms(procedure, for_child=for_child)
        assert str(procedure.sms_name) in sms and str(procedure.name) not in sms
    assert FILING.tracking_number in sms and "30/12/2026" in sms and (CHILD.full_name in sms) == for_child
    assert sms_parts(sms) <= 2, (len(sms), sms)


GROWN_SMS = {
    ("vi", "returned"): "BHXH: Hồ sơ HS2612ABCDEF cần sửa. Nguyễn Thị Hồng Nhung Phương đã đủ 18 tuổi, cần có tài khoản "
                        "Cổng BHXH số để xem, sửa và nộp lại.",
    ("vi", "rejected"): "BHXH: Hồ sơ HS2612ABCDEF bị từ chối. Nguyễn Thị Hồng Nhung Phương đã đủ 18 tuổi, cần có tài "
                        "khoản Cổng BHXH số để xem lý do.",
    ("en", "returned"): "BHXH: Application HS2612ABCDEF needs fixing. Nguyễn Thị Hồng Nhung Phương, now 18, needs a "
                        "VssID Portal account to resend it.",
    ("en", "rejected"): "BHXH: Application HS2612ABCDEF was refused. Nguyễn Thị Hồng Nhung Phương, now 18, needs a "
                        "VssID Portal account to see why.",
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("status", ["returned", "rejected"])
@pytest.mark.parametrize("code", [procedure.code for procedure in registry.all_procedures()])
def test_each_procedure_s_sms_to_the_parent_of_a_child_grown_to_18_takes_2_parts(code, status, language):
    """Told to the parent who filed it, in place of the grown person's own step SMS: the filing by its number,
    what became of it, that the person is 18 and needs an account of their own to read it (and correct and
    send it again), in 2 parts as a step's SMS; the procedure's name is left to the notice, which says it."""
    procedure = registry.get(code)
    event = SimpleNamespace(status=status, note=REASON, get_status_display=lambda: Filing.Status(status).label)
    context = {"filing": FILING, "event": event, "procedure_name": procedure.name,
               "procedure_sms_name": procedure.sms_name, "person": CHILD, "channel": "sms"}
    with translation.override(language):
        sms = render_to_string("notifications/messages/public_service_filing_left.body.txt", context).strip()
        notice = render_to_string("notifications/messages/public_service_filing_left.body.txt",
                                  {**context, "channel": "inbox"}).strip()
        assert str(procedure.name) in notice
    assert sms == GROWN_SMS[language, status] and REASON not in sms
    assert sms_parts(sms) <= 2, (len(sms), sms)


@pytest.mark.django_db
def test_the_sms_of_a_moved_due_date_names_the_procedure_short_and_its_notice_in_full(owner):
    from public_services.services import due_dates_moved_notify

    filing = submit(owner, "607A")
    told = filing.due_date - datetime.timedelta(days=2)
    Filing.objects.filter(pk=filing.pk).update(due_date_told=told)
    due_dates_moved_notify(change="test", moved=[[filing.pk, told.isoformat(), filing.submitted_at.isoformat(),
                                                  filing.due_date.isoformat()]])
    sms = Message.objects.get(channel=Message.Channel.SMS, template="public_service_due_date_moved")
    notice = Message.objects.get(channel=Message.Channel.INBOX, template="public_service_due_date_moved")
    assert sms.body == (f"BHXH: Hồ sơ {filing.tracking_number} – 607A Cấp lại sổ BHXH – hẹn trả kết quả đổi sang "
                        f"{filing.due_date:%d/%m/%Y}.")
    assert notice.body.startswith(f"BHXH: Hồ sơ {filing.tracking_number} – Cấp lại sổ BHXH do mất, hỏng (không thay "
                                  f"đổi thông tin) – hẹn trả kết quả đổi từ {told:%d/%m/%Y} sang")


def bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("channel", ["sms", "inbox", "email"])
@pytest.mark.parametrize("code", [procedure.code for procedure in registry.all_procedures()])
def test_no_message_of_a_filing_puts_its_procedure_s_name_in_brackets(code, channel, language):
    """A procedure's name may hold brackets of its own ("… (không thay đổi thông tin)"): a filing's step, its due
    date moved and the word to the parent of a child grown to 18 name it between dashes, so brackets never nest."""
    procedure = registry.get(code)
    for status in Filing.Status.values:
        event = SimpleNamespace(status=status, note="Bổ sung giấy tờ", get_status_display=lambda status=status:
                                Filing.Status(status).label)
        context = {"filing": FILING, "event": event, "procedure_name": procedure.name, "before": FILING.due_date,
                   "after": datetime.date(2026, 12, 30), "procedure_sms_name": procedure.sms_name, "person": CHILD,
                   "channel": channel, "correctable": status == "returned"}
        for template in ("public_service_filing", "public_service_due_date_moved", "public_service_filing_left"):
            for for_child in (False, True):
                with translation.override(language):
                    text = render_to_string(f"notifications/messages/{template}.body.txt",
                                            {**context, "for_child": for_child})
                assert bracket_depth(text) <= 1, (template, text)
