"""Passwords, login throttling, sessions, headers and the first account."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from kyoten.accounts.forms import client_address
from kyoten.accounts.models import LoginFailure, Membership
from kyoten.accounts.services import person_of
from kyoten.audit.models import AuditEntry
from kyoten.cli import main

from .conftest import PASSWORD


def test_passwords_are_hashed_with_argon2(db):
    user = get_user_model().objects.create_user("aiko", password=PASSWORD)
    assert user.password.startswith("argon2")


def test_login_through_the_form(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "aiko", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()


def test_login_is_throttled_after_repeated_failures(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    for _ in range(settings.LOGIN_FAILURES_MAX):
        response = client.post("/accounts/login/", {"username": "aiko", "password": "wrong"})
        assert response.status_code == 200
    # now even the right password is refused until the window has passed
    response = client.post(
        "/accounts/login/", {"username": "aiko", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "variant",
    [
        "aiko ",  # trailing space: stripped before authentication
        " aiko",  # leading space
        "ａｉｋｏ",  # full-width letters: NFKC-normalised to "aiko"
        "ａｉｋｏ ",  # both
    ],
)
def test_the_throttle_counts_the_normalised_user_name(client, db, variant):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    for _ in range(settings.LOGIN_FAILURES_MAX):
        client.post("/accounts/login/", {"username": "aiko", "password": "wrong"})
    # a variant of the same name gets no fresh attempts, even with the right password
    response = client.post(
        "/accounts/login/", {"username": variant, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_under_variants_add_up(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    variants = ["aiko ", "ａｉｋｏ", " aiko", "ａｉｋｏ ", "aiko"]
    for n in range(settings.LOGIN_FAILURES_MAX):
        client.post("/accounts/login/", {"username": variants[n % 5], "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "aiko", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Too many failed logins" in response.content.decode()


def test_failures_from_one_address_across_user_names_are_capped(client, db, settings):
    """Password spraying: one wrong password tried against many user names."""
    settings.LOGIN_ADDRESS_FAILURES_MAX = 3
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    for name in ("ben", "chie", "dai"):
        client.post("/accounts/login/", {"username": name, "password": "wrong"})
    for lang, text in (
        ("en", "Too many failed logins from this network address"),
        ("ja", "このネットワークアドレスからのログイン失敗が多すぎます"),
    ):
        response = client.post(
            "/accounts/login/",
            {"username": "aiko", "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE=lang,
        )
        assert text in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_leaves_no_failure_behind(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    for _ in range(settings.LOGIN_FAILURES_MAX - 1):
        client.post("/accounts/login/", {"username": "aiko", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "aiko", "password": PASSWORD}).status_code
        == 302
    )
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURES_MAX - 1


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client_is"),
    [
        ("203.0.113.9", "", [], "203.0.113.9"),  # no proxy
        ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),  # a header from anyone is ignored
        ("10.0.0.2", "198.51.100.1", ["10.0.0.2"], "198.51.100.1"),  # behind the proxy
        # a client's own forged entry comes first; the proxy appends what it saw
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", ["10.0.0.2"], "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, 10.0.0.3", ["10.0.0.2", "10.0.0.3"], "198.51.100.1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    rf, settings, remote, forwarded, trusted, client_is
):
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client_is


def test_a_login_leaves_no_audit_entry(client, db):
    get_user_model().objects.create_user("aiko", password=PASSWORD)
    before = AuditEntry.objects.count()
    assert (
        client.post("/accounts/login/", {"username": "aiko", "password": PASSWORD}).status_code
        == 302
    )
    assert AuditEntry.objects.count() == before  # only last_login changed


def test_sessions_expire():
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_secure_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_carry_a_csrf_token(client, db):
    assert "csrfmiddlewaretoken" in client.get("/check/").content.decode()


def test_logout_needs_a_post(client_as):
    client = client_as("hana")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


def test_first_account_prints_a_random_password_once(db, capsys):
    assert main(["first-account"]) == 0
    out = capsys.readouterr().out
    password = re.search(r"password: (\S+)", out).group(1)
    user = get_user_model().objects.get(username="office")
    assert user.check_password(password)
    assert Membership.objects.get(person__account=user).role == "program_office"
    # a second run does not print it again, nor change it
    assert main(["first-account"]) == 0
    again = capsys.readouterr().out
    assert password not in again
    assert "exists" in again
    user.refresh_from_db()
    assert user.check_password(password)


ROOT = Path(__file__).parents[2]


def _tracked_files():
    """The files git tracks in this checkout; the test is skipped outside a git checkout."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    result = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    return [name for name in result.stdout.decode("utf-8").split("\0") if name]


