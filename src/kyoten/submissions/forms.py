"""Forms of the report pages; every field labelled and translated."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoten.fiscal import fiscal_year_of, format_fiscal_year, parse_fiscal_year
from kyoten.reports.narrative import Section
from kyoten.text import KyotenError
from kyoten.web.language import page_lang


def _year_choices(years: list[int], lang: str) -> list[tuple[int, str]]:
    style = "nendo" if lang == "ja" else "fy"
    return [(fy, format_fiscal_year(fy, style)) for fy in years]  # type: ignore[arg-type]


class YearForm(forms.Form):
    """A fiscal year among those offered."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = _year_choices(years, lang)  # type: ignore[attr-defined]


class ComparisonYearQuery(forms.Form):
    """The overview's ``?report_fy=``: a fiscal year, or nothing (the latest is shown); any
    other text (``²``, ``1e9``) is nothing, never an error."""

    report_fy = forms.IntegerField(required=False, min_value=1, max_value=9999)

    def year(self) -> int | None:
        return self.cleaned_data["report_fy"] if self.is_valid() else None


class ComparisonRangeQuery(forms.Form):
    """The comparison's ``?from=&to=`` (or one ``?fiscal_year=``): fiscal years, or nothing;
    any other text is nothing, never an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from", "to", "fiscal_year"):  # "from" is no Python name
            self.fields[name] = forms.IntegerField(required=False, min_value=1, max_value=9999)

    def years(self) -> tuple[int | None, int | None]:
        """The first and the last year asked for (a single year is both)."""
        if not self.is_valid():
            return None, None
        year = self.cleaned_data["fiscal_year"]
        if year is not None:
            return year, year
        return self.cleaned_data["from"], self.cleaned_data["to"]


class UploadForm(YearForm):
    file = forms.FileField(
        label=_("Report file"),
        help_text=_(
            "The filled-in Excel template (.xlsx), a zip of the section CSV files, or JSON. "
            "Every problem is listed at once; nothing is saved until the file has none."
        ),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the center office"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": _("Say what the center office should change."),
            "max_length": _(
                "Keep the comments to at most %(limit_value)d characters (these have "
                "%(show_value)d)."
            ),
        },
    )


class NarrativeForm(forms.Form):
    """A text area per section of the report's year; the limits are checked by the service
    (:func:`kyoten.reports.narrative.clean_texts`), which names the section and its limit."""

    def __init__(self, *args: Any, sections: list[Section], lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[section.id] = forms.CharField(
                label=section.heading(lang),
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6 + 3 * min(section.pages, 3)}),
            )


class AppendixForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the appendix"),
        max_length=200,
        help_text=_("As the sections refer to it, e.g. “Appendix 1: List of papers”."),
    )
    file = forms.FileField(label=_("PDF file"))


class ConfirmForm(forms.Form):
    """The version the user saw when confirming: the action is refused if it changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeadlineForm(forms.Form):
    fiscal_year = forms.CharField(
        label=_("Reports on the fiscal year"),
        max_length=20,
        help_text=_("Written as 2026, FY2026, 2026年度 or 令和8年度."),
    )
    due = forms.DateField(
        label=_("Due at the program office on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A day after the fiscal year has ended (reports are submitted from 1 April)."),
    )

    def clean_fiscal_year(self) -> int:
        try:
            year = parse_fiscal_year(self.cleaned_data["fiscal_year"])
        except KyotenError as error:
            raise forms.ValidationError(error.localized(page_lang())) from None
        last = fiscal_year_of(timezone.localdate()) + 1
        if not FIRST_FISCAL_YEAR <= year <= last:
            raise forms.ValidationError(
                _("Reports are on a fiscal year from %(first)s to %(last)s."),
                params={"first": FIRST_FISCAL_YEAR, "last": last},
            )
        return year


# The program's first fiscal year (WPI began in FY2007): no report is older.
FIRST_FISCAL_YEAR = 2007
