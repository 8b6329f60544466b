from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Quá trình tham gia")

    def ready(self):
        from django.db.models.signals import post_delete

        from .models import Statement
        from .services.statements import statement_files_deleted

        post_delete.connect(statement_files_deleted, sender=Statement, dispatch_uid="participation-statement-files")
