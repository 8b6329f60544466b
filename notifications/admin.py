from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "user", "template", "status", "attempts"]
    list_filter = ["channel", "status"]
    list_select_related = ["user"]  # a link that may be empty is not joined by the admin itself
    show_full_result_count = False
    search_fields = ["recipient", "idempotency_key", "user__username"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
