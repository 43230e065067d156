"""The back office: the Django admin, open to the program office only."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from kyoten.accounts.permissions import may


class ProgramOfficeAdminSite(admin.AdminSite):
    site_header = "Kyoten"
    site_title = "Kyoten"

    def has_permission(self, request):
        return may(request.user, "backoffice.use")

    def login(self, request, extra_context=None):
        """One login page for the whole application (throttled, see accounts.forms)."""
        return redirect_to_login(
            request.GET.get("next", reverse("admin:index")), login_url=reverse("login")
        )
