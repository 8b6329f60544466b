"""Completing a move of the paying place or a change of the payment method tells the person once, by
the filing's own completion (a notice, an SMS and an e-mail), whose notice and e-mail name what was
decided: the agency that pays from now on, the new way of receiving. The monthly benefits it writes
send nothing of their own, however many there are, while an officer's own change of a benefit
record is told as before."""

import re

import pytest
from django.utils import translation

from benefits.models import BenefitRecord
from benefits.services import benefit_set_status
from notifications.models import Message
from public_services.procedures import registry
from public_services.services import filing_complete, filing_receive, filing_start
from tests.benefits.helpers import decided, record

from .helpers import district_officer, other_district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

POINTER = {"vi": "Xem tại mục Dịch vụ công trên Cổng dịch vụ BHXH số.",
           "en": "See Public services on the Digital Social Insurance Portal."}
OUTCOME = {
    ("CHUYEN-NOI-HUONG", "vi"): "Lương hưu, trợ cấp hằng tháng từ nay do BHXH Quận 12 chi trả.",
    ("CHUYEN-NOI-HUONG", "en"): "Monthly pensions and allowances are paid by BHXH Quận 12 from now on.",
    ("THAY-DOI-CHI-TRA", "vi"): "Lương hưu, trợ cấp hằng tháng từ nay nhận bằng tiền mặt; nơi nhận: Bưu điện Sài "
                                "Gòn.",
    ("THAY-DOI-CHI-TRA", "en"): "Monthly pensions and allowances are received in cash from now on; place of "
                                "payment: Bưu điện Sài Gòn.",
}


def completed_with_two_monthly_benefits(user, code, officer, **answers):
    record(user.person, BenefitRecord.Kind.PENSION, **decided(amount=None, monthly_amount=7_000_000))
    filing = submit(user, code, **answers)
    filing_receive(filing=filing, officer=officer)
    filing_start(filing=filing, officer=officer)
    Message.objects.all().delete()
    return filing_complete(filing=filing, officer=officer)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("code", ["CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA"])
def test_the_completion_alone_tells_the_person_and_names_what_was_decided(owner, district_officer,
                                                                          other_district_officer, code, language):
    owner.language = language
    owner.save(update_fields=["language"])
    officer = other_district_officer if code == "CHUYEN-NOI-HUONG" else district_officer
    filing = completed_with_two_monthly_benefits(owner, code, officer)
    assert BenefitRecord.objects.filter(person=owner.person, revision=1).count() == 2  # both written
    messages = {message.channel: message for message in Message.objects.all()}
    assert Message.objects.count() == 3 and set(messages) == {"inbox", "sms", "email"}
    assert {message.template for message in messages.values()} == {"public_service_filing"}
    with translation.override(language):
        name, short = registry.get(code).name, registry.get(code).sms_name
        status = str(filing.get_status_display()).lower()
        step = f"BHXH: Hồ sơ {filing.tracking_number} – {name} – {status}."
        dash = "-" if language == "en" else "–"  # an SMS in 7 bits but for its dashes sends them as hyphens
        sms = f"BHXH: Hồ sơ {filing.tracking_number} {dash} {short} {dash} {status}. {SMS_OUTCOME[code, language]}"
    if language == "en":
        step, sms = (text.replace("BHXH: Hồ sơ", "BHXH: Application") for text in (step, sms))
    for channel in ("inbox", "email"):
        assert messages[channel].body == f"{step} {OUTCOME[code, language]} {POINTER[language]}"
    assert messages["sms"].body == sms


def test_a_change_into_a_bank_account_names_the_bank(owner, district_officer):
    record(owner.person, BenefitRecord.Kind.PENSION, **decided(amount=None, monthly_amount=7_000_000, payment_method="cash"))
    filing = submit(owner, "THAY-DOI-CHI-TRA", method="tai_khoan", bank="VCB", account_number="0123456789",
                    account_holder="NGUYEN VAN DUC", post_office="")
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    Message.objects.all().delete()
    filing_complete(filing=filing, officer=district_officer)
    assert Message.objects.count() == 3 and not Message.objects.exclude(template="public_service_filing").exists()
    assert ("Lương hưu, trợ cấp hằng tháng từ nay được chuyển vào tài khoản ngân hàng Vietcombank. Xem tại mục"
            in Message.objects.get(channel="inbox").body)
    assert "0123456789" not in Message.objects.get(channel="inbox").body


