from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthCardConfig(AppConfig):
    name = "health_card"
    verbose_name = _("Thẻ BHYT")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            services,  # noqa: F401  (connects the API-token cache receivers)
        )
