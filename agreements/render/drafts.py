"""What `extract` prints: each draft as a table of values beside the words they came
from, or the drafts as JSON (`extract_version` 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agreements.domain.countries import country_name
from agreements.domain.drafting.drafts import Announcement, Draft, Provenance
from agreements.domain.text import printable
from agreements.domain.values import Certainty, Status

if TYPE_CHECKING:
    from rich.console import RenderableType

EXTRACT_VERSION = 1


def drafts_document(
    announcement: Announcement, drafts: list[Draft], source: dict[str, Any] | None
) -> dict[str, Any]:
    """The drafts as JSON: the record's own keys, and the evidence of every value."""
    publication = announcement.publication
    return {
        "extract_version": EXTRACT_VERSION,
        "published_on": None if publication is None else publication.day.isoformat(),
        "published_from": None if publication is None else publication.how,
        "drafts": [_draft_json(draft, source) for draft in drafts],
    }


def _draft_json(draft: Draft, source: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "title": draft.title,
        "type": None if draft.type is None else draft.type.value,
        "status": None if draft.status is None else draft.status.value,
        "signed_on": None if draft.signed_on is None else str(draft.signed_on),
        "place": draft.place,
        "parties": [
            {"name": p.name, "country": p.country, "level": p.level.value, "parent": p.parent}
            for p in draft.parties
        ],
        "signatories": [
            {"name": s.name, "title": s.title, "party": s.party} for s in draft.signatories
        ],
        "sectors": [{"name": s.name, "certainty": s.certainty.value} for s in draft.sectors],
        "sources": [] if source is None else [source],
        "notes": "\n".join(draft.notes) or None,
        "provenance": [
            {
                "field": p.field,
                "value": p.value,
                "text": p.evidence.text,
                "start": p.evidence.start,
                "end": p.evidence.end,
                "rule": p.evidence.rule,
            }
            for p in draft.provenance
        ],
        "problems": draft.problems(),
    }


def draft_rows(draft: Draft) -> list[tuple[str, str, str]]:
    """(what, value, evidence) for people: each value beside the words it came from."""
    evidence: dict[str, list[Provenance]] = {}
    for item in draft.provenance:
        evidence.setdefault(item.field, []).append(item)

    def cited(name: str) -> str:
        return "\n".join(
            f"“{printable(p.evidence.text)}” ({p.evidence.rule})" for p in evidence.get(name, ())
        )

    rows: list[tuple[str, str, str]] = []
    rows.append(("Type", draft.type.value if draft.type else "not said", cited("type")))
    if draft.status is Status.PROPOSED:
        rows.append(("Status", "proposed: the signing is planned", cited("status")))
    rows.append(
        (
            "Signed",
            draft.signed_on.readable() if draft.signed_on else "no date fixed",
            cited("signed_on"),
        )
    )
    if draft.status is not Status.PROPOSED:
        rows.append(
            ("Place", printable(draft.place) if draft.place else "not said", cited("place"))
        )
    for number, party in enumerate(draft.parties):
        key = f"parties[{number}]"
        details = [party.level.value]
        if party.parent:
            details.append(f"part of {party.parent}")
        details.append(
            f"{country_name(party.country)} ({party.country})"
            if party.country
            else "country not found"
        )
        rows.append(
            (
                f"Party {number + 1}",
                printable(f"{party.name} — {', '.join(details)}"),
                cited(f"{key}.name"),
            )
        )
        for part in ("parent", "country"):
            if evidence.get(f"{key}.{part}"):
                rows.append(("", f"  {part}", cited(f"{key}.{part}")))
    for number, signatory in enumerate(draft.signatories):
        title = f"{signatory.title}, " if signatory.title else ""
        rows.append(
            (
                "Signed by",
                printable(f"{signatory.name} ({title}{signatory.party})"),
                cited(f"signatories[{number}].name"),
            )
        )
    for number, sector in enumerate(draft.sectors):
        possible = " (possible)" if sector.certainty is Certainty.POSSIBLE else ""
        rows.append(("Sector", sector.name + possible, cited(f"sectors[{number}]")))
    for note in draft.notes:
        rows.append(("Note", printable(note), ""))
    for problem in draft.problems():
        rows.append(("Missing", problem, "add it by hand: 'agreements add'"))
    return rows


def draft_table(draft: Draft, heading: str) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from agreements.render.console import people_table

    table: Table = people_table(expand=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("Drafted", ratio=2, overflow="fold")
    table.add_column("From the text", ratio=3, overflow="fold")
    for what, value, evidence in draft_rows(draft):
        table.add_row(what, Text(value), Text(evidence, style="dim"))
    return Group(Text(printable(heading), style="bold"), table, Text(""))
