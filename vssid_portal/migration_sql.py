"""Raw SQL in migrations that only PostgreSQL runs (triggers, sequences); the embedded SQLite
default skips it."""

from django.db import migrations


def run_on_postgresql(forwards: list[str], backwards: list[str]) -> migrations.RunPython:
    def runner(statements):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement, params=None)  # no placeholders: "%s" belongs to format()
        return run

    return migrations.RunPython(runner(forwards), runner(backwards))
