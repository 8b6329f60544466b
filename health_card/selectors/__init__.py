"""Every read of the health_card app, scoped to who is asking, one module per concern: a person's card and
its state, QR and printout (cards), the dates a card carries or may carry (card_dates), the reads of a card
check (checks), the data-access log of the checks (access_log), the clinics' API tokens (tokens), and the
medical-visit history (visits).

The public names are imported here, so that `from health_card.selectors import card_state` reads as
before; a test replacing a name replaces it in the module that looks it up, not here.
"""

from .access_log import (
    CLINIC_CHANNELS,
    card_checks_for,
    checker_name,
    checker_name_without_login,
    checks_visible_to,
)
from .card_dates import (
    CARD_MAX_YEARS,
    CARD_START_AHEAD_YEARS,
    CHILD_GROUP,
    CONTINUITY_BREAK_MONTHS,
    CONTINUOUS_YEARS,
    card_dates_error,
    child_card_dates_error,
    child_card_due,
    child_card_valid_to,
    five_year_date,
    five_year_date_for,
)
from .cards import (
    CARD_RELATED,
    GUARDIAN_NAMED_UNDER,
    IN_USE,
    benefit_percents,
    card_for,
    card_in_use,
    card_of,
    card_state,
    card_version_of,
    cards_past_end,
    cards_visible_to,
    guardian_name,
    newer_card_number,
    portrait_for,
    printable,
    replacing_card_number,
    shows_qr,
)
from .checks import (
    CHECK_RELATED,
    SharedIdNumber,
    card_by_number,
    card_for_check,
    facility_checks_cards,
    is_clinic_staff,
    lapsed_facility,
)
from .tokens import api_token_by_hash, tokens_visible_to
from .visits import (
    VisitYear,
    own_facility_only,
    visit_in_scope,
    visit_scope,
    visit_years_for,
    visits_for,
    visits_in_year,
    visits_visible_to,
)

__all__ = [
    "CARD_MAX_YEARS", "CARD_RELATED", "CARD_START_AHEAD_YEARS", "CHECK_RELATED", "CHILD_GROUP", "CLINIC_CHANNELS",
    "CONTINUITY_BREAK_MONTHS", "CONTINUOUS_YEARS", "GUARDIAN_NAMED_UNDER", "IN_USE", "SharedIdNumber", "VisitYear",
    "api_token_by_hash", "benefit_percents", "card_by_number", "card_checks_for", "card_dates_error", "card_for",
    "card_for_check", "card_in_use", "card_of", "card_state", "card_version_of", "cards_past_end",
    "cards_visible_to", "checker_name", "checker_name_without_login", "checks_visible_to", "child_card_dates_error",
    "child_card_due", "child_card_valid_to", "facility_checks_cards", "five_year_date", "five_year_date_for",
    "guardian_name", "is_clinic_staff", "lapsed_facility", "newer_card_number", "own_facility_only", "portrait_for",
    "printable", "replacing_card_number", "shows_qr", "tokens_visible_to", "visit_in_scope", "visit_scope",
    "visit_years_for", "visits_for", "visits_in_year", "visits_visible_to",
]
