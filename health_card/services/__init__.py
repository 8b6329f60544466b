"""Every write of the health_card app, one module per concern: the cards issued, reissued, revoked and
expired (cards), the signed QR string a card carries (qr_string), the clinics' API tokens (tokens), the card
checks and their log (checks), and the medical-visit history's visits and cost lines (visits).

The public names are imported here, so that `from health_card.services import reissue_card` reads as
before; a test replacing a name replaces it in the module that looks it up
(`health_card.services.cards.person_notify`), not here. Importing the package connects the receivers that
forget a cached API token (tokens), as the app's ready() does.
"""

from .cards import (
    EXPIRE_BATCH,
    EXPIRE_RUN_SECONDS,
    EXPIRY_NOTICE_DAYS,
    CardReplacedMeanwhile,
    CardWouldBeExpired,
    card_expire,
    card_issue,
    card_revoke,
    cards_expire,
    legacy_number,
    reissue_card,
)
from .checks import CheckResult, card_check
from .qr_string import card_fields, card_qr
from .tokens import (
    TOKEN_CACHE_SECONDS,
    TOKEN_NONCE_SALT,
    TOKEN_PREFIX,
    TOKEN_USE_PRECISION,
    api_token_authenticate,
    api_token_create,
    api_token_end,
    api_token_ended,
    api_token_expiry,
    api_token_from_nonce,
    api_token_made_from_nonce,
    api_token_refusal,
    api_token_revoke,
    token_hash,
)
from .visits import (
    MONEY_FIELDS,
    TOTAL_FIELDS,
    TRACKED_FIELDS,
    change_key,
    check_dates,
    check_totals,
    fill_totals,
    largest_amount,
    line_totals,
    visit_patient_find,
    visit_save,
    visits_delete,
)

__all__ = [
    "EXPIRE_BATCH", "EXPIRE_RUN_SECONDS", "EXPIRY_NOTICE_DAYS", "MONEY_FIELDS", "TOKEN_CACHE_SECONDS",
    "TOKEN_NONCE_SALT", "TOKEN_PREFIX", "TOKEN_USE_PRECISION", "TOTAL_FIELDS", "TRACKED_FIELDS",
    "CardReplacedMeanwhile", "CardWouldBeExpired", "CheckResult", "api_token_authenticate", "api_token_create",
    "api_token_end", "api_token_ended", "api_token_expiry", "api_token_from_nonce", "api_token_made_from_nonce",
    "api_token_refusal", "api_token_revoke", "card_check", "card_expire", "card_fields", "card_issue", "card_qr",
    "card_revoke", "cards_expire", "change_key", "check_dates", "check_totals", "fill_totals", "largest_amount",
    "legacy_number", "line_totals", "reissue_card", "token_hash", "visit_patient_find", "visit_save",
    "visits_delete",
]
