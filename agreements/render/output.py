"""Everything a person or a program reads: rich tables for terminals, plain formats for pipes.

User text is never read as rich markup and never reaches the terminal with control bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import orjson

from agreements.domain.countries import country_name
from agreements.domain.model import RECORD_FIELDS, Agreement, Certainty, to_record
from agreements.domain.queries import SummaryField, record_status
from agreements.domain.text import printable
from agreements.exchange.spreadsheet import escape_cell, escape_cells

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from agreements.exchange.importing import ImportReport
    from agreements.store.history import DocumentChange, Operation


def plain(text: str | None) -> Text:
    from rich.text import Text

    return Text(printable(text or ""))


def make_console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


LIST_COLUMNS = (
    "id",
    "title",
    "type",
    "status",
    "signed_on",
    "parties",
    "countries",
    "sectors",
    "place",
)


def _sectors_text(agreement: Agreement) -> str:
    return ", ".join(
        sector.name + ("?" if sector.certainty is Certainty.POSSIBLE else "")
        for sector in agreement.sectors
    )


def record_list_row(agreement_id: int, record: dict[str, Any], today: date) -> list[str]:
    """`list_row` of a stored record, read without building the agreement."""
    signed = record["signed_on"]
    return [
        str(agreement_id),
        record["title"],
        record["type"],
        record_status(record, today),
        signed or "",
        "; ".join(party["name"] for party in record["parties"]),
        ", ".join({p["country"]: None for p in record["parties"] if p["country"]}),
        ", ".join(
            s["name"] + ("?" if s["certainty"] == "possible" else "") for s in record["sectors"]
        ),
        record["place"] or "",
    ]


def list_row(agreement: Agreement, today: date) -> list[str]:
    return [
        str(agreement.id),
        agreement.title,
        agreement.type.value,
        agreement.current_status(today).value,
        str(agreement.signed_on or ""),
        "; ".join(party.name for party in agreement.parties),
        ", ".join(agreement.countries()),
        _sectors_text(agreement),
        agreement.place or "",
    ]


def agreements_json(agreements: Sequence[Agreement], today: date) -> str:
    records = [to_record(agreement, today) for agreement in agreements]
    return orjson.dumps(records, option=orjson.OPT_INDENT_2).decode()


def delimited(rows: Iterable[Sequence[str]], header: Sequence[str], *, tsv: bool) -> str:
    """For reading, not exchange: control bytes are shown escaped, as on a terminal.

    CSV (RFC 4180) or TSV with tabs, newlines and backslashes escaped as \\t, \\n, \\\\.
    Either way a cell that a spreadsheet would run as a formula gets a leading "'"."""
    if tsv:
        lines = ["\t".join(header)]
        lines += ["\t".join(_tsv_cell(cell) for cell in row) for row in rows]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(_shown_cells(row) for row in rows)
    return buffer.getvalue()


def _shown_cells(row: Sequence[str]) -> list[str]:
    if "".join(row).isprintable():  # one look at the row instead of one at every cell
        return escape_cells(row)
    return escape_cells([printable(cell) for cell in row])


def _tsv_cell(cell: str) -> str:
    escaped = escape_cell(cell).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return printable(escaped.replace("\r", "\\r"))


def agreements_table(agreements: Sequence[Agreement], today: date) -> Table:
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold", expand=False)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Title", ratio=3)
    table.add_column("Type", no_wrap=True)
    table.add_column("Signed", no_wrap=True)
    table.add_column("Countries")
    table.add_column("Sectors", ratio=2)
    table.add_column("Status", no_wrap=True)
    for agreement in agreements:
        table.add_row(
            str(agreement.id),
            plain(agreement.title),
            agreement.type.value,
            str(agreement.signed_on or "—"),
            ", ".join(agreement.countries()),
            _sectors_text(agreement),
            agreement.current_status(today).value,
        )
    return table


def detail_lines(agreement: Agreement, today: date) -> list[tuple[str, str]]:
    """The whole record as (label, value) lines, empty fields left out."""
    lines: list[tuple[str, str]] = []

    def line(label: str, value: str | None) -> None:
        if value:
            lines.append((label, printable(value)))

    line("ID", str(agreement.id))
    line("Title", agreement.title)
    line("Type", agreement.type.value)
    status = agreement.current_status(today).value
    if agreement.status is None:
        status += " (derived from the dates)"
    elif agreement.status_reason:
        status += f" — {agreement.status_reason}"
    line("Status", status)
    if agreement.signed_on:
        line("Signed", f"{agreement.signed_on.readable()} ({agreement.signed_on})")
    line("Place", agreement.place)
    for number, party in enumerate(agreement.parties, start=1):
        details = [party.level.value]
        if party.parent:
            details.append(f"part of {party.parent}")
        if party.country:
            details.append(f"{country_name(party.country)} ({party.country})")
        elif party.country_as_given:
            details.append(f"country given as {party.country_as_given!r}, not recognised")
        line(f"Party {number}", f"{party.name} — {', '.join(details)}")
    for signatory in agreement.signatories:
        title = f"{signatory.title}, " if signatory.title else ""
        line("Signed by", f"{signatory.name} ({title}{signatory.party})")
    line("Sectors", _sectors_text(agreement).replace("?", " (possible)"))
    if agreement.expires_on:
        line("Expires", str(agreement.expires_on))
    if agreement.review_on:
        line("Review", str(agreement.review_on))
    for contact in agreement.contacts:
        parts = [contact.role, contact.phone, contact.email, contact.party]
        line("Contact", " · ".join([contact.name, *(part for part in parts if part)]))
    for source in agreement.sources:
        parts = [source.url, source.title, str(source.published_on or "")]
        line("Source", " · ".join(part for part in parts if part))
    line("Notes", agreement.notes)
    line("Tags", ", ".join(agreement.tags))
    line("Created", agreement.created_at)
    line("Updated", agreement.updated_at)
    return lines


def detail_table(lines: Sequence[tuple[str, str]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in lines:
        grid.add_row(label, Text(value))
    return grid


def detail_text(lines: Sequence[tuple[str, str]]) -> str:
    """The same lines for a pipe: unwrapped, continuation lines indented."""
    width = max((len(label) for label, _ in lines), default=0) + 2
    return "\n".join(
        label.ljust(width) + value.replace("\n", "\n" + " " * width) for label, value in lines
    )


def describe(value: Any) -> str:
    """A field value in a change report: texts quoted, lists compact, missing as —."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, str):
        return repr(value)
    return orjson.dumps(value).decode()


