"""How far ahead a period may end: compulsory BHXH (unless paid by the person), BHTN and BHTNLĐ-BNN
(and an employer's BHYT) are declared month by month and end by the current month; voluntary BHXH is paid at most 60 months ahead;
a household's BHYT at most 12. Each refusal names the latest month allowed."""

import pytest
from django.core.exceptions import ValidationError

from participation.models import Period
from participation.services.imports import periods_import
from tests.accounts.helpers import make_person

from .helpers import months_from_now, period
from .test_import import csv_lines

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def insured(db, reference_data):
    return make_person("7901666666", "Lê Thị Mai", id_number="079190012345", sex=2)


CASES = [  # kind, payer, months ahead allowed
    (Period.Kind.BHXH_COMPULSORY, None, 0),
    (Period.Kind.BHTN, None, 0),
    (Period.Kind.BHTNLD, None, 0),
    (Period.Kind.BHYT, None, 0),
    (Period.Kind.BHXH_VOLUNTARY, Period.Payer.SELF, 60),
    (Period.Kind.BHYT, Period.Payer.HOUSEHOLD, 12),
]


@pytest.mark.parametrize("kind, payer, ahead", CASES)
def test_a_period_ends_no_later_than_its_type_and_payer_allow(insured, kind, payer, ahead):
    latest = period(insured, months_from_now(-2), months_from_now(ahead), kind=kind, payer=payer, save=False)
    latest.full_clean(exclude=["import_key"])
    beyond = period(insured, months_from_now(-2), months_from_now(ahead + 1), kind=kind, payer=payer, save=False)
    with pytest.raises(ValidationError) as refused:
        beyond.full_clean(exclude=["import_key"])
    assert refused.value.message_dict["to_month"][0].startswith(
        f"Tháng kết thúc không được sau {months_from_now(ahead)}")


def test_the_state_budgets_bhyt_is_not_bounded_here(insured):
    """A child's BHYT paid by the state runs to the 72nd month (health_card's TE card rule)."""
    period(insured, months_from_now(-2), months_from_now(70), kind=Period.Kind.BHYT, payer=Period.Payer.STATE,
           save=False).full_clean(exclude=["import_key"])


def test_compulsory_bhxh_paid_by_the_person_may_be_paid_ahead(insured):
    """A worker abroad under contract pays compulsory BHXH for 3, 6 or 12 months at once or for the
    whole contract term ahead (the Law on Social Insurance): no month is the latest known."""
    period(insured, months_from_now(-2), months_from_now(36), kind=Period.Kind.BHXH_COMPULSORY,
           payer=Period.Payer.SELF, save=False).full_clean(exclude=["import_key"])


def test_the_import_refuses_a_row_ending_in_9999(person):
    report = periods_import(lines=csv_lines(
        "7901234567,bhxh_bb,01/2015,01/9999,employer,{E},Kỹ sư,12000000,25,3000000,0,79,07901,"), dry_run=True)
    assert report.error_count == 1
    assert f"Tháng kết thúc không được sau {months_from_now(0)}" in report.errors[0][1]


