"""Database triggers that keep `Person.content_version` moving with everything a person's
pages show, so a page rendered once can be served until the version changes.

Every write to a table below — by the ORM, `bulk_update`, `QuerySet.update()`, raw SQL or COPY —
adds one to the version of each person its rows belong to (PostgreSQL statement triggers with
transition tables: one UPDATE per statement, whatever the number of rows; persons locked in id
order, so two concurrent writers cannot deadlock on them, FOR NO KEY UPDATE, as the version is no
key: a filing committed meanwhile for the person does not wait for the write, vssid_portal/locks.py). A write to the person row itself
moves the version too, and a write to a child's row moves their parents' (the dashboard lists
children: accounts/migrations/0009_guardian_content_version.py). Reference data shown beside a
person's records (agencies, wards, facilities, employers, card levels) moves one shared sequence
instead: lookup/reference_version.py. Apps install the triggers for their own tables from their
migrations (vssid_portal.migration_sql); accounts.selectors.content_version reads both numbers
in one query.
"""

BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_bump_person_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: a query over the statement's changed rows ("changed", and "changed_old" on
    -- UPDATE) that names the persons whose pages show these rows.
    EXECUTE format(
        'UPDATE accounts_person SET content_version = content_version + 1 WHERE id IN ('
        'SELECT id FROM accounts_person WHERE id IN (%s) ORDER BY id FOR NO KEY UPDATE)', TG_ARGV[0]);
    RETURN NULL;
END $$;
"""

PERSON_TRIGGER = """
CREATE OR REPLACE FUNCTION portal_person_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.content_version := OLD.content_version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER accounts_person_content_version BEFORE UPDATE ON accounts_person
    FOR EACH ROW EXECUTE FUNCTION portal_person_version();
"""


def person_version_triggers(table: str, persons: str) -> list[str]:
    """CREATE TRIGGER statements that bump the persons named by `persons`, a query over the
    changed rows of `table` written against `{rows}` (e.g. "SELECT person_id FROM {rows}")."""
    def query(*aliases):
        return " UNION ".join(persons.format(rows=alias) for alias in aliases).replace("'", "''")

    return [
        f"""CREATE TRIGGER {table}_cv_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS changed
            FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_person_versions('{query("changed")}')""",
        f"""CREATE TRIGGER {table}_cv_update AFTER UPDATE ON {table}
            REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed
            FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_person_versions('{query("changed", "changed_old")}')""",
        f"""CREATE TRIGGER {table}_cv_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS changed
            FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_person_versions('{query("changed")}')""",
    ]


def drop_person_version_triggers(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_cv_{event} ON {table}" for event in ("insert", "update", "delete")]

