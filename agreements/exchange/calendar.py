"""`calendar`: what is due as an iCalendar (RFC 5545) file of all-day events.

Each event's UID is made from what the item is (its agreement, its kind and what makes
it itself), never from its date or the time of export, so a calendar that imports the
file again updates the event instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import IO

import xxhash

from agreements import __version__
from agreements.domain.dates import Precision
from agreements.domain.due import DueKind, ItemMaker, rank_of
from agreements.domain.periods import Period
from agreements.domain.text import printable

PRODUCT_ID = f"-//agreements//agreements {__version__}//EN"
_UID_DOMAIN = "agreements.invalid"


def _uid(number: int, kind: DueKind, key: str) -> str:
    digest = xxhash.xxh3_64_hexdigest(key.encode("utf-8"))
    return f"agreement-{number}-{kind.value}-{digest}@{_UID_DOMAIN}"


def write_events(events: Sequence[bytes], stream: IO[bytes]) -> int:
    """A calendar of these events (each as `ranked_events` makes it); how many there were.

    The bytes are those icalendar's `Calendar.to_ical` writes for the same events (its
    order of properties, TEXT escaping and folding at 75 octets; tests/test_due_scale.py
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


def ranked_events(
    *, alarm: Period | None, now: datetime, since: date | None = None
) -> ItemMaker[tuple[int, bytes] | None]:
    """How an item becomes its rank and the lines of its VEVENT, stamped `now`, each line
    ended; an item before `since` becomes None (a period already begun: what it held
    before it began is not in it).

    An event's texts are escaped piece by piece: escaping joins as the texts do, as none
    holds a carriage return once printable and every join is at a fixed ": " or line
    break, where no backslash can meet an N. Pieces many events share (a title, the
    parties, a headline, a description) are escaped once."""
    stamp = f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}".encode()
    categories = {kind: _line("CATEGORIES:" + _text(kind.value)) for kind in DueKind}
    escaped = _Escaped()
    follow_up_heads: dict[str, bytes] = {}  # of a day known, by the follow-up's note
    other_heads: dict[tuple[DueKind, str], bytes] = {}  # of a day known, by kind and label
    vague_heads: dict[tuple[DueKind, str, str, Precision, int], bytes] = {}
    all_day: dict[int, bytes] = {}
    begun = 0 if since is None else since.toordinal()

    def event(
        first: int, kind: DueKind, number: int, title: str, description: str,
        overdue: bool, precision: Precision, label: str, key: str, parties: Sequence[str],
        last_activity: date | None,
    ) -> tuple[int, bytes] | None:  # fmt: skip
        if first < begun:
            return None
        if precision is _DAY:
            if kind is _FOLLOW_UP:
                headline = follow_up_heads.get(description)
                if headline is None:
                    text = headline_of(kind, label, description, precision, date.min)
                    headline = follow_up_heads[description] = escaped[text + ": "]
            else:
                headline = other_heads.get((kind, label))
                if headline is None:
                    text = headline_of(kind, label, description, precision, date.min)
                    headline = other_heads[(kind, label)] = escaped[text + ": "]
        else:
            vague = kind, label, description, precision, first
            headline = vague_heads.get(vague)
            if headline is None:
                text = headline_of(kind, label, description, precision, date.fromordinal(first))
                headline = vague_heads[vague] = escaped[text + ": "]
        summary = headline + escaped[title]
        day = all_day.get(first)
        if day is None:
            day = all_day[first] = _all_day(date.fromordinal(first))
        uid = f"UID:{_uid(number, kind, key)}".encode()
        about = b"DESCRIPTION:%s\\nParties: %s\\nAgreement %d: agreements show %d" % (
            escaped[description], escaped[", ".join(parties)], number, number,
        )  # fmt: skip
        lines = [
            b"BEGIN:VEVENT",
            _fold(b"SUMMARY:" + summary),
            day,
            stamp,
            uid if len(uid) <= _LIMIT else _fold(uid),
            categories[kind],
            _fold(about),
            b"TRANSP:TRANSPARENT",  # a reminder, not a busy day
        ]
        if alarm is not None:
            held = date.fromordinal(first)
            lines += (
                b"BEGIN:VALARM",
                b"ACTION:DISPLAY",
                _fold(b"DESCRIPTION:" + summary),
                b"TRIGGER:" + _duration(alarm.before(held) - held),
                b"END:VALARM",
            )
        lines += (b"END:VEVENT", b"")
        return rank_of(first, kind, number, overdue), b"\r\n".join(lines)

    return event


class _Escaped(dict[str, bytes]):
    """Texts as an event holds them: printable, escaped as TEXT, encoded; each worked out
    once."""

    def __missing__(self, text: str) -> bytes:
        value = self[text] = _text(printable(text)).encode()
        return value


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
    return _fold(line.encode())


def _fold(data: bytes) -> bytes:
    """A content line folded as icalendar folds it: at most 74 octets a piece, never
    inside a character, and a backslash or caret that would end a piece begins the next."""
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


def headline_of(
    kind: DueKind, label: str, description: str, precision: Precision, day: date
) -> str:
    """What an event is, before the agreement's title: "Review due", "Follow-up (call)"."""
    if kind is DueKind.FOLLOW_UP:
        headline = f"Follow-up ({description})"
    else:
        headline = _HEADLINES.get(kind) or label[:1].upper() + label[1:]
    if precision is Precision.YEAR:
        return f"{headline} (in {day.year}, day not known)"
    if precision is Precision.MONTH:
        return f"{headline} (in {day:%B %Y}, day not known)"
    return headline


_FOLLOW_UP, _DAY = DueKind.FOLLOW_UP, Precision.DAY
