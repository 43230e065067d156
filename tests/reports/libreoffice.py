"""A spreadsheet program in the tests: fill in a template as a person would, and have
LibreOffice open and save it (it rewrites the whole workbook: its own XML, styles, data
validation and number formats). The ``soffice`` fixture is in tests/conftest.py."""

import datetime
import subprocess
from pathlib import Path

from kyoten.reports.layout import FIRST_DATA_ROW, METADATA, TABLES
from reports.helpers import save, workbook


def fill(template: bytes, data: dict) -> bytes:
    """Type ``data`` into the template the way a person would: cell by cell, dates as dates."""
    book = workbook(template)
    center = book[METADATA.sheet]
    for row, column in enumerate(METADATA.columns, start=2):
        value = data["metadata"].get(column.field)
        if value is not None:
            center.cell(row=row, column=3, value=value)
    for section in TABLES:
        sheet = book[section.sheet]
        for offset, record in enumerate(data.get(section.key, [])):
            for number, column in enumerate(section.columns, start=1):
                value = record.get(column.field)
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                elif column.field in ("start_date", "end_date", "date") and value:
                    value = datetime.datetime.fromisoformat(value)
                sheet.cell(row=FIRST_DATA_ROW + offset, column=number, value=value)
    return save(book)


def saved_by_libreoffice(soffice: str, folder: Path, content: bytes) -> bytes:
    """``content`` opened and saved as .xlsx by LibreOffice, with a fresh profile."""
    filled = folder / "in" / "filled.xlsx"
    filled.parent.mkdir()
    filled.write_bytes(content)
    out = folder / "out"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(filled),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    saved = (out / "filled.xlsx").read_bytes()
    assert saved != content  # LibreOffice wrote its own file
    return saved
