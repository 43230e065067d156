"""Decisions change a center's course only when they agree with its state on their date;
they are corrected or withdrawn in the web app, never silently: each change is a record of
its own, kept on the center page and in the audit trail."""

import datetime

import pytest
from django.db import connection

from kyoten.audit.models import AuditEvent
from kyoten.registry.models import Center, Decision

D = datetime.date


def post(client, path, lang="en", **fields):
    return client.post(path, fields, HTTP_ACCEPT_LANGUAGE=lang)


def record(client, center, lang="en", **fields):
    data = {"precision": "day", "source": "x", **fields}
    return post(client, f"/centers/{center}/decisions/new/", lang, **data)


@pytest.fixture
def core_center(db):
    """A WPI CORE center of the FY2024 call (the reference data holds none yet)."""
    return Center.objects.create(
        key="core-test",
        short_name="CORE-T",
        name_en="Test CORE center",
        track="core",
        selection_fiscal_year=2024,
        support_start=D(2024, 10, 1),
        field_en="testing",
    )


def _in_force(center, **fields):
    return Decision.objects.create(center=center, actor_label="test", **fields)


@pytest.mark.parametrize(
    ("center", "fields", "en", "ja"),
    [
        # the probe's case: IRCN (selected FY2017, supported to March 2027) in the Academy in 2019
        (
            "ircn",
            {"kind": "academy_admission", "date": "2019-06-01"},
            "a center joins the WPI Academy once its regular support period has ended "
            "(2027-03-31 for this center)",
            "WPIアカデミーへの移行は、通常の支援期間の終了後です（この拠点は2027-03-31まで支援中）",
        ),
        # a second admission (I2CNER joined on 1 April 2020)
        (
            "i2cner",
            {"kind": "academy_admission", "date": "2021-04-01"},
            "this center already joined the WPI Academy on 2020-04-01",
            "この拠点は2020-04-01にWPIアカデミー拠点になっています",
        ),
        # a stage gate for a center that is not WPI CORE
        (
            "ircn",
            {"kind": "stage_gate_passed", "date": "2021-04-01"},
            "only a WPI CORE center passes a stage gate",
            "ステージゲート審査はWPI COREの拠点のみです",
        ),
        # a second step-up (the fixture's center passed on 1 February 2027)
        (
            "core-test",
            {"kind": "stage_gate_passed", "date": "2028-02-01"},
            "this center already passed its stage gate on 2027-02-01",
            "この拠点は2027-02-01にステージゲート審査を通過済みです",
        ),
        # a date outside the center's support: MANA's ended on 31 March 2017
        (
            "mana",
            {"kind": "interim_evaluation", "date": "2018-01-10"},
            "this decision must take effect while the center is supported; its support ended "
            "on 2017-03-31",
            "この決定は支援期間中の日付が必要です。この拠点の支援は2017-03-31で終了しています",
        ),
        # a termination that would leave IRCN's recorded evaluation of 2021 outside support
        (
            "ircn",
            {"kind": "support_terminated", "date": "2020-04-01"},
            "this would leave the decision recorded for 2021-12-01 (interim evaluation) without "
            "effect",
            "この変更により、2021-12-01の決定（中間評価）が効力を失います",
        ),
    ],
)
def test_a_contradictory_decision_is_refused_in_both_languages_and_nothing_written(
    client_as, core_center, center, fields, en, ja
):
    _in_force(core_center, kind="stage_gate_passed", date=D(2027, 2, 1))
    _in_force(Center.objects.get(key="ircn"), kind="interim_evaluation", date=D(2021, 12, 1))
    decisions, events = Decision.objects.count(), AuditEvent.objects.count()
    client = client_as("hana")
    assert en in record(client, center, "en", **fields).content.decode()
    assert ja in record(client, center, "ja", **fields).content.decode()
    assert (Decision.objects.count(), AuditEvent.objects.count()) == (decisions, events)


def test_a_step_up_for_a_core_center_is_recorded_and_raises_its_cap(client_as, core_center):
    response = record(client_as("hana"), "core-test", kind="stage_gate_passed", date="2027-02-01")
    assert response.status_code == 302
    assert core_center.lifecycle().stage_gate_passed_fiscal_year == 2026