def _assigns_a_literal_secret_key(source):
    """Whether the module assigns SECRET_KEY (a name, an attribute or a keyword) a string."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = [getattr(t, "id", None) or getattr(t, "attr", None) for t in targets]
            value = node.value
        elif isinstance(node, ast.keyword):
            named, value = [node.arg], node.value
        else:
            continue
        literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
        if "SECRET_KEY" in named and literal:
            return True
    return False


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('SECRET_KEY = "django-insecure-abc"', True),  # the classic mistake
        ('SECRET_KEY: str = "abc"', True),
        ('settings.SECRET_KEY = "abc"', True),
        ('override_settings(SECRET_KEY="abc")', True),
        ("SECRET_KEY = secret_key(INSTANCE_DIR)", False),  # how the settings take it
        ('KEY = "SECRET_KEY"', False),
    ],
)
def test_the_secret_key_check_finds_a_literal(source, found):
    assert _assigns_a_literal_secret_key(source) is found


def test_no_secret_in_the_repository():
    tracked = _tracked_files()
    assert "src/kyoten/web/settings.py" in tracked  # the listing is of this repository
    # the instance folder (database, generated secret key) is never committed
    assert [name for name in tracked if name == "var" or name.startswith("var/")] == []
    literal = [
        name
        for name in tracked
        if name.endswith(".py")
        and (ROOT / name).is_file()
        and _assigns_a_literal_secret_key((ROOT / name).read_text("utf-8"))
    ]
    assert literal == []


def _settings_secret_key(instance_dir, **env):
    """SECRET_KEY as a fresh process computes it from the environment."""
    environ = {k: v for k, v in os.environ.items() if k != "KYOTEN_SECRET_KEY"}
    environ.update(env, KYOTEN_INSTANCE_DIR=str(instance_dir))
    result = subprocess.run(
        [sys.executable, "-c", "import kyoten.web.settings as s; print(s.SECRET_KEY)"],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_secret_key_comes_from_the_environment(tmp_path):
    key = "k" * 50
    assert _settings_secret_key(tmp_path, KYOTEN_SECRET_KEY=key) == key
    assert not (tmp_path / "secret_key").exists()  # nothing generated when it is configured


def test_the_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = _settings_secret_key(tmp_path)
    assert len(first) >= 40
    stored = tmp_path / "secret_key"
    assert stored.read_text("utf-8").strip() == first
    assert stored.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert _settings_secret_key(tmp_path) == first  # the same key on the next start
    assert _settings_secret_key(tmp_path / "other") != first


def test_the_running_settings_have_a_key():
    assert len(settings.SECRET_KEY) >= 40


def test_the_secret_key_helper_reads_the_environment(tmp_path, monkeypatch):
    from kyoten.web.config import secret_key

    monkeypatch.setenv("KYOTEN_SECRET_KEY", "e" * 50)
    assert secret_key(tmp_path) == "e" * 50
    monkeypatch.delenv("KYOTEN_SECRET_KEY")
    generated = secret_key(tmp_path)
    assert generated == (tmp_path / "secret_key").read_text("utf-8").strip()


@pytest.mark.parametrize(
    ("role", "center_key", "valid"),
    [("center_office", "ircn", True), ("center_office", None, False), ("committee", "ircn", False)],
)
def test_a_center_office_belongs_to_exactly_one_center(personas, role, center_key, valid):
    from django.core.exceptions import ValidationError

    from kyoten.registry.models import Center

    center = Center.objects.get(key=center_key) if center_key else None
    membership = Membership(person=person_of(personas["olivia"]), role=role, center=center)
    if valid:
        membership.clean()
    else:
        with pytest.raises(ValidationError):
            membership.clean()
