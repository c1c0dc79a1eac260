"""Activities as CSV of their own: `export --activities` writes it, `import --activities`
reads it back, one row per activity, naming its agreement by id and title: an id that now
belongs to another agreement (as after an import that gave new ids) is refused.

Importing is all or nothing (unless told to skip invalid rows), and an activity the
agreement already has (same kind, date and summary) is skipped, so importing the same
file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.activities import (
    ActivityInput,
    already_recorded,
    build_activity,
    with_activities,
)
from agreements.domain.dates import DateOrder
from agreements.domain.model import Activity, Agreement
from agreements.domain.records import stored_activities
from agreements.domain.text import counted, fold
from agreements.errors import AgreementsError, InvalidInput
from agreements.exchange.csv_files import read_table
from agreements.exchange.spreadsheet import BOM, escape_cells, unescape_cell

if TYPE_CHECKING:
    from agreements.store.transaction import Transaction

ACTIVITY_CSV_COLUMNS = (
    "agreement_id", "agreement", "kind", "on", "summary", "party", "follow_up_on", "follow_up",
)  # fmt: skip
_REQUIRED_COLUMNS = ("agreement_id", "kind", "on", "summary")


def write_activity_csv(
    hits: Iterable[tuple[int, Mapping[str, Any]]],
    stream: IO[bytes],
    *,
    delimiter: str = ",",
    bom: bool = True,
) -> int:
    """The activities of these stored records, in each agreement's order; how many."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
    count = 0
    try:
        if bom:
            text.write(BOM)
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(ACTIVITY_CSV_COLUMNS)
        for number, record in hits:
            for activity in stored_activities(record) if record["activities"] else ():
                writer.writerow(escape_cells(activity_cells(number, record["title"], activity)))
                count += 1
        text.flush()
    finally:
        text.detach()
    return count


def activity_cells(number: int, title: str, activity: Activity) -> list[str]:
    """The cells of ACTIVITY_CSV_COLUMNS for one activity, before any escape."""
    return [
        str(number),
        title,
        activity.kind.value,
        str(activity.on),
        activity.summary,
        activity.party or "",
        "" if activity.follow_up_on is None else str(activity.follow_up_on),
        activity.follow_up or "",
    ]


@dataclass(frozen=True)
class ActivityRow:
    where: str
    agreement_id: int
    given: ActivityInput
    title: str | None = None
    """The agreement's title as the file gives it, to check the id against."""
    problem: str | None = None
    """Why the row cannot be read at all, if it cannot."""


def read_activity_csv(text: str, delimiter: str | None = None) -> list[ActivityRow]:
    """The rows of an activities CSV; its header names our columns, in any order, at least
    agreement_id, kind, on and summary."""
    table = read_table(text, delimiter)
    refuse_unless_activity_header(table.header, "line 1: this is not a CSV of activities")
    rows = ((f"row {number} (line {line})", cells) for number, line, cells in table.rows())
    return activity_rows(table.header, rows)


def refuse_unless_activity_header(header: Sequence[str], refusal: str) -> None:
    """Refuses a header that is not one of activities, with `refusal` as the message."""
    missing = [column for column in _REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in ACTIVITY_CSV_COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise InvalidInput(
            refusal,
            hint="its header names some of "
            + ",".join(ACTIVITY_CSV_COLUMNS)
            + ", and at least "
            + ",".join(_REQUIRED_COLUMNS),
        )


def activity_rows(
    header: Sequence[str], table_rows: Iterable[tuple[str, list[str]]]
) -> list[ActivityRow]:
    """The rows of a table of activities, (where, cells) each, as our CSV escapes them,
    under a header that `refuse_unless_activity_header` accepts."""
    index = {column: header.index(column) for column in header}
    rows = []
    for where, cells in table_rows:
        if len(cells) != len(header):
            problem = f"{counted(len(cells), 'cell')} where the header has {len(header)}"
            rows.append(ActivityRow(where, 0, ActivityInput("", "", ""), problem=problem))
            continue
        values = {
            column: unescape_cell(cells[place]).strip() or None for column, place in index.items()
        }
        values = {column: values.get(column) for column in ACTIVITY_CSV_COLUMNS}
        identifier = values["agreement_id"] or ""
        given = ActivityInput(
            kind=values["kind"] or "",
            on=values["on"] or "",
            summary=values["summary"] or "",
            party=values["party"],
            follow_up=values["follow_up_on"],
            follow_up_note=values["follow_up"],
        )
        if not (identifier.isascii() and identifier.isdigit()):
            problem = f"agreement_id {identifier!r} is not an id"
            rows.append(ActivityRow(where, 0, given, values["agreement"], problem))
        else:
            rows.append(ActivityRow(where, int(identifier), given, values["agreement"]))
    return rows


@dataclass
class ActivityImport:
    rows: int = 0
    added: int = 0
    already: int = 0
    rejected: list[str] = field(default_factory=list)
    """One line per row that could not be imported: where, and why."""


def import_activities(
    transaction: Transaction,
    rows: list[ActivityRow],
    *,
    skip_invalid: bool = False,
    order: DateOrder | None = None,
) -> ActivityImport:
    """Add the rows' activities to their agreements; with a rejected row and no
    `skip_invalid`, raise before anything is put, so the whole import changes nothing."""
    report = ActivityImport(rows=len(rows))
    changed: dict[int, Agreement] = {}
    for row in rows:
        try:
            agreement = _agreement_of(transaction, row, changed)
            activity = build_activity(agreement, row.given, order)
            if already_recorded(agreement, activity) is not None:
                report.already += 1
                continue
            changed[row.agreement_id] = with_activities(agreement, [activity])
            report.added += 1
        except AgreementsError as error:
            hint = f" ({error.hint})" if error.hint and isinstance(error, InvalidInput) else ""
            report.rejected.append(f"{row.where}: {error.message}{hint}")
    if report.rejected and not skip_invalid:
        more = len(report.rejected) - 1
        also = f" (and {more} more {'row' if more == 1 else 'rows'})" if more else ""
        raise InvalidInput(
            f"{report.rejected[0]}{also}; nothing was imported",
            hint="--skip-invalid imports the other rows",
        )
    for agreement in changed.values():
        transaction.put(agreement)
    return report


def _agreement_of(
    transaction: Transaction, row: ActivityRow, changed: dict[int, Agreement]
) -> Agreement:
    if row.problem is not None:
        raise InvalidInput(row.problem)
    agreement = changed.get(row.agreement_id) or transaction.get(row.agreement_id)
    if row.title is not None and fold(row.title) != fold(agreement.title):
        raise InvalidInput(
            f"agreement {row.agreement_id} is {agreement.title!r} here, "
            f"not {row.title!r} as in the file",
            hint="were its ids changed by an import? correct the agreement_id column",
        )
    return agreement
