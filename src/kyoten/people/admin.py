from django.contrib import admin

from kyoten.accounts.models import Membership
from kyoten.people.models import Affiliation, Person


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("institution",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("center",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ja", "orcid", "nationality", "from_abroad", "account")
    search_fields = (
        "family_name_en",
        "given_name_en",
        "family_name_ja",
        "given_name_ja",
        "orcid",
        "openalex_id",
    )
    autocomplete_fields = ("account",)
    inlines = (AffiliationInline, MembershipInline)
