"""Load the reference data (``kyoten/data/reference/*.yaml``) into the registry, idempotently.

Each record is matched on its natural key (institution and center ``key``, decision
``center + kind + date``, committee member's English name, budget fiscal year) and created or
updated, so loading twice changes nothing. Every change is written to the audit trail under
the name of the process (``kyoten load-reference``). Bad data raises a
:class:`~kyoten.text.KyotenError` naming the file, the record and the field.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from kyoten.audit.context import acting_as, recording
from kyoten.cycles import load_cycles
from kyoten.people.models import Affiliation, Person
from kyoten.registry.models import (
    Center,
    CenterInstitution,
    CommitteeMember,
    Decision,
    Institution,
    InstitutionName,
    Mark,
    Precision,
    ProgramBudget,
    Track,
)
from kyoten.text import Bilingual, KyotenError

ACTOR = "kyoten load-reference"
FILES = ("institutions.yaml", "centers.yaml", "committee.yaml", "budgets.yaml")


@dataclass
class LoadReport:
    """How many records of each kind the reference data holds after loading."""

    institutions: int
    centers: int
    decisions: int
    committee: int
    budgets: int


def read(name: str) -> dict[str, Any]:
    """One reference data file, parsed."""
    text = resources.files("kyoten").joinpath(f"data/reference/{name}").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise KyotenError(
            Bilingual(
                en="expected a mapping with version: 1",
                ja="version: 1 を持つマッピングが必要です",
            ),
            location=name,
        )
    return data


def _need(record: dict[str, Any], field: str, where: str, kind: type | tuple[type, ...]) -> Any:
    value = record.get(field)
    if not isinstance(value, kind) or value in ("", None):
        raise KyotenError(
            Bilingual(
                en=f"field '{field}' is missing or of the wrong type",
                ja=f"項目 '{field}' がないか、型が正しくありません",
            ),
            location=f"{where}.{field}",
            value=value,
        )
    return value


def _caveats(record: dict[str, Any], where: str) -> list[dict[str, str]]:
    caveats = record.get("caveats") or []
    for i, caveat in enumerate(caveats):
        if (
            caveat.get("mark") not in Mark.values
            or not caveat.get("note")
            or not caveat.get("note_ja")
        ):
            raise KyotenError(
                Bilingual(
                    en="a caveat needs a note in English and Japanese (note, note_ja) and a "
                    f"mark, one of {', '.join(Mark.values)}",
                    ja="注記には英語と日本語の説明（note, note_ja）と mark"
                    f"（{', '.join(Mark.values)}）が必要です",
                ),
                location=f"{where}.caveats[{i}]",
                value=caveat,
            )
    return [dict(c) for c in caveats]


def _sources(record: dict[str, Any], where: str) -> list[str]:
    sources = _need(record, "sources", where, list)
    return [str(s) for s in sources]


def _choice(record: dict[str, Any], field: str, where: str, choices: list[str]) -> str:
    value = record.get(field)
    if value not in choices:
        raise KyotenError(
            Bilingual(
                en=f"field '{field}' must be one of {', '.join(choices)}",
                ja=f"項目 '{field}' は {', '.join(choices)} のいずれかです",
            ),
            location=f"{where}.{field}",
            value=value,
        )
    return str(value)


def _dated(value: Any, where: str) -> tuple[datetime.date, str]:
    if not isinstance(value, dict) or not isinstance(value.get("date"), datetime.date):
        raise KyotenError(
            Bilingual(
                en="expected {date: YYYY-MM-DD, precision: day|month|fiscal_year}",
                ja="{date: YYYY-MM-DD, precision: day|month|fiscal_year} の形式で指定してください",
            ),
            location=where,
            value=value,
        )
    return value["date"], _choice(value, "precision", where, Precision.values)


def load_institutions() -> int:
    data = read("institutions.yaml")
    defaults = data.get("defaults", {}).get("caveats", [])
    for i, record in enumerate(data["institutions"]):
        where = f"institutions.yaml: institutions[{i}]"
        institution, _created = Institution.objects.update_or_create(
            key=_need(record, "key", where, str),
            defaults={
                "name_en": _need(record, "name_en", where, str),
                "name_ja": record.get("name_ja", ""),
                "country": _need(record, "country", where, str),
                "kind": _choice(record, "kind", where, Institution.Kind.values),
                "ror_id": record.get("ror_id", ""),
                "sources": _sources(record, where),
                "caveats": _caveats({"caveats": defaults + record.get("caveats", [])}, where)
                if not record.get("ror_id")
                else _caveats(record, where),
            },
        )
        for j, rename in enumerate(record.get("renamed", [])):
            rwhere = f"{where}.renamed[{j}]"
            since = rename.get("since")
            if not isinstance(since, datetime.date):
                raise KyotenError(
                    Bilingual(
                        en="expected the day of the new name as YYYY-MM-DD",
                        ja="新しい名称になった日を YYYY-MM-DD の形式で指定してください",
                    ),
                    location=f"{rwhere}.since",
                    value=since,
                )
            InstitutionName.objects.update_or_create(
                institution=institution,
                since=since,
                defaults={
                    "name_en": _need(rename, "name_en", rwhere, str),
                    "name_ja": rename.get("name_ja", ""),
                    "note_en": rename.get("note", ""),
                    "note_ja": rename.get("note_ja", ""),
                    "sources": _sources(rename, rwhere),
                    "caveats": _caveats(rename, rwhere),
                },
            )
    return len(data["institutions"])


def _expertise(record: dict[str, Any], where: str) -> list[str]:
    """The center's expertise, each of the vocabulary of the cycle data."""
    chosen = record.get("expertise", [])
    vocabulary = load_cycles().expertise
    for item in chosen if isinstance(chosen, list) else [chosen]:
        if not isinstance(item, str) or vocabulary.field(item) is None:
            raise KyotenError(
                Bilingual(
                    en="unknown expertise; expected an id of the expertise vocabulary "
                    "(kyoten/cycles/data/wpi.yaml)",
                    ja="不明な専門分野です。専門分野の語彙（kyoten/cycles/data/wpi.yaml）のIDを指定してください",
                ),
                location=f"{where}.expertise",
                value=item,
            )
    return list(chosen)


