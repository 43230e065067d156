"""Uploads refused while they stream in, not after they have been written out in full.

Django writes an upload to memory or to a temporary file before a view sees it, so a size
check in a form comes too late: a large body has already been stored. The handler here is put
first for the upload views (:func:`limit_upload`): once a file passes the limit (or when the
request announces a body larger than the limit and the form's fields), the following handlers
get no more of it; the view receives a :class:`RefusedUpload` that holds no content and the
size seen, so the form's usual size check refuses it with its usual message.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the form's other fields and the multipart headers around the file.
FORM_OVERHEAD_BYTES = 65_536


class RefusedUpload(UploadedFile):
    """A file refused for its size: its name and the bytes received, no content."""

    refused = True

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size)


class LimitedUploadHandler(FileUploadHandler):
    """Pass on at most ``max_bytes`` of a file to the handlers after this one."""

    def __init__(self, request: Any, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.content_length: int | None = None
        self.seen = 0
        self.refusing = False

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.content_length = content_length
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0
        self.refusing = (
            self.content_length is not None
            and self.content_length > self.max_bytes + FORM_OVERHEAD_BYTES
        )
        if self.refusing:
            raise StopFutureHandlers  # announced too large: no other handler sees this file

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > self.max_bytes:
            self.refusing = True
        return None if self.refusing else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.refusing:
            return None  # within the limit: the next handler holds the file
        return RefusedUpload(self.file_name or "upload", self.seen, self.content_type)


def read_body(request: Any, max_bytes: int) -> bytes:
    """The request's body (a JSON upload), refused with ``RequestDataTooBig`` once it passes
    ``max_bytes`` — the limit of a file upload, not Django's smaller one for form data."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes:
        raise RequestDataTooBig
    data: bytes = request.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RequestDataTooBig
    return data


def limit_upload(max_bytes: Callable[[], int]) -> Callable[[Any], Any]:
    """View decorator: install :class:`LimitedUploadHandler` with ``max_bytes()``.

    The handlers must be in place before the body is parsed, and the CSRF check parses it:
    the check is made here, after the handler is installed (as Django's documentation on
    upload handlers describes)."""

    def decorator(view: Any) -> Any:
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            request.upload_handlers.insert(0, LimitedUploadHandler(request, max_bytes()))
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorator
