"""BHYT cards, signing keys and the verification log."""

__all__: list[str] = []
