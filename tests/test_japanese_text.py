"""The Japanese text in the shipped data, the catalogues and the code's messages is punctuated
as Japanese: no space after 「。」 or 「、」 or before 「（」 (a folded YAML line break turns into
one), and full-width brackets around Japanese words."""

import ast
import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

import kyoten

PACKAGE = Path(kyoten.__file__).parent
DATA = sorted(PACKAGE.rglob("*.yaml"))
# a space after Japanese punctuation, or between a Japanese character and 「（」
STRAY_SPACE = re.compile(
    r"[。、」）] +(?=[\u3040-\u30ff\u4e00-\u9fff（])|[\u3040-\u30ff\u4e00-\u9fff] +（"
)
# half-width brackets around Japanese text, or opened after a Japanese word and a space
HALF_WIDTH_BRACKET = re.compile(
    r"\((?=[\u3040-\u30ff\u4e00-\u9fff])|(?<=[\u3040-\u30ff\u4e00-\u9fff])\)"
    r"|[\u3040-\u30ff\u4e00-\u9fff] \("
)
# text copied as the program document prints it: 「前(研)科学技術振興機構」, 「旭硝子(株)」
VERBATIM = {("data/reference/committee.yaml", "affiliation_ja")}


def japanese_texts(node, path=""):
    """Every string under a ``ja`` key or a key ending in ``_ja``, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and (str(key) == "ja" or str(key).endswith("_ja")):
                yield f"{path}.{key}", value
            yield from japanese_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from japanese_texts(value, f"{path}[{i}]")


def test_the_data_files_are_found():
    assert len(DATA) >= 5


@pytest.mark.parametrize("path", DATA, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_japanese_text_of_the_data_is_punctuated_as_japanese(path):
    name = str(path.relative_to(PACKAGE))
    wrong = [
        f"{where}: …{text[max(0, m.start() - 8) : m.end() + 8]}…"
        for where, text in japanese_texts(yaml.safe_load(path.read_text(encoding="utf-8")))
        for pattern in (STRAY_SPACE, HALF_WIDTH_BRACKET)
        if pattern is STRAY_SPACE or (name, where.rsplit(".", 1)[-1]) not in VERBATIM
        for m in pattern.finditer(text)
    ]
    assert not wrong, f"{path}: " + "; ".join(wrong)


def test_a_stray_space_is_seen():
    texts = dict(
        japanese_texts({"a": {"ja": "場合です。 大規模"}, "b": [{"note_ja": "訳です （JSPS"}]})
    )
    assert [bool(STRAY_SPACE.search(t)) for t in texts.values()] == [True, True]
    assert not STRAY_SPACE.search("濱口 道成、東北大学 理事・副学長")
    assert HALF_WIDTH_BRACKET.search("割合 (プログラム資料)")
    assert not HALF_WIDTH_BRACKET.search("Kavli IPMU (WPI)")


@pytest.mark.parametrize("where", ["locale", "submissions/locale"])
def test_the_japanese_catalogue_is_punctuated_as_japanese(where):
    with (PACKAGE / where / "ja" / "LC_MESSAGES" / "django.po").open("rb") as f:
        texts = [
            text
            for m in read_po(f)
            if m.id
            for text in (m.string if isinstance(m.string, tuple) else (m.string,))
        ]
    assert len(texts) > 100
    wrong = [t for t in texts if STRAY_SPACE.search(t) or HALF_WIDTH_BRACKET.search(t)]
    assert wrong == []


CODE = sorted(PACKAGE.rglob("*.py"))


def japanese_messages(source):
    """The ``ja=`` text of every message in ``source`` (an f-string's fields as ``{}``), with
    its line."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg == "ja":
            parts = node.value.values if isinstance(node.value, ast.JoinedStr) else [node.value]
            text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in parts)
            yield node.lineno, text


def test_the_messages_of_the_code_are_punctuated_as_japanese():
    assert len(CODE) > 50
    wrong = [
        f"{path.relative_to(PACKAGE)}:{line}: {text}"
        for path in CODE
        for line, text in japanese_messages(path.read_text(encoding="utf-8"))
        if STRAY_SPACE.search(text) or HALF_WIDTH_BRACKET.search(text)
    ]
    assert wrong == []


def test_a_message_of_the_code_is_read():
    source = 'Bilingual(en="x", ja=f"指定してください ({known})")'
    assert list(japanese_messages(source)) == [(1, "指定してください ({})")]
