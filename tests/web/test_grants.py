"""Grants decided (交付決定額): entered by the program office in the web app with their date
and source, amended by new entries (never overwritten), refused above the cap of the
center's track, era and stage with the cap named, and reconciled with the WPI spending the
center reports, on the center page and (program totals) on the overview."""

import datetime

import pytest

from kyoten.audit.models import AuditEvent
from kyoten.audit.sentences import sentence
from kyoten.registry.funding import center_funding, program_totals, reported_spending
from kyoten.registry.grants import GrantEntry, record_grant
from kyoten.registry.models import Center, Decision, Grant
from kyoten.submissions import services
from kyoten.submissions.samples import load_samples
from web.reporting import ircn_data, stored

D = datetime.date


def enter(client, center="ircn", lang="en", follow=False, **fields):
    data = {
        "fiscal_year": 2024,
        "amount": "700000000",
        "decided_on": "2024-04-01",
        "source": "文部科学省 交付決定通知 (2024-04-01)",
        **fields,
    }
    return client.post(
        f"/centers/{center}/grants/new/", data, HTTP_ACCEPT_LANGUAGE=lang, follow=follow
    )


def decide(user, center, amount, fiscal_year=2024):
    """The grant decided for ``center``'s ``fiscal_year``, entered through the service."""
    entry = GrantEntry(fiscal_year, amount, D(fiscal_year, 4, 1), "notice of the grant decision")
    return record_grant(Center.objects.get(key=center), entry, user, D(2026, 12, 1))


def written():
    return Grant.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def core_center(db):
    """A WPI CORE center of the FY2023 call (none was selected; this one is the test's)."""
    return Center.objects.create(
        key="core-test",
        short_name="CORE-T",
        name_en="Test CORE center",
        track="core",
        selection_fiscal_year=2023,
        support_start=D(2024, 1, 1),
        field_en="testing",
    )


@pytest.mark.parametrize(
    ("center", "fields", "en", "ja"),
    [
        # FY2012–FY2022 centers: ¥700M a year (IRCN was selected in FY2017)
        (
            "ircn",
            {"amount": "720,000,000"},
            "¥720,000,000 is above the cap of ¥700,000,000 for IRCN in FY2024: a WPI "
            "(standard) center selected in FY2017 (rules of the era “Centers selected in "
            "FY2012–FY2022”; source: 文部科学省 政策評価",
            "7億2,000万円は、IRCNの2024年度（2017年度採択のWPI（通常型）拠点。"
            "平成24年度〜令和4年度採択拠点のルール、出典：文部科学省 政策評価",
        ),
        # Multiple Host WPI: ¥1B a year per alliance
        (
            "aimec",
            {"amount": "11億円"},
            "¥1,100,000,000 is above the cap of ¥1,000,000,000 for AIMEC in FY2024: a "
            "Multiple Host WPI center selected in FY2023 (rules of the era “The FY2023 call”; "
            "source: 文部科学省「世界トップレベル研究拠点プログラム（WPI）について」2024年1月); at "
            "most ¥1,000,000,000 can be decided for this year. Per alliance, not per host",
            "11億円は、AIMECの2024年度（2023年度採択のMultiple Host WPI（アライアンス型）拠点。"
            "令和5年度公募のルール、出典：文部科学省「世界トップレベル研究拠点プログラム（WPI）"
            "について」2024年1月）の上限10億円を超えています。この年度の交付決定額は10億円以下"
            "です。ホスト機関ごとではなく、1アライアンスあたりの額です",
        ),
        # WPI CORE before its stage gate: ¥500M a year
        (
            "core-test",
            {"fiscal_year": 2025, "amount": "600000000", "decided_on": "2025-04-01"},
            "¥600,000,000 is above the cap of ¥500,000,000 for CORE-T in FY2025: a WPI CORE "
            "(staged) center selected in FY2023, before step-up",
            "6億円は、CORE-Tの2025年度（2023年度採択のWPI CORE（伴走成長方式）拠点・"
            "ステップアップ前。",
        ),
    ],
)
def test_an_amount_above_the_cap_is_refused_with_the_cap_named_and_nothing_written(
    client_as, core_center, center, fields, en, ja
):
    before = written()
    client = client_as("hana")
    assert en in enter(client, center, "en", **fields).content.decode()
    assert ja in enter(client, center, "ja", **fields).content.decode()
    assert written() == before


