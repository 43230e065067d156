"""The main pages under load, beside the ceiling of the same server (its 404 page).

Sets up a server of its own — a SQLite file in a temporary folder with the reference data,
the sample reports and a program-office account, ``kyoten serve`` with two workers on a free
loopback port — then, page after page, keeps ``--clients`` simultaneous clients asking for
it for ``--seconds`` (each request on a new connection, as gunicorn's sync workers close
them), and prints each page's throughput beside the ceiling's with the latency percentiles.
Bounded in time and requests; loopback only; the server is stopped and the folder removed
at the end.

Run: .venv/bin/python benchmarks/bench_pages.py [--clients 20] [--seconds 20]

The targets (issue: the main pages under load): the overview, a center page and the
program office's overview each at p95 <= 100 ms and at least 30% of the ceiling's
throughput, with 20 clients on this machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
PASSWORD = "benchmark horse battery 42"
SETUP = f"""
from django.contrib.auth import get_user_model
from kyoten.accounts.services import grant
user = get_user_model().objects.create_user("bench", password={PASSWORD!r})
grant(user, "program_office")
"""
REQUESTS_MAX = 200_000  # per page: a bound however fast the server answers


@dataclass
class Page:
    name: str
    path: str
    logged_in: bool
    target: bool  # one of the pages the targets are for


PAGES = [
    Page("ceiling: the 404 page", "/no-such-page/", False, False),
    Page("overview (anonymous)", "/", False, True),
    Page("center page (anonymous)", "/centers/ircn/", False, True),
    Page("center page (program office)", "/centers/ircn/", True, True),
    Page("office overview with comparison", "/?report_fy=2024", True, True),
    Page("comparison CSV", "/reports/compare.csv?fiscal_year=2024", True, False),
    Page("comparison page, FY2020–FY2024", "/reports/compare/?from=2020&to=2024", True, True),
]


@dataclass
class Result:
    page: Page
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    env = dict(
        os.environ,
        KYOTEN_INSTANCE_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'kyoten.sqlite3'}",
        DJANGO_SETTINGS_MODULE="kyoten.web.settings",
    )
    env.pop("KYOTEN_DEBUG", None)
    quiet = {"env": env, "check": True, "capture_output": True}
    subprocess.run([BIN / "django-admin", "migrate", "--noinput"], **quiet)
    subprocess.run([BIN / "django-admin", "collectstatic", "--noinput"], **quiet)
    subprocess.run([BIN / "kyoten", "load-reference"], **quiet)
    subprocess.run([BIN / "kyoten", "load-samples"], **quiet)
    subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + SETUP], **quiet)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "kyoten", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            get(port, "/rulebook/", "")
            return server, port
        except OSError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("the server did not start")


def get(port: int, path: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def log_in(port: int) -> str:
    """The cookie header of a logged-in program-office session."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf and token, "no CSRF token on the login page"
    connection.close()
    body = f"username=bench&password={PASSWORD.replace(' ', '+')}&csrfmiddlewaretoken={token[1]}"
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf[1]}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    assert response.status == 302 and session, "the benchmark account could not log in"
    return f"sessionid={session[1]}; csrftoken={csrf[1]}"


def load(port: int, page: Page, cookie: str, clients: int, seconds: float) -> Result:
    expected = 404 if page.path == "/no-such-page/" else 200
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < deadline and len(latencies) < REQUESTS_MAX:
            start = time.perf_counter()
            try:
                ok = get(port, page.path, cookie if page.logged_in else "") == expected
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(page, time.perf_counter() - started, latencies, errors[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="per page")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kyoten-bench-"))
    server, port = start_server(folder)
    try:
        cookie = log_in(port)
        for page in PAGES:  # warm each worker's caches and imports
            for _ in range(4):
                get(port, page.path, cookie if page.logged_in else "")
        results = [load(port, page, cookie, args.clients, args.seconds) for page in PAGES]
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    ceiling = results[0].per_second
    print(
        f"{args.clients} clients, {args.seconds:g} s per page, 2 sync workers, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'page':34} {'req/s':>8} {'of ceiling':>10} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}  target"
    )
    for result in results:
        share = result.per_second / ceiling
        met = ""
        if result.page.target:
            met = "met" if result.percentile(0.95) <= 100 and share >= 0.30 else "NOT met"
        print(
            f"{result.page.name:34} {result.per_second:8.1f} {share:10.0%} "
            f"{result.percentile(0.50):8.1f} {result.percentile(0.95):8.1f} {result.errors:6d}  {met}"
        )
    print(f"median latency of the ceiling: {statistics.median(results[0].latencies) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
