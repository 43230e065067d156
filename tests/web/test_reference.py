"""The reference data: complete, sourced, idempotent, and honest about what is unconfirmed."""

import pytest

from kyoten.audit.models import AuditEntry
from kyoten.cli import main
from kyoten.registry.models import (
    Center,
    CommitteeMember,
    Decision,
    Institution,
    ProgramBudget,
)
from kyoten.registry.reference import load_reference


def test_eighteen_centers_each_with_a_host_and_sources(db):
    centers = list(Center.objects.all())
    assert len(centers) == 18
    for center in centers:
        assert center.hosts, center.key
        assert center.sources, center.key
    assert {i.key for i in Center.objects.get(key="aimec").hosts} == {"tohoku", "jamstec"}
    assert [i.key for i in Center.objects.get(key="aimec").satellites] == ["uhawaii"]
    assert [i.key for i in Center.objects.get(key="i2cner").partners] == ["uiuc"]


def test_loading_twice_changes_nothing(db):
    before = AuditEntry.objects.count()
    report = load_reference()
    assert (report.centers, report.institutions) == (18, 17)
    assert AuditEntry.objects.count() == before  # nothing changed, nothing audited
    assert Center.objects.count() == 18
    assert Decision.objects.count() == report.decisions


def test_the_command_loads_and_reports(db, capsys):
    assert main(["load-reference"]) == 0
    assert "18 centers" in capsys.readouterr().out


def test_a_centers_host_institutions_are_listed_as_the_pages_language_lists(db, client):
    """AIMEC, a Multiple Host WPI center, in the table of centers."""

    def centers(lang):
        return client.get("/centers/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()

    assert "Tohoku University, Japan Agency for Marine-Earth Science" in centers("en")
    assert "東北大学、海洋研究開発機構" in centers("ja")


def test_the_committee_of_the_program_document(db):
    members = CommitteeMember.objects.exclude(role="program_director")
    assert members.count() == 15
    assert list(members.filter(role="chair").values_list("name_en", flat=True)) == [
        "Michinari Hamaguchi"
    ]
    new = set(members.filter(new_in_fiscal_year=2023).values_list("name_en", flat=True))
    assert new == {
        "Lim Chuan Poh",
        "Maki Kawai",
        "Ryozo Nagai",
        "Matthias Kleiner",
        "Kazuhiko Ishimura",
    }
    director = CommitteeMember.objects.get(role="program_director")
    assert director.name_en == "Akira Ukawa"
    assert director.sources


@pytest.mark.parametrize("key", ["iiis", "elsi", "itbm"])
def test_academy_membership_without_a_second_source_stays_unconfirmed(db, key):
    decision = Decision.objects.get(center__key=key, kind="academy_admission")
    marks = {c["mark"] for c in decision.caveats}
    assert "UNCONFIRMED" in marks


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "No second source confirms Academy membership"),
        ("ja", "アカデミー拠点であることを確認できる別の出典はなく"),
    ],
)
def test_unconfirmed_facts_are_shown_as_such_in_each_language(db, client, lang, note):
    page = client.get("/centers/elsi/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert "mark-unconfirmed" in page
    assert note in page


def test_conflicting_sources_are_shown(db, client):
    page = client.get("/centers/i2cner/").content.decode()
    assert "mark-conflict" in page  # FY2010 vs a heading that says FY2011


def test_no_ror_id_is_invented(db):
    assert not Institution.objects.exclude(ror_id="").exists()
    for institution in Institution.objects.all():
        assert {c["field"] for c in institution.caveats} == {"ror_id"}


def test_budgets_cite_sources(db):
    assert ProgramBudget.objects.count() == 16
    assert all(b.sources for b in ProgramBudget.objects.all())


def test_a_caveat_on_the_japanese_name_shows_only_beside_that_name(db, client):
    def lead(lang):
        page = client.get("/centers/icems/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        return page.split('<p class="lead">', 1)[1].split("</p>", 1)[0]

    assert "mark-unconfirmed" in lead("ja")  # 物質－細胞統合システム拠点 is not in the sources
    assert "mark" not in lead("en")


def test_every_caveat_and_summary_is_bilingual(db):
    for decision in Decision.objects.all():
        assert bool(decision.summary) == bool(decision.summary_ja), decision
    for model in (Center, Decision, Institution, CommitteeMember, ProgramBudget):
        for record in model.objects.all():
            for caveat in record.caveats:
                assert caveat["note"] and caveat["note_ja"], record


def _broken(monkeypatch, name, change):
    """Make the loader read ``name`` with ``change`` applied to its first record."""
    from kyoten.registry import reference

    real = reference.read

    def read(file):
        data = real(file)
        if file == name:
            key = next(k for k, v in data.items() if isinstance(v, list))
            change(data[key][0])
        return data

    monkeypatch.setattr(reference, "read", read)


@pytest.mark.parametrize(
    ("name", "change", "where", "message"),
    [
        (
            "centers.yaml",
            lambda c: c.update(track="focus"),
            "centers.yaml: aimr.track",
            "must be one of wpi, core, multiple_host",
        ),
        (
            "centers.yaml",
            lambda c: c.update(hosts=["nowhere"]),
            "centers.yaml: aimr.hosts",
            "unknown institution",
        ),
        (
            "centers.yaml",
            lambda c: c["decisions"][0].update(kind="renamed"),
            "centers.yaml: aimr.decisions[0].kind",
            "must be one of",
        ),
        (
            "centers.yaml",
            lambda c: c["caveats"][0].pop("note_ja"),
            "centers.yaml: aimr.caveats[0]",
            "a caveat needs a note in English and Japanese",
        ),
        (
            "institutions.yaml",
            lambda i: i.pop("sources"),
            "institutions.yaml: institutions[0].sources",
            "missing",
        ),
        (
            "budgets.yaml",
            lambda b: b.update(amount_million_yen="lots"),
            "budgets.yaml: budgets[0].amount_million_yen",
            "wrong type",
        ),
    ],
)
def test_bad_reference_data_is_refused_naming_file_record_and_field(
    db, monkeypatch, name, change, where, message
):
    from kyoten.text import KyotenError

    _broken(monkeypatch, name, change)
    with pytest.raises(KyotenError, match=message) as caught:
        load_reference()
    assert caught.value.location == where
    assert caught.value.localized("ja") != caught.value.localized("en")
