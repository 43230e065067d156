"""Check a plan: the page gives the same verdict as `kyoten check`."""

import io
from pathlib import Path

import pytest

from kyoten.program import evaluate, load_plan
from kyoten.registry.models import Plan

EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples").glob("*.*"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_same_verdict_as_the_command(client, db, path):
    expected = evaluate(load_plan(path), name=path.name)
    with path.open("rb") as upload:
        response = client.post("/check/", {"plan": upload}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    result = "Every requirement is met." if expected.all_met else "not met"
    assert result in page
    for finding in expected.findings:
        assert f"<code>{finding.rule}</code>" in page
    assert not Plan.objects.exists()  # checking stores nothing


def test_an_invalid_plan_names_the_field_in_the_page_language(client, db):
    upload = io.BytesIO(b"name: x\ntrack: wpi\n")
    upload.name = "draft.yaml"
    page = client.post("/check/", {"plan": upload}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "draft.yaml: fiscal_year" in page
    upload.seek(0)
    page = client.post("/check/", {"plan": upload}, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "draft.yaml: fiscal_year" in page
    assert "必須" in page


def test_a_file_too_large_is_refused(client, db, settings):
    settings.UPLOAD_MAX_BYTES = 10
    upload = io.BytesIO(b"name: a plan longer than ten bytes\n")
    upload.name = "big.yaml"
    page = client.post("/check/", {"plan": upload}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the largest accepted is 10 bytes" in page


def test_a_center_office_submits_its_plan_and_sees_the_verdict(client_as):
    client = client_as("ken")
    path = next(p for p in EXAMPLES if p.name == "wpi-standard-fy2024.yaml")
    with path.open("rb") as upload:
        response = client.post("/centers/ircn/plans/", {"plan": upload})
    assert response.status_code == 302
    assert Plan.objects.get().center.key == "ircn"
    page = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "wpi-standard-fy2024.yaml" in page
    assert "Every requirement is met." in page


def test_an_invalid_plan_is_not_kept(client_as):
    upload = io.BytesIO(b"track: nonsense\n")
    upload.name = "bad.yaml"
    response = client_as("ken").post("/centers/ircn/plans/", {"plan": upload})
    assert response.status_code == 200
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # a stored plan that no longer passes the check: the error in the page's language
        ("en", "first call was in FY2007 (got 2006)"),
        ("ja", "本プログラムの最初の公募は2007年度です"),
    ],
)
def test_a_stored_plan_that_fails_the_check_shows_the_error(client_as, personas, lang, expected):
    path = next(p for p in EXAMPLES if p.name == "wpi-standard-fy2024.yaml")
    content = path.read_text("utf-8").replace(
        "selection_fiscal_year: 2022", "selection_fiscal_year: 2006"
    )
    from kyoten.registry.models import Center

    Plan.objects.create(
        center=Center.objects.get(key="ircn"),
        name="old.yaml",
        content=content,
        actor=personas["ken"],
    )
    response = client_as("ken").get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="plan-error"' in page
    assert expected in page
    assert "old.yaml" in page


def test_a_stored_plan_cannot_be_edited_in_the_admin(client_as, personas):
    from kyoten.registry.models import Center

    plan = Plan.objects.create(
        center=Center.objects.get(key="ircn"),
        name="kept.yaml",
        content="name: kept\n",
        actor=personas["ken"],
    )
    client = client_as("hana")
    client.post(
        f"/admin/registry/plan/{plan.pk}/change/",
        {"center": plan.center_id, "name": "edited.yaml", "content": "name: edited\n"},
    )
    plan.refresh_from_db()
    assert (plan.name, plan.content) == ("kept.yaml", "name: kept\n")
    page = client.get(f"/admin/registry/plan/{plan.pk}/change/").content.decode()
    assert 'name="content"' not in page  # shown, not a field
    assert client.get("/admin/registry/plan/add/").status_code == 403


def test_the_probes_plan_is_refused_with_one_message_not_a_page_of_a_million(client, db):
    text = "track: core\nfiscal_year: 2024\ninstitutions: [" + ", ".join(["{}"] * 240_000) + "]\n"
    upload = io.BytesIO(text.encode())
    upload.name = "big.yaml"
    assert len(text) < 1_000_000  # within the upload limit: the checker itself must refuse it
    response = client.post("/check/", {"plan": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "big.yaml: the file holds about 480,003 items; a plan holds at most 240,000" in page
    assert len(page) < 50_000


def test_the_verdicts_heading_reads_in_the_pages_language(client, db):
    path = next(p for p in EXAMPLES if p.name == "wpi-standard-fy2024.yaml")

    def heading(lang):
        with path.open("rb") as upload:
            page = client.post("/check/", {"plan": upload}, HTTP_ACCEPT_LANGUAGE=lang)
        return page.content.decode().split('class="verdict-head">', 1)[1].split("</p>", 1)[0]

    assert heading("en").endswith(
        "— WPI (standard), FY2024, support year 3 (Centers selected in FY2012–FY2022)"
    )
    assert heading("ja").endswith(
        "— WPI（通常型）、2024年度、支援3年目（平成24年度〜令和4年度採択拠点）"
    )
