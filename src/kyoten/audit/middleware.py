"""Attribute every change made while handling a request to the logged-in user.

The user is looked up when the change is made, so a login's own changes (the user's
``last_login``) are attributed to the user who just logged in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kyoten.audit.context import Actor, acting


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def resolve() -> Actor:
            user = request.user
            if user.is_authenticated:
                return user, user.get_username()
            return None, "anonymous"

        with acting(resolve):
            return self.get_response(request)
