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


def last_years_report():
    """Last year's real report: every kind of value a template pre-fills (codes of every
    choice column, yes and no, an ORCID iD, an end date, a follow-up still open)."""
    last = report_data()
    last["metadata"].update(
        fiscal_year=2023,
        host_head="Hanako Yamada",
        administrative_director="Taro Suzuki",
        english_working_language=True,
        english_administration=False,
    )
    last["meetings"][0]["date"] = "2023-11-05"
    last["assets"][0]["date"] = "2023-10-01"
    last["roster"] += [
        person("Sara Berg", "student", gender="undisclosed", site="overseas_satellite"),
        person("Yui Mori", "technical", gender="other", site="domestic_satellite", end_date=None),
        person("Leaving", "researcher", effort_percent=33.33, end_date="2024-06-30"),
    ]
    from kyoten.reports.reading import report_from_data

    return report_from_data(last, "last.json")


REGISTRY = {
    "center_name": "テスト研究拠点",
    "host_institution": "東京科学大学",  # the host's name on the report's date
    "center_director": "Aiko Tanaka",
    "track": "core",
    "selection_fiscal_year": 2022,
    "stage_gate_passed_fiscal_year": 2023,
    "extension_granted": False,
}
INSTITUTIONS = [
    {"name": "東京科学大学", "country": "JP", "role": "host"},
    {
        "name": "University of Example",
        "country": "US",
        "role": "overseas_partner",
        "organisation_level_agreement": True,
    },
]


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
