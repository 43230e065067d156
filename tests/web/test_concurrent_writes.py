"""Concurrent uploads against a real server on the suite's database (a SQLite file, or a
PostgreSQL database of its own): every one is saved or told to retry, none answers 500.

The probe's 15 pairs of simultaneous uploads on SQLite answered 500 ("database is locked")
9 times in 30, also for uploads to different centers.
"""

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from web.reporting import FY, ircn_data

PAIRS = 15
LOGIN_FAILURES_MAX = 5
PASSWORD = "concurrent horse battery 42"
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A database of this test's own, of the suite's kind."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        yield f"sqlite:///{tmp_path_factory.mktemp('concurrent') / 'kyoten.sqlite3'}"
        return
    import psycopg

    config = settings.DATABASES["default"]
    name = f"kyoten_concurrent_{os.getpid()}"
    dsn = f"host={config['HOST']} port={config['PORT']} user={config['USER']} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield f"postgres://{config['USER']}@{config['HOST']}:{config['PORT']}/{name}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


SETUP = """
from django.contrib.auth import get_user_model
from kyoten.accounts.services import grant
from kyoten.registry.models import Center
for name, center in (("ken", "ircn"), ("kei", "qup")):
    user = get_user_model().objects.create_user(name, password={password!r})
    grant(user, "center_office", Center.objects.get(key=center))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, database_url):
    instance = tmp_path_factory.mktemp("instance")
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        KYOTEN_INSTANCE_DIR=str(instance),
        DJANGO_SETTINGS_MODULE="kyoten.web.settings",
        KYOTEN_LOGIN_FAILURES_MAX=str(LOGIN_FAILURES_MAX),
    )
    env.pop("KYOTEN_TEST_NOW", None)
    run = {"env": env, "check": True, "capture_output": True}
    subprocess.run([BIN / "django-admin", "migrate", "--noinput"], **run)
    subprocess.run([BIN / "kyoten", "load-reference"], **run)
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SETUP.format(password=PASSWORD)],
        **run,
    )
    port = free_port()
    process = subprocess.Popen(
        [BIN / "kyoten", "serve", "--port", str(port), "--workers", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/rulebook/", timeout=2)  # noqa: S310 (loopback)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


class Session:
    """A logged-in browser: cookies and the CSRF token."""

    def __init__(self, base, username):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.open(f"{base}/accounts/login/")
        body = f"username={username}&password={PASSWORD.replace(' ', '+')}&csrfmiddlewaretoken={self.csrf()}"
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{base}/accounts/login/", body.encode(), headers={"Referer": f"{base}/accounts/login/"}
        )
        self.opener.open(request)
        assert any(c.name == "sessionid" for c in self.jar), f"{username} could not log in"

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def upload(self, center, data):
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{self.base}/api/centers/{center}/reports/{FY}/",
            json.dumps(data).encode(),
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": self.csrf(),
                "Referer": self.base + "/",
            },
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(
                error.read() or b"null"
            ) if error.headers.get_content_type() == "application/json" else None


def qup_data():
    data = ircn_data(center="QUP")
    data["metadata"]["selection_fiscal_year"] = 2021
    return data


def test_simultaneous_uploads_are_all_saved_or_told_to_retry(server):
    uploads = {
        "ircn": (Session(server, "ken"), ircn_data()),
        "qup": (Session(server, "kei"), qup_data()),
    }
    results = []

    def upload(center, barrier):
        session, data = uploads[center]
        barrier.wait()
        results.append((center, *session.upload(center, data)))

    # each pair at once: two uploads to the same center, then one to each center
    for pair in range(PAIRS):
        centers = ("ircn", "ircn") if pair % 2 else ("ircn", "qup")
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=upload, args=(c, barrier)) for c in centers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    statuses = sorted({status for _c, status, _b in results})
    assert set(statuses) <= {201, 503}, results
    for _center, status, body in results:
        if status == 503:
            assert body["message"]["en"].startswith("Kyoten is busy")
    # every version saved got its own number: no lost or doubled update
    for center in ("ircn", "qup"):
        numbers = sorted(b["version"] for c, s, b in results if c == center and s == 201)
        assert numbers == list(range(1, len(numbers) + 1))
    assert sum(1 for _c, s, _b in results if s == 201) == 2 * PAIRS  # none had to retry here


def test_simultaneous_wrong_logins_are_checked_at_most_the_allowed_number_of_times(server):
    """The probe saw 6 attempts evaluated instead of 5 under 30 threads."""
    checked = []

    def attempt(barrier):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{server}/accounts/login/")
        token = next(c.value for c in jar if c.name == "csrftoken")
        body = f"username=kei&password=wrong&csrfmiddlewaretoken={token}".encode()
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{server}/accounts/login/",
            body,
            headers={"Referer": f"{server}/accounts/login/", "Accept-Language": "en"},
        )
        barrier.wait()
        page = opener.open(request).read().decode()
        checked.append("Too many failed logins" not in page)

    barrier = threading.Barrier(30)
    threads = [threading.Thread(target=attempt, args=(barrier,)) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 30
    assert sum(checked) <= LOGIN_FAILURES_MAX
