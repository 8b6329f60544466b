"""Pages of the medical-visit history (sổ KCB)."""
