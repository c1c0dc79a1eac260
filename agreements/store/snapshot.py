"""The register as read at one moment, and the one way to ask it which agreements match.

`Snapshot.query` holds every fast path: in a sealed file of the current schema it reads
only the lines that can match a sector, type or country filter (their bytes say so), and
only the first lines when the first few are asked for, and for a `--search` only the
lines the search index beside the register points to (`derived_index`); every line it
reads is judged as the stored record it is, so no agreement is built to answer a query.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import orjson

from agreements.domain.migrations import upgrader
from agreements.domain.model import Agreement
from agreements.domain.queries import Filters, SortKey, lacks_sort_value, record_test, sort_key
from agreements.domain.records import trusted_agreement
from agreements.domain.summary_fields import SummaryField
from agreements.domain.vocabulary import SectorTerm, Vocabulary, shipped_vocabulary
from agreements.errors import InvalidInput, NotFound
from agreements.store.layout import SealedFile
from agreements.store.parallel import in_two_halves, two_cores, write_in_two_halves

if TYPE_CHECKING:
    from agreements.domain.collation import Collation
    from agreements.domain.counting import Counts
    from agreements.domain.due import Watch
    from agreements.domain.due_facts import Facts

WORTH_TWO_CORES = 4 << 20
"""Bytes of agreement lines (about 3,000 agreements) worth writing out on two cores."""

_FACTS_AT_ONCE = 2_000
"""Lines of the `due` index read at a time: reading all takes memory and time for nothing."""

FACTS_WORTH_TWO_CORES = 3_000
"""Lines of the `due` index worth judging on two cores: each takes about as long as an
agreement takes to be written out, and forking costs what a few hundred of them do."""

WORTH_INDEXING = 2 << 20
"""Bytes of agreement lines (about 1,500 agreements) worth the indexes: a smaller register
is read whole in a blink, and its folder gets no files but the register's own."""

Record = dict[str, Any]
Hit = tuple[int, Record]
"""An agreement's id and its stored record."""
T = TypeVar("T")


