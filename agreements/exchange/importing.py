"""Importing a file: every row read and judged first, duplicates found, then one write.

The same parties (in either order) with the same type and signing date are one
agreement: rows of the file that say so are merged, and a row the register already
holds is skipped, updated or refused, as the user chose.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from agreements.domain.activities import activity_sort_key
from agreements.domain.countries import place_code_problem
from agreements.domain.model import Agreement, refuse_impossible_dates
from agreements.domain.parsing import unsafe_text_problem
from agreements.domain.parties import Parents, Places, namesakes_not_told_apart, parents_agree
from agreements.domain.records import stored_record
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
from agreements.exchange.own_json import WORTH_SPLITTING as OWN_JSON_WORTH_SPLITTING
from agreements.exchange.own_json import OwnJsonList
from agreements.exchange.own_rows import OwnRowReader
from agreements.store.layout import encode_document
from agreements.store.parallel import in_two_halves
from agreements.store.transaction import Transaction

PROGRESS_STEP = 1000


class OnDuplicate(StrEnum):
    SKIP = "skip"
    UPDATE = "update"
    ERROR = "error"


@dataclass
class Candidate:
    """A row read into an agreement, before it meets the other rows and the register.

    A record judged in another process comes back without its agreement, which is read
    again only when it meets a duplicate: what the import needs of the others (its key,
    id and title, and the stored document) comes back instead.
    """

    item: Item
    key: Key
    parents: Parents
    agreement_id: int | None
    unresolved: tuple[str, ...] = ()
    merged: list[Item] = field(default_factory=list)
    line: bytes | None = None
    """The stored document with the agreement's own timestamps, when known already."""
    read_again: Callable[[], Agreement] | None = None
    title_read: str = ""
    known: Agreement | None = None

    @classmethod
    def of(cls, item: Item, agreement: Agreement, unresolved: tuple[str, ...] = ()) -> Candidate:
        key, parents = agreement_key(agreement)
        return cls(item, key, parents, agreement.id, unresolved, known=agreement)

    @property
    def agreement(self) -> Agreement:
        if self.known is None:
            assert self.read_again is not None
            self.known = self.read_again()
        return self.known

    @property
    def title(self) -> str:
        return self.title_read if self.known is None else self.known.title

    def absorb(self, later: Candidate) -> None:
        """Merge a later row of the same agreement into this one."""
        self.known = merge(self.agreement, later.agreement)
        self.line = None
        self.merged.append(later.item)


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
    stored = transaction.add_many(
        [c.agreement if c.line is None else (c.agreement_id, c.line) for c in to_add],
        keep_ids=True,
    )
    for candidate, new_id in zip(to_add, stored, strict=True):
        _record(report, candidate, Action.IMPORTED, new_id)
        if candidate.agreement_id not in (None, new_id):
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
    own_rows = request.columns if isinstance(request.columns, OwnRowReader) else None
    if isinstance(request.items, OwnJsonList):
        yield from _judged_candidates(request, request.items, None, vocabulary, report)
        return
    if own_rows is not None:  # read whole first, as the CSV reader reads no faster
        rows = _ReadRows(request.items)
        yield from _judged_candidates(request, rows, own_rows, vocabulary, report)
        return
    seen_ids: set[int] = set()
    for count, item in enumerate(request.items, start=1):
        if request.progress is not None and count % PROGRESS_STEP == 0:
            request.progress(count)
        try:
            if reader is not None:
                mapped = reader.read(item.cells)
                candidate = Candidate.of(item, mapped.agreement, mapped.unresolved_countries)
            else:
                candidate = _own_candidate(item, own_rows, vocabulary, seen_ids)
            refuse_impossible_dates(candidate.agreement)
        except InvalidInput as error:
            report.reject(item, _reason(error))
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
    agreement = _own_agreement(item, own_rows, vocabulary)
    if agreement.id is not None:
        if agreement.id in seen_ids:
            raise InvalidInput(_ID_TWICE.format(agreement.id))
        seen_ids.add(agreement.id)
    return Candidate.of(item, agreement, _unresolved(agreement))


_ID_TWICE = "the id {} appears twice"


def _unresolved(agreement: Agreement) -> tuple[str, ...]:
    return tuple(p.country_as_given for p in agreement.parties if p.country_as_given)


