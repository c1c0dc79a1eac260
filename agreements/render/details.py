"""`show`: one agreement in full, as a grid on a terminal or as labelled lines in a pipe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from agreements.domain.countries import country_name
from agreements.domain.model import Activity, Agreement, Party
from agreements.domain.text import fold, printable
from agreements.domain.values import Certainty, Renewal
from agreements.render.relative import local_moment, written

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
    if agreement.status is None and agreement.signed_on is None:
        status += " (signed, the date unknown)"
    elif agreement.status is None:
        status += " (derived from the dates)"
    elif agreement.status_reason:
        status += f" — {agreement.status_reason}"
    line("Status", status)
    if agreement.signed_on:
        line("Signed", written(agreement.signed_on, today))
    line("Place", agreement.place)
    for number, party in enumerate(agreement.parties, start=1):
        line(f"Party {number}", _party_text(party))
    for signatory in agreement.signatories:
        title = f"{signatory.title}, " if signatory.title else ""
        line("Signed by", f"{signatory.name} ({title}{signatory.party})")
    line("Sectors", sectors_text(agreement).replace("?", " (possible)"))
    lines += _lifecycle_lines(agreement, today)
    for contact in agreement.contacts:
        parts = [contact.role, contact.phone, contact.email, contact.party]
        line("Contact", " · ".join([contact.name, *(part for part in parts if part)]))
    for source in agreement.sources:
        parts = [source.url, source.title, str(source.published_on or "")]
        line("Source", " · ".join(part for part in parts if part))
    line("Notes", agreement.notes)
    line("Tags", ", ".join(agreement.tags))
    for number in range(len(agreement.activities), 0, -1):  # newest first
        line("Activity", _activity_text(number, agreement.activities[number - 1], today))
    for conflict in agreement.conflicts:
        line(
            "Conflict",
            f"{conflict.field}: ours {conflict.ours} (kept), theirs {conflict.theirs}, before "
            f"both {conflict.base}; agreements resolve {agreement.id} {conflict.field} --take …",
        )
    lines += _due_lines(agreement, today)
    line("Created", local_moment(agreement.created_at))
    line("Updated", local_moment(agreement.updated_at))
    return lines


def _lifecycle_lines(agreement: Agreement, today: date) -> list[tuple[str, str]]:
    lines = []
    if agreement.council_resolution_on:
        lines.append(("Council", f"resolved {written(agreement.council_resolution_on, today)}"))
    if agreement.effective_on:
        lines.append(("Effective", written(agreement.effective_on, today)))
    if agreement.expires_on:
        lines.append(("Expires", written(agreement.expires_on, today)))
    if agreement.notice:
        lines.append(("Notice", f"{agreement.notice} before the expiry"))
    if agreement.renewal:
        lines.append(("Renewal", _RENEWALS[agreement.renewal]))
    if agreement.review_on:
        lines.append(("Review", written(agreement.review_on, today)))
    return [(label, printable(value)) for label, value in lines]


_RENEWALS = {
    Renewal.NONE: "none: it ends at the expiry",
    Renewal.AUTOMATIC: "automatic, unless notice is given",
    Renewal.ON_DECISION: "on decision: the parties decide before the expiry",
}


def _party_text(party: Party) -> str:
    """ "Rostock — city, Mecklenburg-Vorpommern (DE-MV), Germany (DE), signed with East
    Germany (DDDE)"."""
    details = [party.level.value]
    if party.other_names:
        details.append("also " + " / ".join(party.other_names))
    region = (
        party.region + (f" ({party.region_code})" if party.region_code else "")
        if party.region
        else party.region_code
    )
    if party.parent:
        same = party.region is not None and fold(party.region) == fold(party.parent)
        details.append(f"part of {region if same else party.parent}")
        region = None if same else region
    if region:
        details.append(region)
    if party.country:
        details.append(f"{country_name(party.country)} ({party.country})")
    elif party.country_as_given:
        details.append(f"country given as {party.country_as_given!r}, not recognised")
    if party.country_at_signing:
        code = party.country_at_signing
        details.append(f"signed with {country_name(code)} ({code})")
    return f"{party.name} — {', '.join(details)}"


def _activity_text(number: int, activity: Activity, today: date) -> str:
    host = f" ({activity.party})" if activity.party else ""
    on = activity.on.readable()
    text = f"#{number} {on} · {activity.kind.value} · {activity.summary}{host}"
    if activity.follow_up_on is not None:
        note = f": {activity.follow_up}" if activity.follow_up else ""
        text += f" · follow-up by {written(activity.follow_up_on, today)}{note}"
    return text


def _due_lines(agreement: Agreement, today: date) -> list[tuple[str, str]]:
    """What is due within a year, overdue items included, soonest first."""
    from agreements.domain.due import due_items
    from agreements.domain.periods import Period, Unit
    from agreements.domain.records import stored_record
    from agreements.render.due import due_text

    assert agreement.id is not None
    until = Period(1, Unit.YEAR).after(today)
    items = due_items([(agreement.id, stored_record(agreement))], today, until)
    return [("Due", printable(due_text(item, today))) for item in items]


def detail_table(lines: Sequence[tuple[str, str]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")  # a long address is folded, never cut: it may be copied
    for label, value in lines:
        grid.add_row(label, Text(value))
    return grid


def detail_text(lines: Sequence[tuple[str, str]]) -> str:
    """The same lines for a pipe: unwrapped, continuation lines indented."""
    width = max((len(label) for label, _ in lines), default=0) + 2
    return "\n".join(
        label.ljust(width) + value.replace("\n", "\n" + " " * width) for label, value in lines
    )
