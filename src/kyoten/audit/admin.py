from django.contrib import admin

from kyoten.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited, not even by the program office."""

    list_display = ("at", "actor_label", "action", "model", "object_repr")
    list_filter = ("action", "model")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
