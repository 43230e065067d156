"""The registry of persons: names as each language writes them, ORCID iDs checked, dated
affiliations, the committee of the reference data and the PIs of accepted reports as persons."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from kyoten.people.models import Affiliation, Person
from kyoten.registry.models import Center, CommitteeMember, Institution
from kyoten.registry.reference import load_committee, split_name
from kyoten.reports import report_from_data
from kyoten.submissions import services
from web.reporting import FY, ircn_data


def test_names_in_the_order_each_language_writes_them(db):
    person = Person(
        family_name_en="Hamaguchi",
        given_name_en="Michinari",
        family_name_ja="濱口",
        given_name_ja="道成",
    )
    assert (person.name_en, person.name_ja) == ("Michinari Hamaguchi", "濱口 道成")
    with translation.override("ja"):
        assert person.name == "濱口 道成"
    with translation.override("en"):
        assert person.name == "Michinari Hamaguchi"
    abroad = Person(family_name_en="Nemer", given_name_en="Mona")
    with translation.override("ja"):
        assert abroad.name == "Mona Nemer"  # no Japanese name: the English one


@pytest.mark.parametrize(
    ("name", "family", "lang", "parts"),
    [
        ("Michinari Hamaguchi", None, "en", ("Hamaguchi", "Michinari")),
        ("濱口 道成", None, "ja", ("濱口", "道成")),
        ("Victor Joseph Dzau", None, "en", ("Dzau", "Victor Joseph")),
        ("Lim Chuan Poh", "Lim", "en", ("Lim", "Chuan Poh")),
        ("", None, "ja", ("", "")),
    ],
)
def test_a_printed_name_is_split_into_family_and_given_names(name, family, lang, parts):
    assert split_name(name, family, lang) == parts


def test_a_wrong_orcid_is_refused_naming_the_value(db):
    person = Person(family_name_en="Carberry", orcid="0000-0002-1825-0098")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert refused.value.message_dict["orcid"] == [
        "0000-0002-1825-0098: this ORCID iD's check digit is wrong (a digit is mistyped)"
    ]
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert refused.value.message_dict["orcid"] == [
        "0000-0002-1825-0098: ORCID iD のチェックディジットが一致しません（入力誤りがあります）"
    ]


def test_an_orcid_is_stored_bare_and_belongs_to_one_person(db):
    first = Person(family_name_en="Carberry", orcid="https://orcid.org/0000-0002-1825-0097")
    first.full_clean()
    first.save()
    assert first.orcid == "0000-0002-1825-0097"
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(family_name_en="Carberry", orcid="0000-0002-1825-0097")
    Person.objects.create(family_name_en="Nobody")  # no ORCID: as many as there are
    Person.objects.create(family_name_en="Nobody")


def test_the_affiliation_of_a_day(db):
    person = Person.objects.create(family_name_en="Kotani", given_name_en="Motoko")
    tohoku = Institution.objects.get(key="tohoku")
    Affiliation.objects.create(
        person=person,
        organisation_en="Osaka University",
        starts=datetime.date(2000, 4, 1),
        ends=datetime.date(2004, 4, 1),
    )
    Affiliation.objects.create(person=person, institution=tohoku, starts=datetime.date(2004, 4, 1))
    assert person.affiliation_on(datetime.date(2003, 3, 31)).organisation == "Osaka University"
    assert person.affiliation_on(datetime.date(2004, 4, 1)).institution == tohoku
    assert person.affiliation_on(datetime.date(1999, 1, 1)) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"organisation_en": ""}, "organisation_en"),
        ({"ror_id": "ror.org/12345"}, "ror_id"),
        ({"starts": datetime.date(2020, 4, 1), "ends": datetime.date(2019, 4, 1)}, "ends"),
    ],
)
def test_a_wrong_affiliation_names_the_field(db, fields, field):
    person = Person.objects.create(family_name_en="Kabat")
    affiliation = Affiliation(person=person, **{"organisation_en": "HFSP", **fields})
    with pytest.raises(ValidationError) as refused:
        affiliation.full_clean()
    assert field in refused.value.message_dict


def test_every_committee_seat_of_the_reference_data_is_a_person(db):
    seats = CommitteeMember.objects.select_related("person")
    assert seats.count() == 16
    assert all(seat.person is not None for seat in seats)
    chair = seats.get(name_en="Michinari Hamaguchi").person
    assert (chair.family_name_ja, chair.given_name_ja, chair.family_name_en) == (
        "濱口",
        "道成",
        "Hamaguchi",
    )
    assert seats.get(name_en="Lim Chuan Poh").person.family_name_en == "Lim"
    # the Japanese spelling of the Program Director's name stays marked unconfirmed
    director = seats.get(role=CommitteeMember.Role.PROGRAM_DIRECTOR).person
    assert [c["mark"] for c in director.caveats if c["field"] == "name_ja"] == ["UNCONFIRMED"]
    assert director.sources == [
        "https://digitalpr.jp/r/44546",
        "https://www2.kek.jp/qup/news/detail20251203.html",
    ]


def test_loading_the_committee_again_changes_no_person(db):
    from kyoten.audit.models import AuditEntry

    before = (Person.objects.count(), AuditEntry.objects.count())
    load_committee()
    assert (Person.objects.count(), AuditEntry.objects.count()) == before


def accept(data, personas, fiscal_year=FY):
    """Upload ``data`` as IRCN's report for ``fiscal_year``; ken submits, hana accepts."""
    version = services.store(
        Center.objects.get(key="ircn"), report_from_data(data, "r.json"), "r.json", personas["ken"]
    )
    services.act(version.report, "submit", personas["ken"])
    services.act(version.report, "accept", personas["hana"])
    return version


