"""SECRET_KEY is rotated by moving the old key to SECRET_KEY_FALLBACKS (comma-separated) and setting a new
one: what the old key signed keeps working (sessions, their login, the private-file links, the signed
pages and codes) and is signed anew with the new key, until the old key is dropped from the fallbacks.
Without it, a new key ended every session and every link at once."""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.helpers import make_person
from tests.conftest import NEW_SECRET_KEY as NEW_KEY

from .test_settings import PROD_KEY, run

OLD_KEY = "0ld" + "a1b2c3d4e5f6" * 5
PASSWORD_HASH = "pbkdf2_sha256$1000000$salt$" + "A" * 43

SIGN = """
import json, django
django.setup()
from django.contrib.sessions.backends.cached_db import SessionStore
from accounts.models import User
from vssid_portal import files
auth_hash = User(pk=1, password=%r).get_session_auth_hash()
print(json.dumps({"auth_hash": auth_hash, "session": SessionStore().encode({"_auth_user_hash": auth_hash}),
                  "link": files.private_file_url("statements/1.pdf", user=None).rstrip("/").rsplit("/", 1)[1]}))
""" % PASSWORD_HASH

CHECK = """
import json, sys, django
django.setup()
from django.contrib.sessions.backends.cached_db import SessionStore
from accounts.models import User
from vssid_portal import files
signed = json.loads(sys.stdin.read())
user = User(pk=1, password=%r)
print(json.dumps({
    "session": SessionStore().decode(signed["session"]) == {"_auth_user_hash": signed["auth_hash"]},
    "login": signed["auth_hash"] in [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()],
    "link": files._opened(signed["link"]) is not None,
}))
""" % PASSWORD_HASH


def _checked(signed: str, **env) -> dict:
    result = run(CHECK, **env, stdin_text=signed)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_what_the_old_key_signed_still_holds_once_it_is_a_fallback_key():
    signed = run(SIGN, SECRET_KEY=OLD_KEY)
    assert signed.returncode == 0, signed.stderr
    rotated = _checked(signed.stdout, SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=f"{PROD_KEY},{OLD_KEY}")
    assert rotated == {"session": True, "login": True, "link": True}
    assert _checked(signed.stdout, SECRET_KEY=NEW_KEY) == {"session": False, "login": False, "link": False}


def test_a_citizen_stays_logged_in_across_a_rotation(client, rotate_secret_key, reference_data):
    person = make_person()
    user = get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    client.force_login(user)
    page = reverse("accounts:personal")
    assert client.get(page).status_code == 200
    rotate_secret_key()
    assert client.get(page).status_code == 200
    rotate_secret_key.drop_old()  # the session was signed anew with the new key on its first request
    assert client.get(page).status_code == 200
