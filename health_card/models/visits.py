"""The medical-visit history (sổ KCB): visits and their cost lines."""

__all__: list[str] = []
