from django.urls import path

from .views import card, verify, visits

app_name = "health_card"
urlpatterns = [
    path("the-bhyt/", card.card_page, name="index"),
    path("the-bhyt/ma-qr/", card.card_qr_page, name="qr"),
    path("the-bhyt/<id:pk>/ma-qr.png", card.card_qr_image, name="qr_image"),
    path("the-bhyt/<id:pk>/in/", card.card_pdf, name="pdf"),
    path("the-bhyt/ai-da-xem/", card.access_log, name="access_log"),
    path("xac-thuc/the-bhyt/", verify.verify, name="verify"),
    path("api/xac-thuc/the-bhyt/", verify.api_verify, name="api_verify"),
    path(".well-known/bhyt-keys.json", verify.public_keys, name="public_keys"),
    # The medical-visit history (sổ KCB).
    path("so-kham-chua-benh/", visits.visits, name="visits"),
    path("so-kham-chua-benh/<id:pk>/", visits.visit_detail, name="visit_detail"),
]
