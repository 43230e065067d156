"""The audit trail, for the program office."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kyoten.accounts.permissions import permitted
from kyoten.audit.models import AuditEntry

PAGE_SIZE = 50


@permitted("audit.read")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})
