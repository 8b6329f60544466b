"""Reads of the health_card app: a person's card, its access log, cards an officer may see."""

import datetime
import functools
from collections.abc import Callable, Iterable

from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Guardianship, Person, Registration
from lookup.selectors import officer_agency_ids, within_officer_scope
from participation.selectors import bhyt_spans_for
from vssid_portal.dates import age_on
from vssid_portal.templatetags.vn_format import vn_date

from .models import Card, CardCheck, FacilityApiToken
from .models.card import add_years
from .qr import Kind

CARD_RELATED = ("person", "group", "level", "facility", "facility__province", "agency")
# What a card check shows and logs (verify page, API): the holder, the benefit level, the KCB
# facility of first registration and the issuing agency.
CHECK_RELATED = ("person", "level", "facility", "agency")


def card_for(*, person) -> Card | None:
    """The person's card to show: the active one, else the latest version."""
    if person is None:
        return None
    cards = Card.objects.filter(person=person).select_related(*CARD_RELATED)
    return cards.filter(status=Card.Status.ACTIVE).first() or cards.order_by("-version").first()


def benefit_percents(*, persons) -> dict[int, int]:
    """The share of covered costs the fund pays (the benefit level's percent) by person id, read from
    the card card_for shows each of `persons`: the active one, else the latest version. A person
    without a card is left out."""
    shown: dict[int, Card] = {}
    for card in Card.objects.filter(person__in=persons).select_related("level").order_by("person_id", "-version"):
        if card.person_id not in shown or (card.status == Card.Status.ACTIVE
                                           and shown[card.person_id].status != Card.Status.ACTIVE):
            shown[card.person_id] = card
    return {person_id: card.level.percent for person_id, card in shown.items()}


def card_of(*, pk: int, person) -> Card | None:
    """A card of `person` by its id, None for anybody else's (a 404 to the view). Read in one query
    with what its QR and printed card carry: its person, group, level, facility and agency, and as
    `first_guardian_name` the name guardian_name would look up for a young child's card ("" when no
    parent or guardian is linked), so that neither the QR nor its cache key costs another query."""
    first_guardian = (Guardianship.objects.filter(child_id=OuterRef("person_id")).order_by("pk")
                      .values("parent__person__full_name")[:1])
    return (Card.objects.filter(pk=pk, person=person).select_related(*CARD_RELATED)
            .annotate(first_guardian_name=Coalesce(Subquery(first_guardian), Value(""))).first())


def card_version_of(*, person, version: int) -> Card | None:
    """One version of the person's card: the one a filing was made about."""
    return Card.objects.filter(person=person, version=version).first()


def card_state(card: Card, *, today: datetime.date | None = None) -> Kind:
    """What a card is on `today` (by default the portal's today), as a clinic check answers: its
    status, and its dates for an active one. The status alone lags: an active card is expired the
    day after its end date whether or not the nightly `cards_expire` has marked it yet."""
    today = today or timezone.localdate()
    if card.status == Card.Status.REVOKED:
        return Kind.REVOKED
    if card.status == Card.Status.REPLACED:
        return Kind.REPLACED
    if card.status == Card.Status.EXPIRED or (card.valid_to is not None and card.valid_to < today):
        return Kind.EXPIRED
    if card.valid_from > today:
        return Kind.NOT_YET_VALID
    return Kind.VALID


# The states of a card in use: one still to begin counts, as it can be printed and reissued before
# its first day (it prints that day, and a clinic accepts it from then).
IN_USE = (Kind.VALID, Kind.NOT_YET_VALID)


def shows_qr(card: Card) -> bool:
    """An on-screen QR only for a card a clinic accepts today: it is good for 10 minutes, not till
    the card's first day."""
    return card_state(card) == Kind.VALID


def printable(card: Card) -> bool:
    """A printed card for a card in use, one still to begin too (it prints its first day); never
    for an expired card, replaced or revoked one: paper that looks valid would mislead."""
    return card_state(card) in IN_USE


