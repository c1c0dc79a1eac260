"""Importing a file: every row read and judged first, duplicates found, then one write.

The same parties (in either order) with the same type and signing date are one
agreement: rows of the file that say so are merged, and a row the register already
holds is skipped, updated or refused, as the user chose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from agreements.domain.activities import activity_sort_key
from agreements.domain.countries import place_code_problem
from agreements.domain.model import Agreement, refuse_impossible_dates
from agreements.domain.parsing import unsafe_text_problem
from agreements.domain.parties import Parents, Places, namesakes_not_told_apart, parents_agree
from agreements.domain.strict_records import from_exchanged, from_stored
from agreements.domain.vocabulary import Vocabulary
from agreements.errors import InvalidInput
from agreements.exchange.csv_columns import csv_column_of
from agreements.exchange.duplicates import Key, agreement_key, merge, record_key
from agreements.exchange.import_report import (
    Action,
    Conflict,
    ImportReport,
    Namesakes,
    Outcome,
)
from agreements.exchange.items import Item
from agreements.exchange.mapping import ColumnMap, RowReader
from agreements.exchange.own_rows import OwnRowReader
from agreements.store.transaction import Transaction

PROGRESS_STEP = 1000


class OnDuplicate(StrEnum):
    SKIP = "skip"
    UPDATE = "update"
    ERROR = "error"


@dataclass
class Candidate:
    """A row read into an agreement, before it meets the other rows and the register."""

    item: Item
    agreement: Agreement
    unresolved: tuple[str, ...] = ()
    merged: list[Item] = field(default_factory=list)
    key: Key = ((), "", "")
    parents: Parents = ()

    def __post_init__(self) -> None:
        self.key, self.parents = agreement_key(self.agreement)


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


def run_import(transaction: Transaction, request: ImportRequest) -> ImportReport:
    """Judge every row, then add, merge and update in `transaction`.

    When a row is rejected and the request does not skip such rows, or on a dry run,
    the transaction is discarded: the report says what would have happened.
    """
    report = ImportReport(request.source, request.dry_run)
    vocabulary = transaction.vocabulary()
    columns = request.columns
    reader = RowReader(columns, vocabulary) if isinstance(columns, ColumnMap) else None
    if isinstance(columns, ColumnMap):
        report.parenthesis = columns.parenthesis.value
    candidates = list(_candidates(request, reader, vocabulary, report))
    unique = _merged_within_file(candidates)
    report.conflicts = _conflicts(unique)
    existing = _existing_keys(transaction) if unique else {}
    to_add: list[Candidate] = []
    updates: list[tuple[Candidate, int]] = []
    for candidate in unique:
        found = next(
            (
                number
                for parents, number in existing.get(candidate.key, ())
                if parents_agree(parents, candidate.parents)
            ),
            None,
        )
        if found is None:
            to_add.append(candidate)
        elif request.on_duplicate is OnDuplicate.ERROR:
            report.reject(candidate.item, f"the register already has it as #{found}")
        elif request.on_duplicate is OnDuplicate.UPDATE:
            updates.append((candidate, found))
        else:
            _record(report, candidate, Action.SKIPPED, found, "already in the register")
    report.blocked = bool(report.rejected()) and not request.skip_invalid
    stored = transaction.add_many([c.agreement for c in to_add], keep_ids=True)
    for candidate, new_id in zip(to_add, stored, strict=True):
        _record(report, candidate, Action.IMPORTED, new_id)
        if candidate.agreement.id not in (None, new_id):
            report.renumbered += 1
    for candidate, agreement_id in updates:
        old = transaction.get(agreement_id)
        new = merge(candidate.agreement, old)
        new = replace(new, id=old.id, created_at=old.created_at, updated_at=old.updated_at)
        if new == old:
            _record(report, candidate, Action.SKIPPED, agreement_id, "unchanged")
        else:
            transaction.put(new)
            _record(report, candidate, Action.UPDATED, agreement_id)
    report.outcomes.sort(key=lambda outcome: outcome.row)
    if request.dry_run or report.blocked:
        transaction.discard()
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
            refuse_impossible_dates(candidate.agreement)
        except InvalidInput as error:
            report.reject(item, error.message + (f" ({error.hint})" if error.hint else ""))
            continue
        if reader is not None:
            report.note_readings(mapped.countries, mapped.qualified, mapped.places)
        report.unresolved_countries.update(candidate.unresolved)
        namesakes = namesakes_not_told_apart(candidate.agreement.parties)
        if namesakes:
            report.namesakes.append(Namesakes(item.number, item.where, namesakes[0][0].name))
        candidate.item = Item(item.where, item.number, item.line)  # only where it was
        yield candidate


def _own_candidate(
    item: Item, own_rows: OwnRowReader | None, vocabulary: Vocabulary, seen_ids: set[int]
) -> Candidate:
    """A row or record of our own format, validated as strictly as the register's own."""
    if own_rows is not None:
        agreement = own_rows.read(item.cells)
    else:
        read = from_stored if item.stored else from_exchanged
        try:
            agreement = read(item.record, "")
        except InvalidInput as error:
            message = error.message.removeprefix(": ").removeprefix(", ")
            raise InvalidInput(message, error.hint) from None
    unsafe = unsafe_text_problem(agreement) if item.may_hold_unsafe_text() else None
    if unsafe is not None:
        message = f"{unsafe}: control and direction-changing characters are not allowed"
        raise InvalidInput(csv_column_of(message) if item.cells else message)
    for index, party in enumerate(agreement.parties):
        problem = place_code_problem(party)
        if problem is not None:
            message = f"parties[{index}], {problem}"
            raise InvalidInput(csv_column_of(message) if item.cells else message)
    try:
        names = [vocabulary.resolve(sector.name) for sector in agreement.sectors]
    except InvalidInput as error:
        message = f"field 'sectors': {error.message}"
        raise InvalidInput(csv_column_of(message) if item.cells else message, error.hint) from None
    if names != agreement.sector_names():
        sectors = tuple(replace(s, name=n) for s, n in zip(agreement.sectors, names, strict=True))
        agreement = replace(agreement, sectors=sectors)
    in_date_order = tuple(sorted(agreement.activities, key=activity_sort_key))
    if in_date_order != agreement.activities:  # a file may list them in any order
        agreement = replace(agreement, activities=in_date_order)
    if agreement.id is not None:
        if agreement.id in seen_ids:
            raise InvalidInput(f"the id {agreement.id} appears twice")
        seen_ids.add(agreement.id)
    unresolved = tuple(p.country_as_given for p in agreement.parties if p.country_as_given)
    return Candidate(item, agreement, unresolved)


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


