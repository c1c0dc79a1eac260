"""`due`: what needs attention, as a table with relative dates or as rows and JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from agreements.domain.dates import Precision
from agreements.domain.due import DueItem, DueKind, ItemMaker, rank_of, ranked, when_text
from agreements.domain.text import printable
from agreements.formats import Format
from agreements.render.console import people_table, plain
from agreements.render.listing import cell_encoder, header_line
from agreements.render.output import write_json
from agreements.render.relative import relative, short_date, span
from agreements.render.status import OVERDUE_STYLE

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

DUE_COLUMNS = ("date", "kind", "agreement_id", "title", "description", "overdue")
_DUE_WORD = {DueKind.NOTICE, DueKind.REVIEW, DueKind.FOLLOW_UP}
_DESCRIBED = {DueKind.NOTICE, DueKind.FOLLOW_UP, DueKind.DORMANT}
"""The kinds whose description says more than their phrase: the table shows it too."""


def due_phrase(item: DueItem, today: date) -> str:
    """The item in a few words: "notice due in 4 weeks", "review overdue by 6 months",
    "expires in 3 months", "50th anniversary in 2027", "dormant: no activity for 4 years"."""
    if item.kind is DueKind.DORMANT:
        quiet = today - (item.last_activity or item.day)
        return f"dormant: no activity for {span(quiet.days)}"
    if item.overdue:
        return f"{item.label} overdue by {_since(item, today)}"
    when = relative(item.day, today, item.precision)
    if item.kind is DueKind.EXPIRY:
        return f"{'renews' if item.label == 'renewal' else 'expires'} {when}"
    if item.kind in _DUE_WORD:
        return f"{item.label} due {when}"
    return f"{item.label} {when}"


def _since(item: DueItem, today: date) -> str:
    """How long it is overdue: a review due "in 2026" is overdue from the end of 2026."""
    return span((today - item.when().last_day()).days)


def due_record(item: DueItem) -> dict[str, Any]:
    """An item as `due --format json` writes it: the date with the precision it is known to."""
    return {
        "date": item.when_text(),
        "kind": item.kind.value,
        "agreement_id": item.agreement_id,
        "title": item.title,
        "description": item.description,
        "overdue": item.overdue,
    }


def due_renderer(chosen: Format) -> ItemMaker[tuple[int, Any]]:
    """What an item becomes for `chosen` on the core that found it, with its rank: the
    bytes of its row of CSV or TSV, its JSON record, or for the table the item itself."""
    if chosen is Format.JSON:
        return ranked(due_record)
    if chosen in (Format.CSV, Format.TSV):
        return _row_maker(tsv=chosen is Format.TSV)
    return ranked(lambda item: item)


def _row_maker(*, tsv: bool) -> ItemMaker[tuple[int, bytes]]:
    """The cells of `due_record`, made directly from the item's fields."""
    cells, between = cell_encoder(tsv=tsv), b"\t" if tsv else b","
    kinds = {kind: cells[kind.value] for kind in DueKind}
    ends = (cells["false"] + b"\n", cells["true"] + b"\n")
    whens: dict[Precision, dict[int, bytes]] = {precision: {} for precision in Precision}

    def row(
        first: int, kind: DueKind, number: int, title: str, description: str,
        overdue: bool, precision: Precision, label: str, key: str, parties: Sequence[str],
        last_activity: date | None,
    ) -> tuple[int, bytes]:  # fmt: skip
        when = whens[precision].get(first)
        if when is None:
            when = whens[precision][first] = cells[when_text(date.fromordinal(first), precision)]
        cut = (when, kinds[kind], b"%d" % number, cells[title], cells[description], ends[overdue])
        return rank_of(first, kind, number, overdue), between.join(cut)

    return row


def write_due(
    rendered: Sequence[Any],
    today: date,
    chosen: Format,
    stream: IO[bytes],
    console: Callable[[], Console],
) -> None:
    """The items, each as `due_renderer(chosen)` made it, soonest first: the bytes that
    `write_records` writes for their records, or the table."""
    if chosen is Format.JSON:
        write_json(list(rendered), stream)
    elif chosen in (Format.CSV, Format.TSV):
        stream.write(header_line(DUE_COLUMNS, tsv=chosen is Format.TSV) + b"".join(rendered))
    else:
        out = console()
        out.print(due_table(rendered, today, out.width) if rendered else "Nothing is due.")


DATE_COLUMN_FROM = 64
"""Below this width the table leaves out its Date column: the Due phrase says when."""


def due_table(items: Sequence[DueItem], today: date, width: int = 80) -> Table:
    from rich.text import Text

    dated = width >= DATE_COLUMN_FROM
    table = people_table()
    if dated:
        table.add_column("Date", no_wrap=True)
    table.add_column("Due", min_width=16)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Agreement", min_width=12, overflow="fold")
    for item in items:
        due_cell = Text(due_phrase(item, today), style=OVERDUE_STYLE if item.overdue else "")
        if item.kind in _DESCRIBED:
            due_cell.append("\n")
            due_cell.append(printable(item.description), style="dim")
        cells: list[Text | str] = [due_cell, str(item.agreement_id), plain(item.title)]
        if dated:
            cells.insert(0, short_date(item.day, item.precision))
        table.add_row(*cells)
    return table


def due_text(item: DueItem, today: date) -> str:
    """The item in a line: "notice due in 4 weeks (1 Jan 2027): notice (2 months) before …"."""
    text = due_phrase(item, today)
    if item.precision is Precision.DAY:
        text += f" ({short_date(item.day)})"
    return f"{text}: {item.description}" if item.kind in _DESCRIBED else text


def next_cell(item: DueItem | None, today: date) -> Text | str:
    """The soonest item of an agreement for the "next" column of `list`, red if overdue."""
    from rich.text import Text

    if item is None:
        return "—"
    return Text(due_phrase(item, today), style=OVERDUE_STYLE if item.overdue else "")
