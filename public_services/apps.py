from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicServicesConfig(AppConfig):
    name = "public_services"
    verbose_name = _("Dịch vụ công")