def _existing_keys(transaction: Transaction) -> dict[Key, list[tuple[Parents, int]]]:
    keys: dict[Key, list[tuple[Parents, int]]] = {}
    for agreement_id, record in transaction.stored_records():
        key, parents = record_key(record)
        keys.setdefault(key, []).append((parents, agreement_id))
    return keys


def _merged_within_file(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per agreement. Records with ids come from a register, which holds
    them apart on purpose, so they are never merged with each other.
    """
    unique: list[Candidate] = []
    first_of: dict[Key, list[Candidate]] = {}
    for candidate in candidates:
        first = next(
            (
                earlier
                for earlier in first_of.get(candidate.key, ())
                if parents_agree(earlier.parents, candidate.parents)
            ),
            None,
        )
        if first is None:
            unique.append(candidate)
            if candidate.agreement.id is None:
                first_of.setdefault(candidate.key, []).append(candidate)
        else:
            first.agreement = merge(first.agreement, candidate.agreement)
            first.merged.append(candidate.item)
    return unique


def _conflicts(candidates: list[Candidate]) -> list[Conflict]:
    """The same parties listed more than once with different types or dates; parties
    whose parents tell them apart (two Liebenaus, each twinned with a third) are not."""
    by_parties: dict[Places, list[list[Candidate]]] = {}
    for candidate in candidates:
        if candidate.agreement.id is not None:
            continue
        groups = by_parties.setdefault(candidate.key[0], [])
        group = next((g for g in groups if parents_agree(g[0].parents, candidate.parents)), None)
        if group is None:
            groups.append([candidate])
        else:
            group.append(candidate)
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
        for groups in by_parties.values()
        for group in groups
        if len(group) > 1
    ]
