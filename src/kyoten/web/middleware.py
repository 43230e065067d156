"""Response headers Django 5.2 does not set by itself, and the answer when the database is
too busy to take a write."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from kyoten.web.errors import error_page

RETRY_AFTER_SECONDS = 5
_BUSY = _(
    "Kyoten is busy saving other changes. Nothing of this request was saved; please try "
    "again in a few seconds."
)


class ContentSecurityPolicyMiddleware:
    """Add the ``Content-Security-Policy`` from settings to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class DatabaseBusyMiddleware:
    """A write that could not get the database's lock in time (SQLite: ``database is
    locked``) answers 503 with a retry message — JSON under ``/api/`` — not a 500. The
    transaction was rolled back, so nothing of the request was saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not (isinstance(exception, OperationalError) and "locked" in str(exception)):
            return None
        response = error_page(request, 503, _("Busy"), _BUSY)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
