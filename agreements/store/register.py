"""The register file: a TinyDB database saved atomically, under a lock, as stable JSON.

Stock TinyDB rewrites its file in place without a lock. Here a file in agreements' own
sealed layout (see `layout`) is read line by line as needed; any other file is read
through TinyDB and validated whole. A change holds an exclusive lock on `<db>.lock` from
before its read until after its save, and is saved as one new file that replaces the
old one (temp file, fsync, rename, fsync of the folder), so a reader or a crash sees
either the old register or the new one, never a mix. Before the rename the change is
appended to `<db>.history`, and the old file becomes `<db>.bak`.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from agreements.domain.model import Agreement, from_record, to_record, trusted_agreement, utc_now
from agreements.domain.queries import (
    Counts,
    Filters,
    SummaryField,
    add_counts,
    count_records,
    may_match,
    select,
)
from agreements.domain.vocabulary import SectorTerm, Vocabulary, shipped_vocabulary
from agreements.errors import (
    CorruptDatabase,
    DatabaseBusy,
    InvalidInput,
    NotFound,
    StorageFailure,
)
from agreements.store.atomic import (
    file_mode,
    fsync_folder,
    hold_previous,
    remove_stale_temps,
    storage_failure,
    write_temp,
)
from agreements.store.faults import fault_point
from agreements.store.layout import (
    Encoded,
    SealedFile,
    encode_document,
    encode_joined,
    fingerprint,
    seal,
)
from agreements.store.layout import encode as encode_file
from agreements.store.locking import LockTimeout, exclusive_lock
from agreements.store.parallel import in_two_halves

if TYPE_CHECKING:  # the history is loaded only by commands that write or show it
    from agreements.store.history import Commit, NewOperation, Operation, StoredChange

AGREEMENTS = "agreements"
META = "meta"
SECTORS = "sectors"
_TABLES = (AGREEMENTS, META, SECTORS)
_META_DOC = 1
CHECK_HINT = "the file was left untouched; run 'agreements check' to see every problem"


class Snapshot:
    """The register as read at one moment; agreements are parsed only when asked for."""

    def __init__(self, sealed: SealedFile, register_fingerprint: str) -> None:
        self._sealed = sealed
        self.fingerprint = register_fingerprint

    @cached_property
    def custom_sectors(self) -> list[SectorTerm]:
        return [_sector_term(orjson.loads(line)) for _, line in self._sealed.sector_lines()]

    def vocabulary(self) -> Vocabulary:
        return shipped_vocabulary().with_terms(self.custom_sectors)

    def counts(self, fields: Sequence[SummaryField], today: date) -> tuple[int, Counts]:
        """What `summary` counts over every agreement, read from the records as stored.

        On two cores each half of the file is parsed and counted in its own process.
        """

        def count(lines: Sequence[bytes]) -> tuple[int, Counts]:
            with collector_paused():
                return count_records([orjson.loads(line) for line in lines], fields, today)

        lines = [line for _, line in self._sealed.agreement_lines()]
        return in_two_halves(lines, count, add_counts)

    def get(self, agreement_id: int) -> Agreement:
        line = self._sealed.agreement(agreement_id)
        if line is None:
            raise _not_found(agreement_id)
        return trusted_agreement(orjson.loads(line), agreement_id)

    def select(self, filters: Filters, today: date) -> list[Agreement]:
        """The agreements `filters` keep, reading only lines that can match when it can,
        and building agreements only of records that may match."""
        needles = _needles(filters)
        lines = (
            self._sealed.agreement_lines()
            if needles is None
            else self._sealed.lines_containing(needles)
        )
        may = may_match(filters, today)
        with collector_paused():
            candidates = [
                trusted_agreement(record, number)
                for number, line in lines
                if may(record := orjson.loads(line))
            ]
        return select(candidates, filters, today)

    def records_matching(
        self, filters: Filters, limit: int | None = None
    ) -> Iterator[tuple[int, dict[str, Any]]] | None:
        """(id, stored record) of the first `limit` matches in id order, read one at a time
        without building agreements; None unless there are no filters, or one kind whose
        needles find exactly the matches."""
        if filters == Filters():
            lines = self._sealed.agreement_lines()
        else:
            needles = _needles(filters)
            kinds = [bool(filters.sectors), bool(filters.types), bool(filters.countries)]
            rest = replace(filters, sectors=frozenset(), types=frozenset(), countries=frozenset())
            if needles is None or sum(kinds) != 1 or filters.agreed_only or rest != Filters():
                return None
            lines = self._sealed.lines_containing(needles)
        return ((number, orjson.loads(line)) for number, line in islice(lines, limit))


def _needles(filters: Filters) -> list[bytes] | None:
    """Byte strings one of which every matching agreement's line holds, or None.

    They follow the compact, sorted-key encoding of `layout`: a sector object ends with
    its name, a party is the only object with a country, the type is a top-level key.
    """
    if filters.sectors:
        return [b'"name":%s}' % orjson.dumps(name) for name in sorted(filters.sectors)]
    if filters.types:
        return [b'"type":%s' % orjson.dumps(kind.value) for kind in sorted(filters.types)]
    if filters.countries:
        return [b'"country":%s' % orjson.dumps(code) for code in sorted(filters.countries)]
    return None


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Parsing many records makes many containers; the cycle collector only slows that down.

    What was made meanwhile is then frozen out of the collector's reach: records hold no
    cycles, and the first collection after the pause would otherwise walk them all.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _sector_term(document: dict[str, Any]) -> SectorTerm:
    return SectorTerm(str(document["name"]), tuple(document.get("synonyms", ())), custom=True)


def _not_found(agreement_id: int) -> NotFound:
    return NotFound(f"no agreement with id {agreement_id}", hint="see 'agreements list'")


class Register:
    """The register file at `path`. Reads need no lock; every change holds it."""

    def __init__(
        self, path: Path, lock_timeout: float = 10.0, *, create_folder: bool = False
    ) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.history_path = path.with_name(path.name + ".history")
        self.backup_path = path.with_name(path.name + ".bak")
        self.lock_timeout = lock_timeout
        self.create_folder = create_folder

    def read(self) -> Snapshot:
        content = read_bytes(self.path)
        sealed = load(self.path, content)
        return Snapshot(sealed, fingerprint(content, sealed))

    def history(
        self, agreement_id: int | None = None, register_fingerprint: str | None = None
    ) -> list[Operation]:
        """The operations that reached the register, oldest first, or those touching one record.

        Give the fingerprint of a snapshot just read to spare reading the register again;
        without it the register is not parsed, so the history of a damaged file still shows.
        """
        from agreements.store.history import applied, read_log

        only = None if agreement_id is None else (AGREEMENTS, agreement_id)
        current = register_fingerprint or fingerprint(read_bytes(self.path))
        operations = applied(read_log(self.history_path, only).operations, current)
        if agreement_id is not None:
            operations = [op for op in operations if op.changes]
        return operations

    @contextlib.contextmanager
    def change(self, command: str) -> Iterator[Change]:
        """Lock, read, let the caller change the data, and save it with its history entry.

        The cycle collector rests meanwhile: a bulk import makes millions of objects and
        no cycles, and collecting would cost it a sixth of its time.
        """
        from agreements.store.history import NewOperation

        with self._locked(), collector_paused():
            content = read_bytes(self.path)
            sealed = load(self.path, content)
            register_digest = fingerprint(content, sealed)
            last, history_size = self._settle_history(register_digest)
            change = Change(sealed, register_digest, self.history_path)
            yield change
            changes = change.document_changes()
            if not changes or change.discarded:
                return
            payload = change.encode()
            operation = NewOperation(
                number=(last.number if last else 0) + 1,
                time=utc_now(),
                command=command,
                undoes=change.undoes,
                register_before=register_digest,
                register_after=payload.fingerprint,
                changes=tuple(changes),
                start=history_size,
            )
            self._commit(payload, content, operation)

    def undo(self, command: str) -> Operation:
        """Revert the latest operation not yet undone, exactly, as an operation of its own."""
        with self.change(command) as change:
            return change.undo_latest()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self.create_folder:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._check_writable_folder()
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(exclusive_lock(self.lock_path, self.lock_timeout))
            except LockTimeout:
                raise DatabaseBusy(
                    "the database is in use by another process",
                    hint=f"try again in a moment; the lock file is {self.lock_path}",
                ) from None
            except OSError as error:
                raise storage_failure("cannot lock", self.lock_path, error) from None
            try:
                fault_point("after-lock")
            except OSError as error:
                raise storage_failure("cannot write", self.path, error) from None
            remove_stale_temps(self.path)
            yield

    def _settle_history(self, register_digest: str) -> tuple[Commit | None, int]:
        """Cut off what a killed save left in the history: a partial or never-applied operation."""
        from agreements.store.history import last_commit, truncate

        try:
            last, size = last_commit(self.history_path)
            valid = last.end if last else 0
            if (
                last is not None
                and last.register_after != register_digest
                and last.register_before == register_digest
            ):
                valid = last.start
                last = _commit_before(self.history_path, last.start)
            if valid < size:
                truncate(self.history_path, valid)
        except OSError as error:
            raise storage_failure("cannot update", self.history_path, error) from None
        return last, valid

    def _commit(self, payload: Encoded, content: bytes | None, operation: NewOperation) -> None:
        """Write the new file, log the operation, swap the files, keep the old one as backup."""
        from agreements.store.history import append, truncate

        temp = write_temp(self.path, payload.pieces)
        previous = None
        logged = replaced = False
        try:
            append(self.history_path, operation, file_mode(self.path))
            logged = True
            fault_point("after-history")
            if content is not None:
                previous = hold_previous(self.path, content)
            fault_point("before-replace")
            temp.replace(self.path)
            replaced = True
        except BaseException as error:
            temp.unlink(missing_ok=True)
            if previous is not None:
                previous.unlink(missing_ok=True)
            if logged and not replaced:
                with contextlib.suppress(OSError):
                    truncate(self.history_path, operation.start)
            if isinstance(error, OSError):
                raise storage_failure("cannot write", self.path, error) from None
            raise
        fault_point("after-replace")
        if previous is not None:
            with contextlib.suppress(OSError):  # the change is saved; only the backup is stale
                previous.replace(self.backup_path)
        fault_point("before-folder-fsync")
        fsync_folder(self.path.parent)

    def _check_writable_folder(self) -> None:
        folder = self.path.parent
        if self.path.is_dir():
            raise StorageFailure(f"{self.path} is a folder, not a register file")
        if not folder.is_dir():
            raise StorageFailure(
                f"the folder {folder} does not exist",
                hint="create it first, or choose another file with --db",
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StorageFailure(f"cannot write in the folder {folder}: permission denied")
        if self.path.exists() and not os.access(self.path, os.W_OK):
            raise StorageFailure(f"cannot write {self.path}: the file is read-only")


def _commit_before(path: Path, offset: int) -> Commit | None:
    """The last commit that ends at or before `offset` in the history file."""
    from agreements.store.history import Commit, read_log

    if offset == 0:
        return None
    operations = read_log(path).operations
    earlier = [op for op in operations if op.start < offset]
    if not earlier:
        return None
    last = earlier[-1]
    return Commit(last.number, last.register_before, last.register_after, last.start, offset)


class Change:
    """What a command may do to the register while it holds the lock.

    Documents stay encoded as they were read; only those a command touches are parsed
    and encoded again. Each touched document is remembered as it was, so the operation
    can be logged with every document before and after, and undone exactly.
    """

    def __init__(self, sealed: SealedFile, register_digest: str, history_file: Path) -> None:
        self._sealed = sealed
        self._sectors = dict(sealed.sector_lines())
        self._next_id_line = encode_document({"next_id": sealed.next_id})
        self._changed: dict[int, bytes | None] = {}  # agreements, by id; None once removed
        self._today = date.today()
        self._digest = register_digest
        self._history_file = history_file
        self._before: dict[tuple[str, int], bytes | None] = {}
        self.undoes: int | None = None
        self.discarded = False

    def vocabulary(self) -> Vocabulary:
        """The shipped sectors and this register's own, without reading any agreement."""
        terms = [_sector_term(orjson.loads(line)) for line in self._sectors.values()]
        return shipped_vocabulary().with_terms(terms)

    def get(self, agreement_id: int) -> Agreement:
        line = self._line(AGREEMENTS, agreement_id)
        if line is None:
            raise _not_found(agreement_id)
        return trusted_agreement(orjson.loads(line), agreement_id)

    def stored_records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(id, record) of every agreement as read, unchecked: it was checked when saved."""
        with collector_paused():
            for number, line in self._sealed.agreement_lines():
                yield number, orjson.loads(line)

    def discard(self) -> None:
        """Leave the register as it was: nothing is saved when the change ends."""
        self.discarded = True

    def add(self, agreement: Agreement) -> Agreement:
        """Store a new agreement under a fresh id."""
        (new_id,) = self.add_many([agreement], keep_ids=False)
        return self.get(new_id)

    def add_many(self, agreements: Sequence[Agreement], *, keep_ids: bool) -> list[int]:
        """Store new agreements; their ids, in the same order.

        With `keep_ids`, an agreement keeps its own id and timestamps when that id was
        never used in this register; otherwise it gets the next free id.
        """
        first_free = self._next_id()
        kept: set[int] = set()
        if keep_ids:
            wanted = Counter(a.id for a in agreements if a.id is not None and a.id >= first_free)
            kept = {number for number, count in wanted.items() if count == 1}
        next_id = max([first_free, *(number + 1 for number in kept)])
        now = utc_now()
        ids = []
        for agreement in agreements:
            if agreement.id in kept:
                new_id = agreement.id
            else:
                new_id, next_id = next_id, next_id + 1
            record = self._record(agreement)
            record["created_at"] = (agreement.created_at if keep_ids else "") or now
            record["updated_at"] = (agreement.updated_at if keep_ids else "") or now
            ids.append(new_id)
            self._set(AGREEMENTS, new_id, record)
        self._set_next_id(next_id)
        return ids

    def put(self, agreement: Agreement) -> Agreement:
        """Replace an existing agreement, stamping the time of the change."""
        assert agreement.id is not None
        if self._line(AGREEMENTS, agreement.id) is None:
            raise _not_found(agreement.id)
        stored = replace(agreement, updated_at=utc_now())
        self._set(AGREEMENTS, agreement.id, self._record(stored))
        return stored

    def remove(self, agreement_id: int) -> Agreement:
        removed = self.get(agreement_id)
        self._set(AGREEMENTS, agreement_id, None)  # its id stays counted in next_id
        return removed

    def add_sector(self, term: SectorTerm) -> None:
        sector_id = max(self._sectors, default=0) + 1
        self._set(SECTORS, sector_id, {"name": term.name, "synonyms": list(term.synonyms)})

    def undo_latest(self) -> Operation:
        """Put back every document the latest operation not yet undone changed."""
        from agreements.store.history import read_log, reverted, undo_target

        target = undo_target(read_log(self._history_file).operations)
        if target is None:
            raise NotFound("there is nothing to undo", hint="see 'agreements history'")
        if target.register_after != self._digest:
            raise CorruptDatabase(
                f"the register was changed outside agreements after operation {target.number}, "
                "so undo cannot restore it exactly",
                hint="see 'agreements history' and 'agreements check'",
            )
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
            agreements = [b",\n".join(b'"%d":%s' % pair for pair in sorted(lines.items()))]
        else:
            agreements = self._sealed.agreements_with(replaced, appended)
        return encode_joined(agreements, sorted(self._sectors.items()), self._next_id())

    def _line(self, table: str, document_id: int) -> bytes | None:
        if table == AGREEMENTS:
            if document_id in self._changed:
                return self._changed[document_id]
            return self._sealed.agreement(document_id)
        if table == SECTORS:
            return self._sectors.get(document_id)
        return self._next_id_line

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
            assert line is not None
            self._next_id_line = line

    def _record(self, agreement: Agreement) -> dict[str, Any]:
        record = to_record(agreement, self._today)
        del record["id"]
        return record

    def _next_id(self) -> int:
        next_id: int = orjson.loads(self._next_id_line)["next_id"]
        return next_id

    def _set_next_id(self, next_id: int) -> None:
        self._set(META, _META_DOC, {"next_id": next_id})


def load(path: Path, content: bytes | None) -> SealedFile:
    """The register in `content`: trusted as it is when sealed, else parsed and validated whole.

    A file agreements did not write in its own layout (an older version, a hand edit, a
    TinyDB database from elsewhere) is read through TinyDB, every record is validated,
    and it is sealed again in memory; the next save writes it in the sealed layout.
    """
    if content is not None:
        sealed = seal(content)
        if sealed is not None:
            return sealed
    from tinydb import TinyDB
    from tinydb.storages import MemoryStorage

    data = parse(path, content)
    database = TinyDB(storage=MemoryStorage)
    database.storage.write(data)
    agreements = [
        (document.doc_id, _validated(document)) for document in database.table(AGREEMENTS).all()
    ]
    sectors = [(document.doc_id, dict(document)) for document in database.table(SECTORS).all()]
    meta = database.table(META).get(doc_id=_META_DOC)
    highest = max((number for number, _ in agreements), default=0)
    next_id = max(int(meta["next_id"]) if meta else 1, highest + 1)
    rebuilt = encode_file(
        sorted((number, encode_document(record)) for number, record in agreements),
        sorted((number, encode_document(term)) for number, term in sectors),
        next_id,
    )
    resealed = seal(rebuilt.content())
    assert resealed is not None
    return resealed


def _validated(document: Any) -> dict[str, Any]:
    """The record in its complete stored form, or CorruptDatabase naming what is wrong."""
    try:
        agreement = from_record(dict(document), f"record {document.doc_id}", document.doc_id)
    except InvalidInput as error:
        raise CorruptDatabase(error.message, hint=CHECK_HINT) from None
    record = to_record(agreement, date.today())
    del record["id"]
    return record


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes; None when there is no file yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StorageFailure(f"{path} is a folder, not a register file") from None
    except OSError as error:
        raise storage_failure("cannot read", path, error) from None


def parse(path: Path, content: bytes | None) -> dict[str, Any]:
    """The register's tables; a missing file is an empty register, anything unreadable an error."""
    if content is None:
        return {}
    if not content.strip():
        raise CorruptDatabase(
            f"{path} is empty ({len(content)} bytes), not a register",
            hint=f"the file was left untouched; see 'agreements check', and restore "
            f"{path.name}.bak beside it or delete the file only to start a new register",
        )
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise CorruptDatabase(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno} (byte {error.pos})",
            hint=CHECK_HINT,
        ) from None
    _check_layout(path, data)
    return data  # type: ignore[no-any-return]


