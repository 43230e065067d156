"""What a report file is, judged by its content (never by its name), and safe zip opening.

An Excel workbook (.xlsx) and a CSV zip are zip archives; a macro-enabled workbook (.xlsm)
declares a macro content type or holds ``vbaProject.bin``; an old Excel 97–2003 file (.xls)
is an OLE2 compound document; JSON is UTF-8 text starting with ``{``. Anything else — a CSV
file renamed to .xlsx, a PDF, a Word file — is refused with a message saying what it looks
like and what to send instead. Before a zip is opened its directory is checked against the
limits: the number of files, the total uncompressed size and each file's expansion ratio.

Example:
    >>> file_kind(b'{"metadata": {}}', "r.json")
    'json'
    >>> file_kind(b"name,orcid\\nA,\\n", "r.xlsx")
    Traceback (most recent call last):
    ...
    kyoten.text.KyotenError: r.xlsx: this is CSV text, not an Excel workbook (.xlsx) — whatever its name says; send the .xlsx file, or a zip of CSV files
"""

from __future__ import annotations

import io
import zipfile
from typing import Literal

from kyoten.reports.limits import ReportLimits
from kyoten.text import Bilingual, KyotenError

FileKind = Literal["xlsx", "csv_zip", "json"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_MACRO_TYPE = "macroEnabled"


def _refuse(name: str, en: str, ja: str) -> KyotenError:
    return KyotenError(Bilingual(en=en, ja=ja), location=name)


def check_size(size: int, name: str, limits: ReportLimits) -> None:
    """Refuse a file of ``size`` bytes when it is larger than ``limits.upload_max_bytes``."""
    if size > limits.upload_max_bytes:
        raise KyotenError(
            Bilingual(
                en=f"the file is too large: {size:,} bytes, at most {limits.upload_max_bytes:,} are accepted",
                ja=f"ファイルが大きすぎます（{size:,}バイト。上限は{limits.upload_max_bytes:,}バイト）",
            ),
            location=name,
        )


def open_zip(data: bytes, name: str, limits: ReportLimits) -> zipfile.ZipFile:
    """Open a zip after checking its directory (entries, sizes, ratios) against ``limits``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(
            name,
            "the file is a damaged zip archive (an Excel workbook is a zip); save it again",
            "ZIP形式が壊れています（Excelブックは ZIP 形式です）。保存し直してください",
        ) from None
    entries = archive.infolist()
    if len(entries) > limits.zip_entries_max:
        raise _refuse(
            name,
            f"the archive holds {len(entries):,} files, at most {limits.zip_entries_max:,} are accepted",
            f"アーカイブ内のファイル数が多すぎます（{len(entries):,}件。上限は{limits.zip_entries_max:,}件）",
        )
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if total > limits.uncompressed_max_bytes:
        raise _refuse(
            name,
            f"the archive would expand to {total:,} bytes, at most {limits.uncompressed_max_bytes:,} are accepted",
            f"展開後のサイズが大きすぎます（{total:,}バイト。上限は{limits.uncompressed_max_bytes:,}バイト）",
        )
    ratio = limits.compression_ratio_max
    for entry in entries:
        if entry.file_size > ratio * max(entry.compress_size, 1):
            raise _refuse(
                name,
                f"'{entry.filename}' would expand {entry.file_size // max(entry.compress_size, 1):,} times, at most {ratio} is accepted (a zip bomb?)",
                f"「{entry.filename}」の圧縮率が異常です（{entry.file_size // max(entry.compress_size, 1):,}倍。上限は{ratio}倍。ZIP爆弾の可能性）",
            )
    if total > ratio * max(packed, 1):
        raise _refuse(
            name,
            f"the archive would expand {total // max(packed, 1):,} times, at most {ratio} is accepted (a zip bomb?)",
            f"アーカイブの圧縮率が異常です（{total // max(packed, 1):,}倍。上限は{ratio}倍。ZIP爆弾の可能性）",
        )
    return archive


def file_kind(data: bytes, name: str, limits: ReportLimits | None = None) -> FileKind:
    """Whether ``data`` is an Excel workbook, a zip of CSV files or JSON; refuse anything else.

    Raises:
        KyotenError: naming what the file is and what to send instead.
    """
    limits = limits or ReportLimits()
    check_size(len(data), name, limits)
    if data.startswith(_OLE2):
        raise _refuse(
            name,
            "this is an old Excel 97–2003 workbook (.xls) or a password-protected file; save it as an Excel Workbook (.xlsx) without a password",
            "旧形式のExcelブック（.xls）またはパスワード付きファイルです。パスワードなしの Excel ブック（.xlsx）で保存してください",
        )
    if data.startswith(_ZIP):
        archive = open_zip(data, name, limits)
        names = archive.namelist()
        if "[Content_Types].xml" in names:
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if _MACRO_TYPE in types or any(n.lower().endswith("vbaproject.bin") for n in names):
                raise _refuse(
                    name,
                    "this is a macro-enabled workbook (.xlsm); macros are not accepted — save it as an Excel Workbook (.xlsx)",
                    "マクロ有効ブック（.xlsm）は受け付けません。Excel ブック（.xlsx）で保存してください",
                )
            if "xl/workbook.xml" in names:
                return "xlsx"
            raise _refuse(
                name,
                "this is an Office document but not an Excel workbook (a Word or PowerPoint file?); send the .xlsx template",
                "Excelブックではない Office 文書です（Word や PowerPoint？）。.xlsx のテンプレートを提出してください",
            )
        files = [n for n in names if not n.endswith("/")]
        if files and all(n.lower().endswith(".csv") for n in files):
            return "csv_zip"
        raise _refuse(
            name,
            "this zip holds files other than CSV; a CSV zip holds only the section files (roster.csv, money.csv, …)",
            "CSV以外のファイルを含むZIPです。CSVのZIPには各区分のファイル（roster.csv、money.csv など）のみを入れてください",
        )
    text = data[:4096].decode("utf-8-sig", "replace").lstrip()
    if text.startswith("{"):
        return "json"
    if "\ufffd" not in text and ("," in text.split("\n", 1)[0] or "\t" in text.split("\n", 1)[0]):
        raise _refuse(
            name,
            "this is CSV text, not an Excel workbook (.xlsx) — whatever its name says; send the .xlsx file, or a zip of CSV files",
            "CSV形式のテキストです（ファイル名にかかわらず Excel ブックではありません）。.xlsx ファイルか、CSV ファイルの ZIP を提出してください",
        )
    if data.startswith(b"%PDF"):
        raise _refuse(
            name,
            "this is a PDF; send the .xlsx template",
            "PDFです。.xlsx のテンプレートを提出してください",
        )
    raise _refuse(
        name,
        "not a report file: expected an Excel workbook (.xlsx), a zip of CSV files or JSON",
        "報告ファイルではありません。Excel ブック（.xlsx）、CSV の ZIP、または JSON を提出してください",
    )
