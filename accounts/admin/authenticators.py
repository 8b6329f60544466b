"""allauth.mfa's authenticators in the admin: only deleted there, each holder told."""

from collections import Counter

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from ..selectors import (
    recovery_codes_deleted_with,
)
from ..services.security import authenticators_delete

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AllauthAuthenticatorAdmin):
    """allauth.mfa's admin, whose deletions (one or the selected) tell each holder, as switching
    the app off on the security page does. An authenticator is made only by its holder on the
    security page, who alone is shown its secret: the admin adds none, changes none and shows
    no stored data."""

    exclude = ["data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_deleted_objects(self, objs, request):
        """The confirmation lists, under each app, the recovery codes deleted with it, and counts
        each kind in the summary: "Ứng dụng xác thực (TOTP): 1", "Mã khôi phục: 2"."""
        objs = sorted(objs, key=lambda a: a.type == Authenticator.Type.RECOVERY_CODES)
        going = recovery_codes_deleted_with(objs)
        _, _, perms_needed, protected = super().get_deleted_objects([*objs, *going.values()], request)
        rows = []
        for authenticator in objs:
            rows.append(self._deleted_row(authenticator))
            if authenticator.pk in going:
                rows.append([self._deleted_row(going[authenticator.pk])])
        counts = Counter(str(a.get_type_display()) for a in [*objs, *going.values()])
        return rows, dict(counts), perms_needed, protected

    def _deleted_row(self, authenticator):
        return format_html('{}: <a href="{}">{}</a>', capfirst(self.opts.verbose_name),
                           reverse("admin:mfa_authenticator_change", args=[quote(authenticator.pk)]), authenticator)

    def delete_model(self, request, obj):
        authenticators_delete(authenticators=[obj])

    def delete_queryset(self, request, queryset):
        authenticators_delete(authenticators=queryset.select_related("user__person"))
