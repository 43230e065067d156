"""``kyoten load-reference``, ``kyoten first-account`` and ``kyoten serve``.

These commands set up Django themselves, so they run from a shell with no environment.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from kyoten.cli import EXIT_OK

FIRST_ACCOUNT = "office"


def setup_django() -> None:
    """Configure Django with Kyoten's settings (for commands run from a plain shell)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoten.web.settings")
    import django

    django.setup()


def _load_reference(args: argparse.Namespace) -> int:
    setup_django()
    from kyoten.registry.reference import load_reference

    report = load_reference()
    print(
        f"reference data loaded: {report.institutions} institutions, {report.centers} centers, "
        f"{report.decisions} decisions, {report.committee} committee members and program "
        f"director, {report.budgets} program budget figures"
    )
    return EXIT_OK


def _first_account(args: argparse.Namespace) -> int:
    """Create the first program-office account with a random password, printed once."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kyoten.accounts.models import Membership, Role
    from kyoten.accounts.services import grant
    from kyoten.audit.context import acting_as, recording

    users = get_user_model()
    office = Membership.objects.in_force(timezone.localdate()).filter(
        role=Role.PROGRAM_OFFICE, person__account__is_active=True
    )
    existing = office.select_related("person__account").first()
    if existing is not None and not args.reset:
        print(
            f"A program-office account exists ({existing.person.account.get_username()}); "
            "log in with it. "
            "To set a new random password: .venv/bin/kyoten first-account --reset"
        )
        return EXIT_OK
    user = existing.person.account if existing is not None else users(username=FIRST_ACCOUNT)
    password = secrets.token_urlsafe(12)
    with (
        acting_as(None, "kyoten first-account"),
        recording("account.office_password_set", username=user.get_username()),
    ):
        user.set_password(password)
        user.save()
        if existing is None:
            grant(user, Role.PROGRAM_OFFICE)
    print(f"Log in as '{user.get_username()}' with the password: {password}")
    print("(shown once; `.venv/bin/kyoten first-account --reset` sets a new one)")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Run gunicorn with the WSGI application (production server, static via WhiteNoise)."""
    from gunicorn.app.wsgiapp import run

    address = f"{args.host}:{args.port}"
    print(f"Kyoten is served at http://{address}/  (Ctrl-C stops it)", flush=True)
    sys.argv = [
        "gunicorn",
        "kyoten.web.wsgi:application",
        "--bind",
        address,
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    run()
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the web application's commands."""
    load = subparsers.add_parser(
        "load-reference", help="load the reference data into the database (idempotent)"
    )
    load.set_defaults(handler=_load_reference)
    first = subparsers.add_parser(
        "first-account",
        help="create the first program-office account and print its random password once",
    )
    first.add_argument("--reset", action="store_true", help="set a new random password")
    first.set_defaults(handler=_first_account)
    serve = subparsers.add_parser("serve", help="serve the web application with gunicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(handler=_serve)
