"""What a command may do to the register while it holds the lock: one transaction.

Documents stay encoded as they were read; only those a command touches are parsed and
encoded again. Each touched document is remembered as it was, so the transaction can be
logged as one operation with every document before and after, and undone exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import xxhash

from agreements.domain.migrations import SCHEMA_VERSION
from agreements.domain.model import Agreement, utc_now
from agreements.domain.records import LARGEST_ID, stored_record
from agreements.domain.strict_records import from_stored, stored_shape_problems
from agreements.domain.vocabulary import SectorTerm, Vocabulary, shipped_vocabulary
from agreements.errors import DatabaseBusy, InvalidInput, NotFound
from agreements.store.atomic import Piece
from agreements.store.foreign import AGREEMENTS, META, META_DOCUMENT, SECTORS
from agreements.store.layout import (
    Encoded,
    Meta,
    SealedFile,
    damaged_layout,
    encode_document,
    encode_joined,
)
from agreements.store.snapshot import Record, not_found, record_decoder, sector_term

if TYPE_CHECKING:  # the history is loaded only by commands that write or show it
    from agreements.store.history import Operation, StoredChange


class Transaction:
    def __init__(
        self,
        sealed: SealedFile,
        register_fingerprint: str,
        history_file: Path,
        least_next_id: int = 1,
    ) -> None:
        self._sealed = sealed
        self._least_next_id = least_next_id
        self._decode = record_decoder(sealed.schema_version)
        self._sectors = dict(sealed.sector_lines())
        self._meta: Meta = dict(sealed.meta)
        self._changed: dict[int, bytes | None] = {}  # agreements, by id; None once removed
        self._fingerprint = register_fingerprint
        self._history_file = history_file
        self._before: dict[tuple[str, int], bytes | None] = {}
        self.undoes: int | None = None
        self.discarded = False
        self.forced = False
        """Whether the file is written even when no document changes (to reseal it)."""

    def vocabulary(self) -> Vocabulary:
        """The shipped sectors and this register's own, without reading any agreement."""
        terms = [sector_term(orjson.loads(line)) for line in self._sectors.values()]
        return shipped_vocabulary().with_terms(terms)

    def get(self, agreement_id: int) -> Agreement:
        """The agreement as stored, checked field by field: what a change reads it may write
        back, so damage behind a seal that matches must stop here."""
        line = self._line(AGREEMENTS, agreement_id)
        if line is None:
            raise not_found(agreement_id)
        where = f"record {agreement_id}"
        try:
            record = self._decode(line)
            missing = stored_shape_problems(record, where)
            if missing:
                raise InvalidInput(missing[0])
            return from_stored(record, where, agreement_id)
        except (InvalidInput, ValueError) as error:
            raise damaged_layout(getattr(error, "message", str(error))) from None

    def stored_records(self) -> Iterator[tuple[int, Record]]:
        """(id, record) of every agreement as read, unchecked: it was checked when saved."""
        decode = self._decode
        for number, line in self._sealed.agreement_lines():
            yield number, decode(line)

    def discard(self) -> None:
        """Leave the register as it was: nothing is saved when the transaction ends."""
        self.discarded = True

    def add(self, agreement: Agreement) -> Agreement:
        """Store a new agreement under a fresh id."""
        (new_id,) = self.add_many([agreement], keep_ids=False)
        return self.get(new_id)

    def add_many(
        self, agreements: Sequence[Agreement | tuple[int | None, bytes]], *, keep_ids: bool
    ) -> list[int]:
        """Store new agreements; their ids, in the same order.

        With `keep_ids`, an agreement keeps its own id and timestamps when that id was
        never used in this register; otherwise it gets the next free id. With `keep_ids`
        an agreement may also come as its id and its stored document, encoded already
        with both its timestamps.
        """
        own_ids = [a.id if isinstance(a, Agreement) else a[0] for a in agreements]
        first_free = self.next_id()
        kept: set[int] = set()
        if keep_ids:
            wanted = Counter(n for n in own_ids if n is not None and n >= first_free)
            kept = {number for number, count in wanted.items() if count == 1}
        next_id = max([first_free, *(number + 1 for number in kept)])
        if next_id + len(agreements) - len(kept) > LARGEST_ID + 1:
            raise InvalidInput(f"the register has given out every id up to {LARGEST_ID:,}")
        now = utc_now()
        ids = []
        for agreement, own_id in zip(agreements, own_ids, strict=True):
            if own_id in kept:
                new_id = own_id
            else:
                new_id, next_id = next_id, next_id + 1
            ids.append(new_id)
            renumbered = new_id != own_id  # new here: an identity of its own
            if not isinstance(agreement, Agreement):
                assert keep_ids
                line = agreement[1]
                if renumbered and _NO_UID not in line:
                    line = encode_document({**orjson.loads(line), "uid": None})
                self._set_line(new_id, with_uid(new_id, line) if renumbered else line)
                continue
            record = stored_record(agreement)
            record["created_at"] = (agreement.created_at if keep_ids else "") or now
            record["updated_at"] = (agreement.updated_at if keep_ids else "") or now
            if not renumbered:  # a register's own agreement, imported as it was
                self._set(AGREEMENTS, new_id, record)
                continue
            record["uid"] = None
            self._set_line(new_id, with_uid(new_id, encode_document(record)))
        self._set_meta({**self._meta, "next_id": next_id})
        return ids

    def put(self, agreement: Agreement) -> Agreement:
        """Replace an existing agreement, stamping the time of the change."""
        assert agreement.id is not None
        if self._line(AGREEMENTS, agreement.id) is None:
            raise not_found(agreement.id)
        stored = replace(agreement, updated_at=utc_now())
        self._set(AGREEMENTS, agreement.id, stored_record(stored))
        return stored

    def remove(self, agreement_id: int) -> Agreement:
        removed = self.get(agreement_id)
        self._set(AGREEMENTS, agreement_id, None)  # its id stays counted in next_id
        return removed

    def add_sector(self, term: SectorTerm) -> None:
        sector_id = max(self._sectors, default=0) + 1
        self._set(SECTORS, sector_id, {"name": term.name, "synonyms": list(term.synonyms)})

    def remove_sector(self, name: str) -> None:
        """Drop a sector this register added; the caller has made sure no agreement uses it."""
        for sector_id, line in list(self._sectors.items()):
            if orjson.loads(line).get("name") == name:
                self._set(SECTORS, sector_id, None)

    def sector_uses(self, name: str) -> int:
        """How many agreements name the sector, agreed or possible."""
        # A stored sector object ends with its name (compact, sorted keys), see snapshot.
        return sum(
            1
            for _, record in self._records_holding(b'"name":%s}' % orjson.dumps(name))
            if any(sector.get("name") == name for sector in record["sectors"])
        )

    def records_signed_on(self, signed: str | None) -> Iterator[tuple[int, Record]]:
        """(id, record) of the agreements that may be signed on `signed` (None: undated),
        read without the others; the caller still compares the dates."""
        return self._records_holding(b'"signed_on":%s' % orjson.dumps(signed))

    def _records_holding(self, needle: bytes) -> Iterator[tuple[int, Record]]:
        """(id, record) of every agreement as it now stands whose line may hold `needle`."""
        lines = (
            self._sealed.lines_containing([needle])
            if self._decode is orjson.loads
            else self._sealed.agreement_lines()
        )
        for number, line in lines:
            if number not in self._changed:
                yield number, self._decode(line)
        for number, changed in self._changed.items():
            if changed is not None:
                yield number, self._decode(changed)

    def upgrade_schema(self) -> None:
        """Rewrite every agreement in the current schema, and the meta document to say so."""
        for number, record in self.stored_records():
            self._set(AGREEMENTS, number, record)
        self._set_meta({**self._meta, "schema_version": SCHEMA_VERSION})

    def keep_counter_up(self) -> None:
        """Store the id counter the history knows of, when the file's own is lower."""
        if self._meta["next_id"] < self.next_id() and (self._before or self.forced):
            self._set_meta({**self._meta, "next_id": self.next_id()})

    def reseal(self) -> None:
        """Write the file when the transaction ends, though no document changes."""
        self.forced = True

    def undo_latest(self, expected: int | None = None) -> Operation:
        """Put back every document the latest operation not yet undone changed; when it
        is not operation `expected` (another change came in first), DatabaseBusy."""
        from agreements.store.history import reverted
        from agreements.store.history_reader import HistoryFile, undo_refusal, undo_target

        with HistoryFile(self._history_file) as history:
            commit = undo_target(history, self._fingerprint)
            if commit is None:
                raise NotFound("there is nothing to undo", hint="see 'agreements history'")
            if expected is not None and commit.number != expected:
                raise DatabaseBusy(
                    f"the register changed while undo waited for an answer: the operation "
                    f"to undo is now #{commit.number}, not #{expected}",
                    hint="nothing was undone; run 'agreements undo' again",
                )
            refusal = undo_refusal(commit, self._fingerprint)
            if refusal is not None:
                raise refusal
            target = history.operation(commit)
        for change in reverted(target.changes):
            self._set(change.table, change.id, change.after)
        self.undoes = target.number
        return target

    def document_changes(self) -> list[StoredChange]:
        """Each touched document as it was and as it is now, leaving out those that came back."""
        from agreements.store.history import StoredChange

        changes = []
        for (table, document_id), before in self._before.items():
            after = self._line(table, document_id)
            if after != before:
                changes.append(StoredChange(table, document_id, before, after))
        return changes

    def encode(self) -> Encoded:
        """The new file: unchanged agreement lines are copied, not parsed or encoded again."""
        highest = self._sealed.highest_id()
        replaced = {
            k: v for k, v in self._changed.items() if k <= highest and self._sealed.item_span(k)
        }
        appended = sorted((k, v) for k, v in self._changed.items() if k not in replaced and v)
        if appended and appended[0][0] <= highest:  # an undo put back an agreement in between
            lines = dict(self._sealed.agreement_lines())
            for document_id, line in self._changed.items():
                if line is None:
                    lines.pop(document_id, None)
                else:
                    lines[document_id] = line
            agreements: list[Piece] = [
                b",\n".join(b'"%d":%s' % pair for pair in sorted(lines.items()))
            ]
        else:
            agreements = self._sealed.agreements_with(replaced, appended)
        return encode_joined(agreements, sorted(self._sectors.items()), self._meta)

    def _line(self, table: str, document_id: int) -> bytes | None:
        if table == AGREEMENTS:
            if document_id in self._changed:
                return self._changed[document_id]
            return self._sealed.agreement(document_id)
        if table == SECTORS:
            return self._sectors.get(document_id)
        return encode_document(self._meta)

    def _set(self, table: str, document_id: int, document: dict[str, Any] | None) -> None:
        key = (table, document_id)
        if key not in self._before:
            self._before[key] = self._line(table, document_id)
        line = None if document is None else encode_document(document)
        if table == AGREEMENTS:
            self._changed[document_id] = line
        elif table == SECTORS:
            if line is None:
                self._sectors.pop(document_id, None)
            else:
                self._sectors[document_id] = line
        else:
            assert document is not None
            self._meta = document

    def _set_line(self, agreement_id: int, line: bytes) -> None:
        """As `_set` of an agreement, given its document encoded already."""
        key = (AGREEMENTS, agreement_id)
        if key not in self._before:
            self._before[key] = self._line(AGREEMENTS, agreement_id)
        self._changed[agreement_id] = line

    def _set_meta(self, meta: Meta) -> None:
        self._set(META, META_DOCUMENT, meta)

    def next_id(self) -> int:
        """The id the next new agreement gets: never one the history gave out already,
        except after an undo, which puts the counter back as it was (see the README)."""
        stored: int = self._meta["next_id"]
        return stored if self.undoes is not None else max(stored, self._least_next_id)


_NO_UID = b'"uid":null'


def with_uid(agreement_id: int, line: bytes) -> bytes:
    """A new agreement's stored line with its uid: a digest of its id and its line as added,
    so that the same agreement added alike gets the same uid, and any other another one.
    Only the top level has the key "uid", and a string cannot hold it unescaped."""
    if _NO_UID not in line:
        return line
    digest = xxhash.xxh3_64_hexdigest(b"%d:%s" % (agreement_id, line))
    return line.replace(_NO_UID, b'"uid":"%s"' % digest.encode(), 1)
