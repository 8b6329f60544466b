from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản và người tham gia"

    def ready(self):
        from . import signals
        from .allauth_names import name_allauth_models

        name_allauth_models(self.apps)

        signals.connect()
