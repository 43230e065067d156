"""The sections of a report and their columns: one definition for Excel, CSV and JSON.

Each section is a sheet of the Excel template (and a CSV file, and a key of the JSON): the
centre's details (拠点 Center) as a form of item and value, every other section as a table
with Japanese headers in row 1, English headers in row 2 and data from row 3. A column is
recognised by either header, or by its field name.

Example:
    >>> [s.sheet for s in SECTIONS][:3]
    ['拠点 Center', '機関 Institutions', '名簿 Roster']
    >>> section("roster").column("orcid").header.ja
    'ORCID iD'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel

from kyoten.reports.model import (
    FollowUp,
    InstitutionEntry,
    IntellectualAsset,
    Meeting,
    MoneyLine,
    Publication,
    ReportMetadata,
    RosterEntry,
)
from kyoten.text import Bilingual

# Data rows of a table sheet start below the two header rows.
FIRST_DATA_ROW = 3
INSTRUCTIONS_SHEET = "説明 Instructions"


@dataclass(frozen=True)
class Column:
    """A field of a section: its headers, what to enter, and its drop-down list if any."""

    field: str
    header: Bilingual
    note: Bilingual  # what to enter; for a choice column, a remark after its list ("" if none)
    choices: str | None = None  # a key of model.CHOICES, or "yes_no"
    required: bool = False
    width: int = 16

    def matches(self, text: str) -> bool:
        """Whether a header cell names this column (either language, or the field name)."""
        key = normalise_header(text)
        return key in {normalise_header(s) for s in (self.header.ja, self.header.en, self.field)}


@dataclass(frozen=True)
class Section:
    """One sheet of the template; ``form`` sections hold one record as item/value rows."""

    key: str
    sheet: str
    title: Bilingual
    model: type[BaseModel]
    columns: tuple[Column, ...]
    form: bool = False

    @property
    def csv_name(self) -> str:
        """The section's file name in a CSV zip."""
        return f"{self.key}.csv"

    def column(self, field: str) -> Column:
        """The column of ``field`` (KeyError if none)."""
        for column in self.columns:
            if column.field == field:
                return column
        raise KeyError(field)


