"""`summary`: counts as tables with bars, or as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agreements.domain.counting import SummaryField
from agreements.domain.countries import country_name
from agreements.render.console import plain

if TYPE_CHECKING:
    from rich.table import Table

Counted = dict[SummaryField, list[tuple[str, int]]]


def summary_tables(counts: Counted) -> list[Table]:
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


def summary_data(counts: Counted, total: int) -> dict[str, object]:
    return {
        "total": total,
        **{
            field.value: [{"value": value, "count": count} for value, count in rows]
            for field, rows in counts.items()
        },
    }
