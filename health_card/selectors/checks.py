"""The reads of a card check: the card a signed QR names (the portal's busiest read, its SQL written once per
process), the card a typed number answers to (a CCCD shared by several records names none by itself), and
whether a login or a clinic may check cards on the clinic page."""

import datetime
import functools
from collections.abc import Callable

from django.db import connections, router
from django.db.models import Exists, OuterRef, Q

from accounts.models import Person

from ..models import Card

# What a card check shows and logs (verify page, API): the holder, the benefit level, the KCB
# facility of first registration and the issuing agency.
CHECK_RELATED = ("person", "level", "facility", "agency")


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
