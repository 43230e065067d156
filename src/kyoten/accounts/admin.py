from django.contrib import admin

from kyoten.accounts.models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "center")
    list_filter = ("role",)
    autocomplete_fields = ("center",)
    filter_horizontal = ("conflicts",)
