"""Fiscal years, era names and yen amounts: data tables, edge cases first."""

import datetime

import pytest

from kyoten.fiscal import (
    fiscal_year_of,
    format_fiscal_year,
    format_yen,
    format_yen_ja,
    parse_fiscal_year,
    parse_yen,
)
from kyoten.text import KyotenError


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2024, 3, 31), 2023),  # 31 March closes the fiscal year
        (datetime.date(2024, 4, 1), 2024),  # 1 April opens the next
        (datetime.date(2024, 12, 31), 2024),  # calendar year end is mid fiscal year
        (datetime.date(2025, 1, 1), 2024),
    ],
)
def test_fiscal_year_of_a_date(day, expected):
    assert fiscal_year_of(day) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FY2024", 2024),
        ("fy 2024", 2024),  # case and a space are forgiven
        ("2024年度", 2024),
        ("２０２４年度", 2024),  # full-width digits, as typed on a Japanese keyboard
        ("2024", 2024),
        ("令和6年度", 2024),
        ("令和６年度", 2024),
        ("令和6", 2024),
        ("R6", 2024),
        ("r6", 2024),
        ("令和元年度", 2019),  # the first year of an era is 元年
        ("平成31年度", 2019),  # FY2019 began in Heisei: the same year as 令和元年度
        ("H31", 2019),
        ("平成元年度", 1989),
        ("平成19年度", 2007),  # the first WPI call
        (2010, 2010),
    ],
)
def test_parse_fiscal_year(text, expected):
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("令和0年度", "there is no year 0"),
        ("R0", "there is no year 0"),
        ("平成32年度", "this year is 令和2年度"),  # Heisei ended in its year 31
        ("昭和60年度", "expected a fiscal year"),  # eras before WPI are not supported
        ("FY24", "expected a fiscal year"),  # two-digit years are ambiguous
        ("FY20024", "expected a fiscal year"),
        ("FY1800", "between 1900 and 2200"),
        ("", "expected a fiscal year"),
        ("next year", "expected a fiscal year"),
    ],
)
def test_parse_fiscal_year_rejects_impossible_input(text, message):
    with pytest.raises(KyotenError, match=message) as caught:
        parse_fiscal_year(text)
    assert caught.value.value == text
    assert caught.value.localized("ja") != caught.value.localized("en")


def test_parse_fiscal_year_rejects_a_boolean():
    with pytest.raises(KyotenError):
        parse_fiscal_year(True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "style", "expected"),
    [
        (2024, "fy", "FY2024"),
        (2024, "nendo", "2024年度"),
        (2024, "wareki", "令和6年度"),
        (2019, "wareki", "令和元年度"),  # FY2019 is conventionally 令和元年度
        (2018, "wareki", "平成30年度"),
        (2007, "wareki", "平成19年度"),
    ],
)
def test_format_fiscal_year(year, style, expected):
    assert format_fiscal_year(year, style) == expected


@pytest.mark.parametrize("year", range(1990, 2060))
def test_fiscal_year_formats_round_trip(year):
    for style in ("fy", "nendo", "wareki"):
        assert parse_fiscal_year(format_fiscal_year(year, style)) == year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7億円", 700_000_000),
        ("700百万円", 700_000_000),
        ("5,000千円", 5_000_000),
        ("¥700,000,000", 700_000_000),
        ("￥700,000,000", 700_000_000),  # full-width yen sign
        ("7.5億円", 750_000_000),
        ("7億5,000万円", 750_000_000),  # units combined, largest first
        ("10億円", 1_000_000_000),
        ("1兆円", 10**12),
        ("700000000", 700_000_000),
        ("0円", 0),
        ("-5,000円", -5_000),
        ("△5,000円", -5_000),  # accounting notation for a negative amount
        ("１億円", 100_000_000),
        (123, 123),
    ],
)
def test_parse_yen(text, expected):
    assert parse_yen(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.5円", "whole number of yen"),
        ("1.234567891億円", "whole number of yen"),
        ("5万7億円", "expected an amount"),  # units must decrease
        ("7億億円", "expected an amount"),
        ("seven", "expected an amount"),
        ("", "expected an amount"),
        ("円", "expected an amount"),
        ("1,00円", "expected an amount"),  # misplaced thousands separator
        ("$700", "expected an amount"),
    ],
)
def test_parse_yen_rejects_bad_amounts(text, message):
    with pytest.raises(KyotenError, match=message):
        parse_yen(text)


@pytest.mark.parametrize(
    ("amount", "ja", "plain"),
    [
        (700_000_000, "7億円", "¥700,000,000"),
        (750_000_000, "7億5,000万円", "¥750,000,000"),
        (1_000_000_000, "10億円", "¥1,000,000,000"),
        (5_000_000, "500万円", "¥5,000,000"),
        (999, "999円", "¥999"),
        (0, "0円", "¥0"),
        (-20_000, "-2万円", "-¥20,000"),
    ],
)
def test_format_yen(amount, ja, plain):
    assert format_yen_ja(amount) == ja
    assert format_yen(amount) == plain
    assert parse_yen(ja) == amount
    assert parse_yen(plain.replace("-¥", "-")) == amount
