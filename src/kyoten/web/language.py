"""The language of the page being served, as the pure cores name it."""

from __future__ import annotations

from django.utils.translation import get_language

from kyoten.text import Lang


def page_lang() -> Lang:
    """``"ja"`` or ``"en"``: the active language (English where none is active)."""
    return "ja" if get_language() == "ja" else "en"
