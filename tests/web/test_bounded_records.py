"""No stored record can break a page: a decision out of bounds is refused, and one already
stored is shown marked and never applied; a report the rulebook cannot judge is a marked
cell of the comparison, and its center details are checked against the registry at upload."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection

from kyoten.registry.models import Center, Decision
from kyoten.submissions import services
from web.reporting import FY, ircn_data, stored


def record(client, center, lang="en", **fields):
    data = {"precision": "day", "source": "x", **fields}
    return client.post(f"/centers/{center}/decisions/new/", data, HTTP_ACCEPT_LANGUAGE=lang)


@pytest.mark.parametrize(
    ("center", "fields", "message"),
    [
        # the probe's extension of 99,999 years; Kavli IPMU's era allows 5 in all
        (
            "kavli-ipmu",
            {"kind": "extension", "years": 99999, "date": "2015-02-01"},
            "an extension lasts at most 5 years in all",
        ),
        (
            "kavli-ipmu",
            {"kind": "extension", "years": 1, "date": "2016-02-01"},
            "an extension lasts at most 5 years in all",
        ),  # 5 already granted
        (
            "qup",
            {"kind": "extension", "years": 5, "date": "2026-02-01"},
            "the rulebook allows no extension for this center",
        ),
        (
            "ircn",
            {"kind": "final_evaluation", "date": "0001-01-01"},
            "a decision takes effect between 2007-01-01 and 2100-12-31",
        ),
        (
            "ircn",
            {"kind": "academy_admission", "date": "9999-12-31"},
            "a decision takes effect between 2007-01-01 and 2100-12-31",
        ),
        (
            "ircn",
            {"kind": "interim_evaluation", "date": "2010-04-01"},
            "a decision cannot take effect before support started (2017-09-26)",
        ),
        (
            "ircn",
            {"kind": "stage_gate_passed", "date": "2020-04-01"},
            "only a WPI CORE center passes a stage gate",
        ),
    ],
)
def test_a_decision_out_of_bounds_is_refused_with_the_reason(client_as, center, fields, message):
    before = Decision.objects.count()
    response = record(client_as("hana"), center, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Decision.objects.count() == before


def test_the_reason_is_given_in_japanese_too(client_as):
    response = record(client_as("hana"), "qup", "ja", kind="extension", years=5, date="2026-02-01")
    assert "ルールブック上延長がありません" in response.content.decode()


@pytest.fixture
def endless_extension(db):
    """The probe's decision (7,000 years: its 99,999 fits SQLite's column, not PostgreSQL's),
    stored as if written past the form (an old row, a script)."""
    center = Center.objects.get(key="kavli-ipmu")
    return Decision.objects.create(
        center=center, kind="extension", date=datetime.date(2016, 2, 1), years=7000
    )


@pytest.mark.parametrize("path", ["/", "/centers/", "/centers/kavli-ipmu/", "/?on=2100-12-31"])
def test_a_stored_decision_out_of_bounds_breaks_no_page(client_as, endless_extension, path):
    response = client_as("anonymous").get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert len(response.content) < 1_000_000


@pytest.mark.parametrize(("lang", "mark"), [("en", "not applied"), ("ja", "適用していません")])
def test_the_center_page_marks_the_decision_it_does_not_apply(
    client_as, endless_extension, lang, mark
):
    page = (
        client_as("anonymous")
        .get("/centers/kavli-ipmu/", HTTP_ACCEPT_LANGUAGE=lang)
        .content.decode()
    )
    assert f'<span class="mark mark-conflict">{mark}</span>' in page
    # the support period is still the one of the applied extension (5 years, to 2022)
    assert "2007-10-01 – 2022-03-31" in page


def test_an_upload_must_state_the_center_as_the_registry_records_it(client_as):
    data = ircn_data()
    data["metadata"].update(selection_fiscal_year=1900, track="core")
    response = client_as("ken").post(
        f"/api/centers/ircn/reports/{FY}/", json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 400
    problems = {p["field"]: p for p in response.json()["errors"]}
    assert (
        problems["metadata.selection_fiscal_year"]["message"]["en"]
        == "this report is expected for 2017"
    )
    assert problems["metadata.track"]["message"]["en"] == "this report is expected for wpi"


@pytest.fixture
def unjudgeable(personas):
    """An accepted report whose selection year has no era, stored past the upload's checks."""
    data = ircn_data()
    data["metadata"]["selection_fiscal_year"] = 1900
    version = stored(personas["ken"], data=data)
    services.act(version.report, "submit", personas["ken"])
    services.act(version.report, "accept", personas["hana"])
    return version


@pytest.mark.parametrize("persona", ["hana", "mori"])
def test_a_report_without_a_verdict_is_a_marked_cell_of_the_comparison(
    client_as, unjudgeable, persona
):
    client = client_as(persona)
    assert client.get(f"/?report_fy={FY}", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    page = client.get(f"/reports/compare/?from={FY}&to={FY}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "no verdict: the program&#x27;s first call was in FY2007" in page.content.decode()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "no verdict: the program's first call was in FY2007"),
        ("ja", "判定不能: 本プログラムの最初の公募は2007年度です"),
    ],
)
def test_a_report_without_a_verdict_is_a_marked_cell_of_the_exports(
    client_as, unjudgeable, lang, text
):
    client = client_as("hana")
    response = client.get(f"/reports/compare.csv?fiscal_year={FY}", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][-2:] == [text, ""]
    assert client.get(f"/reports/compare.xlsx?fiscal_year={FY}").status_code == 200


@pytest.mark.writes_past_audit
@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL's jsonb cannot hold a NUL at all"
)
def test_a_stored_control_character_breaks_no_export(client_as, personas):
    """A version stored before control characters were refused: its downloads and next
    year's pre-filled template still work, the character escaped."""
    version = stored(personas["ken"])
    data = dict(version.data)
    data["roster"] = [dict(data["roster"][0], name="A\x00B\x07"), *data["roster"][1:]]
    type(version).objects.filter(pk=version.pk).update(data=data)
    client = client_as("ken")
    base = f"/reports/{version.report.pk}/versions/{version.number}"
    for fmt in ("xlsx", "zip", "json"):
        assert client.get(f"{base}.{fmt}").status_code == 200
    template = client.get(f"/centers/ircn/reports/template/?fiscal_year={FY + 1}")
    assert template.status_code == 200
