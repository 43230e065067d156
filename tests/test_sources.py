"""Every source the data cites has a known publisher, official or secondary; a document with
no public address is shown by its title, never by a file path."""

from importlib import resources

import pytest
import yaml

from kyoten.program.rulebook import load_program
from kyoten.sources import cite, parse_publishers, publisher_of
from kyoten.text import KyotenError

DATA_FILES = [
    "data/reference/institutions.yaml",
    "data/reference/centers.yaml",
    "data/reference/committee.yaml",
    "data/reference/budgets.yaml",
    "data/lifecycle.yaml",
]


def cited(node):
    """Every source string under ``sources`` lists and ``source`` keys of a data file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list):
                yield from (str(s) for s in value)
            elif key == "source" and isinstance(value, str):
                yield value
            else:
                yield from cited(value)
    elif isinstance(node, list):
        for item in node:
            yield from cited(item)


def sources_of(name):
    text = resources.files("kyoten").joinpath(name).read_text("utf-8")
    return sorted(set(cited(yaml.safe_load(text))))


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_source_of_the_reference_data_has_a_publisher(name):
    sources = sources_of(name)
    assert sources
    unknown = [s for s in sources if cite(s).publisher is None]
    assert unknown == []


def test_every_source_of_the_rulebook_has_a_publisher():
    program = load_program("wpi")
    unknown = [
        s.id for s in program.sources.values() if cite(s.url or s.document or "").publisher is None
    ]
    assert unknown == []


@pytest.mark.parametrize(
    ("url", "publisher", "kind"),
    [
        ("https://www.mext.go.jp/a_menu/hyouka/kekka/1312250.htm", "文部科学省", "official"),
        ("https://www.jsps.go.jp/j-toplevel/01_koubo.html", "日本学術振興会", "official"),
        # a center's own site under its host's domain: the center, not only the host
        (
            "https://www.wpi-aimr.tohoku.ac.jp/jp/about/outline/wpi.html",
            "東北大学 WPI-AIMR",
            "official",
        ),
        ("https://www.sci.tohoku.ac.jp/news/20231016-12906.html", "東北大学", "official"),
        ("https://kotobank.jp/word/x", "コトバンク", "secondary"),
        ("https://docslib.org/doc/1/x", "DocsLib（文書転載サイト）", "secondary"),
        (
            "https://judgit.netlify.app/projects/17672",
            "JUDGIT!（行政事業レビュー見える化サイト）",
            "secondary",
        ),
        ("HTTPS://WWW.MEXT.GO.JP/x", "文部科学省", "official"),  # hosts are case-insensitive
    ],
)
def test_publishers_by_the_longest_domain(url, publisher, kind):
    found = publisher_of(url)
    assert (found.name.ja, found.kind) == (publisher, kind)


@pytest.mark.parametrize(
    "url",
    [
        "https://netlify.app/x",  # only judgit's subdomain is classified
        "https://evil-mext.go.jp.example.com/",  # a suffix of the host, not of a label
        "https://notmext.go.jp/",
    ],
)
def test_an_unknown_host_has_no_publisher(url):
    assert publisher_of(url) is None


def test_a_document_is_cited_by_its_title_and_publisher_without_its_path():
    citation = cite("sources/mext-wpi-overview-2024-01.md (WPI拠点一覧, 令和5年10月時点)")
    assert citation.url is None
    assert citation.title.ja.startswith("「世界トップレベル研究拠点プログラム（WPI）について」")
    assert citation.publisher.name.ja == "文部科学省"
    assert citation.remark == "WPI拠点一覧, 令和5年10月時点"


@pytest.mark.parametrize(
    ("change", "location", "words"),
    [
        (
            lambda d: d["publishers"][0].update(kind="offical"),
            "publishers[0].kind",
            "expected one of",
        ),
        (lambda d: d["publishers"][1].pop("name_ja"), "publishers[1].name_ja", "required"),
        (
            lambda d: d["documents"][0].update(publisher="mext.jp"),
            "documents[0].publisher",
            "one of the publishers",
        ),
    ],
)
def test_a_broken_publishers_file_is_refused_naming_the_entry(change, location, words):
    text = resources.files("kyoten").joinpath("data/reference/publishers.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    change(data)
    with pytest.raises(KyotenError) as refused:
        parse_publishers(yaml.safe_dump(data, allow_unicode=True), "publishers.yaml")
    message = refused.value.localized("en")
    assert f"publishers.yaml: {location}" in message
    assert words in message
