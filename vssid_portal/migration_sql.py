"""SQL of migrations that differs by database: raw SQL that only PostgreSQL runs (triggers,
sequences; the embedded SQLite default skips it), and a check constraint added for the rows
written from then on; and the batches a data migration of a large table updates one at a time."""

import contextlib

from django.db import migrations


def id_batches(model, size: int = 10_000):
    """The rows of `model` in ranges of `size` ids, oldest first, for a data migration (atomic = False)
    that updates a large table one batch at a time, each committed on its own: a row written meanwhile
    waits for one batch at most, not for the whole table."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, last, size):
        yield model.objects.filter(pk__gt=start, pk__lte=start + size)


def run_on_postgresql(forwards: list[str], backwards: list[str]) -> migrations.RunPython:
    def runner(statements):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement, params=None)  # no placeholders: "%s" belongs to format()
        return run

    return migrations.RunPython(runner(forwards), runner(backwards))


class AddConstraintForRowsWritten(migrations.AddConstraint):
    """A check constraint that holds every row written from now on and leaves alone one stored
    before that breaks it: a row stored with an amount above a cap (typed with digits too many)
    does not stop the deploy, and stays as it was until it is corrected, which saving it then asks
    for. PostgreSQL adds the constraint NOT VALID; SQLite, which copies the table to add it, copies
    it with check constraints ignored. Its state is AddConstraint's."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            # params=None: the constraint's SQL is complete; a "%" in it is not a placeholder.
            schema_editor.execute(f"{self.constraint.create_sql(model, schema_editor)} NOT VALID", params=None)
            return
        with _checks_ignored_on_sqlite(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # SQLite drops it by copying the table under the constraints still in place before it, which
        # a row stored above a cap breaks as well.
        with _checks_ignored_on_sqlite(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


@contextlib.contextmanager
def _checks_ignored_on_sqlite(schema_editor):
    """SQLite copies a table to change its constraints: the copy keeps rows stored above a cap."""
    if schema_editor.connection.vendor != "sqlite":
        yield
        return
    schema_editor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        schema_editor.execute("PRAGMA ignore_check_constraints = OFF")