def test_an_accepted_report_makes_its_pis_with_an_orcid_persons(personas):
    accept(ircn_data(), personas)
    aiko = Person.objects.get(orcid="0000-0002-1825-0097")
    assert (aiko.family_name_en, aiko.given_name_en, aiko.nationality, aiko.from_abroad) == (
        "Tanaka",
        "Aiko",
        "JP",
        False,
    )
    assert {c["field"] for c in aiko.caveats if c["mark"] == "INFERENCE"} == {
        "family_name_en",
        "given_name_en",
    }
    [where] = aiko.affiliations.all()
    assert (where.center.key, where.position_en, where.starts) == (
        "ircn",
        "PI",
        datetime.date(FY - 2, 4, 1),
    )
    assert where.institution == Center.objects.get(key="ircn").hosts[0]
    assert aiko.sources == [f"IRCN FY{FY} v1 (accepted)"]
    # John Smith is a PI without an ORCID iD: names alone cannot join him to anyone
    assert not Person.objects.filter(family_name_en="Smith").exists()


def test_the_next_year_finds_the_same_person_by_orcid(personas):
    accept(ircn_data(), personas)
    later = ircn_data(FY + 1)
    later["roster"][0]["name"] = "TANAKA Aiko"  # written otherwise: the ORCID iD decides
    later["roster"][0]["start_date"] = f"{FY - 2}-04-01"
    later["roster"][0]["end_date"] = f"{FY + 1}-12-31"
    accept(later, personas, FY + 1)
    aiko = Person.objects.get(orcid="0000-0002-1825-0097")
    assert aiko.family_name_en == "Tanaka"  # the names the registry holds stay
    [where] = aiko.affiliations.all()
    assert where.ends == datetime.date(FY + 1, 12, 31)
    assert len(aiko.sources) == 2


def test_a_pi_named_in_japanese_gets_the_japanese_name(personas):
    data = ircn_data()
    data["roster"][0]["name"] = "田中 愛子"
    accept(data, personas)
    aiko = Person.objects.get(orcid="0000-0002-1825-0097")
    assert (aiko.family_name_ja, aiko.given_name_ja) == ("田中", "愛子")


def test_a_sample_or_a_draft_makes_no_person(personas):
    services.store(
        Center.objects.get(key="ircn"),
        report_from_data(ircn_data(), "r.json"),
        "r.json",
        personas["ken"],
    )
    assert not Person.objects.filter(orcid="0000-0002-1825-0097").exists()


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("q=hamaguchi", ["濱口 道成"]),
        ("q=濱口", ["濱口 道成"]),
        ("q=https://orcid.org/0000-0002-1825-0097", ["Aiko Tanaka"]),
        ("role=program_officer", ["ito"]),
        ("q=nobody+of+that+name", []),
    ],
)
def test_the_people_page_finds_by_name_orcid_and_role(client_as, personas, query, names):
    Person.objects.create(
        family_name_en="Tanaka", given_name_en="Aiko", orcid="0000-0002-1825-0097"
    )
    response = client_as("hana").get(f"/people/?{query}", HTTP_ACCEPT_LANGUAGE="ja")
    assert [str(p.name) for p, _ in response.context["rows"]] == names


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_person_page_shows_names_marks_roles_and_the_way_to_invite(client_as, lang):
    director = CommitteeMember.objects.get(role=CommitteeMember.Role.PROGRAM_DIRECTOR).person
    page = client_as("hana").get(f"/people/{director.pk}/", HTTP_ACCEPT_LANGUAGE=lang)
    text = page.content.decode()
    assert {"ja": "宇川 彰", "en": "Akira Ukawa"}[lang] in text
    assert {"ja": "未確認", "en": "unconfirmed"}[lang] in text  # the Japanese spelling
    assert f"/accounts/invite/?person={director.pk}" in text
    invite = client_as("hana").get(f"/accounts/invite/?person={director.pk}")
    assert invite.context["form"]["person"].value() == str(director.pk)


def test_the_people_page_writes_an_affiliation_the_way_each_language_does(client_as, personas):
    person = Person.objects.create(family_name_en="Sato", given_name_en="Yuki")
    Affiliation.objects.create(
        person=person,
        organisation_en="Kyoto University",
        organisation_ja="京都大学",
        position_en="Professor",
        position_ja="教授",
        sources=["a test"],
    )
    client = client_as("hana")
    for lang, written in (("ja", "京都大学 教授"), ("en", "Professor, Kyoto University")):
        page = client.get("/people/?q=yuki", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert written in page