class Snapshot:
    """The register as read at one moment; records are parsed only when asked for."""

    def __init__(
        self, sealed: SealedFile, register_fingerprint: str, path: Path | None = None
    ) -> None:
        self._sealed = sealed
        self._path = path
        self.fingerprint = register_fingerprint
        self.schema_version = sealed.schema_version
        self._decode = record_decoder(sealed.schema_version)

    @cached_property
    def custom_sectors(self) -> list[SectorTerm]:
        return [sector_term(orjson.loads(line)) for _, line in self._sealed.sector_lines()]

    def vocabulary(self) -> Vocabulary:
        return shipped_vocabulary().with_terms(self.custom_sectors)

    def agreement_count(self) -> int:
        """How many agreements, without parsing one."""
        return sum(1 for _ in self._sealed.agreement_lines())

    def get(self, agreement_id: int) -> Agreement:
        line = self._sealed.agreement(agreement_id)
        if line is None:
            raise not_found(agreement_id)
        return trusted_agreement(self._decode(line), agreement_id)

    def query(
        self,
        filters: Filters,
        today: date,
        sort: SortKey = SortKey.ID,
        *,
        descending: bool = False,
        limit: int | None = None,
        collation: Collation | None = None,
    ) -> Iterator[Hit]:
        """The agreements `filters` keep, as (id, stored record), sorted, at most `limit`.

        In id order they come one at a time as the file is read; any other order needs
        them all first. Ties keep id order, whichever way the main key runs, and records
        without the value sorted by (no signing date, no country) come last.
        """
        test = record_test(filters, today)
        decode = self._decode
        hits = (
            (number, record)
            for number, line in self._candidate_lines(filters)
            if test(record := decode(line))
        )
        if sort is SortKey.ID and not descending:
            return islice(hits, limit)
        if sort is SortKey.ID:
            return iter(list(hits)[::-1][:limit])
        valued: list[Hit] = []
        lacking: list[Hit] = []
        lacks = lacks_sort_value(sort)
        for hit in hits:
            (lacking if lacks(hit) else valued).append(hit)
        valued.sort(key=sort_key(sort, today, collation), reverse=descending)
        return iter((valued + lacking)[:limit])

    def write_hits(
        self,
        filters: Filters,
        today: date,
        write: Callable[[Iterable[Hit], IO[bytes], bool], int],
        stream: IO[bytes],
    ) -> int:
        """write(the hits of `query` in id order, stream, True); on two cores where that is
        worth it, the second half written by the other (`first` False for it: no header).
        How many hits `write` wrote."""
        if self.worth_two_cores(filters):
            return write_in_two_halves(self.query_halves(filters, today), write, stream)
        return write(self.query(filters, today), stream, True)

    def query_halves(self, filters: Filters, today: date) -> tuple[Iterator[Hit], Iterator[Hit]]:
        """The hits of `query` in id order as two runs, from the first half of the file's
        lines and from the second, so that each can be written on a core of its own."""
        test = record_test(filters, today)
        decode = self._decode
        needles = line_needles(filters) if decode is orjson.loads else None

        def hits(span: tuple[int, int]) -> Iterator[Hit]:
            lines = (
                self._sealed.agreement_lines(span)
                if needles is None
                else self._sealed.lines_containing(needles, span)
            )
            return ((number, record) for number, line in lines if test(record := decode(line)))

        first, second = self._sealed.halves()
        return hits(first), hits(second)

    def worth_two_cores(self, filters: Filters) -> bool:
        """Whether writing what `filters` keep is worth a second process: a large file,
        no search (the index finds its few lines at once), and two cores to run on."""
        start, end = self._sealed.agreements
        return not filters.search and end - start >= WORTH_TWO_CORES and two_cores()

    def scan(
        self,
        filters: Filters,
        today: date,
        work: Callable[[Iterator[Hit]], list[T]],
        *,
        worth_reading: Callable[[bytes], bool] | None = None,
    ) -> list[T]:
        """work(hits) over the agreements `filters` keep, in id order, as one list.

        Over a large register each half of the file is parsed and worked on its own core,
        so `work` must give a list whose parts belong to the hits they came from: the
        first half's list is followed by the second's. In a file of the current schema
        `worth_reading` may pass over lines, by their bytes, whose agreements `work` would
        find nothing in; the others are parsed and judged as usual.
        """
        test = record_test(filters, today)
        decode = self._decode
        worth = worth_reading if decode is orjson.loads else None

        def half(lines: Sequence[tuple[int, bytes]]) -> list[T]:
            return work(
                (number, record)
                for number, line in lines
                if (worth is None or worth(line)) and test(record := decode(line))
            )

        return in_two_halves(list(self._candidate_lines(filters)), half, operator.add)

    def due_scan(
        self,
        filters: Filters,
        today: date,
        work: Callable[[Iterator[tuple[int, Facts]]], list[T]],
        *,
        worth_reading: Callable[[bytes], bool] | None = None,
    ) -> list[T]:
        """`scan`, with `work` given each agreement's `due_facts.due_facts` instead of its record:
        over the whole of a large register they are read from the `due` index, and an index
        whose lines are not facts (its checksum holds, its content not) is made again."""
        from agreements.domain.due_facts import due_facts

        if filters.selects_all() and self._indexed():
            from agreements.store.derived_index import DUE, forget

            assert self._path is not None
            try:
                return self._indexed_due_scan(work)
            except (AttributeError, IndexError, KeyError, TypeError, ValueError):
                forget(DUE, self._path)

        def facts_of(hits: Iterator[Hit]) -> list[T]:
            return work((number, due_facts(record)) for number, record in hits)

        return self.scan(filters, today, facts_of, worth_reading=worth_reading)

    def _indexed_due_scan(self, work: Callable[[Iterator[tuple[int, Facts]]], list[T]]) -> list[T]:
        from agreements.store.derived_index import due_fact_lines, numbered_facts

        assert self._path is not None
        lines = due_fact_lines(self._path, self._sealed, self.fingerprint)

        def read(part: Sequence[bytes]) -> Iterator[tuple[int, Facts]]:
            for start in range(0, len(part), _FACTS_AT_ONCE):  # few in memory at once
                yield from numbered_facts(part[start : start + _FACTS_AT_ONCE])

        return in_two_halves(
            lines, lambda part: work(read(part)), operator.add, worth=FACTS_WORTH_TWO_CORES
        )

    def counts(
        self, filters: Filters, fields: Sequence[SummaryField], today: date
    ) -> tuple[int, Counts]:
        """What `summary` counts over the agreements `filters` keep.

        Over the whole register, each half of the file is parsed and counted on its own core.
        """
        from agreements.domain.counting import add_counts, count_parts, count_records

        after = filters.dormant_after
        if not filters.selects_all():
            records = [record for _, record in self.query(filters, today)]
            return count_records(records, fields, today, after)
        if self._indexed():
            from agreements.store.derived_index import counted_parts

            assert self._path is not None
            parts = counted_parts(self._path, self._sealed, self.fingerprint)
            return in_two_halves(
                parts, lambda half: count_parts(half, fields, today, after), add_counts
            )
        decode = self._decode

        def count(lines: Sequence[bytes]) -> tuple[int, Counts]:
            return count_records([decode(line) for line in lines], fields, today, after)

        lines = [line for _, line in self._sealed.agreement_lines()]
        return in_two_halves(lines, count, add_counts)

    def _indexed(self) -> bool:
        """Whether to read and keep the indexes beside the register (`derived_index`): for a
        sealed file of the current schema, large enough for reading it whole to be slow."""
        start, end = self._sealed.agreements
        return (
            self._path is not None
            and end - start >= WORTH_INDEXING
            and self._decode is orjson.loads
            and not self._sealed.broken_seal
        )

    def _candidate_lines(self, filters: Filters) -> Iterator[tuple[int, bytes]]:
        if filters.search and self._indexed():
            from agreements.domain.text import fold
            from agreements.store.derived_index import search_candidates

            assert self._path is not None
            ids = search_candidates(
                self._path, self._sealed, self.fingerprint, fold(filters.search)
            )
            if ids is not None:
                return self._sealed.agreements_among(ids)
        needles = line_needles(filters) if self._decode is orjson.loads else None
        if needles is None:
            return self._sealed.agreement_lines()
        return self._sealed.lines_containing(needles)