def normalise_header(text: str) -> str:
    """Headers compare after NFKC, case-folding and removing spaces and underscores."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.replace("_", " ").split())


def _c(
    field: str,
    en: str,
    ja: str,
    note_en: str,
    note_ja: str,
    choices: str | None = None,
    *,
    required: bool = False,
    width: int = 16,
) -> Column:
    return Column(
        field, Bilingual(en=en, ja=ja), Bilingual(en=note_en, ja=note_ja), choices, required, width
    )


SECTIONS: tuple[Section, ...] = (
    Section(
        "metadata",
        "拠点 Center",
        Bilingual(en="Center and fiscal year", ja="拠点と年度"),
        ReportMetadata,
        (
            _c(
                "center",
                "Center",
                "拠点",
                "short name or id, e.g. IPMU",
                "略称またはID（例：IPMU）",
                required=True,
            ),
            _c("center_name", "Center name", "拠点名", "full name", "正式名称", width=40),
            _c("host_institution", "Host institution", "ホスト機関", "name", "機関名", width=40),
            _c(
                "host_head",
                "Head of the host institution",
                "ホスト機関の長",
                "name",
                "氏名",
                width=40,
            ),
            _c("center_director", "Center director", "拠点長", "name", "氏名", width=40),
            _c(
                "administrative_director",
                "Administrative director",
                "事務部門長",
                "name",
                "氏名",
                width=40,
            ),
            _c(
                "fiscal_year",
                "Fiscal year",
                "年度",
                "e.g. 2024, FY2024, 令和6年度",
                "例：2024、令和6年度",
                required=True,
            ),
            _c(
                "track",
                "Track",
                "区分",
                "",
                "",
                "track",
                required=True,
            ),
            _c(
                "selection_fiscal_year",
                "Selection fiscal year",
                "採択年度",
                "the year the center was selected",
                "拠点が採択された年度",
                required=True,
            ),
            _c(
                "stage_gate_passed_fiscal_year",
                "Stage gate passed (FY)",
                "ステージゲート通過年度",
                "WPI CORE only",
                "WPI COREのみ",
            ),
            _c("extension_granted", "Extension granted", "延長", "", "", "yes_no"),
            _c(
                "english_working_language",
                "English working language",
                "英語が研究の公用語",
                "",
                "",
                "yes_no",
            ),
            _c(
                "english_administration",
                "English in administration",
                "事務の英語対応",
                "",
                "",
                "yes_no",
            ),
            _c(
                "english_research_support",
                "English in research support",
                "研究支援の英語対応",
                "",
                "",
                "yes_no",
            ),
            _c(
                "exchange_rate_note",
                "Exchange rates used",
                "使用した為替レート",
                "any rate used to convert into yen",
                "円換算に用いたレート",
                width=40,
            ),
            _c(
                "is_sample",
                "Sample data",
                "サンプルデータ",
                "yes only for generated sample data",
                "生成したサンプルデータのみ「はい」",
                "yes_no",
            ),
        ),
        form=True,
    ),
    Section(
        "institutions",
        "機関 Institutions",
        Bilingual(en="Host and partner institutions", ja="ホスト機関・連携機関"),
        InstitutionEntry,
        (
            _c("name", "Institution", "機関名", "name", "機関名", required=True, width=40),
            _c(
                "country",
                "Country",
                "国",
                "ISO code, e.g. JP, US",
                "国コード（例：JP、US）",
                required=True,
                width=10,
            ),
            _c(
                "role",
                "Role",
                "役割",
                "",
                "",
                "role",
                required=True,
            ),
            _c(
                "organisation_level_agreement",
                "Organisation-level agreement",
                "組織レベルの連携",
                "",
                "",
                "yes_no",
            ),
        ),
    ),
    Section(
        "roster",
        "名簿 Roster",
        Bilingual(
            en="Everyone at the center (one row per person, site and period)",
            ja="拠点の全構成員（人・拠点・期間ごとに1行）",
        ),
        RosterEntry,
        (
            _c("name", "Name", "氏名", "full name", "氏名", required=True, width=24),
            _c(
                "orcid",
                "ORCID iD",
                "ORCID iD",
                "e.g. 0000-0002-1825-0097, if any",
                "例：0000-0002-1825-0097（あれば）",
                width=22,
            ),
            _c(
                "category",
                "Category",
                "区分",
                "",
                "",
                "category",
                required=True,
            ),
            _c(
                "is_pi",
                "PI",
                "主任研究者",
                "yes exactly when the category is PI",
                "区分が主任研究者のときのみ「はい」",
                "yes_no",
                required=True,
                width=12,
            ),
            _c(
                "from_abroad",
                "From abroad",
                "外国からの研究者",
                "",
                "",
                "yes_no",
                required=True,
                width=12,
            ),
            _c(
                "nationality",
                "Nationality",
                "国籍",
                "ISO code, e.g. JP",
                "国コード（例：JP）",
                width=13,
            ),
            _c(
                "gender",
                "Gender",
                "性別",
                "",
                "",
                "gender",
                required=True,
                width=12,
            ),
            _c(
                "effort_percent",
                "Effort at the center (%)",
                "拠点でのエフォート（%）",
                "more than 0, at most 100",
                "0より大きく100以下",
                required=True,
                width=14,
            ),
            _c(
                "site",
                "Site",
                "拠点の場所",
                "",
                "",
                "site",
                required=True,
            ),
            _c(
                "start_date",
                "Start date",
                "着任日",
                "e.g. 2024-04-01",
                "例：2024-04-01",
                required=True,
                width=12,
            ),
            _c(
                "end_date",
                "End date",
                "離任日",
                "empty if still at the center",
                "在籍中は空欄",
                width=12,
            ),
            _c(
                "international_recruitment",
                "International open recruitment",
                "国際公募による採用",
                "postdocs only",
                "ポスドクのみ",
                "yes_no",
                width=17,
            ),
        ),
    ),
    Section(
        "money",
        "資金 Money",
        Bilingual(en="Money by source and expense category (yen)", ja="財源・費目別の資金（円）"),
        MoneyLine,
        (
            _c(
                "source",
                "Source",
                "財源",
                "",
                "",
                "source",
                required=True,
                width=20,
            ),
            _c(
                "category",
                "Expense category",
                "費目",
                "research project costs are not eligible for the WPI grant",
                "研究プロジェクト費はWPI補助金の対象外",
                "expense",
                required=True,
                width=20,
            ),
            _c(
                "amount",
                "Amount (yen)",
                "金額（円）",
                "whole yen, e.g. 280000000 or 2億8,000万円",
                "円単位（例：280000000、2億8,000万円）",
                required=True,
                width=18,
            ),
            _c("description", "Description", "内訳", "optional", "任意", width=40),
        ),
    ),
    Section(
        "publications",
        "論文 Publications",
        Bilingual(en="Publications of the fiscal year", ja="当該年度の論文"),
        Publication,
        (
            _c("doi", "DOI", "DOI", "e.g. 10.1234/abc", "例：10.1234/abc", required=True, width=30),
            _c("title", "Title", "タイトル", "optional", "任意", width=50),
            _c(
                "interdisciplinary",
                "Interdisciplinary",
                "学際的",
                "",
                "",
                "yes_no",
                required=True,
                width=12,
            ),
            _c(
                "international_coauthorship",
                "International co-authorship",
                "国際共著",
                "",
                "",
                "yes_no",
                required=True,
                width=12,
            ),
        ),
    ),
    Section(
        "assets",
        "知的資産 Assets",
        Bilingual(en="Intellectual assets", ja="知的資産"),
        IntellectualAsset,
        (
            _c(
                "kind",
                "Kind",
                "種類",
                "",
                "",
                "kind",
                required=True,
                width=18,
            ),
            _c("title", "Title", "名称", "name of the asset", "名称", required=True, width=40),
            _c(
                "identifier",
                "Identifier",
                "識別子",
                "DOI, URL, patent or licence number",
                "DOI、URL、特許番号等",
                width=30,
            ),
            _c(
                "date",
                "Date",
                "日付",
                "within the fiscal year, if any",
                "当該年度内（あれば）",
                width=12,
            ),
        ),
    ),
    Section(
        "meetings",
        "国際会議 Meetings",
        Bilingual(en="International meetings held", ja="開催した国際会議"),
        Meeting,
        (
            _c(
                "title", "Title", "会議名", "name of the meeting", "会議名", required=True, width=40
            ),
            _c(
                "date",
                "Date",
                "開催日",
                "first day, within the fiscal year",
                "初日（当該年度内）",
                required=True,
                width=12,
            ),
            _c(
                "country",
                "Country",
                "開催国",
                "ISO code, e.g. JP",
                "国コード（例：JP）",
                required=True,
                width=10,
            ),
            _c(
                "participants",
                "Participants",
                "参加者数",
                "whole number",
                "整数",
                required=True,
                width=12,
            ),
            _c(
                "participants_from_abroad",
                "Participants from abroad",
                "海外からの参加者数",
                "whole number",
                "整数",
                required=True,
                width=12,
            ),
        ),
    ),
    Section(
        "follow_up",
        "フォローアップ Follow-up",
        Bilingual(
            en="Follow-up of the committee's recommendations",
            ja="プログラム委員会の指摘事項への対応",
        ),
        FollowUp,
        (
            _c(
                "recommendation",
                "Recommendation",
                "指摘事項",
                "as the committee wrote it",
                "委員会の指摘",
                required=True,
                width=50,
            ),
            _c(
                "evaluation",
                "Evaluation",
                "評価",
                "e.g. FY2023 follow-up",
                "例：2023年度フォローアップ",
                width=20,
            ),
            _c(
                "action",
                "Action taken",
                "対応",
                "what the center did",
                "拠点の対応",
                required=True,
                width=50,
            ),
            _c(
                "status",
                "Status",
                "状況",
                "",
                "",
                "status",
                required=True,
                width=14,
            ),
            _c(
                "recommendation_id",
                "Id in Kyoten",
                "Kyoten上の番号",
                "as filled in (e.g. R12-3): keep it; empty for a point without one",
                "記入済みの番号（例：R12-3）はそのまま。番号のない項目は空欄",
                width=12,
            ),
        ),
    ),
)

TABLES: tuple[Section, ...] = tuple(s for s in SECTIONS if not s.form)
METADATA: Section = SECTIONS[0]


def section(key: str) -> Section:
    """The section called ``key`` (KeyError if none)."""
    for candidate in SECTIONS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
