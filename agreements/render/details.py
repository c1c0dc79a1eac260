"""`show`: one agreement in full, as a grid on a terminal or as labelled lines in a pipe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from agreements.domain.countries import country_name
from agreements.domain.model import Agreement
from agreements.domain.text import printable
from agreements.domain.values import Certainty

if TYPE_CHECKING:
    from rich.table import Table


def sectors_text(agreement: Agreement) -> str:
    return ", ".join(
        sector.name + ("?" if sector.certainty is Certainty.POSSIBLE else "")
        for sector in agreement.sectors
    )


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
    line("Sectors", sectors_text(agreement).replace("?", " (possible)"))
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