def test_wpi_core_takes_the_higher_cap_from_the_fiscal_year_after_its_stage_gate(
    client_as, core_center
):
    Decision.objects.create(
        center=core_center, kind="stage_gate_passed", date=D(2026, 2, 1), actor_label="test"
    )  # passed in FY2025: ¥700M from FY2026
    client = client_as("hana")
    high = {"amount": "7億円", "decided_on": "2026-04-01"}
    assert "before step-up" in enter(client, "core-test", fiscal_year=2025, **high).content.decode()
    response = enter(client, "core-test", fiscal_year=2026, **high)
    assert response.status_code == 302
    assert Grant.objects.get(center=core_center).amount_yen == 700_000_000


def test_an_approximate_cap_is_passed_only_when_the_office_confirms_the_amount(client_as):
    """The FY2007 centers' cap is about ¥1.4 billion (no source states a firm cap): an
    amount above it is entered once the office confirms it is as decided."""
    client = client_as("hana")
    fields = {"fiscal_year": 2009, "amount": "15億円", "decided_on": "2009-04-01"}
    before = written()
    page = enter(client, "mana", **fields).content.decode()
    assert "¥1,500,000,000 is above the approximate cap of about ¥1,400,000,000 for MANA" in page
    assert "tick “The amount is as decided”" in page
    page = enter(client, "mana", "ja", **fields).content.decode()
    assert "15億円は、MANAの2009年度" in page and "上限（約14億円）を超えています" in page
    assert written() == before

    response = enter(client, "mana", confirmed="on", follow=True, **fields)
    assert "above the approximate cap of the rulebook, as confirmed" in response.content.decode()
    row = next(y for y in center_funding(Center.objects.get(key="mana")) if y.fiscal_year == 2009)
    assert row.decided == 1_500_000_000 and row.over_cap


