"""The dates a new card carries or may carry: the five-year date of continuous BHYT coverage, the last day
of a child's (TE) card, and the dates an officer may not give a card (a mistyped year, before the holder's
birth, past a child's last day)."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext

from participation.selectors import bhyt_spans_for
from vssid_portal.templatetags.vn_format import vn_date

from ..models.card import add_years

# Nghị định 146/2018/NĐ-CP, Điều 12.5: BHYT participation is continuous when each card's validity
# follows the previous one's, with a break of at most 3 months; a longer break starts the count
# afresh. Five continuous years (Luật BHYT, Điều 22.1.e) exempt the holder from co-payment.
CONTINUITY_BREAK_MONTHS = 3
CONTINUOUS_YEARS = 5


def _month_number(day: datetime.date) -> int:
    return day.year * 12 + day.month


def five_year_date(spans: Iterable[tuple[datetime.date, datetime.date]]) -> datetime.date | None:
    """The "thời điểm đủ 5 năm liên tục" of BHYT coverage given as (first month, last month)
    spans: the start of the latest continuous run plus five years — in the future while the run is
    younger, as cards print it. A break of up to three months keeps the run (and its start); None
    without any span."""
    start = end = None
    for first, last in sorted(spans):
        if end is None or _month_number(first) - _month_number(end) - 1 > CONTINUITY_BREAK_MONTHS:
            start, end = first, last
        else:
            end = max(end, last)
    return add_years(start, CONTINUOUS_YEARS) if start is not None else None


def five_year_date_for(*, person, valid_from: datetime.date, valid_to: datetime.date | None = None) -> datetime.date:
    """The five-year date a card of `person` valid from `valid_from` carries, from the person's
    BHYT periods and the card's own validity (coverage too: a card after a long break starts a new
    run, as does a first card without recorded periods)."""
    return five_year_date([*bhyt_spans_for(person=person), (valid_from, valid_to or valid_from)])


# Luật BHYT, Điều 16.3.d: the card of a child under six (group TE) is valid until the child turns
# 72 months; a child who turns six before the school year begins keeps it until 30/09 of that year.
def child_card_valid_to(birth_date: datetime.date) -> datetime.date:
    """The last day of a child's (TE) card: the day before the sixth birthday, or 30/09 of that
    year when the birthday comes before October (the school year has not begun)."""
    sixth = add_years(birth_date, 6)
    return max(sixth - datetime.timedelta(days=1), datetime.date(sixth.year, 9, 30))


CHILD_GROUP = "TE"


def child_card_due(*, person, on: datetime.date | None = None) -> bool:
    """Whether `person` is still of age on `on` (today) for a child's (TE) card, which the state budget
    pays: a child under six, or six until child_card_valid_to."""
    return (on or timezone.localdate()) <= child_card_valid_to(person.birth_date)


# A card begins at most a year ahead (a household's BHYT is paid up to 12 months in advance) and,
# when it has an end, ends within ten years of its start: past either, a year was mistyped (9999 for
# 2026). A card without an end date is left empty, as new cards print "-".
CARD_START_AHEAD_YEARS = 1
CARD_MAX_YEARS = 10


def card_dates_error(*, person, valid_from: datetime.date | None,
                     valid_to: datetime.date | None) -> dict[str, str] | None:
    """What makes a new card's dates impossible (field → message), or None: a start before the
    holder's birth or more than CARD_START_AHEAD_YEARS ahead, an end more than CARD_MAX_YEARS after
    the start."""
    if valid_from is None:
        return None
    latest_start = add_years(timezone.localdate(), CARD_START_AHEAD_YEARS)
    if person is not None and valid_from < person.birth_date:
        return {"valid_from": gettext("Ngày bắt đầu có giá trị không thể trước ngày sinh của người tham gia "
                                      "(%(birth)s).") % {"birth": vn_date(person.birth_date, person.birth_year_only)}}
    if valid_from > latest_start:
        return {"valid_from": gettext("Ngày bắt đầu có giá trị không được sau %(day)s (một năm kể từ hôm nay): "
                                      "kiểm tra lại năm đã nhập.") % {"day": vn_date(latest_start)}}
    latest_end = add_years(valid_from, CARD_MAX_YEARS)
    if valid_to is not None and valid_to > latest_end:
        return {"valid_to": gettext("Ngày hết hạn không được sau %(day)s (10 năm sau ngày bắt đầu có giá trị): "
                                    "kiểm tra lại năm đã nhập; thẻ không có ngày hết hạn thì để trống.")
                % {"day": vn_date(latest_end)}}
    return None


def child_card_dates_error(*, person, group, valid_from: datetime.date,
                           valid_to: datetime.date | None) -> dict[str, str] | None:
    """What makes a TE card's dates unlawful (field → message), or None. The card must begin by
    its last lawful day (child_card_valid_to) and may not end after it; an empty end is that day."""
    if group is None or group.pk != CHILD_GROUP or person is None or valid_from is None:
        return None
    last_day = child_card_valid_to(person.birth_date)
    if valid_from > last_day:
        return {"group": f"Thẻ trẻ em dưới 6 tuổi của người này chỉ có giá trị đến {vn_date(last_day)}: "
                         "hãy chọn đối tượng khác."}
    if valid_to is not None and valid_to > last_day:
        return {"valid_to": f"Thẻ trẻ em dưới 6 tuổi có giá trị đến hết {vn_date(last_day)} "
                            "(Luật BHYT, Điều 16): để trống hoặc ghi ngày đó trở về trước."}
    return None
