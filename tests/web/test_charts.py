"""The server-drawn charts: gridlines on steps of 1, 2 or 5 × 10ⁿ, year labels that never run
together, the unit named once on the axis, and a legend entry for every kind of bar."""

import datetime
import itertools
import re
from decimal import Decimal

import pytest

from kyoten.registry import charts

YEARS = list(range(2007, 2033))  # the overview's 26 fiscal years


def is_nice(step):
    """1, 2 or 5 × 10ⁿ."""
    digits = Decimal(str(step)).normalize().as_tuple().digits
    return digits in ((1,), (2,), (5,))


@pytest.mark.parametrize(
    "top",
    # the tops that gave 19/38/57/76 and 26/52/79 before, a percent axis, small and huge
    [76, 79, 105, 100, 7, 1, 3, 0.4, 13_000, 10_500_000_000, 700_000_000],
)
def test_gridlines_fall_on_nice_steps_up_to_the_first_above_the_top(top):
    chart = charts.grouped_bars([2024], [("x", "bar-cap", {2024: top})], top, str)
    values = [Decimal(label) for _y, label in chart.gridlines]
    steps = {b - a for a, b in itertools.pairwise(values)}
    assert len(steps) == 1
    step = steps.pop()
    assert is_nice(step)
    assert values[0] == 0
    assert values[-1] >= Decimal(str(top)) > values[-2]
    assert 3 <= len(values) <= 9


def test_the_tallest_bar_reaches_its_value_on_the_axis():
    chart = charts.grouped_bars([2024], [("x", "bar-cap", {2024: 80})], 80, str)
    [bar] = chart.groups[0].bars
    assert bar.y == chart.y_of(80)
    assert bar.y + bar.height == chart.baseline_y


def test_year_labels_are_thinned_out_where_they_would_touch():
    chart = charts.bar_chart(YEARS, [("caps", "bar-cap", dict.fromkeys(YEARS, 1))], "en")
    shown = [(g.label_x, g.label) for g in chart.groups if g.label]
    assert [label for _x, label in shown] == [str(y) for y in YEARS[::2]]
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(shown)]
    assert min(gaps) >= charts.YEAR_LABEL_WIDTH
    # every bar keeps its year in its title
    assert [g.bars[0].title.split()[0] for g in chart.groups] == [f"FY{y}" for y in YEARS]


def test_a_few_years_are_each_labelled():
    chart = charts.bar_chart([2022, 2023, 2024], [("caps", "bar-cap", {2022: 1})], "ja")
    assert [g.label for g in chart.groups] == ["2022", "2023", "2024"]


@pytest.mark.parametrize(
    ("lang", "axis", "ticks", "title"),
    [
        (
            "en",
            "¥ million",
            ["0", "2,000", "4,000", "6,000", "8,000", "10,000", "12,000"],
            "¥10,500,000,000",
        ),
        ("ja", "億円", ["0", "20", "40", "60", "80", "100", "120"], "105億円"),
    ],
)
def test_yen_axes_name_their_unit_once_and_keep_tick_labels_short(lang, axis, ticks, title):
    chart = charts.bar_chart([2024], [("caps", "bar-cap", {2024: 10_500_000_000})], lang)
    assert chart.axis_title == axis
    assert [label for _y, label in chart.gridlines] == ticks
    assert chart.groups[0].bars[0].title == f"FY2024 caps: {title}"


def test_small_amounts_get_decimals_on_the_axis():
    chart = charts.bar_chart([2024], [("x", "bar-cap", {2024: 30_000_000})], "ja")
    assert [label for _y, label in chart.gridlines] == [
        "0",
        "0.05",
        "0.10",
        "0.15",
        "0.20",
        "0.25",
        "0.30",
    ]


def entry(label, start, scheduled_end, end, academy=None):
    return charts.TimelineEntry(
        label, f"/{label}/", start, scheduled_end, end, academy, "support", "extension", "academy"
    )


def test_an_extension_is_its_own_segment_and_an_overlapping_academy_a_band():
    d = datetime.date
    kavli = entry("Kavli IPMU", d(2007, 10, 1), d(2017, 3, 31), d(2022, 3, 31), d(2017, 4, 1))
    aimr = entry("AIMR", d(2007, 10, 1), d(2017, 3, 31), d(2017, 3, 31), d(2017, 4, 1))
    chart = charts.timeline([kavli, aimr], d(2026, 12, 1), 2026)
    assert chart.has_extension
    kavli_bars = {bar.css: bar for bar in chart.rows[0].bars}
    assert set(kavli_bars) == {
        "bar-supported",
        "bar-extension",
        "bar-academy bar-academy-band",
        "bar-academy",
    }
    extension, band = kavli_bars["bar-extension"], kavli_bars["bar-academy bar-academy-band"]
    supported = kavli_bars["bar-supported"]
    assert supported.x + supported.width == extension.x  # the regular period, then the extension
    assert band.height < extension.height  # the band lies inside the extension's bar
    assert extension.y < band.y < extension.y + extension.height
    assert [bar.css for bar in chart.rows[1].bars] == ["bar-supported", "bar-academy"]
    no_extension = charts.timeline([aimr], d(2026, 12, 1), 2026)
    assert not no_extension.has_extension


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            ["extension of support", "Kavli IPMU: extension 2017-03-31 – 2022-03-31", "¥ million"],
        ),
        ("ja", ["支援期間の延長", "Kavli IPMU：延長期間 2017-03-31～2022-03-31", "億円"]),
    ],
)
def test_the_overview_shows_the_extension_in_its_legend_and_the_unit_on_its_axis(
    client_as, lang, words
):
    page = client_as("hana").get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for text in words:
        assert text in page
    assert "×¥100M" not in page
    # the funding chart's tick labels are numbers only
    axis = re.findall(
        r'<text class="tick" x="56" y="[\d.]+" dy="4" text-anchor="end">([^<]*)<', page
    )
    assert axis
    assert all(re.fullmatch(r"[\d,.]+", label) for label in axis)
