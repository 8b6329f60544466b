from django.apps import AppConfig
from django.urls import register_converter


class PortalConfig(AppConfig):
    name = "vssid_portal"
    verbose_name = "Cổng BHXH số"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .converters import IdConverter

        # Before any URLconf is read: every app's URLs name object ids `<id:…>`.
        register_converter(IdConverter, "id")
