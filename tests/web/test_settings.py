"""Settings from the environment: typed, loud on bad values, each one documented."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kyoten.web.config import SETTINGS, env_bool, env_int, env_list, env_str

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_documented_in_the_readme(name):
    assert f"`{name}`" in README


@pytest.mark.parametrize(
    ("name", "read", "value", "message"),
    [
        ("KYOTEN_SESSION_AGE_SECONDS", env_int, "8h", "whole number"),
        ("KYOTEN_SESSION_AGE_SECONDS", env_int, "0", "at least 1"),
        ("KYOTEN_DEBUG", env_bool, "perhaps", "must be one of"),
    ],
)
def test_bad_values_fail_loudly_naming_the_variable(name, read, value, message):
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        read(name, 1, environ={name: value})
    assert name in str(caught.value)


def test_defaults_and_overrides():
    assert env_bool("KYOTEN_DEBUG", False, environ={}) is False
    assert env_bool("KYOTEN_DEBUG", False, environ={"KYOTEN_DEBUG": "Yes"}) is True
    assert env_list("KYOTEN_ALLOWED_HOSTS", ["a"], environ={"KYOTEN_ALLOWED_HOSTS": "x, y"}) == [
        "x",
        "y",
    ]
    assert env_str("DATABASE_URL", "sqlite://", environ={"DATABASE_URL": " "}) == "sqlite://"


def test_an_undeclared_setting_cannot_be_read():
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        env_str("KYOTEN_SOMETHING_NEW", "x", environ={})


def test_the_database_is_the_one_database_url_names(db):
    """`make test-postgres` must really run on PostgreSQL, `make test` on SQLite."""
    import os

    from django.db import connection

    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