@pytest.fixture
def mistaken(db):
    """An interim evaluation of IRCN recorded with the wrong date."""
    return _in_force(Center.objects.get(key="ircn"), kind="interim_evaluation", date=D(2021, 1, 12))


def test_a_correction_is_a_new_record_that_supersedes_the_old(client_as, personas, mistaken):
    response = post(
        client_as("hana"),
        f"/centers/ircn/decisions/{mistaken.pk}/correct/",
        kind="interim_evaluation",
        date="2021-12-01",
        precision="day",
        source="JSPS notice of 1 Dec 2021",
    )
    assert response.status_code == 302
    mistaken.refresh_from_db()
    correction = mistaken.superseded_by
    assert mistaken.state == "superseded"
    assert (correction.state, correction.date, correction.actor) == (
        "in_force",
        D(2021, 12, 1),
        personas["hana"],
    )
    assert [d.date for d in Center.objects.get(key="ircn").decisions_in_force()] == [D(2021, 12, 1)]
    event = AuditEvent.objects.get(kind="decision.corrected")
    assert event.data["was"] == "2021-01-12"
    assert {e.model for e in event.entries.all()} == {"registry.Decision"}


def test_the_correction_form_starts_from_the_record_it_corrects(client_as, mistaken):
    page = client_as("hana").get(f"/centers/ircn/decisions/{mistaken.pk}/correct/").content
    assert b'value="2021-01-12"' in page


def test_a_decision_corrected_already_is_corrected_no_further(client_as, mistaken):
    client = client_as("hana")
    path = f"/centers/ircn/decisions/{mistaken.pk}/correct/"
    fields = {"kind": "interim_evaluation", "precision": "day", "source": "x"}
    assert post(client, path, date="2021-12-01", **fields).status_code == 302
    assert post(client, path, date="2021-12-02", **fields).status_code == 404
    assert Decision.objects.filter(center__key="ircn").count() == 2


def test_a_withdrawal_keeps_the_decision_marked_with_its_reason(client_as, mistaken):
    client = client_as("hana")
    path = f"/centers/ircn/decisions/{mistaken.pk}/withdraw/"
    assert post(client, path, reason="").status_code == 200  # a reason is required
    assert post(client, path, reason="Recorded for the wrong center.").status_code == 302
    mistaken.refresh_from_db()
    assert (mistaken.state, mistaken.withdrawal_reason) == (
        "withdrawn",
        "Recorded for the wrong center.",
    )
    assert Center.objects.get(key="ircn").decisions_in_force() == []
    event = AuditEvent.objects.get(kind="decision.withdrawn")
    assert event.data["reason"] == "Recorded for the wrong center."
    office = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "取り下げ" in office and "Recorded for the wrong center." in office
    client.logout()
    public = client.get("/centers/ircn/").content.decode()
    assert "Recorded for the wrong center." not in public


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "this would leave the decision recorded for 2019-06-01 (interim evaluation)"),
        ("ja", "この変更により、2019-06-01の決定（中間評価）が効力を失います"),
    ],
)
def test_a_withdrawal_that_would_strand_a_later_decision_is_refused(client_as, lang, message):
    """Kavli IPMU's 2019 evaluation falls in its extension: the extension stays."""
    ipmu = Center.objects.get(key="kavli-ipmu")
    _in_force(ipmu, kind="interim_evaluation", date=D(2019, 6, 1))
    extension = ipmu.decisions.get(kind="extension")
    before = AuditEvent.objects.count()
    response = post(
        client_as("hana"),
        f"/centers/kavli-ipmu/decisions/{extension.pk}/withdraw/",
        lang,
        reason="test",
    )
    assert message in response.content.decode()
    extension.refresh_from_db()
    assert extension.state == "in_force"
    assert AuditEvent.objects.count() == before


def test_two_decisions_in_force_cannot_share_kind_and_date(db, mistaken):
    """The database refuses a duplicate in force, whatever wrote it; a corrected one does not
    count."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _in_force(mistaken.center, kind=mistaken.kind, date=mistaken.date)
    mistaken.state = "superseded"
    mistaken.save()
    _in_force(mistaken.center, kind=mistaken.kind, date=mistaken.date)
    assert connection.vendor in ("sqlite", "postgresql")
