"""Turn pydantic validation errors into bilingual messages naming the field and the value.

Pydantic's own messages are English only and name fields as tuples; users get a path such
as ``people.roster[3].category``, the value they gave and what was expected, in their
language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kyoten.text import PROBLEMS_MAX, Bilingual, KyotenError, KyotenErrors


def shipped_data(package: str, program_id: str) -> tuple[str, str]:
    """The text of a program's data file shipped in ``package`` (``data/<program>.yaml``) and
    the path its errors name.

    Raises:
        KyotenError: no such program.
    """
    data = resources.files(package) / "data" / f"{program_id}.yaml"
    if not data.is_file():
        raise KyotenError(
            Bilingual(en="unknown program", ja="不明なプログラムです"),
            location="program",
            value=program_id,
        )
    path = f"{package.replace('.', '/')}/data/{program_id}.yaml"
    return data.read_text(encoding="utf-8"), path


def read_yaml(text: str, path: str) -> Any:
    """``text`` parsed as YAML, or a :class:`KyotenError` naming ``path``."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise KyotenError(
            Bilingual(en=f"not valid YAML: {error}", ja=f"YAMLとして読み込めません：{error}"),
            location=path,
        ) from None


def published_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``model`` under ``title``, as the commands publish it."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def field_path(loc: Sequence[int | str]) -> str:
    """``('people', 'roster', 3, 'category')`` -> ``people.roster[3].category``.

    >>> field_path(("people", "roster", 3, "category"))
    'people.roster[3].category'
    """
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def expected_message(error: Mapping[str, Any]) -> Bilingual:
    """What was expected, in both languages, for the common pydantic error types."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return Bilingual(en="this field is required", ja="この項目は必須です")
    if kind == "extra_forbidden":
        return Bilingual(
            en="unknown field (check the spelling against `kyoten schema`)",
            ja="不明な項目です（`kyoten schema` で綴りを確認してください）",
        )
    if kind in ("literal_error", "enum"):
        choices = ctx.get("expected", "")
        return Bilingual(
            en=f"expected one of {choices}", ja=f"次のいずれかを入力してください：{choices}"
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Bilingual(en="expected a whole number", ja="整数を入力してください")
    if kind in ("float_type", "float_parsing"):
        return Bilingual(en="expected a number", ja="数値を入力してください")
    if kind in ("bool_type", "bool_parsing"):
        return Bilingual(en="expected true or false", ja="true または false を入力してください")
    if kind in ("string_type",):
        return Bilingual(en="expected text", ja="文字列を入力してください")
    if kind in ("list_type", "tuple_type"):
        return Bilingual(en="expected a list", ja="リストを入力してください")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Bilingual(
            en="expected a mapping of fields", ja="項目の対応（マッピング）を入力してください"
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤"}.get(
            kind, "<"
        )
        limit = next(iter(ctx.values()), "")
        return Bilingual(
            en=f"expected a value {sign} {limit}", ja=f"{sign} {limit} の値を入力してください"
        )
    if kind in ("string_too_short", "too_short"):
        return Bilingual(en="must not be empty", ja="空にはできません")
    if kind == "too_long":
        most = ctx.get("max_length", "")
        return Bilingual(
            en=f"too many items: at most {most:,} are accepted",
            ja=f"項目が多すぎます。{most:,}件まで受け付けます",
        )
    if kind == "string_too_long":
        most = ctx.get("max_length", "")
        return Bilingual(
            en=f"too long: at most {most:,} characters", ja=f"長すぎます。{most:,}文字までです"
        )
    if kind == "string_pattern_mismatch":
        return PATTERN_WORDS.get(
            ctx.get("pattern", ""),
            Bilingual(en="not in the expected form", ja="入力の形式が正しくありません"),
        )
    # Our own validators raise KyotenError; pydantic wraps it as a value_error.
    cause = ctx.get("error")
    if isinstance(cause, KyotenError):
        return cause.message
    message = str(error.get("msg", "invalid value"))
    return Bilingual(en=message, ja=f"入力値が正しくありません（{message}）")


# What each text pattern of the models asks for, in words: a message never shows a pattern.
PATTERN_WORDS: dict[str, Bilingual] = {
    r"^[A-Z]{2}$": Bilingual(
        en="expected a two-letter country code such as JP",
        ja="JP のような2文字の国コードを入力してください",
    ),
    r"^[a-z0-9.-]+\.[a-z]+$": Bilingual(
        en="expected a domain name such as example.org",
        ja="example.org のようなドメイン名を入力してください",
    ),
}

# Error types whose "input" is not something the user typed as a value.
_NO_VALUE_TYPES = {"missing", "extra_forbidden"}
_QUOTE_HINT = Bilingual(
    en="unknown field — it looks like a number split at a comma: inside { } put amounts "
    "such as '3億8,000万円' in quotes",
    ja="不明な項目です。カンマで数値が分割されたようです。{ } の中では '3億8,000万円' "
    "のように金額を引用符で囲んでください",
)


def errors_from_validation(error: ValidationError, source: str) -> KyotenErrors:
    """Every problem in ``error`` as one :class:`KyotenErrors`, located in ``source``."""
    problems = []
    for detail in error.errors()[:PROBLEMS_MAX]:
        location = f"{source}: {field_path(detail['loc'])}" if detail["loc"] else source
        last = detail["loc"][-1] if detail["loc"] else ""
        if detail["type"] == "extra_forbidden" and str(last)[:1].isdigit():
            problems.append(KyotenError(_QUOTE_HINT, location=location))
        elif detail["type"] in _NO_VALUE_TYPES or isinstance(detail.get("input"), dict | list):
            # A whole mapping is no "value" a user typed; the location says where.
            problems.append(KyotenError(expected_message(detail), location=location))
        else:
            problems.append(
                KyotenError(expected_message(detail), location=location, value=detail.get("input"))
            )
    return KyotenErrors(problems, total=error.error_count())


Model = TypeVar("Model", bound=BaseModel)


def validated(
    model: type[Model],
    raw: Any,
    source: str,
    cross_check: Callable[[Model, str], list[KyotenError]],
) -> Model:
    """``raw`` (parsed YAML or JSON read from ``source``) as ``model``, then checked for what
    its schema cannot see (``cross_check``: unknown ids, duplicates).

    Raises:
        KyotenErrors: every problem, each naming ``source`` and the field.
    """
    try:
        value = model.model_validate(raw)
    except ValidationError as error:
        raise errors_from_validation(error, source) from None
    problems = cross_check(value, source)
    if problems:
        raise KyotenErrors(problems)
    return value
