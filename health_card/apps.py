from django.apps import AppConfig


class HealthCardConfig(AppConfig):
    name = "health_card"
    verbose_name = "Thẻ BHYT"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            services,  # noqa: F401  (connects the API-token cache receivers)
        )
