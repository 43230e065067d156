"""Every change is recorded: who, when, what, before and after; readable by the program office."""

import pytest

from kyoten.audit.models import AuditEntry, AuditEvent
from kyoten.registry.models import Center, Decision
from web.conftest import record_conflict


def test_recording_a_decision_is_audited_with_its_author(client_as, personas):
    response = client_as("hana").post(
        "/centers/qup/decisions/new/",
        {
            "kind": "interim_evaluation",
            "date": "2026-01-15",
            "precision": "day",
            "summary": "Interim evaluation held.",
            "source": "JSPS follow-up report FY2025",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(center__key="qup", kind="interim_evaluation")
    assert decision.actor == personas["hana"]
    assert decision.sources == ["JSPS follow-up report FY2025"]
    entry = AuditEntry.objects.filter(model="registry.Decision", action="create").first()
    assert entry.actor == personas["hana"]
    assert entry.actor_label == "hana"
    assert entry.before is None
    assert entry.after["kind"] == "interim_evaluation"


def test_a_duplicate_decision_is_refused_with_a_message(client_as):
    data = {
        "kind": "academy_admission",
        "date": "2020-04-01",
        "precision": "day",
        "source": "x",
    }
    client = client_as("hana")
    response = client.post("/centers/i2cner/decisions/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    response = client.post("/centers/i2cner/decisions/new/", data, HTTP_ACCEPT_LANGUAGE="ja")
    assert "すでに記録されています" in response.content.decode()


def test_an_extension_without_years_is_refused(client_as):
    data = {"kind": "extension", "date": "2026-01-15", "precision": "day", "source": "x"}
    client = client_as("hana")
    response = client.post("/centers/qup/decisions/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "an extension needs its length in years" in response.content.decode()
    response = client.post("/centers/qup/decisions/new/", data, HTTP_ACCEPT_LANGUAGE="ja")
    assert "延長には年数が必要です" in response.content.decode()


def test_an_admin_edit_records_before_and_after(client_as):
    client = client_as("hana")
    center = Center.objects.get(key="qup")
    page = client.get(f"/admin/registry/center/{center.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(
        {
            "director": "Toshiyuki Azuma",
            "sources": '["https://www.kek.jp/?p=42511"]',
            "caveats": "[]",
            "links_set-TOTAL_FORMS": "0",
            "links_set-INITIAL_FORMS": "0",
        }
    )
    response = client.post(f"/admin/registry/center/{center.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.filter(model="registry.Center", action="update").first()
    assert entry.before["director"].startswith("Masashi Hazumi")
    assert entry.after["director"] == "Toshiyuki Azuma"
    assert ("director", entry.before["director"], "Toshiyuki Azuma") in entry.changes()


def test_the_audit_page_lists_changes_in_words_with_their_details(client_as):
    Decision.objects.filter(center__key="elsi").delete()
    page = client_as("hana").get("/audit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "system deleted the decision “ELSI " in page
    assert "decision: academy_admission → —" in page  # the field by its name, folded


def test_password_hashes_never_enter_the_trail(personas):
    user = personas["olivia"]
    user.set_password("another long password 99")
    user.save()
    entry = AuditEntry.objects.filter(model="auth.User", object_pk=str(user.pk)).first()
    assert entry.after["password"] == "(hidden)"


def test_the_back_office_refuses_a_start_before_the_selection_year(db):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    center = Center.objects.get(key="qup")
    center.support_start = center.support_start.replace(year=2019)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="before the fiscal year of selection"),
    ):
        center.full_clean()


def test_a_change_after_login_is_attributed_to_the_user_who_logged_in(client, db):
    """A login itself leaves no entry (only last_login changes); what the user does next
    is theirs."""
    from django.contrib.auth import get_user_model

    from kyoten.accounts.models import Role
    from kyoten.accounts.services import grant

    from .conftest import PASSWORD

    user = get_user_model().objects.create_user("aiko", password=PASSWORD)
    grant(user, Role.PROGRAM_OFFICE)
    before = AuditEntry.objects.count()
    client.post("/accounts/login/", {"username": "aiko", "password": PASSWORD})
    assert AuditEntry.objects.count() == before
    client.post(
        "/centers/qup/decisions/new/",
        {"kind": "interim_evaluation", "date": "2026-01-15", "precision": "day", "source": "x"},
    )
    entry = AuditEntry.objects.filter(model="registry.Decision").first()
    assert entry.actor == user


def test_a_conflict_of_interest_recorded_is_audited(personas):
    finding = record_conflict(personas["mori"].person, "aimec")
    event = AuditEvent.objects.get(kind="conflict.declared", center__key="aimec")
    entry = event.entries.get(model="conflicts.Finding")
    aimec = Center.objects.get(key="aimec").pk
    assert (event.center_id, entry.object_pk, entry.before) == (aimec, str(finding.pk), None)
    assert (entry.after["status"], entry.after["rule"]) == ("confirmed", "recorded")


def test_a_write_past_the_audit_trail_fails_in_the_tests(db):
    """The guard of conftest.writes_are_audited: bulk updates of audited models are refused."""
    with pytest.raises(AssertionError, match="bypasses the audit trail"):
        Center.objects.filter(key="ircn").update(director="x")
    with pytest.raises(AssertionError, match="bypasses the audit trail"):
        Decision.objects.bulk_create([])
