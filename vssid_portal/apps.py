from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "vssid_portal"
    verbose_name = "Cổng BHXH số"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
