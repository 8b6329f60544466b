"""Running migrations from a test (the data migrations' own tests, marked transaction=True)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets=None):
    """Migrates to `targets` (every app's latest when None); returns the apps of the state reached."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    return executor.loader.project_state(targets).apps


def back_to_latest(*models):
    """Every migration applied again, for the tests after this one; should the rows a test stored in
    the tables of `models` stop that, without them (emptied in the order given), and raise."""
    try:
        migrate()
    except Exception:
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        migrate()
        raise
