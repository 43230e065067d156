"""The audit trail in words: the services record what was done as events with sentences in
Japanese and English, the changes each made folded under it; the program office filters
them by center, person, action and days (Japan time) and downloads them as CSV."""

import csv
import datetime
import io
import json

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.html import escape

from kyoten.audit.context import acting_as, recording
from kyoten.audit.models import AuditEntry, AuditEvent
from kyoten.audit.sentences import KINDS, sentence
from kyoten.registry.models import Center
from kyoten.submissions import services
from web.reporting import FY, stored

OFFICE = ["program_office"]
# kind -> (data of the event, its sentence in Japanese, in English); the actor is hana of
# the program office, the center IRCN where the event concerns one
EXAMPLES = {
    "report.uploaded": (
        {"fiscal_year": 2024, "version": 2, "actor_roles": ["center_office"]},
        "拠点事務部門（hana）がIRCNの令和6年度報告（第2版）をアップロードしました",
        "Center office (hana) uploaded version 2 of IRCN's FY2024 report",
    ),
    "report.sample_loaded": (
        {"fiscal_year": 2019, "actor_roles": []},
        "hanaがIRCNの令和元年度報告としてサンプルデータを読み込みました",
        "hana loaded sample data as IRCN's FY2019 report",
    ),
    "report.submitted": (
        {"fiscal_year": 2024},
        "プログラム事務局（hana）がIRCNの令和6年度報告をプログラム事務局に提出しました",
        "Program office (hana) submitted IRCN's FY2024 report to the program office",
    ),
    "report.accepted": (
        {"fiscal_year": 2024},
        "プログラム事務局（hana）がIRCNの令和6年度報告を受理しました",
        "Program office (hana) accepted IRCN's FY2024 report",
    ),
    "report.returned": (
        {"fiscal_year": 2024, "comment": "Fix the roster."},
        "プログラム事務局（hana）がIRCNの令和6年度報告をコメントを付けて差し戻しました",
        "Program office (hana) returned IRCN's FY2024 report with comments",
    ),
    "report.narrative_saved": (
        {"fiscal_year": 2026, "version": 3, "sections": ["summary"]},
        "プログラム事務局（hana）がIRCNの令和8年度報告の本文を保存しました（第3版）",
        "Program office (hana) saved the narrative of IRCN's FY2026 report as version 3",
    ),
    "report.appendix_attached": (
        {"fiscal_year": 2026, "title": "Appendix 1: Papers", "name": "papers.pdf"},
        "プログラム事務局（hana）がIRCNの令和8年度報告に別添「Appendix 1: Papers」（papers.pdf）を添付しました",
        "Program office (hana) attached the appendix “Appendix 1: Papers” (papers.pdf) to IRCN's FY2026 report",
    ),
    "report.appendix_removed": (
        {"fiscal_year": 2026, "title": "Appendix 1: Papers", "name": "papers.pdf"},
        "プログラム事務局（hana）がIRCNの令和8年度報告から別添「Appendix 1: Papers」（papers.pdf）を削除しました",
        "Program office (hana) removed the appendix “Appendix 1: Papers” (papers.pdf) from IRCN's FY2026 report",
    ),
    "deadline.set": (
        {"fiscal_year": 2026, "due": "2027-06-30", "was": ""},
        "プログラム事務局（hana）が令和8年度報告の提出期限を2027-06-30に設定しました",
        "Program office (hana) set the due date of the FY2026 reports to 2027-06-30",
    ),
    "decision.recorded": (
        {"decision": "interim_evaluation", "date": "2026-01-15"},
        "プログラム事務局（hana）がIRCNについて決定を記録しました（中間評価、2026-01-15付け）",
        "Program office (hana) recorded a decision for IRCN: interim evaluation, effective 2026-01-15",
    ),
    "decision.corrected": (
        {
            "decision": "interim_evaluation",
            "date": "2021-12-01",
            "was_decision": "interim_evaluation",
            "was": "2021-01-12",
        },
        "プログラム事務局（hana）がIRCNの決定（中間評価、2021-01-12発効）を訂正しました：訂正後は"
        "中間評価、2021-12-01発効",
        "Program office (hana) corrected a decision for IRCN (interim evaluation, effective "
        "2021-01-12): now interim evaluation, effective 2021-12-01",
    ),
    "decision.withdrawn": (
        {"decision": "academy_admission", "date": "2019-06-01", "reason": "entered in error"},
        "プログラム事務局（hana）がIRCNの決定（WPIアカデミー拠点に認定、2019-06-01発効）を取り下げ"
        "ました（理由：entered in error）",
        "Program office (hana) withdrew a decision for IRCN: admitted to the WPI Academy, "
        "effective 2019-06-01 (reason: entered in error)",
    ),
    "grant.decided": (
        {"fiscal_year": 2024, "amount_yen": 700_000_000, "date": "2024-04-01"},
        "プログラム事務局（hana）がIRCNの令和6年度の交付決定額を入力しました：7億円（2024-04-01決定）",
        "Program office (hana) entered the grant decided for IRCN's FY2024: ¥700,000,000, "
        "decided on 2024-04-01",
    ),
    "grant.amended": (
        {
            "fiscal_year": 2024,
            "amount_yen": 650_000_000,
            "was_yen": 700_000_000,
            "date": "2025-01-20",
        },
        "プログラム事務局（hana）がIRCNの令和6年度の交付決定額の変更を入力しました："
        "6億5,000万円（変更前7億円、2025-01-20決定）",
        "Program office (hana) entered an amendment of IRCN's FY2024 grant: ¥650,000,000 "
        "(was ¥700,000,000), decided on 2025-01-20",
    ),
    "cycle.opened": (
        {"cycle_type": "annual_follow_up", "fiscal_year": 2026},
        "プログラム事務局（hana）が令和8年度の「フォローアップ」を開始しました",
        "Program office (hana) opened the evaluation “Annual follow-up” for FY2026",
    ),
    "case.report_pinned": (
        {"fiscal_year": 2025},
        "プログラム事務局（hana）がIRCNの受理済み令和7年度報告書を評価資料として確定しました",
        "Program office (hana) pinned IRCN's accepted FY2025 report to its evaluation",
    ),
    "seat.invited": (
        {
            "person_en": "Emma Lindqvist",
            "person_ja": "",
            "seat_role": "chair",
            "fiscal_year": 2026,
        },
        "プログラム事務局（hana）がEmma Lindqvist氏にIRCN作業部会の主査を依頼しました（令和8年度）",
        "Program office (hana) invited Emma Lindqvist to IRCN's working group as chair (FY2026)",
    ),
    "seat.answered": (
        {"accepted": False},
        "プログラム事務局（hana）がIRCN作業部会への依頼を辞退しました",
        "Program office (hana) declined the invitation to IRCN's working group",
    ),
    "seat.no_conflict": (
        {},
        "プログラム事務局（hana）がIRCNとの利益相反がない旨を申告しました",
        "Program office (hana) stated having no conflict of interest with IRCN",
    ),
    "seat.conflict_declared": (
        {},
        "プログラム事務局（hana）がIRCNとの利益相反を申告しました",
        "Program office (hana) declared a conflict of interest with IRCN",
    ),
    "conflicts.detected": (
        {"on": "2026-12-07", "new": 3, "updated": 1, "removed": 0},
        "プログラム事務局（hana）が2026-12-07時点の利益相反を確認しました（新規3件、更新1件、該当しなくなったもの0件）",
        "Program office (hana) looked for conflicts of interest on 2026-12-07: 3 new findings, "
        "1 updated, 0 no longer found",
    ),
    "conflict.decided": (
        {
            "person_en": "Aiko Tanaka",
            "person_ja": "田中 愛子",
            "rule": "coauthorship",
            "was_status": "potential",
            "finding_status": "waived",
        },
        "プログラム事務局（hana）が田中 愛子氏とIRCNとの利益相反（拠点長・主任研究者との共著）を判定しました：要判断 → 免除",
        "Program office (hana) decided Aiko Tanaka's finding with IRCN (Co-author of the "
        "center's director or a PI): potential → waived",
    ),
    "conflict.declared": (
        {"person_en": "Aiko Tanaka", "person_ja": "田中 愛子", "rule": "personal"},
        "プログラム事務局（hana）が田中 愛子氏のIRCNとの利益相反を記録しました：拠点長・主任研究者との親族・パートナー・事業上の関係",
        "Program office (hana) recorded Aiko Tanaka's conflict of interest with IRCN: Family, "
        "partner or business ties with the center's director or a PI",
    ),
    "expert.saved": (
        {"person_en": "Emma Lindqvist", "person_ja": ""},
        "プログラム事務局（hana）がEmma Lindqvist氏の専門家プロフィールを保存しました",
        "Program office (hana) saved Emma Lindqvist's profile in the expert pool",
    ),
    "groups.proposed": (
        {"cycle_type": "annual_follow_up", "fiscal_year": 2026, "proposal_status": "optimal"},
        "プログラム事務局（hana）が「フォローアップ」令和8年度の作業部会の編成案を最適化により作成しました：すべての条件を満たす最良の編成",
        "Program office (hana) had the optimiser propose the working groups of “Annual "
        "follow-up” for FY2026: the best valid groups",
    ),
    "groups.uploaded": (
        {"cycle_type": "annual_follow_up", "fiscal_year": 2026},
        "プログラム事務局（hana）が「フォローアップ」令和8年度の作業部会の編成案をアップロードしました（すべての条件を確認済み）",
        "Program office (hana) uploaded working groups for “Annual follow-up” for FY2026, "
        "checked against every rule",
    ),
    "groups.confirmed": (
        {"cycle_type": "annual_follow_up", "fiscal_year": 2026},
        "プログラム事務局（hana）が「フォローアップ」令和8年度の作業部会の編成を確定しました",
        "Program office (hana) confirmed the working groups of “Annual follow-up” for FY2026",
    ),
    "groups.pairing_set": (
        {"person_en": "Emma Lindqvist", "person_ja": "", "pairing": "forbid", "fiscal_year": 2026},
        "プログラム事務局（hana）がIRCN作業部会（令和8年度）の編成でEmma Lindqvist氏を除外しました",
        "Program office (hana) excluded Emma Lindqvist for IRCN's working group (FY2026)",
    ),
    "groups.pairing_removed": (
        {"person_en": "Emma Lindqvist", "person_ja": "", "fiscal_year": 2026},
        "プログラム事務局（hana）がIRCN作業部会（令和8年度）の編成でEmma Lindqvist氏の指定・除外を取り消しました",
        "Program office (hana) removed the pin or exclusion of Emma Lindqvist for IRCN's "
        "working group (FY2026)",
    ),
    "visit.scheduled": (
        {"starts": "2026-07-14 10:00", "mode": "hybrid"},
        "プログラム事務局（hana）がIRCNの現地視察・ヒアリングを2026-07-14 10:00に設定しました",
        "Program office (hana) scheduled a site visit or hearing of IRCN for 2026-07-14 10:00",
    ),
    "visit.changed": (
        {"starts": "2026-07-14 10:00", "mode": "hybrid"},
        "プログラム事務局（hana）がIRCNの現地視察・ヒアリング（2026-07-14 10:00）を変更しました",
        "Program office (hana) changed the site visit or hearing of IRCN on 2026-07-14 10:00",
    ),
    "recommendation.answered": (
        {"code": "R12-1"},
        "プログラム事務局（hana）がIRCNの改善を要する点R12-1に回答しました",
        "Program office (hana) answered the point to improve R12-1 for IRCN",
    ),
    "recommendation.status_changed": (
        {"code": "R12-1", "status": "closed"},
        "プログラム事務局（hana）がIRCNの改善を要する点R12-1を「完了」にしました",
        "Program office (hana) set the point to improve R12-1 of IRCN to closed",
    ),
    "document.uploaded": (
        {"material": "self_evaluation", "name": "ircn-self-evaluation.pdf", "sha256": "ab"},
        "プログラム事務局（hana）がIRCNの自己点検評価報告書をアップロードしました：ircn-self-evaluation.pdf",
        "Program office (hana) uploaded Self-evaluation report for IRCN: ircn-self-evaluation.pdf",
    ),
    "review.saved": (
        {},
        "プログラム事務局（hana）がIRCNの評価書を下書き保存しました",
        "Program office (hana) saved a draft review of IRCN",
    ),
    "review.submitted": (
        {},
        "プログラム事務局（hana）がIRCNの評価書を提出しました",
        "Program office (hana) submitted a review of IRCN",
    ),
    "review.reopened": (
        {"person_en": "Min Lee", "person_ja": ""},
        "プログラム事務局（hana）がMin Lee氏のIRCN評価書を修正可能な状態に戻しました",
        "Program office (hana) reopened Min Lee's review of IRCN",
    ),
    "case.consolidated": (
        {},
        "プログラム事務局（hana）がIRCNの評価結果取りまとめ案を保存しました",
        "Program office (hana) saved the consolidated assessment of IRCN",
    ),
    "case.decided": (
        {
            "cycle_type": "interim_evaluation",
            "rating": "A",
            "outcome": "continue_revised",
            "fiscal_year": 2021,
        },
        "プログラム事務局（hana）が令和3年度「中間評価」におけるIRCNの委員会評価結果を記録しました："
        "評価A、計画を見直して継続",
        "Program office (hana) recorded the committee's result for IRCN in the evaluation "
        "“Interim evaluation” for FY2021: rating A, Continue with a revised plan",
    ),
    "cycle.published": (
        {"cycle_type": "annual_follow_up", "fiscal_year": 2026},
        "プログラム事務局（hana）が令和8年度「フォローアップ」の結果を公表しました",
        "Program office (hana) published the results of the evaluation “Annual follow-up” for "
        "FY2026",
    ),
    "plan.submitted": (
        {"name": "plan-fy2026.yaml"},
        "プログラム事務局（hana）がIRCNの計画 plan-fy2026.yaml を提出しました",
        "Program office (hana) submitted the plan plan-fy2026.yaml for IRCN",
    ),
    "outcomes.published": (
        {"first_year": 2014, "last_year": 2023},
        "プログラム事務局（hana）が2014〜2023年の論文の成果指標を公開しました",
        "Program office (hana) published the outcome indicators of papers from 2014 to 2023",
    ),
    "outcomes.sample_loaded": (
        {"first_year": 2014, "last_year": 2023, "actor_roles": []},
        "hanaが2014〜2023年の論文のサンプル成果指標（合成データから算出）を読み込みました",
        "hana loaded sample outcome indicators of papers from 2014 to 2023, computed from "
        "synthetic data",
    ),
    "reference.loaded": (
        {},
        "プログラム事務局（hana）が参照データを読み込みました",
        "Program office (hana) loaded the reference data",
    ),
    "account.invited": (
        {
            "person_en": "Astrid Lindqvist",
            "person_ja": "",
            "email": "astrid@example.org",
            "role": "working_group",
            "role_center": "IRCN",
        },
        "プログラム事務局（hana）がAstrid Lindqvist（astrid@example.org）をIRCNの作業部会委員として招待しました",
        "Program office (hana) invited Astrid Lindqvist (astrid@example.org) as Working-group expert (IRCN)",
    ),
    "account.invitation_resent": (
        {"email": "astrid@example.org"},
        "プログラム事務局（hana）がastrid@example.orgに招待メールを再送しました",
        "Program office (hana) sent the invitation to astrid@example.org again",
    ),
    "account.password_set": (
        {"actor_roles": ["working_group"]},
        "作業部会委員（hana）が招待メールからアカウントのパスワードを設定しました",
        "Working-group expert (hana) set the password of the account from the invitation",
    ),
    "account.office_password_set": (
        {"username": "office", "actor_roles": []},
        "hanaがプログラム事務局のアカウント office に新しいパスワードを設定しました",
        "hana set a new password for the program-office account office",
    ),
    "account.role_changed": (
        {
            "person_en": "Michinari Hamaguchi",
            "person_ja": "濱口 道成",
            "role": "committee",
            "role_center": "",
            "date": "2026-12-02",
        },
        "プログラム事務局（hana）が濱口 道成に2026-12-02からプログラム委員の役割を付与しました",
        "Program office (hana) gave Michinari Hamaguchi the role Committee member from 2026-12-02",
    ),
    "account.deactivated": (
        {"person_en": "Ken Sato", "person_ja": "佐藤 健"},
        "プログラム事務局（hana）が佐藤 健のアカウントを無効にしました",
        "Program office (hana) deactivated the account of Ken Sato",
    ),
    "account.reactivated": (
        {"person_en": "Ken Sato", "person_ja": ""},
        "プログラム事務局（hana）がKen Satoのアカウントを再び有効にしました",
        "Program office (hana) reactivated the account of Ken Sato",
    ),
    "record.created": (
        {"model": "registry.Grant", "object": "IRCN FY2024: ¥700,000,000"},
        "プログラム事務局（hana）が補助金「IRCN FY2024: ¥700,000,000」を作成しました",
        "Program office (hana) created the grant “IRCN FY2024: ¥700,000,000”",
    ),
    "record.changed": (
        {"model": "registry.Center", "object": "IRCN"},
        "プログラム事務局（hana）が拠点「IRCN」を変更しました",
        "Program office (hana) changed the center “IRCN”",
    ),
    "record.deleted": (
        {"model": "registry.Gone", "object": "old"},
        "プログラム事務局（hana）がregistry.Gone「old」を削除しました",
        "Program office (hana) deleted the registry.Gone “old”",
    ),
}


