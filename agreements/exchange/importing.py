"""Importing a file: every row read and judged first, duplicates found, then one write.

The same parties (in either order) with the same type and signing date are one
agreement: rows of the file that say so are merged, and a row the register already
holds is skipped, updated or refused, as the user chose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

from agreements.domain.countries import is_country_code
from agreements.domain.model import VALUES, Agreement, Party, default_title, from_record
from agreements.domain.text import fold
from agreements.domain.vocabulary import Vocabulary
from agreements.errors import InvalidInput
from agreements.exchange.files import Item, csv_column_of
from agreements.exchange.mapping import ColumnMap, RowReader
from agreements.exchange.own_rows import OwnRowReader
from agreements.store.register import Change

PROGRESS_STEP = 1000
T = TypeVar("T")


class OnDuplicate(StrEnum):
    SKIP = "skip"
    UPDATE = "update"
    ERROR = "error"


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


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    unresolved_countries: Counter[str] = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    renumbered: int = 0
    """Records of our own format whose ids this register had used: they got new ones."""
    blocked: bool = False
    """Rows were rejected and the import was not asked to skip them: nothing is written."""

    def failure(self) -> InvalidInput | None:
        """The error to stop with when the import is blocked by rejected rows."""
        rejected = self.rejected()
        if not (self.blocked and rejected):
            return None
        more = f" ({len(rejected) - 1} more rows have problems)" if len(rejected) > 1 else ""
        return InvalidInput(
            f"{rejected[0].where}: {rejected[0].reason}{more}; nothing was imported",
            hint="--dry-run lists every problem; --skip-invalid imports the other rows",
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
            "conflicts": [conflict.as_json() for conflict in self.conflicts],
            "outcomes": [outcome.as_json() for outcome in self.outcomes],
        }


Key = tuple[tuple[tuple[str, str], ...], str, str]


@dataclass
class Candidate:
    """A row read into an agreement, before it meets the other rows and the register."""

    item: Item
    agreement: Agreement
    unresolved: tuple[str, ...] = ()
    merged: list[Item] = field(default_factory=list)
    key: Key = ((), "", "")

    def __post_init__(self) -> None:
        self.key = _key(self.agreement)


Progress = Callable[[int], None]


@dataclass
class ImportRequest:
    """What to import and how; the items are read only once the register is locked."""

    source: str
    items: Iterable[Item]
    columns: ColumnMap | OwnRowReader | None = None
    """How to read the cells of CSV rows: another tool's, as mapped, or our own.
    None when the items are records (JSON)."""
    on_duplicate: OnDuplicate = OnDuplicate.SKIP
    skip_invalid: bool = False
    dry_run: bool = False
    progress: Progress | None = None


def run_import(change: Change, request: ImportRequest) -> ImportReport:
    """Judge every row, then add, merge and update in `change`.

    When a row is rejected and the request does not skip such rows, or on a dry run,
    the change is discarded: the report says what would have happened.
    """
    report = ImportReport(request.source, request.dry_run)
    vocabulary = change.vocabulary()
    columns = request.columns
    reader = RowReader(columns, vocabulary) if isinstance(columns, ColumnMap) else None
    candidates = list(_candidates(request, reader, vocabulary, report))
    unique = _merged_within_file(candidates)
    report.conflicts = _conflicts(unique)
    existing = _existing_keys(change) if unique else {}
    to_add: list[Candidate] = []
    updates: list[tuple[Candidate, int]] = []
    for candidate in unique:
        found = existing.get(candidate.key)
        if found is None:
            to_add.append(candidate)
        elif request.on_duplicate is OnDuplicate.ERROR:
            _reject(report, candidate.item, f"the register already has it as #{found}")
        elif request.on_duplicate is OnDuplicate.UPDATE:
            updates.append((candidate, found))
        else:
            _record(report, candidate, Action.SKIPPED, found, "already in the register")
    report.blocked = bool(report.rejected()) and not request.skip_invalid
    stored = change.add_many([c.agreement for c in to_add], keep_ids=True)
    for candidate, new_id in zip(to_add, stored, strict=True):
        _record(report, candidate, Action.IMPORTED, new_id)
        if candidate.agreement.id not in (None, new_id):
            report.renumbered += 1
    for candidate, agreement_id in updates:
        old = change.get(agreement_id)
        new = merge(candidate.agreement, old)
        new = replace(new, id=old.id, created_at=old.created_at, updated_at=old.updated_at)
        if new == old:
            _record(report, candidate, Action.SKIPPED, agreement_id, "unchanged")
        else:
            change.put(new)
            _record(report, candidate, Action.UPDATED, agreement_id)
    report.outcomes.sort(key=lambda outcome: outcome.row)
    if request.dry_run or report.blocked:
        change.discard()
    return report


def _candidates(
    request: ImportRequest,
    reader: RowReader | None,
    vocabulary: Vocabulary,
    report: ImportReport,
) -> Iterator[Candidate]:
    seen_ids: set[int] = set()
    own_rows = request.columns if isinstance(request.columns, OwnRowReader) else None
    for count, item in enumerate(request.items, start=1):
        if request.progress is not None and count % PROGRESS_STEP == 0:
            request.progress(count)
        try:
            if reader is not None:
                mapped = reader.read(item.cells)
                candidate = Candidate(item, mapped.agreement, mapped.unresolved_countries)
            else:
                candidate = _own_candidate(item, own_rows, vocabulary, seen_ids)
        except InvalidInput as error:
            _reject(report, item, error.message + (f" ({error.hint})" if error.hint else ""))
            continue
        report.unresolved_countries.update(candidate.unresolved)
        candidate.item = Item(item.where, item.number, item.line)  # only where it was
        yield candidate


def _own_candidate(
    item: Item, own_rows: OwnRowReader | None, vocabulary: Vocabulary, seen_ids: set[int]
) -> Candidate:
    """A row or record of our own format, validated as strictly as the register's own."""
    if own_rows is not None:
        agreement = own_rows.read(item.cells)
    else:
        try:
            agreement = from_record(item.record, "")
        except InvalidInput as error:
            message = error.message.removeprefix(": ").removeprefix(", ")
            raise InvalidInput(message, error.hint) from None
    for index, party in enumerate(agreement.parties):
        if party.country is not None and not is_country_code(party.country):
            message = f"parties[{index}], field 'country': {party.country!r} is not a country code"
            raise InvalidInput(csv_column_of(message) if item.cells else message)
    try:
        names = [vocabulary.resolve(sector.name) for sector in agreement.sectors]
    except InvalidInput as error:
        message = f"field 'sectors': {error.message}"
        raise InvalidInput(csv_column_of(message) if item.cells else message, error.hint) from None
    if names != agreement.sector_names():
        sectors = tuple(replace(s, name=n) for s, n in zip(agreement.sectors, names, strict=True))
        agreement = replace(agreement, sectors=sectors)
    if agreement.id is not None:
        if agreement.id in seen_ids:
            raise InvalidInput(f"the id {agreement.id} appears twice")
        seen_ids.add(agreement.id)
    unresolved = tuple(p.country_as_given for p in agreement.parties if p.country_as_given)
    return Candidate(item, agreement, unresolved)


