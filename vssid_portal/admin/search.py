"""The admin's search: the folded keys of names looked for without diacritics, codes looked for from
their start by their own index, and the words past SEARCH_WORDS_MAX left out."""

import string

from django.contrib.admin.utils import (
    lookup_spawns_duplicates,
)
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from ..text import SEARCH_WORDS_MAX, search_words

# Columns that hold `vssid_portal.text.fold` of a text (lower case, no diacritics, đ → d).
FOLDED_KEYS = ("name_key", "search_key")
_PREFIXED_LOOKUPS = {"^": "istartswith", "=": "iexact", "@": "search"}


def _search_lookup(field: str) -> str:
    """The lookup Django's admin search uses for a plain `search_fields` entry (with its ^ = @ prefixes)."""
    if field[:1] in _PREFIXED_LOOKUPS:
        return f"{field[1:]}__{_PREFIXED_LOOKUPS[field[0]]}"
    return f"{field}__icontains"


def _looks_like_a_code(word: str) -> bool:
    """A word with a digit, or with a hyphen, slash or dot inside it ("LK-LAN"): a name has neither."""
    inside = word.strip(string.punctuation + "“”‘’…")
    return any(character.isdigit() for character in word) or any(character in "-/." for character in inside)


class FoldedKeySearch:
    """Mixin for a model admin whose `search_fields` include a folded key (a field named in
    FOLDED_KEYS, e.g. `person__name_key`). Django compares each word of the search as typed, so
    "Hoàng" never matched the key "hoang". Here each word is looked for as typed in the other
    fields (codes, references, declared names) and folded, without the punctuation around it
    (`search_words`), in the keys: "Hoàng Trọng Cường", "HOÀNG TRỌNG CƯỜNG" and "hoang trong cuong"
    find the same rows. As in Django, every word must be found in one of the fields, and a
    quoted phrase is one word."""

    # True where every other field is a code or reference looked for from its start ("^reference"), each
    # with an index that serves it: a word that looks like a code (_looks_like_a_code, or with no letter)
    # is then looked for in those fields only, and any other word in the keys only. See _code_word.
    codes_apart_from_names = False
    # Of those codes ("^number"), the ones always stored in upper case (digits, capitals, a generated
    # number, an ICD-10 code): looked for as `col LIKE 'WORD%'` with the word in upper case, which the
    # column's own B-tree (Django's varchar_pattern_ops "_like" index) serves, where istartswith's
    # `UPPER(col) LIKE` needs an index of its own.
    upper_case_codes: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]
        keys = [field for field in fields if field.rsplit("__", 1)[-1] in FOLDED_KEYS]
        if not keys:
            return super().get_search_results(request, queryset, search_term)
        as_typed = [_search_lookup(field) for field in fields if field not in keys]
        # The keys are lower case already: a plain LIKE, which their trigram indexes serve (an
        # icontains compares UPPER(key) and reads the whole table).
        folded = [f"{key}__contains" for key in keys]
        conditions = []
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            folded_word = " ".join(search_words(word))
            if self.codes_apart_from_names:
                if folded_word and not _looks_like_a_code(word):
                    conditions.append(Q.create([(lookup, folded_word) for lookup in folded], connector=Q.OR))
                else:
                    conditions.append(self._code_word(as_typed, word))
                continue
            conditions.append(Q.create([(lookup, word) for lookup in as_typed]
                                       + [(lookup, folded_word) for lookup in folded if folded_word], connector=Q.OR))
        may_have_duplicates = any(lookup_spawns_duplicates(self.opts, lookup) for lookup in as_typed + folded)
        return queryset.filter(*conditions), may_have_duplicates and bool(conditions)

    def _code_word(self, lookups: list[str], word: str) -> Q:
        """The rows where one of `lookups` (a reference, a decision number, the person's BHXH code,
        each from its start) finds `word`: the union of each lookup's own rows, read from its index,
        where an OR of lookups on the row and on its person read every row of the table."""
        each = [self.model._default_manager.filter(**dict([self._upper_case_code(lookup, word)])).order_by().values("pk")
                for lookup in lookups]
        return Q(pk__in=each[0].union(*each[1:]))

    def _upper_case_code(self, lookup: str, word: str) -> tuple[str, str]:
        """`lookup` and `word` as looked for: a code of `upper_case_codes` by its own index."""
        field = lookup.removesuffix("__istartswith")
        if field != lookup and field in self.upper_case_codes:
            return f"{field}__startswith", word.upper()
        return lookup, word


def search_within_bounds(search_term: str) -> tuple[str, str]:
    """The first SEARCH_WORDS_MAX words of an admin search (as Django splits it: a quoted phrase
    is one word), and the rest as typed, "" when there is none. Each word is a condition over every
    search field: a query pasted whole built one SQL query of thousands of LIKEs."""
    words = list(smart_split(search_term))
    return " ".join(words[:SEARCH_WORDS_MAX]), " ".join(words[SEARCH_WORDS_MAX:])
