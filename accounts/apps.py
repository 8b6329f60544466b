from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản và người tham gia"

    def ready(self):
        from . import signals

        signals.connect()
