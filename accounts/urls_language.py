"""The language switch, under Django's name for it (`set_language`), without a namespace."""

from django.urls import path

from .views.language import language_switch

urlpatterns = [
    path("setlang/", language_switch, name="set_language"),
]
