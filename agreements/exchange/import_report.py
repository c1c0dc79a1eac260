"""What an import did, row by row: the report printed after it and written by --report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from agreements.domain.countries import CountryReading, Resolution
from agreements.errors import InvalidInput
from agreements.exchange.items import Item


class Action(StrEnum):
    IMPORTED = "imported"
    MERGED = "merged"
    SKIPPED = "skipped"
    UPDATED = "updated"
    REJECTED = "rejected"


@dataclass
class Outcome:
    """What happened to one row of the file."""

    row: int
    line: int
    where: str
    action: Action
    title: str = ""
    id: int | None = None
    merged_into_row: int | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        found = {
            "row": self.row,
            "line": self.line or None,
            "action": self.action.value,
            "title": self.title or None,
            "id": self.id,
            "merged_into_row": self.merged_into_row,
            "reason": self.reason,
        }
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class Conflict:
    """The same parties listed more than once with different types or dates."""

    parties: tuple[str, ...]
    variants: tuple[tuple[int, str, str | None], ...]  # (row, type, signed_on)

    def as_json(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "rows": [
                {"row": row, "type": kind, "signed_on": signed}
                for row, kind, signed in self.variants
            ],
        }


@dataclass(frozen=True)
class Namesakes:
    """A row whose parties share a name that nothing in the list tells apart."""

    row: int
    where: str
    name: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "name": self.name}


REPORTED_READINGS = (
    Resolution.SUBDIVISION,
    Resolution.FORMER,
    Resolution.ALIAS,
    Resolution.QUALIFIED,
)
"""The ways of reading a country cell that an import reports: all but codes and names."""


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    unresolved_countries: Counter[str] = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    resolved_countries: Counter[str] = field(default_factory=Counter)
    """Country cells read through a subdivision, a former country, an alias or a qualifier."""
    readings: dict[str, CountryReading] = field(default_factory=dict)
    namesakes: list[Namesakes] = field(default_factory=list)
    qualified_names: Counter[str] = field(default_factory=Counter)
    """Party names with a qualifier in parentheses ("Frankfurt (Oder)")."""
    places: Counter[tuple[str, str, str | None]] = field(default_factory=Counter)
    """(country cell, place, country today or None) of the parties in a former country
    with several successors, whose country today is the one the place's name told."""
    parenthesis: str = "keep"
    """What the import made of those qualifiers (`--parenthesis`)."""
    renumbered: int = 0
    """Records of our own format whose ids this register had used: they got new ones."""
    blocked: bool = False
    """Rows were rejected and the import was not asked to skip them: nothing is written."""

    def failure(self) -> InvalidInput | None:
        """The error to stop with when the import is blocked by rejected rows."""
        rejected = self.rejected()
        if not (self.blocked and rejected):
            return None
        others = len(rejected) - 1
        rows = "1 more row has" if others == 1 else f"{others} more rows have"
        more = f" ({rows} problems)" if others else ""
        return InvalidInput(
            f"{rejected[0].where}: {rejected[0].reason}{more}; nothing was imported",
            hint="--dry-run lists every problem; --skip-invalid imports the other rows",
        )

    def note_readings(
        self,
        countries: Iterable[tuple[str, CountryReading]],
        qualified: Iterable[str],
        places: Iterable[tuple[str, str, str | None]] = (),
    ) -> None:
        """What one row's country cells were read as, its names with a qualifier, and the
        countries today its places told."""
        for text, reading in countries:
            if reading.how in REPORTED_READINGS:
                self.resolved_countries[text] += 1
                self.readings[text] = reading
        self.qualified_names.update(qualified)
        self.places.update(places)

    def readings_by_kind(self) -> dict[Resolution, list[tuple[str, CountryReading, int]]]:
        """The reported country cells, by how they were read, the most frequent first."""
        found: dict[Resolution, list[tuple[str, CountryReading, int]]] = {}
        for text, count in self.resolved_countries.most_common():
            reading = self.readings[text]
            found.setdefault(reading.how, []).append((text, reading, count))
        return {how: found[how] for how in REPORTED_READINGS if how in found}

    def reject(self, item: Item, reason: str) -> None:
        self.outcomes.append(
            Outcome(item.number, item.line, item.where, Action.REJECTED, reason=reason)
        )

    def count(self, action: Action) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action is action)

    def rejected(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action is Action.REJECTED]

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "written": not (self.dry_run or self.blocked),
            "rows": len(self.outcomes),
            **{action.value: self.count(action) for action in Action},
            "renumbered": self.renumbered,
            "unresolved_countries": dict(self.unresolved_countries.most_common()),
            "resolved_countries": [
                {
                    "given": text,
                    "read_as": reading.how.value,
                    "country": reading.country,
                    "region": reading.region,
                    "region_code": reading.region_code,
                    "country_at_signing": reading.former,
                    "rows": count,
                }
                for text, count in self.resolved_countries.most_common()
                for reading in (self.readings[text],)
            ],
            "countries_from_places": [
                {"given": text, "place": place, "country": country, "rows": count}
                for (text, place, country), count in self.places.most_common()
            ],
            "namesakes": [namesakes.as_json() for namesakes in self.namesakes],
            "qualified_names": {
                "parenthesis": self.parenthesis,
                "names": dict(self.qualified_names.most_common()),
            },
            "conflicts": [conflict.as_json() for conflict in self.conflicts],
            "outcomes": [outcome.as_json() for outcome in self.outcomes],
        }
