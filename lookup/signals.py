"""Signals of the reference data's writes that send no `post_save` (bulk loads)."""

from django.dispatch import Signal

# Sent by the reference loader after it overwrites existing rows with `bulk_update` (no post_save
# for each), with `sender` the model and `pks` the rows changed, so that other apps drop what they
# cache of those rows (health_card: the API tokens of a facility whose BHYT contract ended).
bulk_updated = Signal()
