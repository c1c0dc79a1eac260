"""`calendar`: what is due as an iCalendar (RFC 5545) file of all-day events.

Each event's UID is made from what the item is (its agreement, its kind and what makes
it itself), never from its date or the time of export, so a calendar that imports the
file again updates the event instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
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
    event = event_writer(alarm=alarm, now=now)
    return write_events([event(item) for item in items], stream)


def write_events(events: Sequence[bytes], stream: IO[bytes]) -> int:
    """A calendar of these events (each as `event_writer` makes it); how many there were.

    The bytes are those icalendar's `Calendar.to_ical` writes for the same events (its
    order of properties, TEXT escaping and folding at 75 octets; tests/test_calendar.py
    holds the two together), written here directly: building its objects took 18 s and
    870 MB for the 95,000 events of 100,000 agreements.
    """
    head = [
        b"BEGIN:VCALENDAR",
        b"VERSION:2.0",
        _line("PRODID:" + _text(PRODUCT_ID)),
        b"CALSCALE:GREGORIAN",
        _line("X-WR-CALNAME:" + _text("Partnership agreements: what is due")),
        b"",
    ]
    stream.write(b"\r\n".join(head) + b"".join(events) + b"END:VCALENDAR\r\n")
    return len(events)


def event_writer(*, alarm: Period | None, now: datetime) -> Callable[[DueItem], bytes]:
    """How an item becomes the lines of its VEVENT, stamped `now`, each line ended."""
    stamp = f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}".encode()
    categories = {kind: _line("CATEGORIES:" + _text(kind.value)) for kind in DueKind}

    def event(item: DueItem) -> bytes:
        day = item.day
        summary = _text(printable(f"{_headline(item)}: {item.title}"))
        lines = [
            b"BEGIN:VEVENT",
            _line("SUMMARY:" + summary),
            _all_day(day),
            stamp,
            _line("UID:" + _text(event_uid(item))),
            categories[item.kind],
            _line("DESCRIPTION:" + _text(printable(_description(item)))),
            b"TRANSP:TRANSPARENT",  # a reminder, not a busy day
        ]
        if alarm is not None:
            lines += (
                b"BEGIN:VALARM",
                b"ACTION:DISPLAY",
                _line("DESCRIPTION:" + summary),
                b"TRIGGER:" + _duration(alarm.before(day) - day),
                b"END:VALARM",
            )
        lines += (b"END:VEVENT", b"")
        return b"\r\n".join(lines)

    return event


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 and icalendar have it, in icalendar's order."""
    if "\\" not in value and "\n" not in value and "\r" not in value:
        return value.replace(";", "\\;").replace(",", "\\,")  # all the others do nothing
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


_LIMIT = 74
"""The most octets a folded line holds before its line break (icalendar folds from 75)."""


def _line(line: str) -> bytes:
    """A content line folded as icalendar folds it: at most 74 octets a piece, never
    inside a character, and a backslash or caret that would end a piece begins the next."""
    data = line.encode()
    if len(data) <= _LIMIT:
        return data
    pieces = []
    start = 0
    while len(data) - start > _LIMIT:
        cut = start + _LIMIT
        while data[cut] & 0xC0 == 0x80:  # inside a character: break before it
            cut -= 1
        if cut - start > 1 and data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


@lru_cache(maxsize=1 << 14)
def _all_day(day: date) -> bytes:
    """The DTSTART and DTEND lines of an all-day event on `day`."""
    end = day + timedelta(days=1)
    return b"DTSTART;VALUE=DATE:%04d%02d%02d\r\nDTEND;VALUE=DATE:%04d%02d%02d" % (
        day.year, day.month, day.day, end.year, end.month, end.day,
    )  # fmt: skip


def _duration(span: timedelta) -> bytes:
    """A whole number of days as icalendar writes a DURATION: -P14D, P0D."""
    return b"%sP%dD" % (b"-" if span.days < 0 else b"", abs(span.days))


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