def cards_past_end(*, today: datetime.date):
    """Active cards past their end date: the ones the nightly expiry marks (services.cards_expire)."""
    return Card.objects.filter(status=Card.Status.ACTIVE, valid_to__lt=today)


def card_in_use(*, person, today: datetime.date | None = None) -> Card | None:
    """The person's active card unless it is past its end date: what a new card may not be issued
    beside, and what a reissue replaces."""
    card = Card.objects.filter(person=person, status=Card.Status.ACTIVE).first()
    return card if card is not None and card_state(card, today=today) in IN_USE else None


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


# A child's card names a parent or guardian (QR field 10) until the child's sixth birthday, as the
# cards of children under six (TK1-TS) do.
GUARDIAN_NAMED_UNDER = 6


def guardian_name(person, *, first_guardian: str | None = None) -> str:
    """The name the card of a child under six carries: the first parent or guardian whose account
    was linked to the child (accounts.Guardianship); "" for anyone else. `first_guardian` is that
    name when the caller read it already (card_of), so that it is not looked up again."""
    if age_on(person.birth_date, timezone.localdate()) >= GUARDIAN_NAMED_UNDER:
        return ""
    if first_guardian is not None:
        return first_guardian
    guardianship = person.guardians.select_related("parent__person").order_by("pk").first()
    return guardianship.parent.person.full_name if guardianship and guardianship.parent.person else ""


def card_checks_for(*, person):
    """The data-access log of the person's cards, newest first, with the agency of an officer who
    checked (the log names an officer by it, and another citizen by no name) and `by_guardian`:
    whether the login that checked is, or was, the holder's parent or guardian (named as such)."""
    return (CardCheck.objects.filter(person=person)
            .select_related("facility", "checked_by__agency", "token", "card")
            .annotate(by_guardian=Exists(Guardianship.objects.filter(parent_id=OuterRef("checked_by_id"),
                                                                     child_id=OuterRef("person_id"))))
            .order_by("-at", "-pk"))


# The checks only clinic staff make: on the clinic page, by a scan or typed.
CLINIC_CHANNELS = (CardCheck.Channel.QR, CardCheck.Channel.TYPED)


def checker_name(check: CardCheck, *, viewer) -> str:
    """Who the access log names as having made `check` (a row of card_checks_for) to `viewer`, the
    login reading the log: the viewer themself, the holder, the holder's parent or guardian, clinic
    staff (at the check, whatever their login is now) by name, an officer by their agency, any other
    citizen by no name; a clinic's software by its token's name; a check whose login was deleted since
    as clinic staff's when made on the clinic page or logged with the login's facility, else as another
    signed-in user's; and a check made without login as a guest's."""
    user = check.checked_by
    if user is None:
        return checker_name_without_login(check)
    if user.pk == viewer.pk:
        return gettext("Bạn")
    if user.person_id == check.person_id:
        return gettext("Chủ thẻ")
    if check.by_guardian:
        return gettext("Cha, mẹ hoặc người giám hộ")
    # Clinic staff at the check: on the clinic page, or logged with the facility their login still has (a
    # clinic whose contract lapsed checks on the public page), whatever their login's facility is now.
    if check.channel in CLINIC_CHANNELS or (check.facility_id is not None and check.facility_id == user.facility_id):
        return user.get_full_name() or user.username
    if user.agency_id:
        return gettext("Cán bộ %(agency)s") % {"agency": user.agency.name}
    return gettext("Người dùng khác (đã đăng nhập)")


def checker_name_without_login(check: CardCheck) -> str:
    """Who made `check`, which has no login (now): what checker_name names it to anyone reading the
    access log, and what the officers' log names it. A clinic's software by its token's name; a check
    whose login was deleted since as clinic staff's when made on the clinic page or logged with the
    login's facility, else as another signed-in user's; a check made without login as a guest's."""
    if check.token_id is not None:
        return gettext("Phần mềm: %(name)s") % {"name": check.token.name}
    # A login deleted since, not a guest: without a token, only a login's facility is logged.
    if check.channel in CLINIC_CHANNELS or check.facility_id is not None:
        return gettext("Nhân viên cơ sở KCB")
    if check.signed_in:
        return gettext("Người dùng khác (đã đăng nhập)")
    return gettext("Khách (không đăng nhập)")