def load_centers() -> tuple[int, int]:
    data = read("centers.yaml")
    institutions = {i.key: i for i in Institution.objects.all()}
    decisions = 0
    for i, record in enumerate(data["centers"]):
        key = _need(record, "key", f"centers.yaml: centers[{i}]", str)
        where = f"centers.yaml: {key}"
        start, precision = _dated(record.get("support_start"), f"{where}.support_start")
        center, _created = Center.objects.update_or_create(
            key=key,
            defaults={
                "short_name": _need(record, "short_name", where, str),
                "name_en": _need(record, "name_en", where, str),
                "name_ja": record.get("name_ja", ""),
                "track": _choice(record, "track", where, Track.values),
                "selection_fiscal_year": _need(record, "selection_fiscal_year", where, int),
                "support_start": start,
                "support_start_precision": precision,
                "director": record.get("director", ""),
                "field_en": _need(record, "field_en", where, str),
                "field_ja": record.get("field_ja", ""),
                "expertise": _expertise(record, where),
                "sources": _sources(record, where),
                "caveats": _caveats(record, where)
                + (
                    [{"field": "expertise", **data["expertise_caveat"]}]
                    if "expertise" in record
                    else []
                ),
            },
        )
        for role in CenterInstitution.Role.values:
            plural = {"host": "hosts", "partner": "partners", "satellite": "satellites"}[role]
            for inst_key in record.get(plural, []):
                if inst_key not in institutions:
                    raise KyotenError(
                        Bilingual(
                            en="unknown institution; add it to institutions.yaml first",
                            ja="機関が不明です。先に institutions.yaml に追加してください",
                        ),
                        location=f"{where}.{plural}",
                        value=inst_key,
                    )
                CenterInstitution.objects.get_or_create(
                    center=center, institution=institutions[inst_key], role=role
                )
        if not center.hosts:
            raise KyotenError(
                Bilingual(en="a center needs at least one host", ja="拠点にはホスト機関が必要です"),
                location=f"{where}.hosts",
            )
        for j, decision in enumerate(record.get("decisions", [])):
            dwhere = f"{where}.decisions[{j}]"
            kind = _choice(decision, "kind", dwhere, Decision.Kind.values)
            date, dprecision = _dated(decision, dwhere)
            Decision.objects.update_or_create(
                center=center,
                kind=kind,
                date=date,
                defaults={
                    "precision": dprecision,
                    "years": decision.get("years"),
                    "summary": decision.get("summary", ""),
                    "summary_ja": decision.get("summary_ja", ""),
                    "sources": _sources(decision, dwhere),
                    "caveats": _caveats(decision, dwhere),
                    "actor_label": f"{ACTOR} (centers.yaml v{data['version']})",
                },
            )
            decisions += 1
    return len(data["centers"]), decisions


