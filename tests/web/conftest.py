"""Named personas and the reference data, shared by the web tests.

The reference data is loaded once per test session (each test runs in a transaction that is
rolled back), so every test sees the 18 centers exactly as `make run` loads them.
"""

import pytest
from django.contrib.auth import get_user_model

from kyoten.accounts.models import Role
from kyoten.accounts.services import grant
from kyoten.conflicts.services import declare
from kyoten.registry.models import Center
from kyoten.registry.reference import load_reference
from kyoten.reports import sample_report
from kyoten.submissions import services
from web.reporting import FY, stored

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


def make_user(username, role=None, center_key=None, password=None):
    """A user with a membership of ``role`` (at ``center_key``), optionally with a password."""
    # No password unless a test logs in through the form: Argon2 is slow on purpose.
    user = get_user_model().objects.create_user(username=username, password=password)
    if role:
        center = Center.objects.get(key=center_key) if center_key else None
        grant(user, role, center)
    return user


def record_conflict(person, center_key):
    """A confirmed conflict of interest of ``person`` with the center, as the program office
    records one it was told of."""
    center = Center.objects.get(key=center_key)
    return declare(person, center, "recorded", "told the office in a letter", by=None)


# The personas, in the order the role tables list them.
PERSONAS = ["hana", "ken", "mori", "sato", "ito", "emma", "olivia", "anonymous"]


@pytest.fixture
def personas(db):
    """Hana of the program office; Ken of IRCN's center office; Prof. Mori of the committee;
    Prof. Sato of the committee, with a conflict of interest with IRCN; Dr Ito, IRCN's
    Program Officer; Prof. Emma Lindqvist, an expert of IRCN's working group; Olivia, with an
    account but no role; None is anonymous."""
    sato = make_user("sato", Role.COMMITTEE)
    record_conflict(sato.person, "ircn")
    return {
        "hana": make_user("hana", Role.PROGRAM_OFFICE),
        "ken": make_user("ken", Role.CENTER_OFFICE, "ircn"),
        "mori": make_user("mori", Role.COMMITTEE),
        "sato": sato,
        "ito": make_user("ito", Role.PROGRAM_OFFICER, "ircn"),
        "emma": make_user("emma", Role.WORKING_GROUP, "ircn"),
        "olivia": make_user("olivia"),
        "anonymous": None,
    }


@pytest.fixture
def reports(personas):
    """IRCN's FY2024 report (a draft, version 1) and QUP's FY2024 sample (accepted)."""
    ircn = stored(personas["hana"]).report
    qup = Center.objects.get(key="qup")
    sample = sample_report("QUP", FY, track="wpi", selection_fiscal_year=2021)
    qup_sample = services.store(qup, sample, "sample.json", None, sample=True).report
    return {"ircn": ircn.pk, "qup": qup_sample.pk}


@pytest.fixture
def client_as(client, personas):
    """A test client logged in as the named persona (or anonymous)."""

    def login(name):
        user = personas[name]
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with no cached fragment: a test's changes are rolled back, and with
    them the change counter the fragments are keyed by."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def writes_are_audited(monkeypatch, request):
    """``QuerySet.update()`` and ``bulk_create()`` send no signals: on an audited model they
    would change data past the audit trail (and past the change counter the page cache is
    keyed by). Any code path a test runs that does so fails; a test that means to write past
    them (to store a record as an old version would have) is marked ``writes_past_audit``."""
    from django.db.models import QuerySet

    from kyoten.audit.signals import _is_audited

    if request.node.get_closest_marker("writes_past_audit"):
        return

    def guarded(name):
        original = getattr(QuerySet, name)

        def method(self, *args, **kwargs):
            if _is_audited(self.model):
                raise AssertionError(
                    f"{self.model._meta.label}.objects.{name}() bypasses the audit trail; "
                    "save or delete each record instead"
                )
            return original(self, *args, **kwargs)

        return method

    for name in ("update", "bulk_create", "bulk_update"):
        monkeypatch.setattr(QuerySet, name, guarded(name))
