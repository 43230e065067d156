"""The audit trail, for the program office: what was done, in words, filtered by center,
person, action and days (Japan time), page by page or as one CSV file."""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kyoten.accounts.permissions import permitted
from kyoten.audit.models import AuditEntry, AuditEvent
from kyoten.audit.sentences import KINDS, field_name, kind_label, model_name, sentence
from kyoten.registry.models import Center
from kyoten.reports.formulas import neutralise
from kyoten.web.downloads import as_download
from kyoten.web.forms import set_choices
from kyoten.web.pages import paginate

PAGE_SIZE = 50
# Records whose changes a page shows under one event (loading the reference data changes
# hundreds); the CSV download holds them all.
RECORDS_SHOWN = 40


class AuditFilter(forms.Form):
    center = forms.ModelChoiceField(
        label=_("Center"), queryset=Center.objects.all(), required=False
    )
    who = forms.CharField(
        label=_("Who"),
        max_length=100,
        required=False,
        help_text=_("A user name, a process or part of a person's name."),
    )
    kind = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = sorted(KINDS, key=kind_label)
        set_choices(self, "kind", [("", _("every action")), *((k, kind_label(k)) for k in kinds)])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day comes before the first."))
        return data

    def events(self) -> QuerySet[AuditEvent]:
        """The events the filter lets through (every event while it is not valid)."""
        events = AuditEvent.objects.all()
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["center"]:
            events = events.filter(center=data["center"])
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if who := data["who"].strip():
            names = Q(actor_label__icontains=who)
            for part in ("family_name_en", "given_name_en", "family_name_ja", "given_name_ja"):
                names |= Q(**{f"actor__person__{part}__icontains": who})
            events = events.filter(names)
        if data["since"]:
            events = events.filter(at__gte=_midnight(data["since"]))
        if data["until"]:
            events = events.filter(at__lt=_midnight(data["until"] + datetime.timedelta(days=1)))
        return events


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in Japan time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Change:
    record: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    sentence: str
    changes: list[Change]
    more_records: int  # changed by the event, not shown on the page


def _changes(entries: Iterable[AuditEntry]) -> list[Change]:
    changes = []
    for entry in entries:
        record = f"{model_name(entry.model)} “{entry.object_repr}”"
        for name, before, after in entry.changes():
            changes.append(Change(record, field_name(entry.model, name), before, after))
    return changes


def _rows(events: Iterable[Any]) -> list[Row]:
    rows = []
    for event in events:
        shown = event.shown_entries
        rows.append(Row(event, sentence(event), _changes(shown), event.records - len(shown)))
    return rows


@permitted("audit.read")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilter(request.GET or None)
    events = (
        form.events()
        .select_related("center")
        .annotate(records=Count("entries"))
        .order_by("-at", "-id")  # an aggregate drops the model's ordering
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=AuditEntry.objects.order_by("pk")[:RECORDS_SHOWN],
                to_attr="shown_entries",
            )
        )
    )
    page, query = paginate(request, events, PAGE_SIZE)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": _rows(page), "query": query},
    )


class _Echo:
    """A file that hands back what is written to it (csv.writer into a streamed response)."""

    def write(self, value: str) -> str:
        return value


COLUMNS = ("when (JST)", "who", "action", "center", "sentence (ja)", "sentence (en)", "changes")


def _csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)  # the mark tells Excel the file is UTF-8
    for event in events.iterator(chunk_size=500):
        words = {}
        for lang in ("ja", "en"):
            with translation.override(lang):
                words[lang] = sentence(event)
        changes = [
            {
                "record": e.model,
                "id": e.object_pk,
                "action": e.action,
                "before": e.before,
                "after": e.after,
            }
            for e in event.entries.all()
        ]
        row = (
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor_label,
            event.kind,
            event.center.short_name if event.center else "",
            words["ja"],
            words["en"],
            json.dumps(changes, ensure_ascii=False),
        )
        yield writer.writerow([neutralise(value) for value in row])


@require_safe
@permitted("audit.read")
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every event the filter lets through, as CSV (streamed: any number of rows)."""
    events = AuditFilter(request.GET or None).events().select_related("center")
    response = StreamingHttpResponse(
        _csv_lines(events.prefetch_related("entries")), content_type="text/csv; charset=utf-8"
    )
    as_download(response, f"kyoten-audit-{timezone.localdate():%Y%m%d}.csv")
    return response
