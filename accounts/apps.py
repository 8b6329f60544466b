from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản và người tham gia")

    def ready(self):
        from . import signals
        from .allauth_names import name_allauth_models

        name_allauth_models(self.apps)

        signals.connect()
