"""Every route × every persona, as one data table; a route missing from it fails the walk.

The personas (see conftest): hana (program office), ken (IRCN's center office), mori
(committee), sato (committee, a conflict of interest with IRCN), ito (IRCN's Program
Officer), emma (an expert of IRCN's working group), olivia (an account without a role) and
an anonymous visitor. IRCN is the center of ken, ito and emma; QUP and AIMEC are not.

Refused means: an anonymous visitor is sent to log in ("login"; 401 from the API); anyone
else gets 403 for a page addressed by a center's public code and 404 for an object addressed
by its number, exactly as for a number that does not exist (see kyoten.accounts.permissions).
A refused POST changes nothing.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kyoten.audit.models import AuditEntry
from kyoten.conflicts.models import Finding, Proposal
from kyoten.people.models import Person
from kyoten.registry.models import Decision
from web.conftest import PERSONAS

# name of the route, method, address, then the answer for each persona in PERSONAS order:
#                                                   hana  ken   mori  sato  ito   emma  olivia anon
ROUTES = [
    # public pages
    ("overview", "get", "/", "200 200 200 200 200 200 200 200"),
    ("centers", "get", "/centers/", "200 200 200 200 200 200 200 200"),
    ("center", "get", "/centers/ircn/", "200 200 200 200 200 200 200 200"),
    ("rulebook", "get", "/rulebook/?fy=2007&track=wpi", "200 200 200 200 200 200 200 200"),
    ("check", "get", "/check/", "200 200 200 200 200 200 200 200"),
    ("login", "get", "/accounts/login/", "200 200 200 200 200 200 200 200"),
    ("logout", "post", "/accounts/logout/", "302 302 302 302 302 302 302 302"),
    ("set_language", "post", "/i18n/setlang/", "302 302 302 302 302 302 302 302"),
    # the committee's page: the program office, committee members and Program Officers
    ("committee", "get", "/committee/", "200 403 200 200 200 403 403 login"),
    # plans: the program office, and a center's office for its own center
    ("plan-upload", "get", "/centers/ircn/plans/", "200 200 403 403 403 403 403 login"),
    ("plan-upload", "get", "/centers/aimec/plans/", "200 403 403 403 403 403 403 login"),
    ("plan-upload", "post", "/centers/aimec/plans/", "200 403 403 403 403 403 403 login"),
    # decisions, the audit trail and the back office: the program office
    ("decision-new", "get", "/centers/ircn/decisions/new/", "200 403 403 403 403 403 403 login"),
    ("decision-new", "post", "/centers/ircn/decisions/new/", "200 403 403 403 403 403 403 login"),
    # correcting or withdrawing a decision in force (Kavli IPMU's extension); the number
    # under another center's code, or a decision no longer in force, is not found
    (
        "decision-correct",
        "get",
        "/centers/kavli-ipmu/decisions/{extension}/correct/",
        "200 403 403 403 403 403 403 login",
    ),
    (
        "decision-correct",
        "post",
        "/centers/kavli-ipmu/decisions/{extension}/correct/",
        "200 403 403 403 403 403 403 login",
    ),
    (
        "decision-correct",
        "get",
        "/centers/ircn/decisions/{extension}/correct/",
        "404 403 403 403 403 403 403 login",
    ),
    (
        "decision-withdraw",
        "get",
        "/centers/kavli-ipmu/decisions/{extension}/withdraw/",
        "200 403 403 403 403 403 403 login",
    ),
    (
        "decision-withdraw",
        "post",
        "/centers/kavli-ipmu/decisions/{extension}/withdraw/",
        "200 403 403 403 403 403 403 login",
    ),
    # grants decided and their amendments: entered by the program office
    ("grant-new", "get", "/centers/ircn/grants/new/", "200 403 403 403 403 403 403 login"),
    ("grant-new", "post", "/centers/ircn/grants/new/", "200 403 403 403 403 403 403 login"),
    # evaluation (the FY2025 follow-up: Mori chairs IRCN's working group, Emma is a member
    # whose review is submitted, Ito the PO): the cycles for those who follow centers; a
    # case for the office, its PO, overseers and its seated experts, never for a conflict
    # each person's tasks (the home page after logging in); the points to improve of the
    # centers one follows (IRCN's R-1 below)
    ("tasks", "get", "/tasks/", "200 200 200 200 200 200 200 login"),
    ("recommendations", "get", "/evaluation/recommendations/", "200 200 200 200 200 200 403 login"),
    (
        "recommendation-update",
        "post",
        "/evaluation/recommendations/{recommendation}/",
        "302 404 404 404 404 404 404 login",
    ),
    # the evaluation's JSON API: the program office; 401 to an anonymous visitor
    ("api-cycles", "post", "/api/evaluation/cycles/", "400 403 403 403 403 403 403 401"),
    ("api-cycle", "get", "/api/evaluation/cycles/{cycle}/", "200 403 403 403 403 403 403 401"),
    (
        "api-cycle-publish",
        "post",
        "/api/evaluation/cycles/{cycle}/publish/",
        "409 403 403 403 403 403 403 401",
    ),
    ("cycles", "get", "/evaluation/", "200 403 200 200 200 200 403 login"),
    ("cycle-new", "get", "/evaluation/new/", "200 403 403 403 403 403 403 login"),
    ("cycle-new", "post", "/evaluation/new/", "200 403 403 403 403 403 403 login"),
    ("cycle", "get", "/evaluation/{cycle}/", "200 404 200 200 200 200 404 login"),
    ("cycle", "get", "/evaluation/999999/", "404 404 404 404 404 404 404 login"),
    ("cycle-publish", "post", "/evaluation/{cycle}/publish/", "302 403 403 403 403 403 403 login"),
    # the results as PDF: before publication, a preview for the office only
    ("cycle-pdf", "get", "/evaluation/{cycle}/results-ja.pdf", "200 404 404 404 404 404 404 login"),
    ("cycle-export", "get", "/evaluation/{cycle}/export.xlsx", "200 403 403 403 403 403 403 login"),
    # forming the working groups with the optimiser: the program office
    ("cycle-groups", "get", "/evaluation/{cycle}/groups/", "200 404 404 404 404 404 404 login"),
    ("cycle-groups", "post", "/evaluation/{cycle}/groups/", "302 404 404 404 404 404 404 login"),
    (
        "cycle-groups-problem",
        "get",
        "/evaluation/{cycle}/groups/problem.json",
        "200 404 404 404 404 404 404 login",
    ),
    (
        "cycle-groups-proposal",
        "get",
        "/evaluation/{cycle}/groups/proposal-{proposal}.json",
        "200 404 404 404 404 404 404 login",
    ),
    (
        "cycle-groups-proposal",
        "get",
        "/evaluation/{cycle}/groups/proposal-999999.json",
        "404 404 404 404 404 404 404 login",
    ),
    ("case", "get", "/evaluation/cases/{case}/", "200 404 200 404 200 200 404 login"),
    ("case", "get", "/evaluation/cases/{qup_case}/", "200 404 200 200 404 404 404 login"),
    ("case-seat", "post", "/evaluation/cases/{case}/seats/", "302 404 404 404 404 404 404 login"),
    ("case-pin", "post", "/evaluation/cases/{case}/pin/", "302 404 404 404 404 404 404 login"),
    ("case-review", "get", "/evaluation/cases/{case}/review/", "404 404 200 404 404 200 404 login"),
    (
        "case-review",
        "post",
        "/evaluation/cases/{case}/review/",
        "404 404 200 404 404 200 404 login",
    ),
    (
        "case-consolidate",
        "post",
        "/evaluation/cases/{case}/consolidation/",
        "302 404 302 404 302 404 404 login",
    ),
    ("case-result", "get", "/evaluation/cases/{case}/result/", "200 404 404 404 404 404 404 login"),
    (
        "case-result",
        "post",
        "/evaluation/cases/{case}/result/",
        "200 404 404 404 404 404 404 login",
    ),
    # documents: the office, the PO and the center's office supply them; readers of the case
    # download them (the center its own kinds)
    (
        "case-documents",
        "get",
        "/evaluation/cases/{case}/documents/",
        "200 200 404 404 200 404 404 login",
    ),
    (
        "case-documents",
        "post",
        "/evaluation/cases/{case}/documents/",
        "200 200 404 404 200 404 404 login",
    ),
    ("document", "get", "/evaluation/documents/{document}/", "200 404 200 404 200 200 404 login"),
    ("visit-new", "get", "/evaluation/cases/{case}/visits/", "200 404 404 404 200 404 404 login"),
    ("visit-new", "post", "/evaluation/cases/{case}/visits/", "200 404 404 404 200 404 404 login"),
    ("visit", "get", "/evaluation/visits/{visit}/", "200 404 200 404 200 200 404 login"),
    ("visit", "post", "/evaluation/visits/{visit}/", "200 404 404 404 200 404 404 login"),
    ("visit-ics", "get", "/evaluation/visits/{visit}.ics", "200 404 200 404 200 200 404 login"),
    (
        "seat-answer",
        "post",
        "/evaluation/seats/{seat}/answer/",
        "404 404 404 404 404 302 404 login",
    ),
    (
        "seat-conflict",
        "post",
        "/evaluation/seats/{seat}/conflict/",
        "404 404 404 404 404 302 404 login",
    ),
    (
        "review-reopen",
        "post",
        "/evaluation/reviews/{review}/reopen/",
        "302 404 404 404 302 404 404 login",
    ),
    # conflicts of interest: the register for the office, the PD/DPD and the POs (each
    # finding deciding for itself: IRCN's for Ito, its PO); a person's own finding (Sato's
    # recorded conflict with IRCN) for them; declaring one's own for anyone with a role
    ("findings", "get", "/conflicts/", "200 403 403 403 200 403 403 login"),
    ("finding", "get", "/conflicts/{finding}/", "200 404 404 404 200 404 404 login"),
    ("finding", "post", "/conflicts/{finding}/", "200 404 404 404 200 404 404 login"),
    ("finding", "get", "/conflicts/{sato_finding}/", "200 404 404 200 200 404 404 login"),
    ("finding", "post", "/conflicts/{sato_finding}/", "200 404 404 404 200 404 404 login"),
    ("finding", "get", "/conflicts/999999/", "404 404 404 404 404 404 404 login"),
    ("findings-detect", "post", "/conflicts/detect/", "302 403 403 403 403 403 403 login"),
    ("findings-record", "post", "/conflicts/record/", "302 403 403 403 403 403 403 login"),
    ("findings-mine", "get", "/conflicts/mine/", "200 200 200 200 200 200 403 login"),
    ("findings-mine", "post", "/conflicts/mine/", "200 200 200 200 200 200 403 login"),
    # the expert pool: the program office
    ("person-expert", "get", "/people/{hamaguchi}/expert/", "200 404 404 404 404 404 404 login"),
    ("person-expert", "post", "/people/{hamaguchi}/expert/", "200 404 404 404 404 404 404 login"),
    ("audit", "get", "/audit/", "200 403 403 403 403 403 403 login"),
    ("audit-export", "get", "/audit/export.csv", "200 403 403 403 403 403 403 login"),
    ("admin:*", "get", "/admin/", "200 login login login login login login login"),
    (
        "admin:*",
        "get",
        "/admin/registry/decision/",
        "200 login login login login login login login",
    ),
    # a center's reports: the program office, committee members (not for a conflict), the
    # center's PO, working group and office
    ("center-reports", "get", "/centers/ircn/reports/", "200 200 200 403 200 200 403 login"),
    ("center-reports", "get", "/centers/qup/reports/", "200 403 200 200 403 403 403 login"),
    ("report", "get", "/reports/{ircn}/", "200 200 200 404 200 200 404 login"),
    ("report", "get", "/reports/{qup}/", "200 404 200 200 404 404 404 login"),
    ("report", "get", "/reports/999999/", "404 404 404 404 404 404 404 login"),
    (
        "report-version",
        "get",
        "/reports/{ircn}/versions/1.json",
        "200 200 200 404 200 200 404 login",
    ),
    (
        "report-version",
        "get",
        "/reports/{ircn}/versions/1.zip",
        "200 200 200 404 200 200 404 login",
    ),
    (
        "report-version",
        "get",
        "/reports/{qup}/versions/1.xlsx",
        "200 404 200 200 404 404 404 login",
    ),
    # templates, uploads and submitting: the program office and the center's own office
    (
        "report-template",
        "get",
        "/centers/ircn/reports/template/?fiscal_year=2024",
        "200 200 403 403 403 403 403 login",
    ),
    ("report-upload", "post", "/centers/ircn/reports/upload/", "200 200 403 403 403 403 403 login"),
    ("report-upload", "post", "/centers/qup/reports/upload/", "200 403 403 403 403 403 403 login"),
    # submitting (and accepting, returning) asks for confirmation: the page, then its form
    ("report-action", "get", "/reports/{ircn}/submit/", "200 200 403 404 403 403 404 login"),
    ("report-action", "post", "/reports/{ircn}/submit/", "200 200 403 404 403 403 404 login"),
    (
        "api-report-upload",
        "post",
        "/api/centers/ircn/reports/2024/",
        "400 400 403 403 403 403 403 401",
    ),
    # the narrative and the appendices: written by the program office and the center's own
    # office, read (and the whole report as a PDF) by the report's readers
    (
        "report-narrative",
        "get",
        "/centers/ircn/reports/narrative/?fiscal_year=2024",
        "200 200 403 403 403 403 403 login",
    ),
    (
        "report-narrative",
        "get",
        "/centers/qup/reports/narrative/?fiscal_year=2024",
        "200 403 403 403 403 403 403 login",
    ),
    (
        "report-narrative",
        "post",
        "/centers/ircn/reports/narrative/?fiscal_year=2024",
        "200 200 403 403 403 403 403 login",
    ),
    (
        "report-appendix-upload",
        "post",
        "/centers/ircn/reports/appendices/?fiscal_year=2024",
        "400 400 403 403 403 403 403 login",
    ),
    (
        "report-appendix",
        "get",
        "/reports/{ircn}/appendices/{appendix}/",
        "200 200 200 404 200 200 404 login",
    ),
    (
        "report-appendix-remove",
        "post",
        "/reports/{ircn}/appendices/{appendix}/remove/",
        "302 302 403 404 403 403 404 login",
    ),
    ("report-pdf", "get", "/reports/{ircn}/versions/2.ja.pdf", "200 200 200 404 200 200 404 login"),
    ("report-pdf", "get", "/reports/{qup}/versions/1.en.pdf", "200 404 200 200 404 404 404 login"),
    # the office's inbox of reports and the due dates: the program office
    ("report-inbox", "get", "/reports/inbox/", "200 403 403 403 403 403 403 login"),
    ("report-deadlines", "get", "/reports/deadlines/", "200 403 403 403 403 403 403 login"),
    ("report-deadlines", "post", "/reports/deadlines/", "400 403 403 403 403 403 403 login"),
    # the registry of persons: the program office
    ("people", "get", "/people/?q=Hamaguchi", "200 403 403 403 403 403 403 login"),
    ("person", "get", "/people/{hamaguchi}/", "200 404 404 404 404 404 404 login"),
    ("person", "get", "/people/999999/", "404 404 404 404 404 404 404 login"),
    # accounts: the program office; an account addressed by its number is 404 for anyone else
    ("accounts", "get", "/accounts/", "200 403 403 403 403 403 403 login"),
    ("account-invite", "get", "/accounts/invite/", "200 403 403 403 403 403 403 login"),
    ("account-invite", "post", "/accounts/invite/", "200 403 403 403 403 403 403 login"),
    ("account", "get", "/accounts/{ken}/", "200 404 404 404 404 404 404 login"),
    ("account", "get", "/accounts/999999/", "404 404 404 404 404 404 404 login"),
    ("account-role", "post", "/accounts/{ken}/role/", "302 404 404 404 404 404 404 login"),
    ("account-active", "post", "/accounts/{ken}/active/", "302 404 404 404 404 404 404 login"),
    (
        "account-reinvite",
        "post",
        "/accounts/{ken}/invitation/",
        "302 404 404 404 404 404 404 login",
    ),
    # an invitation's link: anyone (the token decides; this one is no token)
    ("account-welcome", "get", "/accounts/welcome/MQ/none/", "200 200 200 200 200 200 200 200"),
    # the comparison of all centers: the program office and committee members
    ("reports-compare", "get", "/reports/compare/", "200 403 200 200 403 403 403 login"),
    (
        "report-comparison",
        "get",
        "/reports/compare.csv?fiscal_year=2024",
        "200 403 200 200 403 403 403 login",
    ),
]


def route_names(patterns=None, namespace=""):
    """The name of every route the site serves (a namespace's routes as ``namespace:*``)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace:
                names.add(f"{pattern.namespace}:*")
            else:
                names |= route_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"the route {pattern.pattern} has no name"
            names.add(pattern.name)
    return names


def test_every_route_is_in_the_table():
    tabled = {name for name, *_ in ROUTES}
    assert route_names() - tabled == set(), "routes the table does not cover"
    assert tabled - route_names() == set(), "rows naming a route that does not exist"


CASES = [
    pytest.param(method, url, persona, answer, id=f"{method} {url} {persona}")
    for _, method, url, answers in ROUTES
    for persona, answer in zip(PERSONAS, answers.split(), strict=True)
]


@pytest.fixture
def evaluation(personas):
    """The FY2025 follow-up with IRCN's working group seated and Emma's review submitted."""
    from kyoten.evaluation import services
    from kyoten.evaluation.models import Recommendation, Visit

    day = datetime.date(2025, 6, 1)
    cycle = services.open_cycle(
        cycle_type="annual_follow_up",
        fiscal_year=2025,
        center=None,
        phases=[(p.id, day, day) for p in services.data().phases],
        by=personas["hana"],
    )
    case = cycle.cases.get(center__key="ircn")
    seats = {}
    for name, role in (("mori", "chair"), ("emma", "member"), ("ito", "program_officer")):
        seats[name] = services.seat(case, personas[name].person, role, personas["hana"])
        services.respond(seats[name], True, personas[name])
        services.confirm_no_conflict(seats[name], personas[name])
    keys = cycle.rubric_data().perspective_keys()
    review = services.save_review(
        seats["emma"],
        {"grades": dict.fromkeys(keys, "A"), "overall": "A", "language": "en"},
        submit=True,
        by=personas["emma"],
    )
    visit = Visit.objects.create(
        case=case,
        starts_at=datetime.datetime(2025, 7, 14, 1, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 7, 14, 8, tzinfo=datetime.UTC),
        mode="online",
        link="https://meet.example.org/x",
    )
    recommendation = Recommendation.objects.create(
        case=case, center=case.center, number=1, text_en="Recruit PIs from abroad."
    )
    document = services.upload_document(
        case,
        "po_report",
        "po.pdf",
        b"%PDF-1.7\n%%EOF\n",
        supplier="program_officer",
        by=personas["ito"],
    )
    hamaguchi = Person.objects.get(family_name_en="Hamaguchi")
    finding = Finding.objects.create(
        rule="coauthorship",
        rules_version="coi-2026@1",
        person=hamaguchi,
        center=case.center,
        status="potential",
        identified_by="name",
        found_on=day,
        detected=True,
    )
    proposal = Proposal.objects.create(
        cycle=cycle, size=6, origin="solver", problem={}, answer={"status": "infeasible"}
    )
    return {
        "proposal": proposal.pk,
        "finding": finding.pk,
        "sato_finding": Finding.objects.get(person=personas["sato"].person).pk,
        "document": document.pk,
        "recommendation": recommendation.pk,
        "visit": visit.pk,
        "cycle": cycle.pk,
        "case": case.pk,
        "qup_case": cycle.cases.get(center__key="qup").pk,
        "seat": seats["emma"].pk,
        "review": review.pk,
    }


@pytest.fixture
def appendix(personas, reports):
    """A PDF attached to IRCN's FY2024 report (its version 2)."""
    from kyoten.registry.models import Center
    from kyoten.submissions import services

    attached = services.attach_appendix(
        Center.objects.get(key="ircn"),
        2024,
        "Appendix 1: Papers",
        "papers.pdf",
        b"%PDF-1.7\n%%EOF\n",
        personas["ken"],
        datetime.date(2026, 12, 1),
    )
    return attached.pk


@pytest.mark.parametrize(("method", "url", "persona", "answer"), CASES)
def test_route_answers_each_persona(
    client_as, personas, reports, evaluation, appendix, method, url, persona, answer
):
    client = client_as(persona)
    before = AuditEntry.objects.count()
    hamaguchi = Person.objects.get(family_name_en="Hamaguchi").pk
    extension = Decision.objects.get(center__key="kavli-ipmu", kind="extension").pk
    address = url.format(
        **reports,
        **evaluation,
        ken=personas["ken"].pk,
        hamaguchi=hamaguchi,
        extension=extension,
        appendix=appendix,
    )
    response = getattr(client, method)(address)
    if answer == "login":
        assert response.status_code == 302
        assert "/login/?next=" in response["Location"]
    else:
        assert response.status_code == int(answer)
    if method == "post" and answer in ("login", "401", "403", "404"):
        assert AuditEntry.objects.count() == before, "a refused POST changed something"
