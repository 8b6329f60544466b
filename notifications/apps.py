from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from django.db.models import signals

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import Message
        from .services import forget_unread_count_of_message

        signals.post_save.connect(forget_unread_count_of_message, sender=Message, dispatch_uid="notifications-unread-saved")
        signals.post_delete.connect(forget_unread_count_of_message, sender=Message, dispatch_uid="notifications-unread-deleted")
