"""Forming a cycle's working groups from the expert pool: the optimiser's proposal explained,
pins and exclusions, conflicts decided before confirming, a proposal uploaded and checked."""

import json

import pytest
from django.utils import timezone

from kyoten.accounts.models import Membership, Role
from kyoten.audit.models import AuditEvent
from kyoten.conflicts import services
from kyoten.conflicts.models import Expert, Finding, Proposal
from kyoten.evaluation.models import Cycle, Seat
from kyoten.evaluation.samples import load_sample_cycle, load_sample_cycle_to_form
from kyoten.fiscal import fiscal_year_of
from kyoten.people.models import Person
from kyoten.registry.models import Center


@pytest.fixture
def cycle(personas):
    """This year's sample follow-up, its groups to form from the sample pool; conflicts
    looked for (Sample Expert G names the newest center's host: potential with it). Which
    centers the year supports depends on the clock: the tests read them from the cycle."""
    today = timezone.localdate()
    load_sample_cycle(today)
    assert load_sample_cycle_to_form(today)
    services.detect(by=personas["hana"])
    return Cycle.objects.get(is_sample=True, fiscal_year=fiscal_year_of(today))


def blocked(cycle):
    """The centers of the cycle Sample Expert G has a potential conflict with."""
    return sorted(
        Finding.objects.filter(
            person=expert_g(), status="potential", center__evaluation_cases__cycle=cycle
        ).values_list("center__key", flat=True)
    )