def portrait_for(*, person) -> str:
    """Name in private storage of the person's portrait from their latest approved registration,
    or "" (the card then shows a neutral placeholder)."""
    return (Registration.objects.filter(person=person, status=Registration.Status.APPROVED)
            .exclude(portrait="").order_by("-decided_at", "-submitted_at")
            .values_list("portrait", flat=True).first()) or ""


def facility_checks_cards(facility) -> bool:
    """Whether a KCB facility may check BHYT cards: only while it has a BHYT contract."""
    return facility.bhyt_contract


def lapsed_facility(user):
    """The KCB facility of a login whose BHYT contract has ended (its staff check cards as anyone
    does), else None."""
    facility = user.facility if getattr(user, "facility_id", None) else None
    return facility if facility is not None and not facility_checks_cards(facility) else None


def is_clinic_staff(user) -> bool:
    """A clinic login: attached to a KCB facility that still has its BHYT contract, and allowed to
    verify cards."""
    return bool(user.is_authenticated and user.facility_id and user.is_active
                and user.has_perm("health_card.verify_card") and facility_checks_cards(user.facility))


def cards_visible_to(user):
    """Cards an officer may see: those issued by their agency and the agencies below it."""
    return within_officer_scope(Card.objects.select_related(*CARD_RELATED), user)


def checks_visible_to(user):
    checks = CardCheck.objects.select_related("card", "person", "facility", "checked_by", "token")
    return within_officer_scope(checks, user, field="card__agency_id")


def api_token_by_hash(digest: str) -> FacilityApiToken | None:
    """The token, live or revoked, whose plain text has this hash (token_hash is unique)."""
    return FacilityApiToken.objects.filter(token_hash=digest).order_by().first()


def tokens_visible_to(user, tokens):
    """API tokens an officer may see and revoke: those made by officers of their agency and the
    agencies below it; a province's top agency answers for every clinic of its province, so its
    officers see all that province's tokens (whoever made them)."""
    ids = officer_agency_ids(user)
    if ids is None:
        return tokens
    if not ids:
        return tokens.none()
    scope = Q(created_by__agency_id__in=ids)
    agency = user.agency
    if agency.parent_id is None:
        scope |= Q(facility__province_id=agency.province_id)
    return tokens.filter(scope)


def replacing_card_number(*, person) -> str | None:
    """The number (15-character form) of the person's card in use: what a check of a card it
    replaced names as the new one (maTheMoi). An active card past its end date, which the nightly
    expiry has not marked yet, is not in use: none is named, as `newer_card_number` names none."""
    card = card_in_use(person=person)
    return card.legacy_number if card is not None else None


def newer_card_number(*, card: Card, today: datetime.date | None = None) -> str | None:
    """The number (15-character form) of a card in use issued to the holder after `card`: what a
    check of an expired card names as the new one (maTheMoi), as it does for a replaced card."""
    newer = (Card.objects.filter(person_id=card.person_id, status=Card.Status.ACTIVE, version__gt=card.version)
             .only("status", "valid_from", "valid_to", "legacy_number").first())
    return newer.legacy_number if newer is not None and card_state(newer, today=today) in IN_USE else None


def card_for_check(*, number: str, version: int) -> Card | None:
    """The card a signed QR names, with its holder, level, facility and agency, as
    `select_related(*CHECK_RELATED)` would read it. Number and version are unique together.

    A check is the portal's busiest read, and Django compiled this four-join query's SQL anew on
    every call: 0.9 of the read's 1.4 ms. The SQL is written once per process from the models'
    metadata (`_CheckQuery`), and each row becomes the same objects through `Model.from_db`."""
    return _check_query(router.db_for_read(Card)).card(number, version)


