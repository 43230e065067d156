"""A small valid report, and ways to change it, shared by the report tests."""

import copy
import io

import openpyxl

FY = 2024


def person(name, category="researcher", **changes):
    row = {
        "name": name,
        "orcid": None,
        "category": category,
        "is_pi": category == "pi",
        "from_abroad": False,
        "nationality": "JP",
        "gender": "male",
        "effort_percent": 100,
        "site": "main",
        "start_date": "2022-04-01",
        "end_date": None,
        "international_recruitment": True if category == "postdoc" else None,
    }
    row.update(changes)
    return row


def report_data():
    """Two PIs, a researcher, a postdoc and an administrator; money; outputs."""
    return copy.deepcopy(
        {
            "metadata": {
                "center": "TEST",
                "center_name": "Test Center",
                "fiscal_year": FY,
                "track": "wpi",
                "selection_fiscal_year": 2022,
            },
            "institutions": [{"name": "Test University", "country": "JP", "role": "host"}],
            "roster": [
                person(
                    "Aiko Tanaka",
                    "pi",
                    orcid="0000-0002-1825-0097",
                    gender="female",
                    effort_percent=80,
                ),
                person("John Smith", "pi", from_abroad=True, nationality="US"),
                person("Mei Sato", "researcher", gender="female"),
                person("Li Wei", "postdoc", from_abroad=True, nationality="CN"),
                person("Ken Ito", "administrative"),
            ],
            "money": [
                {"source": "wpi_grant", "category": "personnel", "amount": "3億円"},
                {"source": "wpi_grant", "category": "travel", "amount": 50_000_000},
                {"source": "host_institution", "category": "equipment", "amount": "1億円"},
                {
                    "source": "competitive_funds",
                    "category": "research_projects",
                    "amount": 200_000_000,
                },
            ],
            "publications": [
                {
                    "doi": "10.1234/a",
                    "interdisciplinary": True,
                    "international_coauthorship": False,
                },
                {
                    "doi": "https://doi.org/10.1234/b",
                    "interdisciplinary": False,
                    "international_coauthorship": True,
                },
            ],
            "assets": [{"kind": "software", "title": "Tool", "date": "2024-10-01"}],
            "meetings": [
                {
                    "title": "Symposium",
                    "date": "2024-11-05",
                    "country": "JP",
                    "participants": 100,
                    "participants_from_abroad": 40,
                }
            ],
            "follow_up": [
                {
                    "recommendation": "Hire more women.",
                    "action": "Targeted searches.",
                    "status": "in_progress",
                }
            ],
        }
    )


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems_of(excinfo):
    """The located problems of a KyotenErrors, as (sheet, row, column, field, en message)."""
    return [
        (p.where.sheet, p.where.row, p.where.column, p.where.field, p.message.en)
        for p in excinfo.value.problems
    ]