def split_name(name: str, family: str | None, lang: str) -> tuple[str, str]:
    """(family name, given name) of ``name`` as printed: Japanese writes the family name
    first, English last (``family`` says which part it is where the order differs, as for
    "Lim Chuan Poh")."""
    name = name.strip()
    if family:
        return family, name.replace(family, "", 1).strip()
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    if lang == "ja":
        return parts[0], " ".join(parts[1:])
    return parts[-1], " ".join(parts[:-1])


def _person_of(record: dict[str, Any], member: CommitteeMember, sources: list[str]) -> Person:
    """The person behind a committee seat: the one linked before, or a new one."""
    family_en, given_en = split_name(record["name_en"], record.get("family_name_en"), "en")
    family_ja, given_ja = split_name(record.get("name_ja", ""), None, "ja")
    names = {
        "family_name_en": family_en,
        "given_name_en": given_en,
        "family_name_ja": family_ja,
        "given_name_ja": given_ja,
    }
    caveats = [c for c in member.caveats if c["field"] == "name_ja"]
    person = member.person or Person()
    for field, value in {**names, "sources": sources, "caveats": caveats}.items():
        setattr(person, field, value)
    person.save()
    return person


def load_committee() -> int:
    data = read("committee.yaml")
    people = data["members"] + data["program_director"]
    for i, record in enumerate(people):
        where = f"committee.yaml: [{i}]"
        member, _created = CommitteeMember.objects.update_or_create(
            name_en=_need(record, "name_en", where, str),
            defaults={
                "order": i,
                "name_ja": record.get("name_ja", ""),
                "country": _need(record, "country", where, str),
                "role": _choice(record, "role", where, CommitteeMember.Role.values),
                "affiliation_en": _need(record, "affiliation_en", where, str),
                "affiliation_ja": record.get("affiliation_ja", ""),
                "field_en": record.get("field_en", ""),
                "field_ja": record.get("field_ja", ""),
                "new_in_fiscal_year": record.get("new_in_fiscal_year"),
                "sources": record.get("sources") or [data["source"]],
                "caveats": _caveats(record, where),
            },
        )
        person = _person_of(record, member, member.sources)
        if member.person_id != person.pk:
            member.person = person
            member.save()
        _affiliations_of(person, record, where, member.sources)
    return len(people)


AS_PRINTED = {
    "mark": "UNCONFIRMED",
    "note": "As printed in the committee list of the program document (January 2024); whether "
    "it still holds is not confirmed.",
    "note_ja": "事業概要（2024年1月）の委員名簿に記載の所属です。現在も同じかは確認できていません。",
}


def _affiliations_of(
    person: Person, record: dict[str, Any], where: str, sources: list[str]
) -> None:
    """A committee member's affiliations with institutions of the registry, as printed."""
    for j, item in enumerate(record.get("affiliations", [])):
        key = _need(item, "institution", f"{where}.affiliations[{j}]", str)
        institution = Institution.objects.filter(key=key).first()
        if institution is None:
            raise KyotenError(
                Bilingual(
                    en="unknown institution; add it to institutions.yaml first",
                    ja="機関が不明です。先に institutions.yaml に追加してください",
                ),
                location=f"{where}.affiliations[{j}].institution",
                value=key,
            )
        Affiliation.objects.update_or_create(
            person=person,
            institution=institution,
            defaults={
                "position_en": item.get("position_en", ""),
                "position_ja": item.get("position_ja", ""),
                "sources": sources,
                "caveats": [{"field": "institution", **AS_PRINTED}],
            },
        )


def load_budgets() -> int:
    data = read("budgets.yaml")
    for i, record in enumerate(data["budgets"]):
        where = f"budgets.yaml: budgets[{i}]"
        ProgramBudget.objects.update_or_create(
            fiscal_year=_need(record, "fiscal_year", where, int),
            defaults={
                "kind": _choice(record, "kind", where, ProgramBudget.Kind.values),
                "amount_yen": _need(record, "amount_million_yen", where, int) * 1_000_000,
                "sources": _sources(record, where),
                "caveats": _caveats(record, where),
            },
        )
    return len(data["budgets"])


def load_reference() -> LoadReport:
    """Load every reference file in one transaction: all or nothing."""
    with acting_as(None, ACTOR), recording("reference.loaded", if_changed=True):
        institutions = load_institutions()
        centers, decisions = load_centers()
        committee = load_committee()
        budgets = load_budgets()
    return LoadReport(institutions, centers, decisions, committee, budgets)
