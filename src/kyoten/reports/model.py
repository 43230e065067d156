"""The annual progress report of a center for one fiscal year, as typed models.

A report states the center's situation on 31 March, the last day of its fiscal year: who
works there (the roster), what money came from where and went to what, what it produced
(publications, intellectual assets, international meetings) and how it followed up the
committee's recommendations. Each section is a list of rows; the same models validate a row
typed into the Excel template, a CSV line or a JSON object, so cell-friendly spellings are
accepted everywhere: ``yes``/``はい`` for true, ``2024/04/01`` for a date, ``7億円`` for an
amount, Japanese labels for codes (``ポスドク`` for ``postdoc``).

Checks that need more than one row or the fiscal year (dates inside the year, duplicate
people, a PI flag that disagrees with the category) live in :mod:`kyoten.reports.consistency`;
:class:`AnnualReport` runs them too, so a report object is always consistent.

Example:
    >>> row = RosterEntry.model_validate({
    ...     "name": "Aiko Tanaka", "orcid": "https://orcid.org/0000-0002-1825-0097",
    ...     "category": "主任研究者", "is_pi": "はい", "from_abroad": "no",
    ...     "nationality": "jp", "gender": "female", "effort_percent": 80,
    ...     "site": "main", "start_date": "2020/04/01"})
    >>> row.orcid, row.category, row.is_pi, row.nationality, row.start_date
    ('0000-0002-1825-0097', 'pi', True, 'JP', datetime.date(2020, 4, 1))
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    model_validator,
)

from kyoten.fiscal import parse_fiscal_year, parse_yen
from kyoten.identifiers import normalise_orcid, orcid_problem
from kyoten.program.plan import (
    EXPENSE_CATEGORY_LABELS,
    Category,
    ExpenseCategory,
    FundingSource,
    InstitutionRole,
)
from kyoten.text import UNPRINTABLE, Bilingual, KyotenError, printable
from kyoten.validation import published_schema

Track = Literal["wpi", "core", "multiple_host"]
Site = Literal["main", "domestic_satellite", "overseas_satellite"]
Gender = Literal["female", "male", "other", "undisclosed"]
AssetKind = Literal["research_platform", "software", "data_set", "patent", "licence"]
FollowUpStatus = Literal["done", "in_progress", "planned", "not_planned"]

# The largest amount one money line may hold: ¥100 billion, a hundred times the largest
# annual grant of the program (¥1B, Multiple Host WPI). A larger figure is a typing slip
# (extra zeros, or thousands of yen entered as yen), not a real line.
AMOUNT_MAX_YEN = 100_000_000_000
# The most participants one international meeting may report.
PARTICIPANTS_MAX = 100_000
# Effort is a share of a person's working time; a hundredth of a percent (33.33) is finer
# than any center accounts for it, and keeps every stored value exact as a JSON number.
EFFORT_DECIMALS = 2

# The codes of every choice column with their labels, used for the template's drop-down
# lists and instructions; a cell may hold the code or either label.
CHOICES: dict[str, dict[str, Bilingual]] = {
    "track": {
        "wpi": Bilingual(en="WPI", ja="WPI"),
        "core": Bilingual(en="WPI CORE", ja="WPI CORE"),
        "multiple_host": Bilingual(en="Multiple Host WPI", ja="Multiple Host WPI"),
    },
    "category": {
        "pi": Bilingual(en="PI", ja="主任研究者"),
        "researcher": Bilingual(en="researcher", ja="研究者"),
        "postdoc": Bilingual(en="postdoc", ja="ポスドク"),
        "student": Bilingual(en="student", ja="学生"),
        "administrative": Bilingual(en="administrative staff", ja="事務職員"),
        "technical": Bilingual(en="technical staff", ja="技術職員"),
    },
    "gender": {
        "female": Bilingual(en="female", ja="女性"),
        "male": Bilingual(en="male", ja="男性"),
        "other": Bilingual(en="other", ja="その他"),
        "undisclosed": Bilingual(en="undisclosed", ja="無回答"),
    },
    "site": {
        "main": Bilingual(en="main site", ja="本拠点"),
        "domestic_satellite": Bilingual(en="domestic satellite", ja="国内サテライト"),
        "overseas_satellite": Bilingual(en="overseas satellite", ja="海外サテライト"),
    },
    "source": {
        "wpi_grant": Bilingual(en="WPI grant", ja="WPI補助金"),
        "host_institution": Bilingual(en="host institution", ja="ホスト機関"),
        "competitive_funds": Bilingual(en="competitive research funds", ja="競争的研究費"),
        "donations": Bilingual(en="donations and endowments", ja="寄附金"),
        "industry": Bilingual(en="industry agreements", ja="民間企業との共同研究等"),
        "other": Bilingual(en="other", ja="その他"),
    },
    "expense": EXPENSE_CATEGORY_LABELS,  # the rulebook's plan vocabulary, one definition
    "kind": {
        "research_platform": Bilingual(en="research platform", ja="研究基盤"),
        "software": Bilingual(en="software", ja="ソフトウェア"),
        "data_set": Bilingual(en="data set", ja="データセット"),
        "patent": Bilingual(en="patent", ja="特許"),
        "licence": Bilingual(en="licence", ja="ライセンス"),
    },
    "status": {
        "done": Bilingual(en="done", ja="対応済み"),
        "in_progress": Bilingual(en="in progress", ja="対応中"),
        "planned": Bilingual(en="planned", ja="対応予定"),
        "not_planned": Bilingual(en="not planned", ja="対応予定なし"),
    },
    "role": {
        "host": Bilingual(en="host institution", ja="ホスト機関"),
        "overseas_partner": Bilingual(en="overseas partner", ja="海外連携機関"),
        "domestic_partner": Bilingual(en="domestic partner", ja="国内連携機関"),
        "satellite": Bilingual(en="satellite", ja="サテライト機関"),
    },
}


def _clean(text: str) -> str:
    """NFKC (full-width to ASCII), surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


