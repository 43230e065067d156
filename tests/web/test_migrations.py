"""An installation of the previous release migrates with its data: a fresh database is
migrated to the schema as it was before roles belonged to persons, rows are written as that
release wrote them, and the migrations of today run over them — on SQLite, and on PostgreSQL
when the suite runs there."""

import json
import os
import subprocess
import sys
import uuid

from django.conf import settings

# the newest migration of each app in the release before this one
RELEASE = [
    ("auth", "0012_alter_user_first_name_max_length"),
    ("audit", "0002_change_counter"),
    ("registry", "0003_institution_names"),
    ("accounts", "0002_membership_conflicts"),
    ("submissions", "0001_initial"),
    ("outcomes", "0001_initial"),
]

# rows as the release wrote them (plain SQL: its models are gone)
ROWS = """
INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email,
  is_staff, is_active, date_joined)
  VALUES (1, '!', FALSE, 'office', '', '', '', FALSE, TRUE, '2025-04-01 00:00:00'),
         (2, '!', FALSE, 'mori', 'Kenji', 'Mori', '', FALSE, TRUE, '2025-04-01 00:00:00'),
         (3, '!', FALSE, '{long}', '', '', '', FALSE, TRUE, '2025-04-01 00:00:00');
INSERT INTO registry_center (id, sources, caveats, key, short_name, name_en, name_ja, track,
  selection_fiscal_year, support_start, support_start_precision, director, field_en, field_ja)
  VALUES (1, '[]', '[]', 'ircn', 'IRCN', 'IRCN', '', 'wpi', 2017, '2017-10-01', 'day', '',
          'neuroscience', '');
INSERT INTO accounts_membership (id, user_id, role, center_id)
  VALUES (1, 1, 'program_office', NULL), (2, 2, 'committee', NULL), (3, 3, 'committee', NULL);
INSERT INTO accounts_membership_conflicts (membership_id, center_id) VALUES (2, 1);
INSERT INTO registry_plan (id, center_id, name, content, uploaded_by_id, uploaded_at)
  VALUES (1, 1, 'plan.yaml', 'x', 1, '2025-05-01 00:00:00');
INSERT INTO registry_decision (id, sources, caveats, center_id, kind, date, precision, years,
  summary, summary_ja, recorded_by_id, recorded_by_label, recorded_at)
  VALUES (1, '[]', '[]', 1, 'interim_evaluation', '2022-01-01', 'day', NULL, '', '', 1,
          'office', '2025-05-02 00:00:00');
INSERT INTO audit_auditentry (id, at, actor_id, actor_label, action, model, object_pk,
  object_repr, before, after)
  VALUES (1, '2025-05-02 00:00:00', 1, 'office', 'create', 'registry.Decision', '1',
          'IRCN interim evaluation', NULL, '{{"center_id": 1}}');
INSERT INTO registry_grant (id, sources, caveats, center_id, fiscal_year, amount_yen)
  VALUES (1, '[]', '[]', 1, 2024, 700000000), (2, '[]', '[]', 1, 2023, 650000000);
INSERT INTO audit_auditentry (id, at, actor_id, actor_label, action, model, object_pk,
  object_repr, before, after)
  VALUES (2, '2025-06-03 00:00:00', 1, 'office', 'create', 'registry.Grant', '1',
          'IRCN FY2024: ¥700,000,000', NULL, '{{"center_id": 1}}');
"""

SCRIPT = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
for app, name in json.loads(sys.argv[1]):
    call_command("migrate", app, name, verbosity=0)
with connection.cursor() as cursor:
    for statement in sys.argv[2].split(";"):
        if statement.strip():
            cursor.execute(statement)
call_command("migrate", verbosity=0)
from kyoten.accounts.models import Membership
from kyoten.accounts.permissions import standing
from kyoten.audit.models import AuditEvent
from kyoten.registry.models import Decision, Grant, Plan
from django.contrib.auth import get_user_model
users = get_user_model().objects
print(json.dumps({
    "roles": sorted(
        [m.person.account.username[:10], m.role, m.person.name_en[:10]]
        for m in Membership.objects.select_related("person__account")
    ),
    "mori": sorted(standing(users.get(username="mori")).conflicts),
    "plan": [Plan.objects.get().actor_label, Plan.objects.get().actor_id],
    "decision": [Decision.objects.get().actor_label, Decision.objects.get().at.year],
    "event": [[e.kind, e.center_id, e.at.year] for e in AuditEvent.objects.all()],
    "grants": [
        [g.fiscal_year, g.number, g.amount_yen, g.actor_label, g.actor_id, g.decided_on]
        for g in Grant.objects.order_by("pk")
    ],
    "grant_entered": Grant.objects.get(pk=1).at.isoformat()[:10],
}))
"""


def _postgres_database(url):
    """A scratch database on the suite's PostgreSQL server, and how to drop it."""
    import psycopg

    name = f"kyoten_migrate_{uuid.uuid4().hex[:8]}"
    server = settings.DATABASES["default"]
    params = {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**params) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = url.rsplit("/", 1)[0]
    return f"{base}/{name}", drop


def test_the_previous_release_migrates_with_its_data(tmp_path):
    env = {**os.environ, "KYOTEN_INSTANCE_DIR": str(tmp_path)}
    env.pop("KYOTEN_TEST_NOW", None)
    drop = None
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        env["DATABASE_URL"], drop = _postgres_database(os.environ["DATABASE_URL"])
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    rows = ROWS.format(long="x" * 140)  # a user name longer than a person's name field
    try:
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, json.dumps(RELEASE), rows],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        if drop is not None:
            drop()
    assert result.returncode == 0, result.stderr[-3000:]
    after = json.loads(result.stdout.strip().splitlines()[-1])
    assert after["roles"] == [
        ["mori", "committee", "Kenji Mori"],
        ["office", "program_office", "office"],
        ["x" * 10, "committee", "x" * 10],
    ]
    assert after["mori"] == [1]  # his conflict of interest, now the person's
    assert after["plan"] == ["office", 1]
    assert after["decision"] == ["office", 2025]
    # the earlier changes, in words
    assert after["event"] == [["record.created", 1, 2025], ["record.created", 1, 2025]]
    # grants entered before dated entries: each the grant decided of its year, attributed
    # from the audit trail where it holds them (the second has no entry there)
    assert after["grants"] == [
        [2024, 1, 700_000_000, "office", 1, None],
        [2023, 1, 650_000_000, "back office", None, None],
    ]
    assert after["grant_entered"] == "2025-06-03"