def summary_tables(counts: dict[SummaryField, list[tuple[str, int]]]) -> list[Table]:
    from rich.table import Table
    from rich.text import Text

    tables = []
    for field, rows in counts.items():
        table = Table(title=f"By {field.value}", title_justify="left", header_style="bold")
        table.add_column(field.value.capitalize())
        table.add_column("Agreements", justify="right")
        table.add_column("", no_wrap=True)
        largest = max((count for _, count in rows), default=0)
        for value, count in rows:
            label = country_label(value) if field is SummaryField.COUNTRY else value
            bar = "█" * max(1, round(20 * count / largest)) if largest else ""
            table.add_row(plain(label), str(count), Text(bar, style="cyan"))
        tables.append(table)
    return tables


def country_label(code: str) -> str:
    return f"{country_name(code)} ({code})" if len(code) == 2 else code


def summary_json(counts: dict[SummaryField, list[tuple[str, int]]], total: int) -> str:
    data = {
        "total": total,
        **{
            field.value: [{"value": value, "count": count} for value, count in rows]
            for field, rows in counts.items()
        },
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


def operation_heading(operation: Operation, undone_by: int | None) -> str:
    heading = f"#{operation.number}  {operation.time}  {operation.command}"
    if operation.undoes is not None:
        heading += f"  (undid #{operation.undoes})"
    if undone_by is not None:
        heading += f"  [undone by #{undone_by}]"
    return printable(heading)


def change_lines(changes: Sequence[DocumentChange], limit: int | None = None) -> list[str]:
    """What each changed document went through, field by field; bookkeeping left out."""
    shown = [change for change in changes if change.table != "meta"]
    lines = [printable(_change_text(change)) for change in shown[:limit]]
    if limit is not None and len(shown) > limit:
        lines.append(f"… and {len(shown) - limit:,} more (see --format json)")
    return lines


def _change_text(change: DocumentChange) -> str:
    before, after = change.before, change.after
    if change.table == "sectors":
        name = (after or before or {}).get("name")
        verb = "added" if before is None else "removed" if after is None else "changed"
        return f"{verb} the sector {name!r}"
    label = f"agreement {change.id}"
    if before is None or after is None:
        verb, record = ("added", after) if before is None else ("removed", before)
        return f"{verb} {label}: {_title(record or {})}"
    fields = [
        f"{name}: {describe(before.get(name))} → {describe(after.get(name))}"
        for name in sorted(before.keys() | after.keys(), key=_field_order)
        if name != "updated_at" and before.get(name) != after.get(name)
    ]
    heading = f"changed {label} ({_title(after)})"
    if len(fields) == 1:
        return f"{heading}: {fields[0]}"
    return "\n  ".join([f"{heading}:", *fields])


def _title(record: dict[str, Any]) -> str:
    title = record.get("title")
    if isinstance(title, str) and title:
        return title
    parties = record.get("parties")
    names = (
        [p.get("name") for p in parties if isinstance(p, dict)] if isinstance(parties, list) else []
    )
    return " – ".join(str(name) for name in names) or "(untitled)"


def _field_order(name: str) -> tuple[int, str]:
    return (
        (RECORD_FIELDS.index(name), name) if name in RECORD_FIELDS else (len(RECORD_FIELDS), name)
    )


def operations_json(operations: Sequence[Operation], undone: dict[int, int]) -> str:
    data = [
        {
            "op": operation.number,
            "time": operation.time,
            "command": operation.command,
            "undoes": operation.undoes,
            "undone_by": undone.get(operation.number),
            "changes": [
                {"table": c.table, "id": c.id, "before": c.before, "after": c.after}
                for c in operation.changes
            ],
        }
        for operation in operations
    ]
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


_ACTION_WORDS = {
    "imported": "import as #{id}",
    "merged": "merge into row {row} (#{id})",
    "skipped": "skip: {reason} as #{id}",
    "updated": "update #{id}",
}
_SHOWN_REJECTIONS = 5


def import_details(report: ImportReport) -> list[str]:
    """One line per row of a dry run: what would happen to it."""
    from agreements.exchange.importing import Action

    lines = []
    for outcome in report.outcomes:
        if outcome.action is Action.REJECTED:
            lines.append(f"{outcome.where}: reject: {outcome.reason}")
            continue
        words = _ACTION_WORDS[outcome.action.value].format(
            id=outcome.id, row=outcome.merged_into_row, reason=outcome.reason
        )
        lines.append(f"{outcome.where}: {words} — {outcome.title}")
    return [printable(line) for line in lines]


def import_summary(report: ImportReport) -> list[str]:
    """What an import did, for stderr: counts, then what needs the user's attention."""
    from agreements.exchange.importing import Action

    counts = {action: report.count(action) for action in Action}
    verb = "Would import" if report.dry_run else "Imported"
    parts = [f"{len(report.outcomes)} rows read"]
    parts += [f"{counts[a]} {a.value}" for a in Action if a is not Action.IMPORTED and counts[a]]
    if report.renumbered:
        parts.append(f"{report.renumbered} got new ids because theirs were taken")
    lines = [
        f"{verb} {counts[Action.IMPORTED]} agreements from {report.source}: {', '.join(parts)}"
    ]
    if report.unresolved_countries:
        found = ", ".join(
            f"{name!r} ×{count}" for name, count in report.unresolved_countries.most_common()
        )
        lines.append(
            f"Countries not recognised, left empty with the name kept: {found}; "
            'give a code with --country-alias "NAME=CODE"'
        )
    if report.conflicts:
        pairs = (
            "1 pair appears"
            if len(report.conflicts) == 1
            else f"{len(report.conflicts)} pairs appear"
        )
        lines.append(
            f"{pairs} more than once with a different type or date; each listing was kept "
            "as its own agreement (--report lists them)"
        )
    rejected = report.rejected()
    if rejected and not report.dry_run:
        lines += [f"Rejected {o.where}: {o.reason}" for o in rejected[:_SHOWN_REJECTIONS]]
        if len(rejected) > _SHOWN_REJECTIONS:
            lines.append(f"… and {len(rejected) - _SHOWN_REJECTIONS} more; --report lists them")
    return lines
