"""`summary`: counts as tables with bars for people, or as JSON, CSV or TSV.

A table shows the `top` largest values of a field and sums the rest as "others", groups
many years into decades, and keeps one dominant value from flattening every other bar.
The machine formats hold every value as counted, cut only by an explicit --top.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from agreements.domain.counting import Others, in_decades, top_rows
from agreements.domain.countries import country_name
from agreements.domain.summary_fields import Beside, CountedField, SummaryField
from agreements.render.console import people_table, plain

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

Counted = dict[CountedField, list[tuple[str, int]]]
Home = tuple[str | None, int]
"""The home country of partner-country (None when no agreement has a country) and how
many of the agreements it is on."""

BAR_WIDTH = 20
OFF_SCALE = 3
"""A largest count more than this many times the next one gets a cut bar ending in "»"."""
_EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
_COUNTRIES = (SummaryField.COUNTRY, SummaryField.PARTNER_COUNTRY)


def summary_tables(
    counts: Counted, total: int, top: int, home: Home | None = None
) -> list[RenderableType]:
    """One table per field, each with its notes: at most `top` values (0: all) and
    "others", years as decades when there are many (not with top 0)."""
    from rich.text import Text

    shown: list[RenderableType] = []
    for field, counted in counts.items():
        if isinstance(field, Beside):
            continue
        cut = top_rows(field, counted if top == 0 else in_decades(field, counted), top)
        label = field.value.replace("-", " ")
        table = people_table(title=f"By {label}", title_justify="left", title_style="bold")
        table.add_column(label.capitalize(), overflow="fold")
        table.add_column("Agreements", justify="right")
        table.add_column("", no_wrap=True)
        bars = scaled_bars([count for _, count in cut.rows()])
        for number, (value, count) in enumerate(cut.rows()):
            if number == len(cut.largest):
                _add_others(table, cut.others)
            name = plain(country_label(value) if field in _COUNTRIES else value)
            table.add_row(name, str(count), Text(bars[number], style="cyan"))
        if not cut.last:
            _add_others(table, cut.others)
        shown.append(table)
        notes = []
        if any(bar.endswith("»") for bar in bars):
            notes.append("» cut short: that count is off the scale of the others.")
        if field is SummaryField.PARTNER_COUNTRY and home is not None:
            notes.append(home_note(home, total))
        if field is SummaryField.COUNTRY:
            former = dict(counts.get(Beside.SIGNED_WITH_FORMER, ()))
            if note := former_note([value for value, _ in cut.rows()], former):
                notes.append(note)
            if hint := partner_hint(counted, total):
                notes.append(hint)
        shown.extend(Text(note, style="dim") for note in notes)
    return shown


def _add_others(table: Table, others: Others | None) -> None:
    """The row of what a cut-down table leaves out: no bar, it is no value of its own."""
    from rich.text import Text

    if others is not None:
        many = "value" if others.values == 1 else "values"
        label = Text(f"others ({others.values} {many})", style="dim")
        table.add_row(label, str(others.count), "")


def scaled_bars(counts: list[int]) -> list[str]:
    """A bar for each count, in eighths of a character, scaled to the largest; or, when the
    largest is more than OFF_SCALE times the next, to the next, the largest cut with "»"."""
    ordered = sorted(counts, reverse=True)
    if not ordered or ordered[0] == 0:
        return ["" for _ in counts]
    scale, dominant = ordered[0], None
    if len(ordered) > 2 and ordered[1] and ordered[0] > OFF_SCALE * ordered[1]:
        scale, dominant = ordered[1], ordered[0]
    bars = []
    for count in counts:
        if count == dominant:
            bars.append("█" * (BAR_WIDTH - 1) + "»")
            continue
        # Under a cut bar the next largest stops well short of it, so the cut one stands out.
        width = BAR_WIDTH - 4 if dominant else BAR_WIDTH
        eighths = max(1, round(8 * width * count / scale)) if count else 0
        bars.append("█" * (eighths // 8) + _EIGHTHS[eighths % 8])
    return bars


def country_label(code: str) -> str:
    """ "Denmark (DK)", "Soviet Union (SUHH)"; "unknown" as it is."""
    return f"{country_name(code)} ({code})" if len(code) in (2, 4) and code.isupper() else code


def former_note(shown: list[str], former: dict[str, int]) -> str | None:
    """How many of each country shown were signed with a former country, if any were."""
    parts = [f"{country_label(code)} {former[code]}" for code in shown if former.get(code)]
    if not parts:
        return None
    return "Of these, signed with a former country: " + ", ".join(parts) + "."


def home_note(home: Home, total: int) -> str:
    code, on = home
    if code is None:
        return "No agreement has a country, so there is no home country."
    share = f"all {total} agreements" if on == total else f"{on} of {total} agreements"
    share = "the one agreement" if on == total == 1 else share
    return f"Home country {country_label(code)}, on {share} (--home to change)."


def partner_hint(rows: list[tuple[str, int]], total: int) -> str | None:
    """Points to partner-country when one country is on every agreement counted."""
    if len(rows) < 2 or total < 2 or rows[0][1] != total or rows[0][0] == "unknown":
        return None
    return f"{country_label(rows[0][0])} is on every agreement: try --by partner-country."


def summary_data(counts: Counted, total: int, home: Home | None = None) -> dict[str, object]:
    data: dict[str, object] = {"total": total}
    if home is not None:
        code, on = home
        data["home-country"] = None if code is None else {"value": code, "count": on}
    for field, rows in counts.items():
        data[field.value] = [{"value": value, "count": count} for value, count in rows]
    return data


SUMMARY_COLUMNS = ("field", "value", "count")


def summary_rows(counts: Counted, total: int, home: Home | None = None) -> Iterator[list[str]]:
    """The rows of the CSV and TSV: the total, the home country, then every count."""
    yield ["total", "", str(total)]
    if home is not None:
        code, on = home
        yield ["home-country", code or "", str(on)]
    for field, rows in counts.items():
        for value, count in rows:
            yield [field.value, value, str(count)]


def write_summary_rows(
    counts: Counted, total: int, home: Home | None, stream: IO[bytes], *, tsv: bool
) -> None:
    from agreements.render.listing import write_rows

    write_rows(summary_rows(counts, total, home), SUMMARY_COLUMNS, stream, tsv=tsv)