def _own_agreement(item: Item, own_rows: OwnRowReader | None, vocabulary: Vocabulary) -> Agreement:
    """The agreement of a row or record of our own format, checked on its own: all but
    whether its id appeared before."""
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
    return agreement


Judged = tuple[
    str | None, int | None, str | None, Key, Parents, str, tuple[str, ...], str | None, bytes | None
]
"""One record judged on its own, as plain values that cross processes cheaply: its
problem, id, problem of dates, key, parents, title, unresolved countries, the name of a
namesake not told apart, and its stored document."""


class _ReadRows(list[Item]):
    """The rows of our own CSV, read."""

    def item(self, index: int) -> Item:
        return self[index]

    def where(self, index: int) -> Item:
        item = self[index]
        return Item(item.where, item.number, item.line)


def _judged_candidates(
    request: ImportRequest,
    records: OwnJsonList | _ReadRows,
    own_rows: OwnRowReader | None,
    vocabulary: Vocabulary,
    report: ImportReport,
) -> Iterator[Candidate]:
    """The candidates of our own JSON list or CSV, each record judged on its own in one of
    two processes, then met in file order as `_candidates` meets them."""
    judged = in_two_halves(
        range(len(records)),
        lambda indexes: [_judged(records, index, own_rows, vocabulary) for index in indexes],
        operator.add,
        worth=OWN_JSON_WORTH_SPLITTING,
    )
    seen_ids: set[int] = set()
    for index, judgement in enumerate(judged):
        problem, agreement_id, dates, key, parents, title, unresolved, namesake, line = judgement
        number = index + 1
        if request.progress is not None and number % PROGRESS_STEP == 0:
            request.progress(number)
        item = records.where(index)
        if problem is None and agreement_id is not None:
            if agreement_id in seen_ids:
                problem = _ID_TWICE.format(agreement_id)
            seen_ids.add(agreement_id)
        problem = problem or dates
        if problem is not None:
            report.reject(item, problem)
            continue
        report.unresolved_countries.update(unresolved)
        if namesake is not None:
            report.namesakes.append(Namesakes(item.number, item.where, namesake))
        yield Candidate(
            item, key, parents, agreement_id, unresolved, line=line, title_read=title,
            read_again=functools.partial(_read_again, records, index, own_rows, vocabulary),
        )  # fmt: skip


def _judged(
    records: OwnJsonList | _ReadRows,
    index: int,
    own_rows: OwnRowReader | None,
    vocabulary: Vocabulary,
) -> Judged:
    item = records.item(index)
    try:
        agreement = _own_agreement(item, own_rows, vocabulary)
    except InvalidInput as error:
        return (_reason(error), None, None, ((), "", ""), (), "", (), None, None)
    try:
        refuse_impossible_dates(agreement)
        dates = None
    except InvalidInput as error:
        dates = _reason(error)
    key, parents = agreement_key(agreement)
    namesakes = namesakes_not_told_apart(agreement.parties)
    line = None
    if agreement.created_at and agreement.updated_at:  # as add_many stores it
        line = encode_document(stored_record(agreement))
    return (
        None, agreement.id, dates, key, parents, agreement.title, _unresolved(agreement),
        namesakes[0][0].name if namesakes else None, line,
    )  # fmt: skip


def _read_again(
    records: OwnJsonList | _ReadRows,
    index: int,
    own_rows: OwnRowReader | None,
    vocabulary: Vocabulary,
) -> Agreement:
    return _own_agreement(records.item(index), own_rows, vocabulary)


def _reason(error: InvalidInput) -> str:
    return error.message + (f" ({error.hint})" if error.hint else "")


def _record(
    report: ImportReport,
    candidate: Candidate,
    action: Action,
    agreement_id: int | None,
    reason: str | None = None,
) -> None:
    item = candidate.item
    title = candidate.title
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
            if candidate.agreement_id is None:
                first_of.setdefault(candidate.key, []).append(candidate)
        else:
            first.absorb(candidate)
    return unique


def _conflicts(candidates: list[Candidate]) -> list[Conflict]:
    """The same parties listed more than once with different types or dates; parties
    whose parents tell them apart (two Liebenaus, each twinned with a third) are not."""
    by_parties: dict[Places, list[list[Candidate]]] = {}
    for candidate in candidates:
        if candidate.agreement_id is not None:
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
