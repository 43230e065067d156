"""Both message catalogues complete, compiled and in step with the code; pages in both languages."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[2]
# Each catalogue (the project's, and the annual reports app's own), and how many messages it
# holds at least.
LOCALES = {
    "src/kyoten/locale": 200,
    "src/kyoten/submissions/locale": 100,
}
CATALOGUES = [(where, lang) for where in LOCALES for lang in ("ja", "en")]


def catalogue(lang, where="src/kyoten/locale"):
    with (ROOT / where / lang / "LC_MESSAGES" / "django.po").open("rb") as f:
        return read_po(f, locale=lang)


@pytest.mark.parametrize(("where", "lang"), CATALOGUES)
def test_every_message_is_translated_and_none_is_fuzzy(where, lang):
    messages = [m for m in catalogue(lang, where) if m.id]
    assert len(messages) > LOCALES[where]
    untranslated = [m.id for m in messages if not m.string or not all(m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("where", LOCALES)
def test_the_japanese_catalogue_is_japanese(where):
    messages = [m for m in catalogue("ja", where) if m.id and m.string]
    same = [m.id for m in messages if m.string == m.id]
    # only names that stay as they are in Japanese (WPI, track names, ORCID iD) may be equal
    assert set(same) <= {"WPI", "WPI CORE", "Multiple Host WPI", "ORCID iD"}


@pytest.mark.parametrize(("where", "lang"), CATALOGUES)
def test_the_catalogues_are_compiled(where, lang):
    assert (ROOT / where / lang / "LC_MESSAGES" / "django.mo").exists(), "run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogues_hold_every_string_of_the_code(tmp_path):
    """Extract the strings afresh (as `make makemessages` does) and compare the msgids."""
    copy = tmp_path / "kyoten"
    shutil.copytree(ROOT / "src" / "kyoten", copy, ignore=shutil.ignore_patterns("*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--locale",
            "ja",
            "--ignore",
            "program/*",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "kyoten.web.settings",
            "KYOTEN_INSTANCE_DIR": str(tmp_path / "var"),
            "PATH": "/usr/bin:/bin",
        },
    )
    for where in LOCALES:
        fresh_po = tmp_path / where.replace("src/", "") / "ja" / "LC_MESSAGES" / "django.po"
        with fresh_po.open("rb") as f:
            fresh = {m.id if not isinstance(m.id, tuple) else m.id[0] for m in read_po(f) if m.id}
        known = {
            m.id if not isinstance(m.id, tuple) else m.id[0] for m in catalogue("ja", where) if m.id
        }
        assert fresh - known == set(), "run `make makemessages` and translate the new strings"


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("ja", "世界トップレベル研究拠点プログラム（WPI）", "Grants by fiscal year"),
        ("en", "World Premier International Research Center Initiative (WPI)", "年度別の補助金"),
    ],
)
def test_pages_in_each_language(client, db, lang, expected, absent):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'<html lang="{lang}">' in page
    assert expected in page
    assert absent not in page


def test_the_language_switch(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/centers/"})
    assert response.status_code == 302
    page = client.get("/centers/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="en">' in page  # the choice overrides the browser's language


def test_fiscal_years_are_written_the_way_each_language_does(client, db):
    assert "2011年度" in client.get("/centers/aimr/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "FY2011" in client.get("/centers/aimr/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_form_label_ends_the_way_each_language_does(client, db):
    """Django's Japanese catalogue keeps the ASCII colon after a label; Kyoten's gives "："."""
    assert (
        '<label for="id_fy">公募（時期）：</label>'
        in client.get("/rulebook/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    )
    assert (
        '<label for="id_fy">Call (era):</label>'
        in client.get("/rulebook/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
