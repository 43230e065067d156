"""The sample expert pool that ``kyoten load-samples`` adds: made-up experts (never a real
person), half from abroad, each with two fields of the centers and some with expertise in
running research, so that a new installation can form the sample follow-up's working groups.
One sample expert names Kyoto University as an organisation, without the registry's link: a
potential conflict of interest with the centers it hosts, to decide before groups are
confirmed."""

from __future__ import annotations

from kyoten.conflicts.models import Expert
from kyoten.people.models import Affiliation, Person

SOURCE = "kyoten load-samples: made-up sample data, not a real person or evaluation"
POOL_SIZE = 36
# fields the centers' research is in (cycle data vocabulary), dealt out two per expert
FIELDS = (
    "neuroscience",
    "computer_science",
    "biochemistry_genetics",
    "physics_astronomy",
    "materials_science",
    "chemistry",
    "medicine",
    "immunology_microbiology",
    "mathematics",
    "earth_planetary",
    "engineering",
    "energy",
    "environmental_science",
    "agricultural_biological",
    "pharmacology",
)
NAMED_BY_ORGANISATION = 6  # Sample Expert G names a host institution, by name only


def label(i: int) -> str:
    """A, B, …, Z, AA, AB, … for the i-th sample expert.

    >>> [label(i) for i in (0, 5, 25, 26, 35)]
    ['A', 'F', 'Z', 'AA', 'AJ']
    """
    return chr(65 + i) if i < 26 else "A" + chr(65 + i - 26)


def _expertise(i: int) -> list[str]:
    chosen = [FIELDS[i % len(FIELDS)], FIELDS[(i * 7 + 3) % len(FIELDS)]]
    if i % 3 == 0:
        chosen.append("research_management")
    if i % 4 == 1:
        chosen.append("international_research")
    if i % 5 == 2:
        chosen.append("science_and_society")
    return list(dict.fromkeys(chosen))


def sample_pool(organisation: str = "") -> list[Person]:
    """The sample experts, made once (every second one from abroad; every fourth may chair);
    Sample Expert G affiliated with ``organisation`` by name, if given and they have none."""
    found = []
    for i in range(POOL_SIZE):
        letter = label(i)
        person, _ = Person.objects.get_or_create(
            family_name_en=f"Expert {letter}",
            given_name_en="Sample",
            defaults={
                "family_name_ja": "見本",
                "given_name_ja": f"委員{letter}",
                "from_abroad": i % 2 == 0,
                "sources": [SOURCE],
            },
        )
        Expert.objects.get_or_create(
            person=person,
            defaults={
                "expertise": _expertise(i),
                "max_load": 2,
                "may_chair": i % 4 == 0,
                "is_sample": True,
                "sources": [SOURCE],
            },
        )
        if i == NAMED_BY_ORGANISATION and organisation and not person.affiliations.exists():
            Affiliation.objects.create(
                person=person,
                organisation_en=organisation,
                position_en="Professor",
                sources=[SOURCE],
            )
        found.append(person)
    return found