def _reject(report: ImportReport, item: Item, reason: str) -> None:
    report.outcomes.append(
        Outcome(item.number, item.line, item.where, Action.REJECTED, reason=reason)
    )


def _record(
    report: ImportReport,
    candidate: Candidate,
    action: Action,
    agreement_id: int | None,
    reason: str | None = None,
) -> None:
    item = candidate.item
    title = candidate.agreement.title
    report.outcomes.append(
        Outcome(item.number, item.line, item.where, action, title, agreement_id, reason=reason)
    )
    for merged in candidate.merged:
        report.outcomes.append(
            Outcome(
                merged.number, merged.line, merged.where, Action.MERGED, title, agreement_id,
                merged_into_row=item.number,
            )
        )  # fmt: skip


def _parties_key(parties: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((fold(name), country or "") for name, country in parties))


def _key(agreement: Agreement) -> Key:
    parties = _parties_key((party.name, party.country) for party in agreement.parties)
    signed = "" if agreement.signed_on is None else str(agreement.signed_on)
    return parties, VALUES[agreement.type], signed


def _record_key(record: Mapping[str, Any]) -> Key:
    parties = _parties_key((party["name"], party["country"]) for party in record["parties"])
    return parties, record["type"], record["signed_on"] or ""


def _existing_keys(change: Change) -> dict[Key, int]:
    keys: dict[Key, int] = {}
    for agreement_id, record in change.stored_records():
        keys.setdefault(_record_key(record), agreement_id)
    return keys