def test_an_officer_s_own_change_of_a_benefit_is_still_told(owner, district_officer):
    allowance = BenefitRecord.objects.get(person=owner.person)
    benefit_set_status(record=allowance, status="paid", actor=district_officer)
    told = Message.objects.filter(template="benefit_updated", user=owner)
    assert sorted(told.values_list("channel", flat=True)) == ["inbox", "sms"]
    assert told.get(channel="inbox").body.startswith(
        f"BHXH: Hồ sơ hưởng chế độ tai nạn lao động, bệnh nghề nghiệp số {allowance.reference} vừa được cập nhật. "
        "Trạng thái: Đã chi trả")


SMS_OUTCOME = {("CHUYEN-NOI-HUONG", "vi"): "Chế độ nay do cơ quan BHXH mới chi trả.",
               ("CHUYEN-NOI-HUONG", "en"): "Now paid by the new agency.",
               ("THAY-DOI-CHI-TRA", "vi"): "Từ nay nhận chế độ theo cách mới.",
               ("THAY-DOI-CHI-TRA", "en"): "Benefits now paid the new way."}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("code", ["CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA"])
def test_the_completion_s_sms_says_the_change_is_done_without_the_account_or_the_place(
        owner, district_officer, other_district_officer, code, language):
    """Read on a lock screen: that the change is made, not the agency, the post office or the bank account,
    which the notice and the e-mail name; within the parts of the step's SMS."""
    from tests.notifications.sms_parts import sms_parts

    owner.language = language
    owner.save(update_fields=["language"])
    officer = other_district_officer if code == "CHUYEN-NOI-HUONG" else district_officer
    filing = completed_with_two_monthly_benefits(owner, code, officer)
    sms = Message.objects.get(channel="sms").body
    assert filing.tracking_number in sms and sms.endswith(f". {SMS_OUTCOME[code, language]}"), sms
    assert "Quận 12" not in sms and "Bưu điện" not in sms and sms_parts(sms) <= 2, (len(sms), sms)


@pytest.mark.parametrize("typed", ["Bưu điện Sài Gòn", "Điểm chi trả bưu điện Sài Gòn"])
def test_a_change_to_cash_names_the_post_office_chosen(owner, district_officer, typed):
    """As typed, whether by the post office's name or the paying point's, which the sentence does not say again."""
    filing = completed_with_two_monthly_benefits(owner, "THAY-DOI-CHI-TRA", district_officer, post_office=typed)
    assert filing.data["post_office"] == typed
    for channel in ("inbox", "email"):
        body = Message.objects.get(channel=channel).body
        assert f"Lương hưu, trợ cấp hằng tháng từ nay nhận bằng tiền mặt; nơi nhận: {typed}. Xem tại mục" in body
        assert body.lower().count("điểm chi trả") == typed.lower().count("điểm chi trả"), body


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("code", ["CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA"])
def test_the_completion_s_sms_names_the_change_once(owner, district_officer, other_district_officer, code,
                                                    language):
    """Read as the citizen receives it: the step names the procedure by its short name, and what the SMS says
    after the step tells what holds from now on, none of the name's words said again."""
    owner.language = language
    owner.save(update_fields=["language"])
    officer = other_district_officer if code == "CHUYEN-NOI-HUONG" else district_officer
    filing = completed_with_two_monthly_benefits(owner, code, officer)
    sms = Message.objects.get(channel="sms").body
    with translation.override(language):
        name, status = str(registry.get(code).sms_name), str(filing.get_status_display()).lower()
    step, said, outcome = sms.partition(f" {status}. ")
    assert said and name in step and outcome, sms

    def words(text):
        return {word for word in re.findall(r"\w+", text.casefold()) if len(word) > 2}

    assert not words(name) & words(outcome), sms
