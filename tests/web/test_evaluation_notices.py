"""The evaluation's e-mail (Japanese, then English) and its command line: an invitation to
a working group, the results published, the day's reminders sent once; opening, exporting
and publishing from a script with the same roles and checks as the pages."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kyoten.cli import main
from kyoten.evaluation import notices, services
from kyoten.evaluation.models import Cycle
from kyoten.registry.models import Center

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def with_address(user):
    user.email = f"{user.username}@example.org"
    user.save()
    return user


@pytest.fixture
def cycle(personas):
    """IRCN's interim evaluation under way: its review phase ends three days from today, the
    committee phase opens the day after."""
    review_ends = TODAY + 3 * DAY
    spans = [
        (TODAY - 60 * DAY, TODAY - 31 * DAY),
        (TODAY - 30 * DAY, review_ends),
        (review_ends + DAY, review_ends + 10 * DAY),
        (review_ends + 11 * DAY, review_ends + 20 * DAY),
        (review_ends + 21 * DAY, review_ends + 30 * DAY),
    ]
    return services.open_cycle(
        cycle_type="interim_evaluation",
        fiscal_year=2021,
        center=Center.objects.get(key="ircn"),
        phases=[(p.id, *span) for p, span in zip(services.data().phases, spans, strict=True)],
        by=personas["hana"],
    )


def test_an_invitation_is_mailed_in_both_languages(
    personas, cycle, django_capture_on_commit_callbacks
):
    with_address(personas["emma"])
    with django_capture_on_commit_callbacks(execute=True):
        services.seat(cycle.cases.get(), personas["emma"].person, "member", personas["hana"])
    [message] = mail.outbox
    assert message.to == ["emma@example.org"]
    assert "IRCN作業部会の委員をお願いしたく" in message.body
    assert "working group of IRCN for the Interim evaluation of FY2021" in message.body
    assert message.body.index("様") < message.body.index("Dear")  # Japanese first
    assert f"/evaluation/cases/{cycle.cases.get().pk}/" in message.body


def test_reminders_go_once_to_the_members_whose_review_is_not_in(
    personas, cycle, django_capture_on_commit_callbacks
):
    case = cycle.cases.get()
    for name in ("emma", "mori"):
        with_address(personas[name])
        seat = services.seat(case, personas[name].person, "member", personas["hana"])
        services.respond(seat, True, personas[name])
        services.confirm_no_conflict(seat, personas[name])
    keys = cycle.rubric_data().perspective_keys()
    services.save_review(
        case.seats.get(person=personas["mori"].person),
        {"grades": dict.fromkeys(keys, "A"), "overall": "A", "language": "en"},
        submit=True,
        by=personas["mori"],
    )
    mail.outbox.clear()
    assert notices.remind(TODAY) == 1
    [message] = mail.outbox
    assert message.to == ["emma@example.org"]
    assert "IRCNの評価書の提出期限は" in message.body and "is due on" in message.body
    assert notices.remind(TODAY) == 0  # once
    assert len(mail.outbox) == 1


def test_the_committee_phase_opening_is_announced_to_the_group(personas, cycle):
    case = cycle.cases.get()
    with_address(personas["emma"])
    services.seat(case, personas["emma"].person, "member", personas["hana"])
    mail.outbox.clear()
    opening = cycle.phases.get(phase="committee").starts
    assert notices.remind(opening) == 1
    assert "Committee meeting" in mail.outbox[0].body


def test_publication_is_mailed_to_the_center_office(
    personas, cycle, django_capture_on_commit_callbacks
):
    with_address(personas["ken"])
    services.record_result(
        cycle.cases.get(),
        rating="A",
        outcome="continue",
        decided_on=datetime.date(2021, 12, 14),
        comments_en="On track.",
        comments_ja="",
        points=[],
        by=personas["hana"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(cycle, personas["hana"])
    [message] = mail.outbox
    assert message.to == ["ken@example.org"]
    assert (
        "/centers/ircn/" in message.body
        and f"/evaluation/{cycle.pk}/results-ja.pdf" in message.body
    )


PHASES = [
    "--phase", "materials=2025-05-01..2025-06-30",
    "--phase", "review=2025-07-01..2025-09-30",
    "--phase", "committee=2025-10-01..2025-10-31",
    "--phase", "consolidation=2025-11-01..2025-12-15",
    "--phase", "publication=2025-12-16..2026-01-31",
]  # fmt: skip


def test_the_office_opens_exports_and_publishes_from_the_command_line(personas, tmp_path, capsys):
    code = main(
        [
            "evaluation",
            "open",
            "--as",
            "hana",
            "--type",
            "annual_follow_up",
            "--fiscal-year",
            "2025",
            *PHASES,
        ]
    )
    assert code == 0
    cycle = Cycle.objects.get()
    assert cycle.actor == personas["hana"] and cycle.cases.filter(center__key="ircn").exists()
    out = tmp_path / "grades.xlsx"
    assert (
        main(
            [
                "evaluation",
                "export",
                str(cycle.pk),
                "--as",
                "hana",
                "--format",
                "xlsx",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes().startswith(b"PK")
    # publishing waits for the committee's results, and says so
    capsys.readouterr()
    assert main(["evaluation", "publish", str(cycle.pk), "--as", "hana", "--lang", "ja"]) == 1
    assert "委員会評価結果が未記録です" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        # a user without the office's role
        (["evaluation", "open", "--as", "mori", "--type", "annual_follow_up", "--fiscal-year", "2025", *PHASES], 1, "may not do this"),
        # an evaluation the lifecycle does not allow
        (["evaluation", "open", "--as", "hana", "--type", "stage_gate_review", "--fiscal-year", "2025", "--center", "IRCN", *PHASES], 1, "only a WPI CORE center"),
        # phases missing
        (["evaluation", "open", "--as", "hana", "--type", "annual_follow_up", "--fiscal-year", "2025", *PHASES[:4]], 1, "give every phase once, in order"),
        # a date that is not one
        (["evaluation", "open", "--as", "hana", "--type", "annual_follow_up", "--fiscal-year", "2025", "--phase", "materials=2025-05-01..soon"], 2, "PHASE=FROM..UNTIL"),
    ],
)  # fmt: skip
def test_the_command_line_refuses_what_the_pages_refuse(personas, capsys, argv, code, message):
    assert main([*argv, "--lang", "en"]) == code
    assert message in capsys.readouterr().err
    assert not Cycle.objects.exists()


API_PHASES = {
    "materials": ["2025-05-01", "2025-06-30"],
    "review": ["2025-07-01", "2025-09-30"],
    "committee": ["2025-10-01", "2025-10-31"],
    "consolidation": ["2025-11-01", "2025-12-15"],
    "publication": ["2025-12-16", "2026-01-31"],
}


def api(client, path, body=None):
    import json

    if body is None:
        return client.post(path)
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_script_opens_reads_and_publishes_through_the_api(client_as, personas):
    client = client_as("hana")
    body = {"cycle_type": "annual_follow_up", "fiscal_year": 2025, "phases": API_PHASES}
    response = api(client, "/api/evaluation/cycles/", body)
    assert response.status_code == 201
    opened = response.json()
    assert opened["phases"]["review"] == ["2025-07-01", "2025-09-30"]
    assert "IRCN" in {c["center"] for c in opened["cases"]}
    assert client.get(f"/api/evaluation/cycles/{opened['id']}/").json()["id"] == opened["id"]
    refused = api(client, f"/api/evaluation/cycles/{opened['id']}/publish/")
    assert refused.status_code == 409
    assert "is missing for" in refused.json()["message"]["en"]
    assert "委員会評価結果が未記録です" in refused.json()["message"]["ja"]


@pytest.mark.parametrize(
    ("persona", "body", "status", "en", "ja"),
    [
        ("anonymous", {}, 401, "Log in first.", "ログイン"),
        ("mori", {}, 403, "Only the program office", "プログラム事務局"),
        ("hana", {"cycle_type": "annual_follow_up"}, 400, "Send a JSON object", "JSON"),
        (
            "hana",
            {"cycle_type": "stage_gate_review", "fiscal_year": 2025, "center": "IRCN", "phases": API_PHASES},
            409,
            "only a WPI CORE center has a stage-gate review",
            "ステージゲート審査はWPI COREの拠点のみです",
        ),
    ],
)  # fmt: skip
def test_the_api_refuses_in_both_languages_and_writes_nothing(
    client_as, personas, persona, body, status, en, ja
):
    response = api(client_as(persona), "/api/evaluation/cycles/", body)
    assert response.status_code == status
    assert en in response.json()["message"]["en"] and ja in response.json()["message"]["ja"]
    assert not Cycle.objects.exists()
