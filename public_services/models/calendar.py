"""Public holidays (a data table editable in the admin) for working-day due dates."""

__all__: list[str] = []
