from django.contrib import admin

from kyoten.audit.models import AuditEntry, AuditEvent


class ReadOnly(admin.ModelAdmin):
    """The trail cannot be edited, not even by the program office."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly):
    list_display = ("at", "actor_label", "action", "model", "object_repr")
    list_filter = ("action", "model")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("at", "actor_label", "kind", "center")
    list_filter = ("kind",)
