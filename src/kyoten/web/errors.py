"""The error pages: 400, 403 (also a failed CSRF check), 404 and 500, in the site's layout.

Each is the site's page (navigation, language switch) in the request's language. A 500 must
not fail in turn: when the site's page cannot be rendered (a broken template, a database that
is down — the navigation reads the user's role), a fixed page in both languages is served,
with the same stylesheet and links but nothing that could fail. Under ``/api/`` every error
is JSON: ``{"error": <in the request's language>, "message": {"ja": …, "en": …}}``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# (title, explanation) of each status, in the page's language
_PAGES: dict[int, tuple[Any, Any]] = {
    400: (
        _("Bad request"),
        _("The request could not be understood. Check the address and try again."),
    ),
    403: (_("Not allowed"), _("Your role does not give access to this page.")),
    404: (
        _("Not found"),
        _("There is no page at this address. It may have moved, or the address may be mistyped."),
    ),
    500: (
        _("Server error"),
        _(
            "This request could not be completed. The problem has been logged; please try again later."
        ),
    ),
}
_CSRF = (
    _("The form has expired"),
    _(
        "The page was open too long, or cookies are blocked. Go back, reload the page and send the form again."
    ),
)

_FALLBACK_500 = """<!DOCTYPE html>
<html lang="ja">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>サーバーエラー · Server error — Kyoten</title>
  <link rel="stylesheet" href="{css}">
</head>
<body>
  <header class="site"><a class="brand" href="/">Kyoten — WPI</a>
    <nav aria-label="Main"><ul><li><a href="/">概要 · Overview</a></li>
    <li><a href="/centers/">拠点 · Centers</a></li><li><a href="/rulebook/">ルール · Rulebook</a></li></ul></nav>
  </header>
  <main id="main">
    <h1>サーバーエラー</h1>
    <p>この操作を完了できませんでした。問題は記録されました。しばらくしてからもう一度お試しください。</p>
    <h1 lang="en">Server error</h1>
    <p lang="en">This request could not be completed. The problem has been logged; please try again later.</p>
  </main>
</body>
</html>
"""


def in_both_languages(message: Any) -> dict[str, str]:
    """A translatable message (``gettext_lazy``) in Japanese and English."""
    texts = {}
    for lang in ("ja", "en"):
        with translation.override(lang):
            texts[lang] = str(message)
    return texts


class ValidationMessages:
    """A ValidationError's messages, translated when shown (see ``in_both_languages``)."""

    def __init__(self, error: ValidationError) -> None:
        self.error = error

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.error.messages)


def api_error(status: int, message: Any) -> JsonResponse:
    """An API error: the message in the request's language, and in both."""
    return JsonResponse(
        {"error": str(message), "message": in_both_languages(message)}, status=status
    )


def error_page(request: HttpRequest, status: int, title: Any, explanation: Any) -> HttpResponse:
    """The site's page for an error (JSON under ``/api/``)."""
    if request.path.startswith("/api/"):
        return api_error(status, explanation)
    context = {"status": status, "title": title, "explanation": explanation}
    return render(request, "error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400, *_PAGES[400])


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, *_PAGES[403])


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404, *_PAGES[404])


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, 403, *_CSRF)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return error_page(request, 500, *_PAGES[500])
    except Exception:
        logger.exception("the error page could not be rendered; the fixed page was served")
        css = f"/{settings.STATIC_URL.strip('/')}/kyoten/site.css"
        return HttpResponse(_FALLBACK_500.format(css=css), status=500)
