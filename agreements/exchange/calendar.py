"""`calendar`: what is due as an iCalendar (RFC 5545) file of all-day events.

Each event's UID is made from what the item is (its agreement, its kind and what makes
it itself), never from its date or the time of export, so a calendar that imports the
file again updates the event instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import IO

import xxhash

from agreements import __version__
from agreements.domain.dates import Precision
from agreements.domain.due import DueItem, DueKind
from agreements.domain.periods import Period
from agreements.domain.text import printable

PRODUCT_ID = f"-//agreements//agreements {__version__}//EN"
_UID_DOMAIN = "agreements.invalid"


def event_uid(item: DueItem) -> str:
    digest = xxhash.xxh3_64_hexdigest(item.key.encode("utf-8"))
    return f"agreement-{item.agreement_id}-{item.kind.value}-{digest}@{_UID_DOMAIN}"


def write_calendar(
    items: Sequence[DueItem], stream: IO[bytes], *, alarm: Period | None, now: datetime
) -> int:
    """The items as all-day events on `stream`; how many were written."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Partnership agreements: what is due")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", event_uid(item))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
        event.add("summary", printable(f"{_headline(item)}: {item.title}"))
        event.add("description", printable(_description(item)))
        event.add("categories", [item.kind.value])
        if alarm is not None:
            reminder = Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("description", printable(f"{_headline(item)}: {item.title}"))
            reminder.add("trigger", alarm.before(item.day) - item.day)
            event.add_component(reminder)
        calendar.add_component(event)
    stream.write(calendar.to_ical())
    return len(items)


_HEADLINES = {
    DueKind.EXPIRY: "Expires",
    DueKind.NOTICE: "Last day for notice",
    DueKind.REVIEW: "Review due",
    DueKind.DORMANT: "Dormant",
}


def _headline(item: DueItem) -> str:
    if item.kind is DueKind.FOLLOW_UP:
        headline = f"Follow-up ({item.description})"
    else:
        headline = _HEADLINES.get(item.kind) or item.label[:1].upper() + item.label[1:]
    if item.precision is Precision.YEAR:
        return f"{headline} (in {item.day.year}, day not known)"
    if item.precision is Precision.MONTH:
        return f"{headline} (in {item.day:%B %Y}, day not known)"
    return headline


def _description(item: DueItem) -> str:
    return "\n".join(
        (
            item.description,
            f"Parties: {', '.join(item.parties)}",
            f"Agreement {item.agreement_id}: agreements show {item.agreement_id}",
        )
    )
