"""One number that moves with every write to the reference data shown on personal pages (names and
addresses of agencies, wards, provinces, facilities, employers; card levels and groups):
`portal_reference_version`, a sequence moved by statement triggers. It starts at the creation time
in microseconds, so a database built again never reuses the numbers of the one before it (pages
stored in Redis under them would otherwise come back). PostgreSQL only; read together with the
persons' versions by accounts.selectors.content_version."""

SEQUENCE_AND_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS portal_reference_version;
SELECT setval('portal_reference_version', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
CREATE OR REPLACE FUNCTION portal_bump_reference_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('portal_reference_version');
    RETURN NULL;
END $$;
"""

DROP_SEQUENCE_AND_FUNCTION = [
    "DROP FUNCTION IF EXISTS portal_bump_reference_version()",
    "DROP SEQUENCE IF EXISTS portal_reference_version",
]


def reference_version_trigger(table: str) -> str:
    return (f"CREATE TRIGGER {table}_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_reference_version()")


def drop_reference_version_trigger(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_reference_version ON {table}"
