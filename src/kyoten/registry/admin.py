"""The program office's back office. Changes made here are audited like any other."""

from django.contrib import admin

from kyoten.registry.models import (
    Center,
    CenterInstitution,
    CommitteeMember,
    Decision,
    Grant,
    Institution,
    InstitutionName,
    Plan,
    ProgramBudget,
)


class CenterInstitutionInline(admin.TabularInline):
    model = CenterInstitution
    extra = 0


class InstitutionNameInline(admin.TabularInline):
    model = InstitutionName
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("key", "name_en", "name_ja", "country", "kind", "ror_id")
    search_fields = ("key", "name_en", "name_ja", "renames__name_en", "renames__name_ja")
    inlines = [InstitutionNameInline]


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name_en", "track", "selection_fiscal_year", "support_start")
    list_filter = ("track", "selection_fiscal_year")
    search_fields = ("key", "short_name", "name_en", "name_ja")
    inlines = [CenterInstitutionInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("center", "kind", "date", "precision", "years", "actor_label")
    list_filter = ("kind",)
    fields = (
        "center",
        "kind",
        "date",
        "precision",
        "years",
        "summary",
        "summary_ja",
        "sources",
        "caveats",
        "actor",
        "actor_label",
        "at",
    )
    readonly_fields = ("actor", "actor_label", "at")

    def save_model(self, request, obj, form, change):
        obj.actor = request.user
        obj.actor_label = request.user.get_username()
        super().save_model(request, obj, form, change)


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("center", "fiscal_year", "number", "amount_yen", "decided_on", "actor_label")
    list_filter = ("fiscal_year",)

    # Entered on the center page, checked against the cap, never overwritten: read only here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgramBudget)
class ProgramBudgetAdmin(admin.ModelAdmin):
    list_display = ("fiscal_year", "kind", "amount_yen")


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ja", "role", "country", "new_in_fiscal_year")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("center", "name", "actor_label", "at")
    # A plan is what was submitted and checked: it is replaced by a new upload, not edited.
    readonly_fields = ("center", "name", "content", "actor", "actor_label", "at")

    def has_add_permission(self, request):
        return False  # plans come through the checked upload on the center page
