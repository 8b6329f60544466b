"""The triggers that move a person's page version (content_version.py) and their parents' (0009) lock the
persons FOR NO KEY UPDATE instead of FOR UPDATE: the version is no key, and a filing committed meanwhile
for the person, whose key check takes FOR KEY SHARE, no longer waits for a card, period or registration
written for them (vssid_portal/locks.py)."""

from django.db import migrations

from accounts.content_version import BUMP_FUNCTION
from vssid_portal.migration_sql import run_on_postgresql

GUARDIANS_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_bump_guardians() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() = 1 THEN
        UPDATE accounts_person SET content_version = content_version + 1 WHERE id IN (
            SELECT id FROM accounts_person WHERE id IN (
                SELECT u.person_id FROM accounts_guardianship g
                JOIN accounts_user u ON u.id = g.parent_id
                JOIN changed c ON c.id = g.child_id)
            ORDER BY id FOR NO KEY UPDATE);
    END IF;
    RETURN NULL;
END $$;
"""


def before(function: str) -> str:
    return function.replace("FOR NO KEY UPDATE", "FOR UPDATE")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0024_user_officer_person_one_active_staff")]
    operations = [
        run_on_postgresql([BUMP_FUNCTION, GUARDIANS_FUNCTION], [before(BUMP_FUNCTION), before(GUARDIANS_FUNCTION)]),
    ]