def _blank(value: Any) -> Any:
    """An empty or all-space text cell is no value."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


# Validation context for reading a stored report: text stored before a rule was tightened
# is read with the offending characters escaped, never refused (a stored record must not
# make a page fail).
STORED: dict[str, bool] = {"stored": True}


def _stored(info: ValidationInfo | None) -> bool:
    return info is not None and bool((info.context or {}).get("stored"))


def _plain(text: str, info: ValidationInfo | None = None) -> str:
    """Refuse characters no stored text may hold (see :data:`kyoten.text.UNPRINTABLE`)."""
    found = UNPRINTABLE.search(text)
    if found is not None and _stored(info):
        return printable(text)
    if found is not None:
        code = f"U+{ord(found.group()):04X}"
        raise KyotenError(
            Bilingual(
                en=f"contains the character {code} (a control character, a lone surrogate or a "
                "text-direction override), which cannot be stored; remove it",
                ja=f"保存できない文字（{code}：制御文字・不正なサロゲート・文字方向の制御文字）"
                "が含まれています。削除してください",
            ),
            value=printable(text),
        )
    return text


def _text(value: Any, info: ValidationInfo) -> Any:
    value = _blank(value)
    if isinstance(value, str):
        value = _plain(value, info)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        # A number typed into a text column (e.g. a patent number) is text.
        number = _integral(value)
        return str(number if isinstance(number, int) else plain_decimal(number))
    return value.strip() if isinstance(value, str) else value


_TRUE = {"yes", "y", "true", "1", "はい", "○", "〇", "有", "あり"}
_FALSE = {"no", "n", "false", "0", "いいえ", "×", "無", "なし"}
_EXPECTED_YES_NO = Bilingual(
    en="expected yes or no", ja="yes（はい）または no（いいえ）を入力してください"
)


def _yes_no(value: Any) -> Any:
    value = _blank(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = _clean(value).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise KyotenError(_EXPECTED_YES_NO, value=value)


def _choice(kind: str) -> Any:
    """A validator mapping a code or either label of ``CHOICES[kind]`` to the code."""
    lookup: dict[str, str] = {}
    for code, label in CHOICES[kind].items():
        for spelling in (code, label.en, label.ja):
            lookup[_clean(spelling).lower()] = code

    def to_code(value: Any) -> Any:
        value = _blank(value)
        if isinstance(value, str):
            return lookup.get(_clean(value).lower(), value)
        return value

    return to_code


_EXPECTED_DATE = Bilingual(
    en="expected a date such as 2024-04-01 or 2024/04/01",
    ja="日付は 2024-04-01 または 2024/04/01 のように入力してください",
)


def _date(value: Any) -> Any:
    value = _blank(value)
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise KyotenError(_EXPECTED_DATE, value=value.isoformat(sep=" "))
        return value.date()
    if isinstance(value, str):
        text = _clean(value).replace("/", "-").replace(".", "-")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match is None:
            raise KyotenError(_EXPECTED_DATE, value=value)
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise KyotenError(_EXPECTED_DATE, value=value) from None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise KyotenError(_EXPECTED_DATE, value=value)
    return value


def _integral(value: Any) -> Any:
    """A number as an exact decimal, and a whole one as an integer: a spreadsheet's 2024.0
    is the whole number 2024 (see :func:`exact_decimal`)."""
    if isinstance(value, float):
        value = exact_decimal(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


def _fiscal_year(value: Any) -> Any:
    value = _integral(_blank(value))
    return None if value is None else parse_fiscal_year(value)


def _yen(value: Any) -> Any:
    value = _integral(_blank(value))
    if isinstance(value, Decimal):
        raise KyotenError(
            Bilingual(
                en="an amount must be a whole number of yen",
                ja="金額は1円単位の整数で入力してください",
            ),
            value=value,
        )
    return None if value is None else parse_yen(value)


def _orcid(value: Any) -> Any:
    value = _blank(value)
    if not isinstance(value, str):
        return value
    text = _clean(value)
    problem = orcid_problem(text)
    if problem is not None:
        raise KyotenError(problem, value=value)
    return normalise_orcid(text)


def _doi(value: Any, info: ValidationInfo) -> Any:
    value = _blank(value)
    if not isinstance(value, str):
        return value
    text = _clean(_plain(value, info))
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    if not re.fullmatch(r"10\.\d{4,9}/\S+", text):
        raise KyotenError(
            Bilingual(
                en="a DOI has the form 10.1234/abc (doi.org links are accepted)",
                ja="DOI は 10.1234/abc の形式で入力してください（doi.org のリンクも可）",
            ),
            value=value,
        )
    return text


def _upper(value: Any) -> Any:
    value = _blank(value)
    return _clean(value).upper() if isinstance(value, str) else value


def _count(value: Any) -> Any:
    return _integral(_blank(value))


def exact_decimal(number: int | float) -> Decimal:
    """The decimal number a spreadsheet cell (or a JSON number) stands for, exactly.

    A workbook stores a number as a binary double and openpyxl hands it over as a float, so
    the decimal that was typed is already gone — unless it is recovered: the shortest text
    that reads back as the same double (Python's ``repr``) *is* the number as typed whenever
    it was typed with at most 15 significant digits, because no two such decimals share a
    double (``DBL_DIG``). That holds however the program wrote the double into the file
    (Excel writes 0.56 as ``0.56000000000000005``, LibreOffice as ``0.56``), so this reads
    the value rather than the cell's stored text. ``Decimal(0.56)`` would give the double's
    binary expansion, 0.560000000000000053…, and ``0.56 * 100`` is 56.00000000000001.

    >>> exact_decimal(0.56) * 100, exact_decimal(0.14) * 100, exact_decimal(0.3) * 100
    (Decimal('56.00'), Decimal('14.00'), Decimal('30.0'))
    >>> exact_decimal(20.1) + exact_decimal(49.7) + exact_decimal(30.2) == 100
    True
    """
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


def plain_decimal(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (56.00 -> 56, 1E+2 -> 100);
    a number too large for any field of a report (past 28 digits) is left as it is, to be
    refused by its field's range.

    >>> plain_decimal(Decimal("56.00")), plain_decimal(Decimal("1E+2")), plain_decimal(Decimal("20.10"))
    (Decimal('56'), Decimal('100'), Decimal('20.1'))
    >>> plain_decimal(Decimal("1E+999999"))
    Decimal('1E+999999')
    """
    if not value.is_finite() or value.adjusted() >= 28:
        return value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def json_number(value: Decimal) -> int | float:
    """An exact decimal as a JSON number: a whole number as an integer, else the float whose
    shortest text is the decimal (exact for the at most 15 significant digits a report's
    decimals have).

    >>> json_number(Decimal("56")), json_number(Decimal("20.1"))
    (56, 20.1)
    """
    return int(value) if value == value.to_integral_value() else float(value)


_EXPECTED_PERCENT = Bilingual(
    en="expected a percentage as a number, such as 80, 33.5 or 80%",
    ja="割合（%）を 80、33.5、80% のように数値で入力してください",
)


def _percent(value: Any, info: ValidationInfo) -> Any:
    """A percentage as an exact decimal: from a number, or text such as ``80``, ``33.5`` or
    ``80%``. A float read back from a stored report of an earlier release (when effort was a
    float, and a percentage cell could be stored as 56.00000000000001) is rounded to the 15
    significant digits a double holds, which gives back the decimal that was typed."""
    value = _blank(value)
    if value is None:
        return value
    if isinstance(value, bool):
        raise KyotenError(_EXPECTED_PERCENT, value=value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float) and _stored(info):
        number = Decimal(format(value, ".15g"))
    elif isinstance(value, int | float):
        number = exact_decimal(value)
    elif isinstance(value, str) and len(value) <= 50:
        try:
            number = Decimal(_clean(value).removesuffix("%").strip())
        except InvalidOperation:
            raise KyotenError(_EXPECTED_PERCENT, value=value) from None
    else:
        raise KyotenError(_EXPECTED_PERCENT, value=value)
    if not number.is_finite():
        raise KyotenError(_EXPECTED_PERCENT, value=value)
    return plain_decimal(number)


def _percent_places(value: Decimal, info: ValidationInfo) -> Decimal:
    """At most ``EFFORT_DECIMALS`` decimals (a stored report of an earlier release is read as
    it was stored)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > EFFORT_DECIMALS and not _stored(info):
        raise KyotenError(
            Bilingual(
                en=f"give the effort with at most {EFFORT_DECIMALS} decimals, such as 33.33",
                ja=f"エフォートは小数点以下{EFFORT_DECIMALS}桁まで（33.33 など）で入力してください",
            ),
            value=value,
        )
    return value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=1000)]
OptionalText = Annotated[Annotated[str, Field(max_length=2000)] | None, BeforeValidator(_text)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
OptionalYesNo = Annotated[bool | None, BeforeValidator(_yes_no)]
Day = Annotated[datetime.date, BeforeValidator(_date)]
OptionalDay = Annotated[datetime.date | None, BeforeValidator(_date)]
FiscalYear = Annotated[
    int,
    BeforeValidator(_fiscal_year),
    Field(description="A fiscal year: 2024, FY2024, 2024年度, 令和6年度 or R6."),
]
Country = Annotated[
    str,
    BeforeValidator(_upper),
    Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code, e.g. JP."),
]
Orcid = Annotated[
    str | None,
    BeforeValidator(_orcid),
    Field(description="ORCID iD, e.g. 0000-0002-1825-0097 (checksum verified)."),
]
Percent = Annotated[
    Decimal,
    BeforeValidator(_percent),
    Field(gt=0, le=100),
    AfterValidator(_percent_places),
    PlainSerializer(json_number, when_used="json"),
    Field(description="A percentage: 80, 33.5 or 80% (at most two decimals)."),
]
Amount = Annotated[
    int,
    BeforeValidator(_yen),
    Field(
        ge=0,
        le=AMOUNT_MAX_YEN,
        description="Whole yen: 700000000, ¥700,000,000, 7億円, 700百万円 or 5,000千円.",
    ),
]


def _code(kind: str) -> BeforeValidator:
    return BeforeValidator(_choice(kind))


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportMetadata(_Row):
    """Which center and fiscal year the report is for, and the center's place in the program."""

    center: Annotated[Text, Field(description="The center's short name or id, e.g. IPMU.")]
    center_name: OptionalText = None
    host_institution: OptionalText = None
    host_head: OptionalText = Field(default=None, description="The head of the host institution.")
    center_director: OptionalText = None
    administrative_director: OptionalText = None
    fiscal_year: FiscalYear
    track: Annotated[Track, _code("track")]
    selection_fiscal_year: FiscalYear = Field(
        description="The fiscal year the center was selected."
    )
    stage_gate_passed_fiscal_year: Annotated[int | None, BeforeValidator(_fiscal_year)] = Field(
        default=None, description="WPI CORE: the fiscal year the stage-gate review was passed."
    )
    extension_granted: YesNo = False
    english_working_language: OptionalYesNo = None
    english_administration: OptionalYesNo = None
    english_research_support: OptionalYesNo = None
    exchange_rate_note: OptionalText = Field(
        default=None, description="Any exchange rate used to convert amounts into yen."
    )
    is_sample: YesNo = Field(
        default=False, description="True for generated sample data, never for a real report."
    )


class InstitutionEntry(_Row):
    """A host institution, partner or satellite institution."""

    name: Text
    country: Country
    role: Annotated[InstitutionRole, _code("role")]
    organisation_level_agreement: YesNo = False


class RosterEntry(_Row):
    """One person at one site for one period; a person at two sites has two rows."""

    name: Text
    orcid: Orcid = None
    category: Annotated[Category, _code("category")]
    is_pi: YesNo
    from_abroad: YesNo
    nationality: Annotated[Country | None, BeforeValidator(_upper)] = None
    gender: Annotated[Gender, _code("gender")]
    effort_percent: Percent
    site: Annotated[Site, _code("site")]
    start_date: Day
    end_date: OptionalDay = None
    international_recruitment: OptionalYesNo = Field(
        default=None,
        description="Postdocs only: hired through international open recruitment.",
    )

    def active_on(self, day: datetime.date) -> bool:
        """Whether this row covers ``day``."""
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class MoneyLine(_Row):
    """An amount from one source spent on one expense category."""

    source: Annotated[FundingSource, _code("source")]
    category: Annotated[ExpenseCategory, _code("expense")]
    amount: Amount
    description: OptionalText = None


class Publication(_Row):
    """A publication of the fiscal year, by DOI."""

    doi: Annotated[str, BeforeValidator(_doi)]
    title: OptionalText = None
    interdisciplinary: YesNo
    international_coauthorship: YesNo


class IntellectualAsset(_Row):
    """A research platform, software, data set, patent or licence."""

    kind: Annotated[AssetKind, _code("kind")]
    title: Text
    identifier: OptionalText = Field(
        default=None, description="A DOI, URL, patent or licence number."
    )
    date: OptionalDay = None


class Meeting(_Row):
    """An international meeting the center held."""

    title: Text
    date: Day
    country: Country
    participants: Annotated[int, BeforeValidator(_count), Field(ge=0, le=PARTICIPANTS_MAX)]
    participants_from_abroad: Annotated[
        int, BeforeValidator(_count), Field(ge=0, le=PARTICIPANTS_MAX)
    ]


class FollowUp(_Row):
    """A recommendation of the program committee and what the center did about it."""

    recommendation: Text
    evaluation: OptionalText = Field(
        default=None, description="Which evaluation made it, e.g. FY2023 follow-up."
    )
    action: Text
    status: Annotated[FollowUpStatus, _code("status")]
    recommendation_id: OptionalText = Field(
        default=None,
        description="The id Kyoten gave the point to improve (e.g. R12-3), as pre-filled in the "
        "template: the center's action comes back to it when the report is accepted.",
    )


class AnnualReport(BaseModel):
    """A center's annual progress report for one fiscal year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metadata: ReportMetadata
    institutions: list[InstitutionEntry] = []
    roster: list[RosterEntry]
    money: list[MoneyLine] = []
    publications: list[Publication] = []
    assets: list[IntellectualAsset] = []
    meetings: list[Meeting] = []
    follow_up: list[FollowUp] = []

    @model_validator(mode="after")
    def _consistent(self) -> AnnualReport:
        from kyoten.reports.consistency import consistency_issues

        issues = consistency_issues(self.metadata, section_rows(self))
        if issues:
            first = issues[0]
            raise KyotenError(first.message, location=first.path(), value=first.value)
        return self

    @property
    def reporting_date(self) -> datetime.date:
        """31 March at the end of the fiscal year: the day the report describes."""
        return datetime.date(self.metadata.fiscal_year + 1, 3, 31)


def section_rows(report: AnnualReport) -> dict[str, list[BaseModel]]:
    """The rows of every list section of ``report``, keyed by section."""
    return {
        "institutions": list(report.institutions),
        "roster": list(report.roster),
        "money": list(report.money),
        "publications": list(report.publications),
        "assets": list(report.assets),
        "meetings": list(report.meetings),
        "follow_up": list(report.follow_up),
    }


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of an annual report, as ``kyoten report schema`` prints it."""
    return published_schema(AnnualReport, "Kyoten annual progress report")
