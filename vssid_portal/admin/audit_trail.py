"""An object's read-only history under it, as a plain table."""


from django.contrib import admin


class AuditTrailInline(admin.TabularInline):
    """An object's read-only history (a registration's, a benefit record's, a visit's events) under
    it: whoever may see the object (any of `view_permissions`) sees its history; nobody adds, edits
    or deletes a line. Shown as a plain table whose every header names its column (Django's tabular
    inline leaves two header cells empty, which screen readers announce as nameless)."""

    template = "admin/edit_inline/audit_trail.html"
    extra = 0
    can_delete = False
    view_permissions: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        # The lines' own links (the actor) in the same query: one query however long the history.
        related = [name for name in self.fields if self.model._meta.get_field(name).many_to_one]
        return super().get_queryset(request).select_related(*related)

    def has_view_permission(self, request, obj=None):
        return any(request.user.has_perm(permission) for permission in self.view_permissions)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
