"""An institution's name is a dated fact: a page shows the name of its own day, and a merger
keeps the names before it (Tokyo Tech, ELSI's host, is Institute of Science Tokyo from
1 October 2024)."""

import datetime

import pytest
from django.utils import translation

from kyoten.registry.models import Institution
from kyoten.registry.reference import load_reference

MERGER = datetime.date(2024, 10, 1)


@pytest.fixture
def tokyotech(db):
    return Institution.objects.get(key="tokyotech")


@pytest.mark.parametrize(
    ("day", "lang", "name"),
    [
        (MERGER - datetime.timedelta(days=1), "en", "Tokyo Institute of Technology"),
        (MERGER - datetime.timedelta(days=1), "ja", "東京工業大学"),
        (MERGER, "en", "Institute of Science Tokyo"),
        (MERGER, "ja", "東京科学大学"),
        (datetime.date(2026, 12, 1), "ja", "東京科学大学"),
        (datetime.date(2012, 12, 1), "ja", "東京工業大学"),  # when ELSI was selected
    ],
)
def test_the_name_on_a_day(tokyotech, day, lang, name):
    with translation.override(lang):
        assert tokyotech.name_on(day) == name


def test_the_names_before_are_kept_with_the_last_day_they_held(tokyotech):
    with translation.override("en"):
        former = tokyotech.former_names(MERGER)
    assert former == [("Tokyo Institute of Technology", datetime.date(2024, 9, 30))]
    assert tokyotech.former_names(datetime.date(2020, 1, 1)) == []


def test_the_new_name_carries_its_official_sources(tokyotech):
    [rename] = tokyotech.renames.all()
    assert rename.since == MERGER
    assert any("titech.ac.jp" in s for s in rename.sources)
    assert "Tokyo Medical and Dental University" in rename.note_en


def test_loading_again_keeps_one_rename(tokyotech):
    load_reference()
    assert tokyotech.renames.count() == 1


@pytest.mark.parametrize(
    ("day", "shown", "not_shown"),
    [
        ("2026-12-01", "Institute of Science Tokyo", "Tokyo Institute of Technology"),
        ("2020-04-01", "Tokyo Institute of Technology", "Institute of Science Tokyo"),
    ],
)
def test_the_center_list_shows_the_host_as_named_on_its_day(client, db, day, shown, not_shown):
    page = client.get(f"/centers/?on={day}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    elsi = page[page.index('href="/centers/elsi/"') :]
    elsi = elsi[: elsi.index("</tr>")]
    assert shown in elsi
    assert not_shown not in elsi


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "Institute of Science Tokyo",
                "Tokyo Institute of Technology until 2024-09-30",
                "merged into one university",
            ],
        ),
        ("ja", ["東京科学大学", "東京工業大学（2024-09-30まで）", "東京医科歯科大学が統合"]),
    ],
)
def test_the_center_page_shows_todays_name_and_the_former_one(client, db, lang, words):
    page = client.get("/centers/elsi/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    hosts = page[page.index('id="hosts-h"') : page.index('id="life-h"')]
    for text in words:
        assert text in hosts
