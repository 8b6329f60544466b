from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "vssid_portal"
    verbose_name = "Cổng BHXH số"
