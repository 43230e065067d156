"""Finding the center a URL names.

Center codes in URLs are case-insensitive, as people type them (``/centers/IRCN/``): a page
asked for under another case is redirected to the canonical address; a form or an API call
posted there is served as it is, so that nothing it sent is lost to a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from kyoten.registry.models import Center


def center_by_code(code: str) -> Center:
    """The center whose code is ``code`` in any case (Http404 if none)."""
    center = Center.objects.filter(key=code).first()
    if center is None:
        center = Center.objects.filter(key__iexact=code).order_by("key").first()
    if center is None:
        raise Http404
    return center


def with_center(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """View decorator: the URL's ``key`` becomes the :class:`Center` argument ``center``."""

    @wraps(view)
    def wrapper(request: HttpRequest, key: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        center = center_by_code(key)
        if center.key != key and request.method in ("GET", "HEAD"):
            match = request.resolver_match
            assert match is not None  # a view is only called through the URL resolver
            url = reverse(
                match.view_name, args=match.args, kwargs={**match.kwargs, "key": center.key}
            )
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        return view(request, *args, center=center, **kwargs)

    return wrapper
