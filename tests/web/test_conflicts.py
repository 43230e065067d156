"""Conflicts of interest in the web app: found from the registry, the accepted reports and the
publication data; decided by the PD/PO; enforced wherever the center's internals are; and a
person's own declarations and statements."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from kyoten.accounts.models import Role
from kyoten.accounts.permissions import finding_scope, may
from kyoten.audit.models import AuditEvent
from kyoten.bibliometrics.ingest import ingest_openalex
from kyoten.cli import main
from kyoten.conflicts import services
from kyoten.conflicts.models import Expert, Finding
from kyoten.evaluation import services as evaluation
from kyoten.evaluation.worklist import tasks_for
from kyoten.outcomes.models import IndicatorRun
from kyoten.people.models import Affiliation, Person
from kyoten.registry.models import Center
from kyoten.submissions import services as reports
from web.conftest import make_user
from web.reporting import stored

PI_ORCID = "0000-0002-1825-0097"  # Aiko Tanaka, a PI in IRCN's report
EXPERT_ORCID = "0000-0001-5109-3700"
OA = "https://openalex.org/"
# the day detection looks from: the works below (2019–2026) lie around its windows
DAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def in_english():
    """The services' refusals read in English here (the site's default language is Japanese)."""
    with translation.override("en"):
        yield


def accepted_ircn_report(personas):
    report = stored(personas["hana"]).report
    reports.act(report, "submit", personas["ken"])
    reports.act(report, "accept", personas["hana"])


def expert(family, given, orcid="", **affiliation):
    person = Person.objects.create(family_name_en=family, given_name_en=given, orcid=orcid)
    Expert.objects.create(person=person, expertise=["neuroscience"])
    if affiliation:
        Affiliation.objects.create(person=person, **affiliation)
    return person


def authorship(name, orcid):
    return {
        "author_position": "middle",
        "author": {
            "id": f"{OA}A{abs(hash(name)) % 10**6}",
            "orcid": f"https://orcid.org/{orcid}" if orcid else None,
            "display_name": name,
        },
        "institutions": [],
        "affiliations": [],
    }


def publications(tmp_path, works):
    """An ingested folder with ``works``: (number, year, [authorship, ...])."""
    from bibliometrics.conftest import work, write_snapshot

    root = write_snapshot(
        tmp_path / "snap",
        {"2026-01-01/part_000.gz": [work(n, 1, year=y, authorships=a) for n, y, a in works]},
    )
    ingest_openalex(root, tmp_path / "out")
    return tmp_path / "out"


def follow_up(personas):
    """The FY2025 follow-up, opened by the office (every phase in June 2025)."""
    june = (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
    return evaluation.open_cycle(
        cycle_type="annual_follow_up",
        fiscal_year=2025,
        center=None,
        phases=[(p.id, *june) for p in evaluation.data().phases],
        by=personas["hana"],
    )


def findings():
    return {
        (f.rule, f.person.family_name_en, f.center.key, f.status, f.identified_by)
        for f in Finding.objects.select_related("person", "center")
        if f.rule not in ("recorded",)  # Sato's, recorded by the personas
    }


@pytest.fixture
def found(personas, tmp_path):
    """IRCN's FY2024 report accepted (PIs Aiko Tanaka, with her ORCID iD, and John Smith),
    an expert pool with a namesake of John Smith, one at Kyoto University by name, one who
    co-authored with Aiko Tanaka in 2025 and on a consortium paper; detection run."""
    accepted_ircn_report(personas)
    expert("Smith", "John")
    expert("Weber", "Anna", organisation_en="Kyoto University", position_en="Professor")
    expert("Okada", "Ren", orcid=EXPERT_ORCID)
    pi, coauthor = authorship("Aiko Tanaka", PI_ORCID), authorship("Ren Okada", EXPERT_ORCID)
    crowd = [authorship(f"Member {i}", None) for i in range(120)]
    folder = publications(
        tmp_path,
        [(1, 2025, [pi, coauthor]), (2, 2024, [pi, coauthor, *crowd]), (3, 2019, [pi, coauthor])],
    )
    result = services.detect(on=DAY, folder=folder, by=personas["hana"])
    return {"folder": folder, "result": result}


def test_detection_finds_each_rule_with_its_status(found):
    expected = {
        # the committee as listed: current affiliations with host institutions (registry)
        ("Kotani", "aimr", "institution", "confirmed", "registry"),
        ("Kotani", "aimec", "institution", "confirmed", "registry"),  # Tohoku hosts it too
        ("Kajita", "ircn", "institution", "confirmed", "registry"),
        ("Kajita", "kavli-ipmu", "institution", "confirmed", "registry"),
        # a namesake of a PI of the accepted report: a name alone is potential
        ("Smith", "ircn", "center_role", "potential", "name"),
        # an organisation named, not linked: potential, for each center Kyoto hosts
        ("Weber", "icems", "institution", "potential", "name"),
        ("Weber", "ashbi", "institution", "potential", "name"),
        # a co-author of a PI in the window (2025), decided case by case; the 2019 paper is
        # outside the window; the consortium paper (122 authors) is only noted
        ("Okada", "ircn", "coauthorship", "potential", "orcid"),
        ("Okada", "ircn", "consortium_coauthorship", "noted", "orcid"),
    }
    assert {(p, c, r, s, i) for r, p, c, s, i in findings()} == expected
    okada = Finding.objects.get(rule="coauthorship", person__family_name_en="Okada")
    assert [(e["doi"], e["year"], e["with"]) for e in okada.evidence] == [
        ("10.5555/t.1", 2025, ["Aiko Tanaka"])
    ]
    kotani = Finding.objects.get(person__family_name_en="Kotani", center__key="aimr")
    assert kotani.evidence[0]["organisation"] == "Tohoku University"
    assert found["result"].new == len(expected)


def test_detection_again_changes_nothing_and_keeps_the_decisions(found, personas):
    smith = Finding.objects.get(person__family_name_en="Smith")
    services.decide(
        smith, "dismissed", "Another John Smith (a chemist in Leeds).", personas["hana"]
    )
    again = services.detect(on=DAY, folder=found["folder"], by=personas["hana"])
    assert (again.new, again.updated, again.removed, again.flagged) == (0, 0, 0, 0)
    smith.refresh_from_db()
    assert smith.status == "dismissed"


def test_the_evidence_reads_in_the_pages_language(found, client_as):
    kotani = Finding.objects.get(person__family_name_en="Kotani", center__key="aimr")
    client = client_as("hana")
    for lang, organisation, identified in (
        (
            "en",
            "Tohoku University, Executive Vice President",
            "(identified by: Kyoten&#x27;s registry)",
        ),
        ("ja", "東北大学、理事・副学長", "（同一人物と判断した根拠：Kyotenの"),
    ):
        page = client.get(f"/conflicts/{kotani.pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        evidence = page.split('id="evidence-h"')[1]
        assert organisation in evidence and identified in evidence


def test_the_japanese_wording_of_a_name_is_not_new_evidence(found, personas):
    """A finding decided before detection kept the Japanese names gains them, unflagged."""
    kotani = Finding.objects.get(person__family_name_en="Kotani", center__key="aimr")
    services.decide(kotani, "waived", "A large university; another department.", personas["hana"])
    kotani.evidence = [
        {k: v for k, v in item.items() if not k.endswith("_ja")} for item in kotani.evidence
    ]
    kotani.save()
    again = services.detect(on=DAY, folder=found["folder"], by=personas["hana"])
    kotani.refresh_from_db()
    assert (again.updated, again.flagged, kotani.evidence_changed) == (0, 0, False)
    assert kotani.evidence[0]["organisation_ja"] == "東北大学"


def test_new_evidence_after_a_decision_is_flagged_and_a_lapsed_potential_finding_goes(
    found, personas, tmp_path
):
    okada = Finding.objects.get(rule="coauthorship", person__family_name_en="Okada")
    services.decide(okada, "waived", "One paper, a large review article.", personas["hana"])
    pi, coauthor = authorship("Aiko Tanaka", PI_ORCID), authorship("Ren Okada", EXPERT_ORCID)
    newer = publications(tmp_path / "later", [(1, 2025, [pi, coauthor]), (4, 2026, [pi, coauthor])])
    Affiliation.objects.filter(person__family_name_en="Weber").delete()
    result = services.detect(on=DAY, folder=newer, by=personas["hana"])
    okada.refresh_from_db()
    assert (okada.status, okada.evidence_changed) == ("waived", True)
    assert {e["doi"] for e in okada.evidence} == {"10.5555/t.1", "10.5555/t.4"}
    assert not Finding.objects.filter(person__family_name_en="Weber").exists()
    assert (result.flagged, result.removed) == (1, 3)  # Weber's two, the consortium paper


def test_a_decision_needs_a_reason_to_waive_or_dismiss_and_is_audited(found, personas):
    smith = Finding.objects.get(person__family_name_en="Smith")
    with pytest.raises(ValidationError, match="Give the reason"):
        services.decide(smith, "waived", "  ", personas["hana"])
    noted = Finding.objects.get(rule="consortium_coauthorship")
    with pytest.raises(ValidationError, match="recorded only"):
        services.decide(noted, "confirmed", "", personas["hana"])
    services.decide(smith, "confirmed", "", personas["ito"])  # IRCN's PO decides
    event = AuditEvent.objects.get(kind="conflict.decided")
    assert (event.data["was_status"], event.data["finding_status"]) == ("potential", "confirmed")
    assert event.center.key == "ircn"


def test_the_decision_page_for_the_po_and_not_for_another_centers_po(found, client_as, personas):
    smith = Finding.objects.get(person__family_name_en="Smith")
    weber = Finding.objects.get(person__family_name_en="Weber", center__key="icems")
    client = client_as("ito")  # IRCN's Program Officer
    page = client.get(f"/conflicts/{smith.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a name alone: check that it is the same person" in page
    assert "Record the decision" in page
    assert client.get(f"/conflicts/{weber.pk}/").status_code == 404
    response = client.post(f"/conflicts/{smith.pk}/", {"status": "dismissed", "reason": ""})
    assert response.status_code == 200  # refused: the reason is missing
    smith.refresh_from_db()
    assert smith.status == "potential"
    client.post(f"/conflicts/{smith.pk}/", {"status": "dismissed", "reason": "Not him."})
    smith.refresh_from_db()
    assert (smith.status, smith.reason, smith.decided_by_label) == ("dismissed", "Not him.", "ito")


def test_the_register_lists_what_each_reader_may_read(found, client_as, personas):
    for name in ("hana", "ito"):
        page = client_as(name).get("/conflicts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        listed = {f.pk for f in Finding.objects.all() if f"/conflicts/{f.pk}/" in page}
        allowed = {f.pk for f in Finding.objects.all() if may(personas[name], "finding.read", f)}
        assert listed == allowed and allowed
    assert (
        "potential findings wait for a decision"
        in client_as("hana").get("/conflicts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_the_office_reads_which_publication_data_detection_uses(found, client_as):
    """The works behind the latest published indicators, by count, years and day (not the
    server's folder); that it is not checked once the folder has gone."""
    client = client_as("hana")

    def page(lang="en"):
        return client.get("/conflicts/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()

    assert "co-authorship is not checked" in page()
    run = IndicatorRun.objects.create(
        first_year=2019,
        last_year=2025,
        field_scheme="openalex",
        doc_types="article",
        is_sample=True,
        data_folder=str(found["folder"]),
        data_sha256="0" * 64,
        works_in_data=12_345,
        actor_label="kyoten outcomes load-samples",
    )
    day = timezone.localdate(run.at).isoformat()
    english = page()
    assert (
        f"Publication data: the 12,345 works (2019–2025) behind the indicators published on {day}."
        in english
    )
    assert str(found["folder"]) not in english
    japanese = page("ja")
    assert "共著）を確認します。論文データ：" in japanese  # no space after 「。」
    assert f"論文データ：{day}公表の指標の算出に用いた12,345件の論文（2019–2025年）。" in japanese
    assert '<span class="mark">サンプルデータ</span>' in japanese
    (found["folder"] / "authorships.parquet").unlink()
    assert "co-authorship is not checked" in page()


@pytest.mark.parametrize("persona", ["hana", "ken", "mori", "sato", "ito", "emma"])
def test_the_registers_query_agrees_with_the_rule(found, personas, persona):
    user = personas[persona]
    scoped = set(Finding.objects.filter(finding_scope(user)).values_list("pk", flat=True))
    assert scoped == {f.pk for f in Finding.objects.all() if may(user, "finding.read", f)}


def test_a_potential_finding_blocks_the_seat_until_decided(found, personas):
    cycle = follow_up(personas)
    case = cycle.cases.get(center__key="ircn")
    smith = Person.objects.get(family_name_en="Smith")
    with pytest.raises(ValidationError, match="potential conflict of interest with IRCN"):
        evaluation.seat(case, smith, "member", personas["hana"])
    services.decide(smith.findings.get(), "dismissed", "Another John Smith.", personas["hana"])
    evaluation.seat(case, smith, "member", personas["hana"])
    kajita = Person.objects.get(family_name_en="Kajita")
    with pytest.raises(ValidationError, match="confirmed conflict of interest with IRCN"):
        evaluation.seat(case, kajita, "member", personas["hana"])


def test_a_conflict_found_after_the_seat_is_on_the_offices_tasks(found, personas):
    cycle = follow_up(personas)
    case = cycle.cases.get(center__key="qup")
    evaluation.seat(case, personas["mori"].person, "member", personas["hana"])
    services.declare(
        personas["mori"].person, case.center, "collaboration", "A joint grant", by=personas["hana"]
    )
    today = timezone.localdate()
    texts = [t.text for t in tasks_for(personas["hana"], today)]
    assert any("found after" in t and "QUP" in t for t in texts)
    assert any("potential conflicts of interest with IRCN" in t for t in texts)


def test_a_waiver_restores_access_and_is_audited(client_as, personas):
    client = client_as("sato")  # a committee member with a recorded conflict with IRCN
    assert client.get("/centers/ircn/reports/").status_code == 403
    finding = Finding.objects.get(person=personas["sato"].person)
    services.decide(
        finding, "waived", "A different department of the university.", personas["hana"]
    )
    assert client.get("/centers/ircn/reports/").status_code == 200
    assert AuditEvent.objects.filter(kind="conflict.decided", center__key="ircn").exists()
    services.decide(finding, "confirmed", "", personas["hana"])
    assert client.get("/centers/ircn/reports/").status_code == 403


def test_a_person_declares_their_own_conflict_and_it_closes_the_center(client_as, personas):
    client = client_as("mori")
    assert client.get("/centers/qup/reports/").status_code == 200
    qup = Center.objects.get(key="qup")
    response = client.post(
        "/conflicts/mine/",
        {
            "declare": "",
            "center": qup.pk,
            "rule": "advisor",
            "note": "I supervised the director's PhD.",
        },
    )
    assert response.status_code == 302
    finding = personas["mori"].person.findings.get(center=qup)
    assert (finding.rule, finding.status, finding.identified_by) == (
        "advisor",
        "confirmed",
        "declaration",
    )
    assert client.get("/centers/qup/reports/").status_code == 403
    # a rule only the office records is not offered to a person
    client.post(
        "/conflicts/mine/", {"declare": "", "center": qup.pk, "rule": "recorded", "note": ""}
    )
    assert not personas["mori"].person.findings.filter(rule="recorded").exists()


def test_a_statement_of_no_conflict_is_kept_as_a_noted_finding(personas):
    cycle = follow_up(personas)
    case = cycle.cases.get(center__key="ircn")
    seat = evaluation.seat(case, personas["mori"].person, "member", personas["hana"])
    evaluation.respond(seat, True, personas["mori"])
    evaluation.confirm_no_conflict(seat, personas["mori"])
    finding = personas["mori"].person.findings.get()
    assert (finding.rule, finding.status) == ("no_conflict_statement", "noted")
    assert finding.evidence[0]["note"] == "FY2025 Annual follow-up"
    assert may(personas["mori"], "center.internal.read", case.center)


def test_the_expert_declares_their_expertise_and_the_office_keeps_the_rest(client_as, personas):
    person = personas["emma"].person
    Expert.objects.create(person=person, expertise=["neuroscience"], max_load=1)
    client_as("emma").post(
        "/conflicts/mine/",
        {"expertise": ["neuroscience", "computer_science"], "keywords": "vision", "max_load": 9},
    )
    profile = Expert.objects.get(person=person)
    assert (profile.expertise, profile.keywords, profile.max_load) == (
        ["neuroscience", "computer_science"],
        "vision",
        1,
    )
    client_as("hana").post(
        f"/people/{person.pk}/expert/",
        {"expertise": ["neuroscience"], "max_load": 3, "may_chair": "on", "active": "on"},
    )
    profile.refresh_from_db()
    assert (profile.max_load, profile.may_chair) == (3, True)
    assert AuditEvent.objects.filter(kind="expert.saved").count() == 2


def test_the_command_detects_and_refuses_a_folder_without_data(found, capsys, tmp_path):
    assert main(["conflicts", "detect", "--data", str(found["folder"]), "--lang", "en"]) == 0
    assert "new findings: 0" in capsys.readouterr().out
    assert main(["conflicts", "detect", "--data", str(tmp_path / "nowhere")]) == 2
    assert "authorships.parquet" in capsys.readouterr().err


def test_a_make_user_role_holder_is_checked(personas):
    """Whoever holds a reviewing role is checked, pool or not."""
    user = make_user("kim", Role.WORKING_GROUP, "ircn")
    Affiliation.objects.create(
        person=user.person, institution=Center.objects.get(key="ircn").hosts[0]
    )
    services.detect(by=personas["hana"])
    assert user.person.findings.filter(rule="institution", center__key="kavli-ipmu").exists()


def test_the_center_page_names_the_expertise_its_working_group_covers(client, db):
    page = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    shown = page.split("作業部会が網羅すべき専門分野")[1].split("</dd>")[0]
    assert "神経科学" in shown and "計算機科学" in shown
    assert "推定" in shown  # Kyoten's reading of the field, marked an inference
