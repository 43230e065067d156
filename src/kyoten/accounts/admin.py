from django.contrib import admin

from kyoten.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "center", "starts", "ends")
    list_filter = ("role",)
    autocomplete_fields = ("person", "center")