def page(client, cycle, lang="en"):
    return client.get(f"/evaluation/{cycle.pk}/groups/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def post(client, cycle, lang="en", **data):
    return client.post(f"/evaluation/{cycle.pk}/groups/", data, HTTP_ACCEPT_LANGUAGE=lang)


def latest(cycle):
    return cycle.proposals.first()


def expert_g():
    return Person.objects.get(family_name_en="Expert G")


def test_the_page_lists_the_potential_conflict_to_decide_first(client_as, cycle):
    text = page(client_as("hana"), cycle)
    (center,) = blocked(cycle)
    assert "1 potential conflict of interest to decide first" in text
    short = Center.objects.get(key=center).short_name
    assert f"Sample Expert G — {short}</a>: Employed at a host or partner institution" in text
    japanese = page(client_as("hana"), cycle, lang="ja")
    assert f"見本 委員G — {short}</a>：拠点のホスト機関・連携機関に所属" in japanese


def test_the_proposal_meets_every_rule_and_explains_each_pairing(client_as, cycle):
    client = client_as("hana")
    post(client, cycle, action="propose", size=6)
    answer = latest(cycle).answer
    assert answer["status"] == "optimal"
    abroad = {f"p{p.pk}" for p in Person.objects.filter(from_abroad=True)}
    for group in answer["groups"]:
        members = group["members"]
        assert len(members) == 6
        assert sum(m["expert"] in abroad for m in members) >= 3
        assert [m["role"] for m in members].count("chair") == 1
    (center,) = blocked(cycle)
    kept_out = next(g for g in answer["groups"] if g["id"] == center)
    assert f"p{expert_g().pk}" not in {m["expert"] for m in kept_out["members"]}
    assert kept_out["excluded"]["potential_conflicts"] == 1
    loads = {}
    for group in answer["groups"]:
        for m in group["members"]:
            loads[m["expert"]] = loads.get(m["expert"], 0) + 1
    assert max(loads.values()) <= 2
    text = page(client, cycle)
    assert "Why this expert" in text and "declares" in text and "in last year&#x27;s group" in text


def test_confirming_waits_for_the_decision_and_then_invites_everyone(client_as, cycle, personas):
    client = client_as("hana")
    post(client, cycle, action="propose", size=6)
    proposal = latest(cycle)
    response = post(client, cycle, action="confirm", proposal=proposal.pk)
    assert (
        "wait for a decision"
        in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert not Seat.objects.filter(case__cycle=cycle).exists()
    (center,) = blocked(cycle)
    finding = Finding.objects.get(person=expert_g(), center__key=center)
    services.decide(finding, "dismissed", "Sample Expert G left in 2019.", personas["hana"])
    response = post(client, cycle, action="confirm", proposal=proposal.pk)
    shown = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "propose the working groups again" in shown
    post(client, cycle, action="propose", size=6)
    fresh = latest(cycle)
    post(client, cycle, action="confirm", proposal=fresh.pk)
    fresh.refresh_from_db()
    assert fresh.confirmed_at is not None
    seats = Seat.objects.filter(case__cycle=cycle)
    assert seats.exclude(role="program_officer").count() == 6 * cycle.cases.count()
    # each center's Program Officer in force (Ito, of IRCN, when the year supports IRCN)
    officers = {
        (c.center.key, m.person_id)
        for c in cycle.cases.select_related("center")
        for m in Membership.objects.filter(role=Role.PROGRAM_OFFICER, center=c.center).in_force(
            timezone.localdate()
        )
    }
    assert (
        set(seats.filter(role="program_officer").values_list("case__center__key", "person"))
        == officers
    )
    assert set(seats.values_list("state", flat=True)) == {"invited"}
    assert AuditEvent.objects.filter(kind="groups.confirmed").count() == 1
    # confirmed once: the same proposal is not confirmed twice
    post(client, cycle, action="confirm", proposal=fresh.pk)
    assert Seat.objects.filter(case__cycle=cycle).count() == seats.count()


def test_pins_and_exclusions_are_kept_to(client_as, cycle):
    client = client_as("hana")
    chair = Person.objects.get(family_name_en="Expert E")  # may chair
    kept_out = Person.objects.get(family_name_en="Expert A")
    one, other = (c.center for c in cycle.cases.select_related("center")[:2])
    post(client, cycle, action="pair", person=kept_out.pk, center=one.pk, kind="forbid", role="")
    post(client, cycle, action="pair", person=chair.pk, center=other.pk, kind="pin", role="chair")
    post(client, cycle, action="propose", size=6)
    groups = {g["id"]: g for g in latest(cycle).answer["groups"]}
    assert f"p{kept_out.pk}" not in {m["expert"] for m in groups[one.key]["members"]}
    assert groups[other.key]["chair"] == f"p{chair.pk}"
    assert AuditEvent.objects.filter(kind="groups.pairing_set").count() == 2
    # the proposal marks the pinned chair, bracketed as the page's language brackets
    assert '<td class="role">chair<small> (pinned)</small></td>' in page(client, cycle)
    assert '<td class="role">主査<small>（指定）</small></td>' in page(client, cycle, lang="ja")


def test_no_valid_groups_are_explained(client_as, cycle):
    for expert in Expert.objects.filter(person__from_abroad=True)[4:]:
        expert.active = False
        expert.save()
    client = client_as("hana")
    post(client, cycle, action="propose", size=8)
    answer = latest(cycle).answer
    assert answer["status"] == "infeasible"
    text = page(client, cycle)
    assert "No valid working groups" in text or "from abroad" in text
    assert answer["infeasibility"]["reasons"]
    assert "Confirm these working groups" not in text


def test_a_proposal_edited_offline_is_checked_before_it_is_kept(client_as, cycle):
    client = client_as("hana")
    problem = json.loads(client.get(f"/evaluation/{cycle.pk}/groups/problem.json").content)
    assert {g["id"] for g in problem["groups"]} == set(
        cycle.cases.values_list("center__key", flat=True)
    )
    post(client, cycle, action="propose", size=6)
    proposal = latest(cycle)
    answer = json.loads(
        client.get(f"/evaluation/{cycle.pk}/groups/proposal-{proposal.pk}.json").content
    )
    # two members swapped into a group where one has a potential conflict: refused
    (center,) = blocked(cycle)
    kept_out = next(g for g in answer["groups"] if g["id"] == center)
    kept_out["members"][-1]["expert"] = f"p{expert_g().pk}"
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Proposal.objects.count()
    bad = SimpleUploadedFile("edited.json", json.dumps(answer).encode())
    response = post(client, cycle, action="upload", proposal=bad)
    shown = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sample Expert G" in shown and Proposal.objects.count() == before
    good = SimpleUploadedFile(
        "chosen.json",
        client.get(f"/evaluation/{cycle.pk}/groups/proposal-{proposal.pk}.json").content,
    )
    post(client, cycle, action="upload", proposal=good)
    uploaded = latest(cycle)
    assert uploaded.origin == "uploaded" and uploaded.answer["status"] in ("optimal", "feasible")

    def seats(answer):
        return {(g["id"], m["expert"], m["role"]) for g in answer["groups"] for m in g["members"]}

    assert seats(uploaded.answer) == seats(proposal.answer)


def test_a_file_that_is_not_a_proposal_is_refused_naming_it(client_as, cycle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("hana")
    response = post(
        client, cycle, action="upload", proposal=SimpleUploadedFile("x.json", b"{not json")
    )
    shown = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "x.json" in shown
    assert not Proposal.objects.exists()


def test_a_seated_cycle_shows_whoever_chairs_it_whatever_their_profile_says(client_as, cycle):
    """Last year's sample follow-up is seated: a chair whose profile now says they may not
    chair is still its chair, and the page shows the cycle."""
    seated = Cycle.objects.get(is_sample=True, fiscal_year=cycle.fiscal_year - 1)
    chair = Seat.objects.filter(case__cycle=seated, role="chair").first()
    profile = Expert.objects.get(person=chair.person)
    profile.may_chair = False
    profile.save()
    client = client_as("hana")
    response = client.get(f"/evaluation/{seated.pk}/groups/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "cannot be formed" not in response.content.decode()
    assert client.get(f"/evaluation/{seated.pk}/groups/problem.json").status_code == 200


def test_seats_the_rules_cannot_hold_together_are_named_on_the_page(client_as, cycle):
    """Two chairs seated in one group (from the pool and from outside it): the page says
    which rule they break, in the page's language, instead of failing; so does the problem's
    download."""
    case = cycle.cases.first()
    from_the_pool = Expert.objects.filter(may_chair=True).first().person
    outside = Person.objects.create(family_name_en="Outside", given_name_en="Chair")
    for person in (from_the_pool, outside):
        Seat.objects.create(case=case, person=person, role="chair", state="accepted")
    client = client_as("hana")
    for lang, words in (("en", "cannot be formed as the cycle stands"), ("ja", "編成できません")):
        response = client.get(f"/evaluation/{cycle.pk}/groups/", HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200
        assert words in response.content.decode()
    download = client.get(f"/evaluation/{cycle.pk}/groups/problem.json", HTTP_ACCEPT_LANGUAGE="en")
    assert download["Location"] == f"/evaluation/{cycle.pk}/groups/"


def test_a_chair_pin_the_rules_refuse_is_refused_when_it_is_set(client_as, cycle):
    """A chair is pinned only if their profile lets them chair and the group has no other
    chair: refused with the reason in the page's language, nothing kept, and the page still
    shows the cycle (before, the pin was kept and the page failed)."""
    client = client_as("hana")
    may_not = Person.objects.get(family_name_en="Expert B")  # every fourth may chair: not B
    first, second = (Person.objects.get(family_name_en=f"Expert {x}") for x in "EI")
    center = cycle.cases.select_related("center").first().center
    refused = post(
        client, cycle, action="pair", person=may_not.pk, center=center.pk, kind="pin", role="chair"
    )
    assert (
        "Sample Expert B may not chair a working group"
        in client.get(refused["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    for person in (first, second):
        post(
            client,
            cycle,
            "ja",
            action="pair",
            person=person.pk,
            center=center.pk,
            kind="pin",
            role="chair",
        )
    text = page(client, cycle, lang="ja")
    assert f"{center.short_name}の作業部会には既に主査がいます" in text
    assert list(cycle.pairings.values_list("person", flat=True)) == [first.pk]
    assert "cannot be formed" not in page(client, cycle)


def test_a_chair_pin_a_later_change_undoes_is_named_on_the_page(client_as, cycle):
    """A chair pin that held when it was set, then a chair seated in the group and the
    pinned expert's profile changed to "may not chair": the page names both, in its language,
    with what to change."""
    client = client_as("hana")
    pinned = Person.objects.get(family_name_en="Expert E")
    case = cycle.cases.select_related("center").first()
    post(
        client,
        cycle,
        action="pair",
        person=pinned.pk,
        center=case.center.pk,
        kind="pin",
        role="chair",
    )
    assert "cannot be formed" not in page(client, cycle)
    seated = Person.objects.get(family_name_en="Expert I")
    Seat.objects.create(case=case, person=seated, role="chair", state="invited")
    profile = Expert.objects.get(person=pinned)
    profile.may_chair = False
    profile.save()
    name = case.center.short_name
    english = page(client, cycle)
    assert "cannot be formed as the cycle stands" in english
    assert (
        f"Sample Expert E is pinned as chair of {name}, but Sample Expert I is seated as its "
        "chair: remove the pin." in english
    )
    assert "their expert profile now says they may not chair" in english
    # proposing cannot help until a pin or a seat is changed, so the page does not offer it
    # (pressed anyway, it would only say again what the page already says)
    assert 'disabled aria-describedby="broken-h">Propose working groups</button>' in english
    assert "The problem (JSON)" not in english
    japanese = page(client, cycle, lang="ja")
    assert f"{name}の主査には見本 委員Iが就いています" in japanese
    assert "<td>指定（主査）</td>" in japanese  # the pin, as the table of pins writes it


def test_the_experts_to_pin_are_named_in_the_pages_language(client_as, cycle):
    expert_b = Person.objects.get(family_name_en="Expert B")
    client = client_as("hana")
    assert f'<option value="{expert_b.pk}">見本 委員B</option>' in page(client, cycle, "ja")
    assert f'<option value="{expert_b.pk}">Sample Expert B</option>' in page(client, cycle, "en")