def _check_layout(path: Path, data: object) -> None:
    problems = layout_problems(data)
    if problems:
        raise CorruptDatabase(f"{path} is not an agreements register: {problems[0]}", CHECK_HINT)


def layout_problems(data: object) -> list[str]:
    """What keeps parsed JSON from being a register: tables, ids, sectors and the id counter."""
    if not isinstance(data, dict):
        return [f"the top level is {type(data).__name__}, not an object"]
    problems = []
    for name, table in data.items():
        if name not in _TABLES:
            problems.append(f"unknown table {name!r}")
        elif not isinstance(table, dict):
            problems.append(f"table {name!r} is not an object")
            continue
        for key, document in table.items():
            if not (key.isascii() and key.isdigit() and int(key) > 0):
                problems.append(f"table {name!r} has the id {key!r}, not a positive whole number")
            if not isinstance(document, dict):
                problems.append(f"{name} {key} is {type(document).__name__}, not an object")
    sectors = data.get(SECTORS, {})
    for key, term in sectors.items() if isinstance(sectors, dict) else ():
        synonyms = term.get("synonyms", []) if isinstance(term, dict) else None
        if not isinstance(term, dict) or not (
            isinstance(term.get("name"), str)
            and isinstance(synonyms, list)
            and all(isinstance(synonym, str) for synonym in synonyms)
        ):
            problems.append(f"sector {key} needs a name and a list of synonyms")
    meta_table = data.get(META, {})
    meta = meta_table.get(str(_META_DOC)) if isinstance(meta_table, dict) else None
    if isinstance(meta, dict) and not (type(meta.get("next_id")) is int and meta["next_id"] > 0):
        problems.append("meta next_id is not a positive whole number")
    return problems
