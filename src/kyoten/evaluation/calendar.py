"""A site visit as an iCalendar file (RFC 5545) for the members' calendars."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from kyoten.evaluation.models import Visit


def visit_calendar(visit: Visit, lang: str, host: str) -> bytes:
    """One event: the visit's times (Japan time), mode, place or link, agenda; its id names
    the visit and the site (``host``) it comes from."""
    case = visit.case
    calendar = Calendar()
    calendar.add("prodid", "-//Kyoten//WPI evaluation//EN")
    calendar.add("version", "2.0")
    event = Event()
    # stable across downloads, so that a calendar updates the event instead of adding one
    event.add("uid", f"kyoten-visit-{visit.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(visit.starts_at))
    event.add("dtend", timezone.localtime(visit.ends_at))
    kind = case.cycle.kind.title.get(lang)
    mode = visit.get_mode_display()
    event.add("summary", f"{case.center.short_name}: {kind} FY{case.cycle.fiscal_year} ({mode})")
    if visit.place:
        event.add("location", visit.place)
    if visit.link:
        event.add("url", visit.link)
    description = "\n\n".join(part for part in (visit.link, visit.agenda, visit.attendees) if part)
    if description:
        event.add("description", description)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
