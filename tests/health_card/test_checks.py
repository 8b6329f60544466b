"""The card signing keys are checked by `manage.py` (health_card/checks.py), not found wrong by the
first card page: a bad id, a bad key or a signing key id that is not configured made every
`/the-bhyt/<pk>/ma-qr.png` a 500 while `check --deploy` passed."""

import pytest

from health_card import keys
from health_card.checks import signing_keys_valid

GOOD = keys.new_private_key_text()


@pytest.mark.parametrize(
    ("configured", "key_id", "named"),
    [
        ({"1": "abc"}, "", "'1'"),  # the id is not 4 digits
        ({"0001": "abc"}, "", "0001"),  # the key is not 32 bytes
        ({"0001": 12}, "", "0001"),  # nor text
        (["0001"], "", "HEALTH_CARD_SIGNING_KEYS"),  # not an object
        ({"0001": GOOD}, "9999", "HEALTH_CARD_SIGNING_KEY_ID=9999"),  # signs with a key that is not there
    ],
)
def test_malformed_signing_keys_are_a_system_check_error(settings, configured, key_id, named):
    settings.HEALTH_CARD_SIGNING_KEYS, settings.HEALTH_CARD_SIGNING_KEY_ID = configured, key_id
    [error] = signing_keys_valid(None)
    assert error.id == "health_card.E002" and named in error.msg and "HEALTH_CARD_SIGNING_KEY" in error.msg


@pytest.mark.parametrize(("configured", "key_id"), [({"0001": GOOD, "0002": GOOD}, ""), ({"0001": GOOD}, "0001"), ({}, "")])
def test_valid_or_unset_signing_keys_pass(settings, tmp_path, configured, key_id):
    settings.HEALTH_CARD_SIGNING_KEYS, settings.HEALTH_CARD_SIGNING_KEY_ID = configured, key_id
    settings.HEALTH_CARD_DEV_KEY_FILE = tmp_path / "dev-keys.json"
    assert signing_keys_valid(None) == []
    assert not settings.HEALTH_CARD_DEV_KEY_FILE.exists()  # the check makes no development key