def record_decoder(schema_version: int) -> Callable[[bytes], Record]:
    """Reads a stored line of a file of `schema_version` as a record of the current schema."""
    upgrade = upgrader(schema_version)
    if upgrade is None:
        return orjson.loads
    return lambda line: upgrade(orjson.loads(line))


def line_needles(filters: Filters) -> list[bytes] | None:
    """Byte strings one of which the line of every agreement `filters` keep holds, or None.

    They follow the compact, sorted-key encoding of `layout`: a sector object ends with
    its name, a party is the only object with a country, the type is a top-level key.
    They only narrow the lines down; the record test still has the last word.
    """
    if filters.sectors:
        return [b'"name":%s}' % orjson.dumps(name) for name in sorted(filters.sectors)]
    if filters.types:
        return [b'"type":%s' % orjson.dumps(kind.value) for kind in sorted(filters.types)]
    if filters.countries:
        # A former country's four-letter code is the country at signing.
        return [
            b'"%s":%s'
            % (b"country_at_signing" if len(code) == 4 else b"country", orjson.dumps(code))
            for code in sorted(filters.countries)
        ]
    return None


_ACTIVITY_DAY = re.compile(rb'"on":"([^"\\]*)"')


def due_line_test(today: date, until: date, watch: Watch) -> Callable[[bytes], bool]:
    """Whether a stored line can hold anything `due_items` lists by `until`, by its bytes.

    They follow the compact, sorted-key encoding of `layout`, where the date fields are
    named once each (an activity's day is the only "on"): no expiry, no review, no
    follow-up, no anniversary in the window and an activity recent enough to keep the
    partnership alive is nothing to list. It only passes lines over; `due_items` still
    has the last word on every line it lets through.
    """
    from agreements.domain.due_dates import anniversary_counts, date_span, dormant_from

    first_year, last_year, years = today.year, until.year, watch.anniversaries
    quiet = watch.dormant_after

    def worth_reading(line: bytes) -> bool:
        if (
            b'"expires_on":null' not in line
            or b'"review_on":null' not in line
            or b'"follow_up_on":"' in line
        ):
            return True
        signed = line.find(b'"signed_on":"')
        if signed >= 0:
            year = line[signed + 13 : signed + 17]
            if not year.isdigit() or anniversary_counts(int(year), first_year, last_year, years):
                return True
        latest = date.min
        for day in _ACTIVITY_DAY.findall(line):
            try:
                _, first, last = date_span(day.decode())
            except (ValueError, InvalidInput):  # not a date: the record says what it is
                return True
            if first <= today and last > latest:
                latest = last
        return latest != date.min and dormant_from(quiet, latest) < today

    return worth_reading


def sector_term(document: dict[str, Any]) -> SectorTerm:
    return SectorTerm(str(document["name"]), tuple(document.get("synonyms", ())), custom=True)


def not_found(agreement_id: int) -> NotFound:
    return NotFound(f"no agreement with id {agreement_id}", hint="see 'agreements list'")
