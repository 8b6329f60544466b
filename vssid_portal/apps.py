from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.urls import register_converter

from .text import PORTAL_NAME


class PortalConfig(AppConfig):
    name = "vssid_portal"
    verbose_name = PORTAL_NAME
    default = True  # the app's own config, not AdminConfig below

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .converters import IdConverter

        # Before any URLconf is read: every app's URLs name object ids `<id:…>`.
        register_converter(IdConverter, "id")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app (INSTALLED_APPS names it here) with the portal's site as `admin.site`."""

    default = False
    default_site = "vssid_portal.admin.PortalAdminSite"
