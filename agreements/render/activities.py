"""`activity list`, and an activity in a line: as people read them, or as rows and JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.activities import ListedActivity
from agreements.domain.model import Activity
from agreements.formats import Format
from agreements.render.console import people_table, plain
from agreements.render.listing import write_records
from agreements.render.relative import relative, short_partial

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

ACTIVITY_COLUMNS = (
    "agreement_id", "number", "kind", "on", "summary", "party", "follow_up_on", "follow_up",
)  # fmt: skip


def activity_line(activity: Activity) -> str:
    """ "delegation on 14 May 2024 (Aarhus): Harbour visit; follow-up by 1 July 2024: …" """
    host = f" ({activity.party})" if activity.party else ""
    line = f"{activity.kind.value} {activity.on.prepositional()}{host}: {activity.summary}"
    return line + follow_up_text(activity)


def follow_up_text(activity: Activity, today: date | None = None) -> str:
    if activity.follow_up_on is None:
        return ""
    due = activity.follow_up_on
    when = due.readable()
    if today is not None:
        when += f", {relative(due.first_day(), today, due.precision)}"
    note = f": {activity.follow_up}" if activity.follow_up else ""
    return f"; follow-up by {when}{note}"


def activity_record(row: ListedActivity) -> dict[str, Any]:
    activity = row.activity
    return {
        "agreement_id": row.agreement_id,
        "number": row.number,
        "kind": activity.kind.value,
        "on": str(activity.on),
        "summary": activity.summary,
        "party": activity.party,
        "follow_up_on": None if activity.follow_up_on is None else str(activity.follow_up_on),
        "follow_up": activity.follow_up,
    }


def write_activities(
    rows: Sequence[ListedActivity],
    today: date,
    chosen: Format,
    stream: IO[bytes],
    console: Callable[[], Console],
) -> None:
    records = [activity_record(row) for row in rows]
    if not write_records(records, ACTIVITY_COLUMNS, chosen, stream):
        console().print(activities_table(rows, today) if rows else "No activities recorded.")


def activities_table(rows: Sequence[ListedActivity], today: date) -> Table:
    table = people_table()
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Summary", min_width=16)
    table.add_column("Follow-up", min_width=12)
    for row in rows:
        activity = row.activity
        summary = activity.summary + (f" ({activity.party})" if activity.party else "")
        table.add_row(
            str(row.agreement_id),
            str(row.number),
            short_partial(activity.on),
            activity.kind.value,
            plain(summary),
            plain(follow_up_text(activity, today).removeprefix("; follow-up by ")),
        )
    return table
