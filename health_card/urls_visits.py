"""URLs of the medical-visit history (sổ KCB); included by urls.py in the health_card namespace."""

from django.urls import path

from .views import visits

urlpatterns = [
    path("so-kham-chua-benh/", visits.visits, name="visits"),
    path("so-kham-chua-benh/<id:pk>/", visits.visit_detail, name="visit_detail"),
]