def event(kind, data, center="ircn", at=None, actor_label="hana"):
    record = AuditEvent.objects.create(
        kind=kind,
        center=Center.objects.get(key=center) if center else None,
        data={"actor_roles": OFFICE, **({"center": "IRCN"} if center else {}), **data},
        actor_label=actor_label,
    )
    if at is not None:
        AuditEvent.objects.filter(pk=record.pk).update(at=at)
    return record


def test_every_kind_of_event_has_an_example():
    assert set(EXAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_the_sentence_of_each_kind_in_both_languages(db, kind):
    data, ja, en = EXAMPLES[kind]
    record = event(kind, data)
    for lang, expected in (("ja", ja), ("en", en)):
        with translation.override(lang):
            assert sentence(record) == expected


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_audit_page_shows_every_kind_in_the_page_language(client_as, lang):
    for kind, (data, _, _) in EXAMPLES.items():
        event(kind, data)
    client = client_as("hana")
    pages = "".join(  # 50 events a page: every kind has an example, so more than one page
        client.get(f"/audit/?kind=&page={n}", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        for n in range(1, len(EXAMPLES) // 50 + 2)
    )
    for _data, ja, en in EXAMPLES.values():
        assert escape(ja if lang == "ja" else en) in pages


def test_accepting_a_report_is_one_event_with_its_changes(client_as, personas):
    report = stored(personas["hana"]).report
    services.act(report, "submit", personas["ken"])
    client = client_as("hana")
    client.post(f"/reports/{report.pk}/accept/", {"version": 1})
    accepted = AuditEvent.objects.get(kind="report.accepted")
    assert (accepted.center.key, accepted.actor, accepted.data["fiscal_year"]) == (
        "ircn",
        personas["hana"],
        FY,
    )
    with translation.override("ja"):
        assert sentence(accepted) == "プログラム事務局（hana）がIRCNの令和6年度報告を受理しました"
    changed = {(e.model, e.action) for e in accepted.entries.all()}
    assert changed == {
        ("submissions.AnnualReport", "update"),
        ("submissions.ReportEvent", "create"),
        ("people.Person", "create"),  # its PI with an ORCID iD, joined (kyoten.people.services)
        ("people.Affiliation", "create"),
    }


def test_an_upload_names_its_version(client_as, personas):
    version = stored(personas["ken"])
    uploaded = AuditEvent.objects.get(kind="report.uploaded")
    assert uploaded.data["version"] == version.number == 1
    assert {e.model for e in uploaded.entries.all()} >= {"submissions.ReportVersion"}


def test_a_refused_action_leaves_no_event(client_as, personas):
    report = stored(personas["ken"]).report
    before = AuditEvent.objects.count()
    assert (
        client_as("mori").post(f"/reports/{report.pk}/submit/", {"version": 1}).status_code == 403
    )
    assert AuditEvent.objects.count() == before


def test_recording_a_decision_and_inviting_are_events(client_as):
    client = client_as("hana")
    client.post(
        "/centers/qup/decisions/new/",
        {"kind": "interim_evaluation", "date": "2026-01-15", "precision": "day", "source": "x"},
    )
    client.post(
        "/accounts/invite/",
        {
            "family_name_en": "Lindqvist",
            "given_name_en": "Astrid",
            "email": "a@example.org",
            "role": "working_group",
            "center": Center.objects.get(key="ircn").pk,
        },
    )
    assert mail.outbox
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["decision.recorded", "account.invited"]
    invited = AuditEvent.objects.get(kind="account.invited")
    assert {e.model for e in invited.entries.all()} == {
        "auth.User",
        "people.Person",
        "accounts.Membership",
    }


def test_a_change_outside_any_action_is_an_event_of_its_own(personas):
    with acting_as(personas["hana"]):
        center = Center.objects.get(key="ircn")
        center.director = "Someone Else"
        center.save()
    changed = AuditEvent.objects.get(kind="record.changed", data__model="registry.Center")
    assert changed.center == center
    [entry] = changed.entries.all()
    assert entry.changes()[0][0] == "director"


def test_loading_the_same_reference_data_again_records_nothing(db):
    from kyoten.registry.reference import load_reference

    before = AuditEvent.objects.count()
    load_reference()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("center={qup}", {"report.accepted"}),
        ("who=ken", {"plan.submitted"}),
        ("who=Tanaka", {"plan.submitted"}),  # the person behind ken's account
        ("kind=decision.recorded", {"decision.recorded"}),
        # days in Japan time: 23:30 JST on 31 March is on 31 March, 00:30 JST on 1 April not
        ("since=2025-03-31&until=2025-03-31", {"decision.recorded"}),
        ("since=2025-04-01", {"report.accepted", "plan.submitted"}),
        ("until=2025-03-30", set()),
    ],
)
def test_the_filters(client_as, personas, query, kinds):
    person = personas["ken"].person
    person.family_name_en = "Tanaka"
    person.save()
    AuditEvent.objects.all().delete()
    jst = datetime.timezone(datetime.timedelta(hours=9))
    event(
        "decision.recorded",
        {"decision": "extension"},
        at=datetime.datetime(2025, 3, 31, 23, 30, tzinfo=jst),
    )
    event(
        "report.accepted",
        {"fiscal_year": 2024},
        center="qup",
        at=datetime.datetime(2025, 4, 1, 0, 30, tzinfo=jst),
    )
    ken = event(
        "plan.submitted",
        {"name": "p.yaml"},
        actor_label="ken",
        at=datetime.datetime(2025, 5, 1, tzinfo=jst),
    )
    AuditEvent.objects.filter(pk=ken.pk).update(actor=personas["ken"])
    qup = Center.objects.get(key="qup").pk
    response = client_as("hana").get(f"/audit/?{query.format(qup=qup)}")
    assert {row.event.kind for row in response.context["rows"]} == kinds


def test_a_reversed_date_range_says_so(client_as):
    response = client_as("hana").get(
        "/audit/?since=2025-04-02&until=2025-04-01", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The last day comes before the first." in response.content.decode()


def test_the_pages_keep_the_filter(client_as):
    for number in range(60):
        event("plan.submitted", {"name": f"p{number}.yaml"})
    page = client_as("hana").get("/audit/?kind=plan.submitted").content.decode()
    assert "?kind=plan.submitted&amp;page=2" in page


def test_the_csv_export_holds_both_sentences_and_the_changes(client_as, personas):
    report = stored(personas["hana"]).report
    services.act(report, "submit", personas["ken"])
    event(
        "account.deactivated",
        {"person_en": "Ken", "actor_roles": []},
        actor_label='=HYPERLINK("http://x")',
    )
    response = client_as("hana").get("/audit/export.csv?center=")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kyoten-audit-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    submitted = next(r for r in rows if r["action"] == "report.submitted")
    assert (
        submitted["sentence (ja)"]
        == "拠点事務部門（ken）がIRCNの令和6年度報告をプログラム事務局に提出しました"
    )
    assert (
        submitted["sentence (en)"]
        == "Center office (ken) submitted IRCN's FY2024 report to the program office"
    )
    assert submitted["when (JST)"].endswith("+09:00")
    assert {c["record"] for c in json.loads(submitted["changes"])} == {
        "submissions.AnnualReport",
        "submissions.ReportEvent",
    }
    deactivated = next(r for r in rows if r["action"] == "account.deactivated")
    # a formula is never run by the spreadsheet that opens the file
    assert deactivated["who"] == deactivated["sentence (en)"][:23] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "data",
    [
        {"fiscal_year": "twenty"},
        {"fiscal_year": None, "version": {"a": 1}},
        [],
        {"role": "dean"},
        {"role": ["program_office"], "decision": {"kind": 1}, "actor_roles": "office"},
        {"model": ["x"], "person_en": None},
    ],
)
def test_no_stored_event_breaks_the_page(client_as, data):
    record = event("report.uploaded", {})
    AuditEvent.objects.filter(pk=record.pk).update(data=data)
    event("kind.nobody.knows", {})
    response = client_as("hana").get("/audit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Program office (hana): kind.nobody.knows" in response.content.decode()


def test_an_event_and_its_changes_are_kept_together_or_not_at_all(personas):
    center = Center.objects.get(key="ircn")
    before = (AuditEvent.objects.count(), AuditEntry.objects.count())

    def fail_half_way():
        with recording("record.changed", center):
            center.director = "Nobody"
            center.save()
            raise RuntimeError("the action fails half-way")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert (AuditEvent.objects.count(), AuditEntry.objects.count()) == before


def test_times_on_the_page_are_japan_time(client_as):
    event(
        "reference.loaded",
        {},
        center=None,
        at=datetime.datetime(2025, 3, 31, 15, 30, tzinfo=datetime.UTC),
    )
    page = client_as("hana").get("/audit/").content.decode()
    assert "2025-04-01 00:30:00 JST" in page
    assert timezone.get_current_timezone_name() == "Asia/Tokyo"


def test_an_event_of_many_changes_shows_a_bounded_part_of_them(
    client_as, django_assert_max_num_queries
):
    from kyoten.audit.views import RECORDS_SHOWN

    loaded = event("reference.loaded", {}, center=None)
    for number in range(RECORDS_SHOWN + 25):
        AuditEntry.objects.create(
            event=loaded,
            actor_label="hana",
            action="update",
            model="registry.Center",
            object_pk=str(number),
            object_repr=f"center {number}",
            before={"director": "a"},
            after={"director": "b"},
        )
    client = client_as("hana")
    with django_assert_max_num_queries(12):  # however many events and changes
        page = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("center ") >= RECORDS_SHOWN
    assert f"center {RECORDS_SHOWN + 24}" not in page
    assert "… and 25 more records changed (the CSV download holds them all)." in page
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get("/audit/export.csv").streaming_content).decode("utf-8-sig")
            )
        )
    )
    loaded_row = next(r for r in rows if r["action"] == "reference.loaded")
    assert len(json.loads(loaded_row["changes"])) == RECORDS_SHOWN + 25