class _CheckQuery:
    def __init__(self, alias: str):
        self.alias = alias
        connection = connections[alias]
        qn = connection.ops.quote_name
        self.parts = []  # (model, attnames, position of the pk, converters, relation name or None)
        columns, tables = [], [f"{qn(Card._meta.db_table)} c"]
        for index, name in enumerate((None, *CHECK_RELATED)):
            if name is None:
                model, table = Card, "c"
            else:
                relation = Card._meta.get_field(name)
                model, table = relation.related_model, f"r{index}"
                join = "LEFT OUTER JOIN" if relation.null else "INNER JOIN"
                tables.append(f"{join} {qn(model._meta.db_table)} {table} ON c.{qn(relation.column)} = "
                              f"{table}.{qn(relation.target_field.column)}")
            fields = model._meta.concrete_fields
            converters = []  # (position, converter, column): what Django applies to each value read
            for position, field in enumerate(fields):
                column = field.get_col(table)
                columns.append(f"{table}.{qn(field.column)}")
                for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
                    converters.append((position, convert, column))
            self.parts.append((model, [field.attname for field in fields], fields.index(model._meta.pk), converters, name))
        number, version = (qn(Card._meta.get_field(name).column) for name in ("number", "version"))
        self.sql = (f"SELECT {', '.join(columns)} FROM {' '.join(tables)} "
                    f"WHERE c.{number} = %s AND c.{version} = %s")

    def card(self, number: str, version: int) -> Card | None:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [number, version])
            row = cursor.fetchone()
        if row is None:
            return None
        start, card = 0, None
        for model, attnames, pk, converters, name in self.parts:
            values = list(row[start:start + len(attnames)])
            start += len(attnames)
            for position, convert, column in converters:
                values[position] = convert(values[position], column, connection)
            instance = model.from_db(self.alias, attnames, values) if values[pk] is not None else None
            if card is None:
                card = instance
            else:
                setattr(card, name, instance)
        return card


@functools.cache
def _check_query(alias: str) -> _CheckQuery:
    return _CheckQuery(alias)


class SharedIdNumber(Exception):
    """A 12-digit number that is the CCCD of more than one person in the registry, of whom `matched`
    are the one the check describes (none: what was typed fits none of them)."""

    def __init__(self, number: str, *, matched: int):
        super().__init__(number)
        self.matched = matched


def card_by_number(number: str, *, issued_on: datetime.date | None = None,
                   holder: Callable[[Person], bool] | None = None):
    """The card answering to a typed number: the 10-digit code, the old 15-character form or (from
    15/08/2025, Decree 188/2025) the holder's 12-digit CCCD; the newest version, or with `issued_on`
    (the issue date an unsigned QR carries) the version in force that day: the newest one issued
    by then, else the first.

    Person.id_number is not unique (a duplicate record of one person under two BHXH codes, a number
    entered on the wrong record; merging them is the registry's work), so a CCCD held by more than
    one person names no card by itself: the card is that of the one record among them that `holder`
    accepts (the typed name and birth date), and with none or several SharedIdNumber, rather than
    the newest card of whichever of them. A CCCD of one record costs one query, as before."""
    number = "".join(number.split()).upper()
    cards = Card.objects.select_related(*CHECK_RELATED).order_by("-version")
    if len(number) == 10 and number.isdigit():
        card = cards.filter(number=number).first()
    elif len(number) == 12 and number.isdigit():
        others = Person.objects.filter(id_number=number).exclude(pk=OuterRef("person_id"))
        card = cards.filter(person__id_number=number).annotate(id_shared=Exists(others)).first()
        if card is not None and card.id_shared:
            sharing = Person.objects.filter(id_number=number).only("full_name", "birth_date", "birth_year_only")
            chosen = [person.pk for person in sharing if holder is not None and holder(person)]
            if len(chosen) != 1:
                raise SharedIdNumber(number, matched=len(chosen))
            card = cards.filter(person_id=chosen[0]).first()
    elif len(number) == 15:
        card = cards.filter(Q(legacy_number=number)).first()
    else:
        return None
    if card is None or issued_on is None or card.issued_on <= issued_on:
        return card
    versions = cards.filter(person_id=card.person_id)
    return versions.filter(issued_on__lte=issued_on).first() or versions.last()
