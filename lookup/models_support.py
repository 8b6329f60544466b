"""FAQ and news shown in the "Hỗ trợ" menu, managed in the admin."""

__all__: list[str] = []