def _merged_within_file(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per agreement. Records with ids come from a register, which holds
    them apart on purpose, so they are never merged with each other.
    """
    unique: list[Candidate] = []
    first_of: dict[Key, Candidate] = {}
    for candidate in candidates:
        first = first_of.get(candidate.key)
        if first is None:
            unique.append(candidate)
            if candidate.agreement.id is None:
                first_of[candidate.key] = candidate
        else:
            first.agreement = merge(first.agreement, candidate.agreement)
            first.merged.append(candidate.item)
    return unique


def _conflicts(candidates: list[Candidate]) -> list[Conflict]:
    by_parties: dict[tuple[tuple[str, str], ...], list[Candidate]] = {}
    for candidate in candidates:
        if candidate.agreement.id is not None:
            continue
        by_parties.setdefault(candidate.key[0], []).append(candidate)
    return [
        Conflict(
            tuple(party.name for party in group[0].agreement.parties),
            tuple(
                (
                    c.item.number,
                    c.agreement.type.value,
                    None if c.agreement.signed_on is None else str(c.agreement.signed_on),
                )
                for c in group
            ),
        )
        for group in by_parties.values()
        if len(group) > 1
    ]


def merge(first: Agreement, later: Agreement) -> Agreement:
    """One agreement from two records of it: `first` wins, `later` fills what it lacks.

    Lists are joined without repeats, so merging never loses an item.
    """
    later_parties = {(fold(party.name), party.country): party for party in later.parties}
    parties = tuple(
        _merged_party(p, later_parties.get((fold(p.name), p.country))) for p in first.parties
    )
    title = first.title
    if title == default_title(first.parties) and later.title != default_title(later.parties):
        title = later.title
    return replace(
        first,
        title=title,
        parties=parties,
        signatories=_joined(first.signatories, later.signatories, lambda s: fold(s.name)),
        place=first.place or later.place,
        sectors=_joined(first.sectors, later.sectors, lambda s: s.name),
        status=first.status or later.status,
        status_reason=first.status_reason or later.status_reason,
        expires_on=first.expires_on or later.expires_on,
        review_on=first.review_on or later.review_on,
        contacts=_joined(first.contacts, later.contacts, lambda c: fold(c.name)),
        sources=_joined(first.sources, later.sources, lambda s: s.url),
        notes=_merged_notes(first.notes, later.notes),
        tags=_joined(first.tags, later.tags, fold),
    )


def _merged_party(party: Party, other: Party | None) -> Party:
    if other is None:
        return party
    country = party.country or other.country
    return replace(
        party,
        country=country,
        parent=party.parent or other.parent,
        country_as_given=None if country else party.country_as_given or other.country_as_given,
    )


def _joined(
    first: tuple[T, ...], later: tuple[T, ...], key: Callable[[T], object]
) -> tuple[T, ...]:
    seen = {key(item) for item in first}
    return first + tuple(item for item in later if key(item) not in seen)


def _merged_notes(first: str | None, later: str | None) -> str | None:
    if first and later and later not in first:
        return f"{first}\n{later}"
    return first or later