def test_a_periods_errors_are_said_in_the_admins_language(insured, settings):
    """An English admin (LANGUAGE_CODE) read a period's errors in Vietnamese: each is a sentence of the
    catalogue, its months mm/yyyy and its amounts as the admin's language writes money."""
    from django.utils import translation

    from participation.models import MAX_BASE

    this_month = months_from_now(0)
    ahead = period(insured, months_from_now(1), months_from_now(2), unpaid=5, save=False)
    ahead.rate, ahead.facility_id = 101, 1
    no_employer = period(insured, "01/2015", "12/2014", payer=Period.Payer.SELF, kind=Period.Kind.BHTN, save=False)
    no_employer.payer = Period.Payer.EMPLOYER
    before_birth = period(insured, "01/1980", "12/1980", save=False)
    before_birth.amount = 1
    voluntary = period(insured, "01/2015", months_from_now(61), kind=Period.Kind.BHXH_VOLUNTARY,
                       payer=Period.Payer.SELF, save=False)
    voluntary.amount = voluntary.base
    too_much = period(insured, "01/2015", "12/2015", base=MAX_BASE + 1, save=False)
    cases = {"ahead": ahead, "no_employer": no_employer, "before_birth": before_birth, "voluntary": voluntary,
             "too_much": too_much}
    wanted = {
        "vi": {
            ("ahead", "from_month"): f"Tháng bắt đầu không được sau tháng hiện tại ({this_month}).",
            ("ahead", "to_month"): f"Tháng kết thúc không được sau {this_month}: loại bảo hiểm này được kê khai, "
                                   "đóng theo từng tháng, không đóng trước.",
            ("ahead", "rate"): "Tỷ lệ đóng phải từ 0 đến 100 %.",
            ("ahead", "facility"): "Chỉ giai đoạn BHYT mới có nơi đăng ký KCB ban đầu.",
            ("ahead", "unpaid_months"): "Số tháng nợ không thể lớn hơn số tháng của giai đoạn.",
            ("no_employer", "to_month"): "Tháng kết thúc phải sau hoặc bằng tháng bắt đầu.",
            ("no_employer", "employer"): "Giai đoạn do đơn vị đóng phải có đơn vị.",
            ("before_birth", "from_month"): "Tháng bắt đầu không thể trước tháng sinh của người tham gia (03/1988).",
            ("before_birth", "amount"): "Số tiền đóng mỗi tháng phải bằng căn cứ đóng × tỷ lệ đóng (làm tròn xuống "
                                        "đến đồng): 2.500.000 đ.",
            ("voluntary", "to_month"): f"Tháng kết thúc không được sau {months_from_now(60)}: BHXH tự nguyện được "
                                       "đóng trước tối đa 5 năm (60 tháng).",
            ("voluntary", "amount"): "Số tiền đóng mỗi tháng của BHXH tự nguyện không được lớn hơn căn cứ đóng × tỷ "
                                     "lệ đóng (làm tròn xuống đến đồng): 2.500.000 đ. Số tiền nhỏ hơn là số đã trừ "
                                     "phần Nhà nước hỗ trợ.",
            ("too_much", "base"): f"Căn cứ đóng không được lớn hơn {MAX_BASE:,} đ một tháng: kiểm tra lại số chữ số "
                                  "đã nhập.".replace(",", "."),
        },
        "en": {
            ("ahead", "from_month"): f"The first month cannot be after the current month ({this_month}).",
            ("ahead", "to_month"): f"The last month cannot be after {this_month}: this insurance is declared and "
                                   "paid month by month, never ahead.",
            ("ahead", "rate"): "The contribution rate must be from 0 to 100%.",
            ("ahead", "facility"): "Only a health insurance period has a registered primary healthcare facility.",
            ("ahead", "unpaid_months"): "The months owed cannot be more than the months of the period.",
            ("no_employer", "to_month"): "The last month must be the first month or after it.",
            ("no_employer", "employer"): "A period paid by an employer must name the employer.",
            ("before_birth", "from_month"): "The first month cannot be before the participant's month of birth "
                                            "(03/1988).",
            ("before_birth", "amount"): "The monthly contribution must equal the contribution base × the rate "
                                        "(rounded down to the whole VND): 2,500,000 VND.",
            ("voluntary", "to_month"): f"The last month cannot be after {months_from_now(60)}: voluntary social "
                                       "insurance may be paid at most 5 years (60 months) ahead.",
            ("voluntary", "amount"): "The monthly voluntary social insurance contribution cannot be more than the "
                                     "contribution base × the rate (rounded down to the whole VND): 2,500,000 VND. A "
                                     "smaller amount is the one less the State's support.",
            # the amount written as the English admin writes every other: 2,500,000 VND above
            ("too_much", "base"): f"The contribution base cannot be more than {MAX_BASE:,} VND a month: check the "
                                  "digits typed.",
        },
    }
    for language, messages in wanted.items():
        settings.LANGUAGE_CODE = language
        with translation.override(language):
            errors = {}
            for name, obj in cases.items():
                with pytest.raises(ValidationError) as refused:
                    obj.full_clean(exclude=["import_key"])
                errors.update({(name, field): said for field, said in refused.value.message_dict.items()})
            assert {key: errors.get(key) for key in messages} == {key: [message] for key, message in messages.items()}
