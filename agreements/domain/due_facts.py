"""What `due` makes its items of, the same on every day: the part of a stored record
the index `<db>.due` keeps (`store.derived_index`), so that `due` need not parse whole
records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agreements.domain.dates import PartialDate, Precision
from agreements.domain.due_dates import date_span
from agreements.domain.model import TITLE_SEPARATOR

Record = Mapping[str, Any]
Facts = list[Any]
"""What the items of an agreement are made from, whatever the day: `due_facts`."""
PRECISIONS = (Precision.YEAR, Precision.MONTH, Precision.DAY)
"""The precisions of dates by the number the facts give them."""


def due_facts(record: Record) -> Facts:
    """What `due` reads of a stored record, with every date that is not compared as text
    turned into day numbers (`date.toordinal`) and every text made that does not depend
    on the day: the index `<db>.due` keeps this instead of whole records.

    [status, signed_on, expires_on, renewal, the term's start, notice,
     review: [first day, last day, precision, description] or null,
     activities: [first day, last day, precision, …] flat, in the record's order, and the
     latest: [greatest first day of them all, the latest's last day, first day, precision],
     follow-ups: [[first day of its activity, first day, last day, precision, note, key], …],
     the title, or null for the parties' names joined, [party names]]
    """
    activities: list[int] = []
    latest: list[int] | None = None
    follow_ups: list[list[int | str]] = []
    for activity in record["activities"]:
        on = activity["on"]
        if on is None:
            continue
        held_on, held, held_until = date_span(on)
        first, last, precision = held.toordinal(), held_until.toordinal(), precision_code(held_on)
        activities += (first, last, precision)
        if latest is None:
            latest = [first, last, first, precision]
        elif last > latest[1]:
            latest = [max(first, latest[0]), last, first, precision]
        else:
            latest[0] = max(first, latest[0])
        if activity["follow_up_on"] is not None:
            day, due_first, due_last = date_span(activity["follow_up_on"])
            summary = activity["summary"]
            note = activity["follow_up"] or f"the next step after {summary!r}"
            key = f"follow-up {on} {activity['kind']} {summary}"
            follow_ups.append(
                [
                    first,
                    due_first.toordinal(),
                    due_last.toordinal(),
                    precision_code(day),
                    note,
                    key,
                ]
            )
    review = None
    if record["review_on"] is not None:
        day, first_day, last_day = date_span(record["review_on"])
        description = f"review due {day.readable()}"
        review = [first_day.toordinal(), last_day.toordinal(), precision_code(day), description]
    names = [party["name"] for party in record["parties"]]
    title = None if record["title"] == TITLE_SEPARATOR.join(names) else record["title"]
    return [
        record["status"], record["signed_on"], record["expires_on"], record["renewal"],
        record["effective_on"] or record["signed_on"], record["notice"], review, activities,
        latest, follow_ups, title, names,
    ]  # fmt: skip


def precision_code(day: PartialDate) -> int:
    return PRECISIONS.index(day.precision)