def test_a_center_with_firm_caps_is_not_offered_the_confirmation(client_as):
    assert (
        "The amount is as decided"
        not in client_as("hana")
        .get("/centers/ircn/grants/new/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert (
        "The amount is as decided"
        in client_as("hana")
        .get("/centers/mana/grants/new/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )


def test_an_amendment_is_a_new_entry_and_the_latest_is_in_force(client_as):
    client = client_as("hana")
    assert enter(client).status_code == 302
    response = enter(
        client,
        amount="6億5,000万円",
        decided_on="2025-01-20",
        source="https://www.mext.go.jp/example/amendment",
        note="Reduced after the FY2024 follow-up.",
        follow=True,
    )
    assert "The amendment for FY2024 was entered: ¥650,000,000, was ¥700,000,000." in (
        response.content.decode()
    )
    first, amendment = Grant.objects.filter(center__key="ircn").order_by("number")
    assert (first.number, first.amount_yen, first.decided_on) == (1, 700_000_000, D(2024, 4, 1))
    assert (amendment.number, amendment.amount_yen) == (2, 650_000_000)
    assert amendment.actor_label == "hana" and amendment.note.startswith("Reduced")
    row = next(y for y in center_funding(first.center) if y.fiscal_year == 2024)
    assert row.decided == 650_000_000 and row.amended

    page = response.content.decode()
    assert "¥650,000,000" in page and "1 amendment" in page
    assert "amendment 1" in page and "Reduced after the FY2024 follow-up." in page
    events = list(AuditEvent.objects.filter(kind__startswith="grant.").order_by("at", "pk"))
    assert [e.kind for e in events] == ["grant.decided", "grant.amended"]
    from django.utils import translation

    with translation.override("ja"):
        assert sentence(events[1]) == (
            "プログラム事務局（hana）がIRCNの令和6年度の交付決定額の変更を入力しました："
            "6億5,000万円（変更前7億円、2025-01-20決定）"
        )
    with translation.override("en"):
        assert sentence(events[0]) == (
            "Program office (hana) entered the grant decided for IRCN's FY2024: ¥700,000,000, "
            "decided on 2024-04-01"
        )


@pytest.mark.parametrize(
    ("fields", "en", "ja"),
    [
        # IRCN is supported from FY2017 to FY2026
        (
            {"fiscal_year": 2016},
            "Select a valid choice",
            "正しく選択してください",
        ),
        (
            {"amount": "seven hundred million"},
            "expected an amount in yen such as 700000000",
            "金額は 700000000、¥700,000,000、7億円",
        ),
        ({"amount": "0"}, "a grant decided is ¥1 or more", "交付決定額は1円以上です"),
        (
            {"amount": "7000億円"},
            "no grant is above ¥100,000,000,000: check the digits",
            "1,000億円を超える補助金はありません",
        ),
        (
            {"decided_on": "2099-04-01"},
            "the date a grant was decided cannot be after today",
            "交付決定日は今日",
        ),
        (
            {"decided_on": "2006-04-01"},
            "grants of the program are decided on 2007-01-01 or later",
            "本プログラムの交付決定は2007-01-01以降の日付です",
        ),
        ({"source": "  "}, "This field is required.", "このフィールドは必須です。"),
        (
            {"source": "notice\u202egnp.exe"},
            "contains the character U+202E",
            "保存できない文字（U+202E",
        ),
    ],
)
def test_a_bad_entry_is_refused_in_both_languages_and_nothing_written(client_as, fields, en, ja):
    before = written()
    client = client_as("hana")
    assert en in enter(client, "ircn", "en", **fields).content.decode()
    assert ja in enter(client, "ircn", "ja", **fields).content.decode()
    assert written() == before


@pytest.mark.parametrize(
    ("fields", "en", "ja"),
    [
        (
            {"decided_on": "2024-03-01", "amount": "650000000"},
            "an amendment is dated on or after the entry in force, decided on 2024-04-01",
            "変更は、現在有効な2024-04-01付けの決定以降の日付です",
        ),
        (
            {"decided_on": "2024-06-01"},
            "the amount in force is already ¥700,000,000; an amendment changes it",
            "現在有効な額がすでに7億円です",
        ),
        (
            {"decided_on": "2024-06-01", "amount": "750000000"},
            "¥750,000,000 is above the cap of ¥700,000,000 for IRCN in FY2024",
            "7億5,000万円は、IRCNの2024年度",
        ),
    ],
)
def test_a_bad_amendment_is_refused_and_the_amount_in_force_stays(client_as, fields, en, ja):
    client = client_as("hana")
    enter(client)
    before = written()
    assert en in enter(client, "ircn", "en", **fields).content.decode()
    assert ja in enter(client, "ircn", "ja", **fields).content.decode()
    assert written() == before
    assert Grant.objects.get(center__key="ircn").amount_yen == 700_000_000


def test_an_amendment_may_bring_the_grant_to_zero(client_as):
    client = client_as("hana")
    enter(client)
    assert enter(client, amount="0", decided_on="2024-09-01").status_code == 302
    row = next(y for y in center_funding(Center.objects.get(key="ircn")) if y.fiscal_year == 2024)
    assert row.decided == 0


def test_the_form_offers_the_year_asked_for(client_as):
    page = client_as("hana").get("/centers/ircn/grants/new/?fiscal_year=2019").content.decode()
    assert '<option value="2019" selected>' in page


# --- reconciliation -----------------------------------------------------------------------


@pytest.fixture
def ircn_samples(db):
    ircn = Center.objects.get(key="ircn")
    load_samples(D(2025, 6, 1), centers=[ircn])  # FY2017 to FY2024
    return ircn


def test_the_center_page_sets_the_grant_decided_beside_the_spending_reported(
    client_as, personas, ircn_samples
):
    client = client_as("hana")
    enter(client, fiscal_year=2023, decided_on="2023-04-03", amount="6億円")
    enter(client, fiscal_year=2024, decided_on="2024-04-01", amount="4億円")
    # FY2024: a real report, accepted, says ¥350,000,000 of WPI grant money was spent
    report = stored(personas["hana"], fiscal_year=2024, data=ircn_data(2024)).report
    for action in ("submit", "accept"):
        services.act(report, action, personas["hana"])
    reported = reported_spending(ircn_samples)
    years = {y.fiscal_year: y for y in center_funding(ircn_samples, None, reported)}
    assert years[2024].reported.amount == 350_000_000 and not years[2024].reported.is_sample
    assert years[2024].difference == 350_000_000 - 400_000_000
    assert years[2023].reported.is_sample  # the sample stands in, marked
    assert years[2023].difference == years[2023].reported.amount - 600_000_000
    assert years[2025].reported is None and years[2025].difference is None

    response = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en")
    row_2024 = _row(response, "funding-table", "FY2024")
    assert "¥400,000,000" in row_2024 and "¥350,000,000" in row_2024
    assert "-50,000,000" in row_2024 and "sample" not in row_2024
    row_2023 = _row(response, "funding-table", "FY2023")
    assert "sample-badge" in row_2023 and "more than decided" not in row_2023
    assert "not entered" in _row(response, "funding-table", "FY2025")
    assert "no report" in _row(response, "funding-table", "FY2026")
    ja = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "交付決定額" in ja and "報告されたWPI補助金の支出" in ja


def test_spending_above_the_grant_decided_is_marked(client_as, personas):
    client = client_as("hana")
    enter(client, amount="3億円")  # the report says ¥350,000,000 were spent
    report = stored(personas["hana"]).report
    for action in ("submit", "accept"):
        services.act(report, action, personas["hana"])
    page = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "+50,000,000" in page and "more than decided" in page


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("hana", True),
        ("ken", True),  # the center's own office
        ("ito", True),  # its Program Officer
        ("mori", True),  # a committee member
        ("sato", False),  # a committee member with a conflict of interest with IRCN
        ("olivia", False),
        ("anonymous", False),
    ],
)
def test_the_grants_decided_are_shown_to_the_readers_of_the_center_internals_only(
    client_as, personas, persona, sees
):
    decide(personas["hana"], "ircn", 654_321_987)
    page = client_as(persona).get("/centers/ircn/").content.decode()
    assert ("654,321,987" in page) is sees
    assert ('id="funding-table"' in page) is sees
    assert ("/centers/ircn/grants/new/" in page) is (persona == "hana")


# --- program totals ------------------------------------------------------------------------


def test_the_overview_sets_the_grants_decided_against_the_published_budget(client, personas):
    for key in ("ircn", "nanolsi"):
        decide(personas["hana"], key, 700_000_000)
    everyone = list(Center.objects.all())
    fy2024 = {t.fiscal_year: t for t in program_totals(everyone, include_decided=True)}[2024]
    assert (fy2024.decided_total, fy2024.centers_decided) == (1_400_000_000, 2)
    assert fy2024.published.amount_yen == 7_200_000_000  # the FY2024 budget
    assert fy2024.difference is None  # 2 of the 9 centers supported: no difference yet
    client.force_login(personas["hana"])
    row = _row(client.get("/", HTTP_ACCEPT_LANGUAGE="en"), "program-totals", "FY2024")
    assert "¥1,400,000,000" in row and "2 of 9 centers entered" in row
    assert "¥7,200,000,000" in row and "when every center is entered" in row

    # the other seven centers supported in FY2024: ¥700M each, AIMEC ¥1B
    for key in ("icredd", "ashbi", "qup", "prime", "skcm2", "bio2q"):
        decide(personas["hana"], key, 700_000_000)
    decide(personas["hana"], "aimec", 1_000_000_000)
    fy2024 = {t.fiscal_year: t for t in program_totals(everyone, include_decided=True)}[2024]
    assert fy2024.difference == 6_600_000_000 - 7_200_000_000
    row = _row(client.get("/", HTTP_ACCEPT_LANGUAGE="en"), "program-totals", "FY2024")
    assert "¥6,600,000,000" in row and "-600,000,000" in row and "centers entered" not in row
    ja = _row(client.get("/", HTTP_ACCEPT_LANGUAGE="ja"), "program-totals", "2024年度")
    assert "¥6,600,000,000" in ja and "-600,000,000" in ja

    client.logout()
    public = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # the sum of the caps is ¥6.6B too: the decided figures show nowhere, neither column nor bar
    assert "Grants decided (yen)" not in public and "Decided minus published" not in public
    assert 'class="bar-actual"' not in public
    assert "¥7,200,000,000" in public  # the published figure stays public


def _row(response, table_id, first_cell):
    """The row of the table ``table_id`` that starts with ``first_cell``, as HTML."""
    page = response.content.decode()
    table = page[page.index(f'id="{table_id}"') :]
    row = table[table.index(f">{first_cell}<") :]
    return row[: row.index("</tr>")]


def test_an_entry_of_a_year_no_longer_supported_stays_listed(client_as, personas):
    """A termination recorded later ends support before a year whose grant was entered: the
    entry stays in the list of entries, and the page does not fail."""
    ircn = Center.objects.get(key="ircn")
    decide(personas["hana"], "ircn", 654_321_987, fiscal_year=2025)
    Decision.objects.create(
        center=ircn, kind="support_terminated", date=D(2025, 4, 1), actor_label="test"
    )
    page = client_as("hana").get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "FY2025" not in page[page.index('id="funding-table"') : page.index('id="grant-entries"')]
    assert "654,321,987" in page[page.index('id="grant-entries"') :]
