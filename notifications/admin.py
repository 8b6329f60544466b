from django.contrib import admin
from django.utils.translation import gettext_lazy

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "user", "template", "status", "attempts"]
    list_filter = ["channel", "status"]
    list_select_related = ["user"]  # a link that may be empty is not joined by the admin itself
    show_full_result_count = False
    search_fields = ["recipient", "idempotency_key", "user__username"]
    exclude = ["body"]
    readonly_fields = [f.name if f.name != "body" else "body_shown" for f in Message._meta.fields]

    @admin.display(description=gettext_lazy("nội dung"))
    def body_shown(self, message):
        """A code or a temporary password waiting to go is not shown (it is blanked once sent)."""
        return Message.SENSITIVE_HIDDEN if message.sensitive else message.body

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
