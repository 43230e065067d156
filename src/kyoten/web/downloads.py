"""Responses that the browser saves as a file."""

from __future__ import annotations

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def as_download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Mark ``response`` (whole or streamed) as a file to save as ``filename``."""
    header = content_disposition_header(True, filename)
    assert header is not None  # always one for an attachment
    response["Content-Disposition"] = header
    return response


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """``content`` as a file to save as ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    as_download(response, filename)
    return response
