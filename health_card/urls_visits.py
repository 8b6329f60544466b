"""URLs of the medical-visit history (sổ KCB); included by urls.py in the health_card namespace."""

urlpatterns: list = []
