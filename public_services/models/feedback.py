"""Feedback and complaints (phản ánh, kiến nghị) and the officers' answers."""

__all__: list[str] = []
