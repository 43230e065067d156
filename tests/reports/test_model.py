"""Row models: spellings a spreadsheet produces are accepted; wrong values are refused."""

import datetime

import pytest
from pydantic import ValidationError

from kyoten.identifiers import orcid_check_character
from kyoten.reports.model import (
    MoneyLine,
    Publication,
    RosterEntry,
    report_json_schema,
)
from reports.helpers import person


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        # an ORCID link is stored as the bare iD
        ({"orcid": "https://orcid.org/0000-0002-1825-0097"}, "orcid", "0000-0002-1825-0097"),
        # a check character X is valid
        ({"orcid": "0000-0002-9079-593X"}, "orcid", "0000-0002-9079-593X"),
        # a Japanese label stands for its code
        ({"category": "ポスドク", "international_recruitment": "はい"}, "category", "postdoc"),
        # so does a Japanese site label
        ({"site": "海外サテライト"}, "site", "overseas_satellite"),
        # yes in any case
        ({"from_abroad": "YES"}, "from_abroad", True),
        # no in Japanese
        ({"from_abroad": "いいえ"}, "from_abroad", False),
        # a spreadsheet date (a datetime at midnight) is a date
        ({"start_date": datetime.datetime(2021, 5, 1)}, "start_date", datetime.date(2021, 5, 1)),
        # a date written with slashes
        ({"start_date": "2021/5/1"}, "start_date", datetime.date(2021, 5, 1)),
        # a lower-case or full-width country code is upper-cased
        ({"nationality": "ｊｐ"}, "nationality", "JP"),
    ],
)
def test_cell_spellings_are_accepted(changes, field, expected):
    assert getattr(RosterEntry.model_validate(person("A", **changes)), field) == expected


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        # an ORCID iD whose check digit does not match
        ({"orcid": "0000-0002-1825-0098"}, "orcid", "check digit is wrong"),
        # an ORCID iD of the wrong shape
        ({"orcid": "12345"}, "orcid", "has the form 0000-0002-1825-0097"),
        # an unknown category
        ({"category": "professor"}, "category", "Input should be"),
        # effort must be more than 0
        ({"effort_percent": 0}, "effort_percent", "greater than 0"),
        # and at most 100
        ({"effort_percent": 120}, "effort_percent", "less than or equal to 100"),
        # yes/no only
        ({"from_abroad": "maybe"}, "from_abroad", "expected yes or no"),
        # a real date
        ({"start_date": "2024-02-30"}, "start_date", "expected a date"),
        # a date with a time of day is not a date
        ({"start_date": datetime.datetime(2024, 4, 1, 9, 30)}, "start_date", "expected a date"),
    ],
)
def test_bad_cells_are_refused(changes, field, message):
    with pytest.raises(ValidationError) as excinfo:
        RosterEntry.model_validate(person("A", **changes))
    errors = excinfo.value.errors()
    assert errors[0]["loc"] == (field,)
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    ("amount", "valid"),
    [
        ("2億8,000万円", True),  # Japanese units
        (280_000_000.0, True),  # a spreadsheet number
        (0, True),  # nothing spent is zero
        (-1, False),  # negative amounts are refused
        ("△1,000円", False),  # so are negative amounts in accounting style
        (100_000_000_001, False),  # absurd: above ¥100 billion for one line
        (1000.5, False),  # not whole yen
    ],
)
def test_amounts(amount, valid):
    line = {"source": "wpi_grant", "category": "personnel", "amount": amount}
    if valid:
        assert MoneyLine.model_validate(line).amount >= 0
    else:
        with pytest.raises(ValidationError):
            MoneyLine.model_validate(line)


def test_doi_links_are_stored_bare_and_bad_dois_refused():
    row = {"doi": "doi:10.1000/XYZ", "interdisciplinary": "no", "international_coauthorship": "yes"}
    assert Publication.model_validate(row).doi == "10.1000/XYZ"
    with pytest.raises(ValidationError, match="a DOI has the form"):
        Publication.model_validate(row | {"doi": "not-a-doi"})


def test_orcid_checksum_of_the_orcid_documentation_examples():
    assert orcid_check_character("000000021825009") == "7"
    assert orcid_check_character("000000029079593") == "X"


def test_schema_forbids_unknown_fields_and_names_every_section():
    schema = report_json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "metadata",
        "institutions",
        "roster",
        "money",
        "publications",
        "assets",
        "meetings",
        "follow_up",
    }
    assert schema["$defs"]["RosterEntry"]["additionalProperties"] is False
