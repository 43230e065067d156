"""The published outcome indicators on the center page and the overview: values, the band with
its unconfirmed caveat, provenance, both languages, roles; nothing computed on page load."""

from zoneinfo import ZoneInfo

import pytest

from kyoten.bibliometrics.band import format_share, reference_band
from kyoten.bibliometrics.indicators import Options, Store
from kyoten.bibliometrics.units import parse_unit
from kyoten.outcomes.services import publish
from web.outcomes import BENCH_UNIT, YEAR, ingest_ircn_snapshot, load_ircn_samples

BAND = reference_band()
NOTHING = {
    "en": "No outcome indicators have been published yet.",
    "ja": "論文の被引用指標はまだ公開されていません。",
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return ingest_ircn_snapshot(tmp_path_factory.mktemp("outcome-pages"))


@pytest.fixture
def published(db, data_dir):
    load_ircn_samples()
    return publish(data_dir, Options(YEAR, YEAR), [parse_unit(BENCH_UNIT), parse_unit("world")]).run


def japan_time(instant):
    """An instant as the pages write it, in Japan time (the UTC date differs from 15:00 UTC on)."""
    return instant.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M")


def page(client, url, lang):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def section(html, element_id):
    """The HTML of the ``<section id=...>`` (empty when absent)."""
    start = html.find(f'id="{element_id}"')
    return "" if start < 0 else html[start : html.find("</section>", start)]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "Outcome indicators",
                "PP(top 10%) (full counting, CWTS method): <strong>25.0%</strong>",
                "within the band 20%–25%",
                "above the band",
                "below the band",
                "unconfirmed",
                "The center and the benchmarks side by side (full counting, CWTS method)",
                "fractional counting",
                "NISTEP adjusted count",
                "DOIs in the reports: 12 found in the data,",
                "Where these figures come from",
                "article, review, retracted works excluded",
                "<dd>full counting, CWTS method</dd>",
                "IRCN<small> (center)</small>",
                '<th scope="col" class="num">PP(top 1%)</th>',
            ],
        ),
        (
            "ja",
            [
                "論文の被引用指標",
                "Top10%論文の割合 PP(top 10%)（整数カウント、CWTS 法）：<strong>25.0%</strong>",
                "範囲内 20%–25%",
                "範囲より上",
                "範囲より下",
                "未確認",
                "拠点と比較対象（整数カウント、CWTS 法）",
                "分数カウント",
                "NISTEP 補正論文数",
                "データにあったもの 12 件",
                "数値の出所",
                "article、review、撤回論文を除く",
                "<dd>整数カウント、CWTS 法</dd>",
                "IRCN<small>（拠点）</small>",
                '<th scope="col" class="num">Top1%論文の割合 PP(top 1%)</th>',
            ],
        ),
    ],
)
def test_the_center_page_shows_the_values_the_band_and_its_caveat(
    client_as, published, lang, words
):
    html = section(page(client_as("hana"), "/centers/ircn/", lang), "outcomes")
    for text in words:
        assert text in html
    # the band is shown with its caveat and marked unconfirmed, in the page's language
    assert BAND.caveat.get(lang) in html
    assert BAND.label.get(lang).replace("'", "&#x27;") in html
    assert '<span class="mark mark-unconfirmed">' in html
    # the benchmarks beside the center, in a table with a caption and headers
    table = html[html.find('<table id="outcomes-table">') :]
    assert "<caption>" in table
    assert '<th scope="row">IRCN' in table
    assert f'<th scope="row">{BENCH_UNIT}' in table
    assert "50.0%" in table
    assert "8.3%" in table  # PP(top 1%)
    assert "0.54" in table  # MNCS
    # provenance
    assert str(published.data_folder) in html
    assert published.data_sha256[:12] in html
    assert f"{japan_time(published.at)} JST" in html
    unit = published.units.get(name="IRCN")
    assert f"{unit.dois_not_found}" in html


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_overview_shows_each_center_against_the_band(client_as, published, lang):
    html = section(page(client_as("mori"), "/", lang), "outcomes-overview")
    assert '<table id="outcomes-overview-table">' in html
    assert "<caption>" in html
    assert '<a href="/centers/ircn/#outcomes">IRCN</a>' in html
    assert "25.0%" in html
    assert {"en": "within the band", "ja": "範囲内"}[lang] in html
    assert BAND.caveat.get(lang) in html
    unit = published.units.get(name="IRCN")
    assert {"en": f"{unit.dois_not_found} of {unit.dois_listed}", "ja": f"{unit.dois_listed} 件中 {unit.dois_not_found} 件"}[lang] in html  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("url", "element"), [("/centers/ircn/", "outcomes"), ("/", "outcomes-overview")])  # fmt: skip
def test_nothing_published_is_said_plainly(client_as, db, lang, url, element):
    html = section(page(client_as("hana"), url, lang), element)
    assert NOTHING[lang] in html
    assert "<table" not in html


def test_a_center_not_in_the_run_is_said_so(client_as, published):
    html = section(page(client_as("hana"), "/centers/aimr/", "en"), "outcomes")
    assert "do not include this center: its annual reports listed no DOI" in html
    assert "<table" not in html


@pytest.mark.parametrize(
    ("persona", "sees_center", "sees_overview"),
    [
        ("hana", True, True),
        ("mori", True, True),
        ("sato", False, True),  # the overview, without IRCN's row
        ("ken", True, False),  # its own center; no comparison of all centers
        ("olivia", False, False),
        ("anonymous", False, False),
    ],
)
def test_who_sees_the_indicators(client_as, published, persona, sees_center, sees_overview):
    client = client_as(persona)
    assert bool(section(page(client, "/centers/ircn/", "en"), "outcomes")) == sees_center
    overview = section(page(client, "/", "en"), "outcomes-overview")
    assert bool(overview) == sees_overview
    if sees_overview:
        assert ("IRCN" in overview) == (persona != "sato")
        assert BENCH_UNIT in overview


def test_pages_only_read_what_was_published(client_as, published, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("indicators computed on page load")

    monkeypatch.setattr(Store, "__init__", refuse)
    client = client_as("hana")
    assert "25.0%" in section(page(client, "/centers/ircn/", "en"), "outcomes")
    assert "25.0%" in section(page(client, "/", "en"), "outcomes-overview")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "95% stability interval",
                "are its 95% stability interval",
                "40 bootstrap resamples, seed 7",
            ],
        ),
        (
            "ja",
            [
                "95%安定区間",
                "値の下の小さな数字は95%安定区間",
                "ブートストラップ 40 回、乱数シード 7",
            ],
        ),
    ],
)
def test_bootstrap_intervals_are_shown_and_explained(client_as, db, data_dir, lang, words):
    load_ircn_samples()
    run = publish(data_dir, Options(YEAR, YEAR, bootstrap=40, seed=7), [parse_unit("world")]).run
    values = run.units.get(name="IRCN").values.get(counting="full", method="cwts")
    html = section(page(client_as("hana"), "/centers/ircn/", lang), "outcomes")
    for text in words:
        assert text in html
    low, high = (format_share(values.pp_top10_lb), format_share(values.pp_top10_ub))
    assert f"{low}–{high}" in html


def test_when_it_was_computed_is_given_in_japan_time_with_its_zone(client_as, published):
    html = section(page(client_as("hana"), "/centers/ircn/", "en"), "outcomes")
    assert f"{japan_time(published.at)} JST (" in html
