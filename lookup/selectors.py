"""Reads of the reference data.

Every search is accent- and case-insensitive: the query is folded and split into words without
the punctuation around them (`vssid_portal.text.search_words`), and each word must begin a word of
the row's folded `search_key` — the start of the key, or after a space or an opening bracket — so
"ha noi" finds Hà Nội, not "Nội thất" ("ha" inside "thất"), and "079" finds 079 and 07901. On
PostgreSQL the `LIKE 'word%' OR LIKE '% word%' OR LIKE '%(word%'` this makes is served by the
trigram GIN indexes of migration 0002; SQLite scans the same column. The rows that hold the query as whole words come
first ("Quận 1" finds BHXH Quận 1 before Quận 10 and Quảng Ninh), then those where it begins a
word, then those holding its words apart, each group in the lookup's own order.
Common abbreviations find what they stand for, and the reverse: "tp hcm" and "thành phố hồ chí
minh" both find "TP. Hồ Chí Minh", "bv" finds "Bệnh viện" (ABBREVIATIONS).
Each function returns a queryset with its foreign keys joined, so a page of results costs the
same number of queries whatever its size.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Concat

from vssid_portal.text import SEARCH_WORDS_MAX, clean_text, search_words

from .models import Agency, CollectionPoint, Employer, MedicalFacility, Province, Ward


def agency_subtree_ids(agency: Agency) -> set[int]:
    """The agency and every agency below it (province 079 → its districts, any depth)."""
    ids, level = {agency.pk}, [agency.pk]
    while level:
        # `ids` guards against a loop someone made in the tree: each agency is visited once.
        level = [pk for pk in Agency.objects.filter(parent_id__in=level).values_list("pk", flat=True) if pk not in ids]
        ids.update(level)
    return ids


def officer_agency_ids(user) -> frozenset[int] | None:
    """The agencies an officer works for: their own and every agency below it (a province officer's
    districts). None for a superuser (every agency); empty for anyone else. Read once per user
    object, i.e. per request (an admin page asks up to a dozen times), for the agency it has now."""
    if user.is_superuser:
        return None
    if not user.is_staff or user.agency_id is None:
        return frozenset()
    known = user.__dict__.get("_agency_scope")
    if known is None or known[0] != user.agency_id:
        known = user.__dict__["_agency_scope"] = (user.agency_id, frozenset(agency_subtree_ids(user.agency)))
    return known[1]


def within_officer_scope(queryset: QuerySet, user, field: str = "agency_id") -> QuerySet:
    """The rows of `queryset` whose agency (`field`) the officer works for (officer_agency_ids)."""
    ids = officer_agency_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


# What may stand before a word in a folded key: a space, an opening bracket ("(dữ liệu mẫu)") or
# a full stop ("tp.hcm": "hcm" finds it). Commas in the data are followed by a space; a slash, a
# hyphen or an apostrophe joins one token ("18/879", "tk1-ts"), found from its start.
WORD_OPENERS = (" ", "(", ".")

# The words of a search that are looked for, the rest being left out: each form a word is looked
# for in (itself, and what it stands for if it is an abbreviation: "tphcm" has four) is four LIKEs
# on the search key, and a public search's limit (PUBLIC_LOOKUP_RATE) counts searches, not their
# words. A word typed again is looked for once and counts once. Eight plain words
# (SEARCH_WORDS_MAX, which the officers' admin shares), or the forms of "bệnh viện đại học y dược
# tphcm".
SEARCH_FORMS_MAX = 12

# The abbreviations people type for words the reference data writes out (folded): a word that is
# one also finds what it stands for ("bv cho ray" finds Bệnh viện Chợ Rẫy, "tp hcm" TP. Hồ Chí Minh).
ABBREVIATIONS = {
    "tp": ("thanh pho",),
    "hcm": ("ho chi minh",),
    "tphcm": ("tp. ho chi minh", "thanh pho ho chi minh", "tp.hcm"),
    "hn": ("ha noi",),
    "bv": ("benh vien",),
    "bvdk": ("benh vien da khoa",),
    "dk": ("da khoa",),
    "pk": ("phong kham",),
    "pkdk": ("phong kham da khoa",),
    "tyt": ("tram y te",),
    "ttyt": ("trung tam y te",),
    "tx": ("thi xa",),
    "tt": ("thi tran",),
}


_WRITTEN_OUT = sorted(((tuple(written.split()), short) for short, (written, *_) in ABBREVIATIONS.items()
                       if " " in written), key=lambda pair: -len(pair[0]))


def _as_abbreviations(words: list[str]) -> list[tuple[str, int]]:
    """The words with "tp.hcm" (abbreviations joined by full stops) read as "tp" and "hcm", and
    words written out read as their abbreviation ("thanh pho" as "tp"), which finds either form;
    each with the index in `words` of the word it starts at."""
    spelled = []
    for at, word in enumerate(words):
        parts = word.split(".")
        spelled.extend((part, at) for part in (parts if len(parts) > 1 and all(part in ABBREVIATIONS for part in parts)
                                               else [word]))
    short, at = [], 0
    while at < len(spelled):
        found = next(((written, abbreviation) for written, abbreviation in _WRITTEN_OUT
                      if tuple(word for word, _ in spelled[at:at + len(written)]) == written), None)
        short.append((found[1] if found else spelled[at][0], spelled[at][1]))
        at += len(found[0]) if found else 1
    return short


def _looked_for(words: list[str]) -> tuple[list[tuple[str, ...]], int]:
    """The forms each word of a search is looked for in, once for a word typed again, as many words
    as SEARCH_WORDS_MAX and SEARCH_FORMS_MAX allow; and how many of `words` these are (the rest are
    left out, a word of which a part does not fit whole)."""
    forms: dict[str, tuple[tuple[str, ...], int]] = {}
    for word, at in _as_abbreviations(words):
        if word in forms:
            continue
        written = (word, *ABBREVIATIONS.get(word, ()))
        counted = sum(len(each) for each, _ in forms.values())
        if len(forms) == SEARCH_WORDS_MAX or counted + len(written) > SEARCH_FORMS_MAX:
            return [each for each, start in forms.values() if start < at], at
        forms[word] = (written, at)
    return [each for each, _ in forms.values()], len(words)


def words_begin_words(words: list[str]) -> Q:
    """The rows whose folded `search_key` has, for each of `words`, a word that begins with it, or
    for an abbreviation, the words it stands for (ABBREVIATIONS); within the limits of a search."""
    condition = Q()
    for forms in _looked_for(words)[0]:
        starts = Q()
        for written in forms:
            starts |= Q(search_key__startswith=written)
            for opener in WORD_OPENERS:
                starts |= Q(search_key__contains=opener + written)
        condition &= starts
    return condition


@dataclass(frozen=True)
class SearchTerms:
    """A search as read: the folded words looked for, and the query as typed from its first word
    that is not (SEARCH_WORDS_MAX, SEARCH_FORMS_MAX), "" when every word is; the results page
    names those. `punctuation_only`: something was typed but no word ("?", "- –"), which finds
    nothing, where a query of spaces or invisible characters (a zero-width space) finds all."""
    words: list[str]
    left_out: str
    punctuation_only: bool = False


def search_terms(query: str) -> SearchTerms:
    tokens = clean_text(query).split()
    words, token_of = [], []  # token_of[n]: the token typed that gives words[n]
    for at, token in enumerate(tokens):
        for word in search_words(token):
            words.append(word)
            token_of.append(at)
    kept = _looked_for(words)[1]
    return SearchTerms(words[:kept], " ".join(tokens[token_of[kept]:]) if kept < len(words) else "",
                       punctuation_only=bool(tokens) and not words)


def _matching(queryset: QuerySet, query: str) -> QuerySet:
    terms = search_terms(query)
    if terms.punctuation_only:
        return queryset.none()  # nothing to look for
    words = terms.words
    if not words:
        return queryset
    ordering = queryset.query.order_by
    queryset = queryset.filter(words_begin_words(words))
    phrase = " ".join(words)
    return queryset.alias(spaced_key=Concat(Value(" "), "search_key", Value(" "))).alias(search_rank=Case(
        When(Q(spaced_key__contains=f" {phrase} ") | Q(spaced_key__contains=f" {phrase},"), then=Value(0)),
        When(spaced_key__contains=f" {phrase}", then=Value(1)),
        default=Value(2),
    )).order_by("search_rank", *ordering)


def agencies_lookup(*, province: Province | None = None, query: str = "") -> QuerySet:
    """The public agency list: by province and/or words of code, name or address."""
    agencies = Agency.objects.select_related("province", "parent").order_by("code")
    if province is not None:
        agencies = agencies.filter(province=province)
    return _matching(agencies, query)


# A KCB facility code as cards print it ("79 - 032"), typed without the spaces ("79-032") or with
# a space for the dash ("79 032"): the 2-digit province, a separator, 3 letters or digits
# (DESIGN.md, "Identifiers").
FACILITY_CODE_WRITTEN = re.compile(r"([0-9]{2})(?:\s*[-‐‑–—]\s*|\s+)([0-9a-z]{3})", re.IGNORECASE)


def facility_code_written(query: str) -> str | None:
    """The facility code a query writes in two parts ("79 - 032", "79 032" → "79032"), else None.
    Searched as words, "79" and "032" would each match anywhere: "479 Lương Ngọc Quyến", "19032"."""
    match = FACILITY_CODE_WRITTEN.fullmatch(unicodedata.normalize("NFKC", query).strip())  # "７９－０３２" too
    return (match[1] + match[2]).upper() if match else None


def facilities_lookup(
    *, province: Province | None = None, query: str = "", level: str = "", sick_leave_only: bool = False,
    bhyt_contract: bool = True,
) -> QuerySet:
    """KCB facilities with a BHYT contract (or, with `bhyt_contract=False`, those without one), by
    province, words of name/code/address (or a code written with a separator: that code only, when
    a facility has it, whether or not within the other filters; else its words, as "15 ngo" is an
    address typed without accents) and level."""
    facilities = MedicalFacility.objects.filter(bhyt_contract=bhyt_contract).select_related("province").order_by("code")
    if province is not None:
        facilities = facilities.filter(province=province)
    if level:
        facilities = facilities.filter(level=level)
    if sick_leave_only:
        facilities = facilities.filter(issues_sick_leave=True)
    code = facility_code_written(query)
    if code and MedicalFacility.objects.filter(code=code).exists():  # outside the filters: none, not its words
        return facilities.filter(code=code)
    return _matching(facilities, query)


def employers_lookup(*, query: str = "", province: Province | None = None) -> QuerySet:
    """Employer units by words of name, unit code or tax code, with their managing agency."""
    employers = Employer.objects.select_related("province", "agency").order_by("code")
    if province is not None:
        employers = employers.filter(province=province)
    return _matching(employers, query)


def collection_points_lookup(*, province: Province | None = None, ward: Ward | None = None, query: str = "") -> QuerySet:
    """Collection points and agents (điểm thu, đại lý thu) by province, ward and words."""
    points = CollectionPoint.objects.select_related("province", "ward", "agency").order_by("code")
    if province is not None:
        points = points.filter(province=province)
    if ward is not None:
        points = points.filter(ward=ward)
    return _matching(points, query)
