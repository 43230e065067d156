"""Pages of a long list, keeping the page's filter in the pager's links."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int) -> tuple[Page[Any], str]:
    """The page the request asks for, and the filter's part of the address (for the pager's
    links and a download of the same selection; see ``pager.html``)."""
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, per_page).get_page(request.GET.get("page")), query.urlencode()
