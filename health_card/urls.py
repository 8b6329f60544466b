from django.urls import include, path

from .views import card

app_name = "health_card"
urlpatterns = [
    path("the-bhyt/", card.card, name="index"),
    path("xac-thuc/the-bhyt/", card.verify, name="verify"),
    # The medical-visit history's pages (same "health_card" namespace).
    path("", include("health_card.urls_visits")),
]
