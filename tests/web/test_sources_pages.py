"""Sources on the public pages: the publisher, secondary sources marked as such, and no
internal file path."""

import pytest


@pytest.mark.parametrize(
    ("lang", "publisher", "secondary"),
    [("ja", "文部科学省", "二次資料"), ("en", "(MEXT)", "secondary source")],
)
def test_the_rulebook_names_publishers_and_marks_secondary_sources(
    client, db, lang, publisher, secondary
):
    page = client.get("/rulebook/?fy=2007", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert "shared/sources" not in page
    assert ".md" not in page
    assert publisher in page
    assert f'<span class="badge badge-secondary">{secondary}</span>' in page  # Kotobank, a mirror


def test_the_program_document_is_shown_by_its_title(client, db):
    page = client.get("/rulebook/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "「世界トップレベル研究拠点プログラム（WPI）について」（2024年1月" in page
    assert "— 文部科学省" in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ja", ["リセマム</span>", "二次資料", "大学ジャーナルオンライン"]),
        ("en", ["ReseMom (education news)</span>", "secondary source"]),
    ],
)
def test_a_center_page_names_the_publisher_of_each_source(client, db, lang, words):
    page = client.get("/centers/ircn/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for text in words:
        assert text in page


def test_the_committee_source_is_the_document_not_its_path(client_as):
    page = client_as("mori").get("/committee/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "sources/mext-wpi-overview" not in page
    assert "「世界トップレベル研究拠点プログラム（WPI）について」（2024年1月" in page
    assert "(プログラム委員会)" in page


def test_the_program_document_is_titled_in_the_pages_language(client, db):
    page = client.get("/rulebook/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "“World Premier International Research Center Initiative (WPI)”, overview, January 2024"
        in page
    )
