"""Attribute every change made while handling a request to the logged-in user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kyoten.audit.context import acting_as


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        label = user.get_username() if user else "anonymous"
        with acting_as(user, label):
            return self.get_response(request)
