"""A parent's dashboard lists their children: a change to a child's row moves the parent's version
too. One statement trigger on accounts_person; it does not run for the UPDATE it makes itself
(pg_trigger_depth), so it cannot recurse."""

from django.db import migrations

from vssid_portal.migration_sql import run_on_postgresql

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_bump_guardians() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() = 1 THEN
        UPDATE accounts_person SET content_version = content_version + 1 WHERE id IN (
            SELECT id FROM accounts_person WHERE id IN (
                SELECT u.person_id FROM accounts_guardianship g
                JOIN accounts_user u ON u.id = g.parent_id
                JOIN changed c ON c.id = g.child_id)
            ORDER BY id FOR UPDATE);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER accounts_person_guardians_version AFTER UPDATE ON accounts_person
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_guardians();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_person_content_version")]
    operations = [
        run_on_postgresql(
            [FUNCTION],
            ["DROP TRIGGER IF EXISTS accounts_person_guardians_version ON accounts_person",
             "DROP FUNCTION IF EXISTS portal_bump_guardians()"],
        ),
    ]
