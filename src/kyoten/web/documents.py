"""PDF documents people upload (an evaluation's materials, an annual report's appendices):
checked the same way wherever they come in, kept with their digest, served only as
sandboxed downloads.

A document is refused when it passes ``KYOTEN_DOCUMENT_MAX_BYTES`` (while it streams in:
:func:`kyoten.web.uploads.limit_upload` with :func:`max_bytes`), when its content is not a
PDF (judged by the bytes, never by the name) or when it names active content — a script, an
action that launches or submits, an embedded file. It is never shown inline.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy

from kyoten.web.downloads import download

# Names in a PDF that run something or carry a file: refused (a PDF is never shown inline
# either). Object streams can compress a name out of sight; the download-only rule holds.
ACTIVE_PDF = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z0-9])"
)


def max_bytes() -> int:
    """The largest document accepted (``KYOTEN_DOCUMENT_MAX_BYTES``)."""
    return int(settings.DOCUMENT_MAX_BYTES)


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        gettext_lazy("The file is %(size)d bytes; the largest accepted is %(max)d bytes."),
        params={"size": size, "max": max_bytes()},
    )


def read_upload(upload: Any) -> bytes:
    """The content of an uploaded file, or the size refusal if the upload handler stopped
    it at the limit (see :mod:`kyoten.web.uploads`)."""
    if getattr(upload, "refused", False):
        raise _too_large(upload.size)
    content: bytes = upload.read()
    return content


def check_pdf(content: bytes, name: str) -> None:
    """Refuse ``content`` unless it is a PDF within the size limit without active content.

    Raises:
        ValidationError: naming the file, the size or the active content found.
    """
    if len(content) > max_bytes():
        raise _too_large(len(content))
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise ValidationError(
            gettext_lazy(
                "%(name)s is not a PDF file (a PDF begins with %%PDF- and ends with %%%%EOF)."
            ),
            params={"name": name},
        )
    active = ACTIVE_PDF.search(content)
    if active:
        raise ValidationError(
            gettext_lazy(
                "%(name)s contains active content (%(what)s); save it again as a plain PDF."
            ),
            params={"name": name, "what": active.group().decode("ascii")},
        )


def pdf_download(content: bytes, name: str) -> HttpResponse:
    """A stored PDF as a download only: never shown inline, sandboxed if it were."""
    response = download(content, "application/pdf", name)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
