"""The register file: a TinyDB database saved atomically, under a lock, as stable JSON.

Stock TinyDB rewrites its file in place without a lock. Here TinyDB works on data read
once under an exclusive lock on `<db>.lock`; a change is saved as one new file that
replaces the old one (temp file, fsync, rename, fsync of the folder), so a reader or a
crash sees either the old register or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from agreements.errors import (
    CorruptDatabase,
    DatabaseBusy,
    InvalidInput,
    NotFound,
    StorageFailure,
)
from agreements.model import Agreement, from_record, to_record, utc_now
from agreements.vocabulary import SectorTerm, Vocabulary, shipped_vocabulary

AGREEMENTS = "agreements"
META = "meta"
SECTORS = "sectors"
_TABLES = (AGREEMENTS, META, SECTORS)
_META_DOC = 1


class _InMemoryStorage(Storage):
    """Gives TinyDB the data read under the lock and keeps its writes until the save."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.changed = False

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.changed = True


@dataclass(frozen=True)
class Snapshot:
    """The register as read at one moment."""

    agreements: list[Agreement]
    custom_sectors: list[SectorTerm]

    def vocabulary(self) -> Vocabulary:
        return shipped_vocabulary().with_terms(self.custom_sectors)

    def get(self, agreement_id: int) -> Agreement:
        for agreement in self.agreements:
            if agreement.id == agreement_id:
                return agreement
        raise _not_found(agreement_id)


def _not_found(agreement_id: int) -> NotFound:
    return NotFound(f"no agreement with id {agreement_id}", hint="see 'agreements list'")


class Register:
    """The register file at `path`. Reads need no lock; every change holds it."""

    def __init__(
        self, path: Path, lock_timeout: float = 10.0, *, create_folder: bool = False
    ) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.lock_timeout = lock_timeout
        self.create_folder = create_folder

    def read(self) -> Snapshot:
        return _snapshot(TinyDB(storage=_InMemoryStorage, data=_load(self.path)))

    @contextlib.contextmanager
    def change(self) -> Iterator[Change]:
        """Lock, read, let the caller change the data, and save it in one atomic write."""
        from filelock import FileLock, Timeout

        if self.create_folder:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._check_writable_folder()
        lock = FileLock(str(self.lock_path), timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise DatabaseBusy(
                "the database is in use by another process",
                hint=f"try again in a moment; the lock file is {self.lock_path}",
            ) from None
        except OSError as error:
            raise _storage_failure("cannot lock", self.lock_path, error) from None
        try:
            database = TinyDB(storage=_InMemoryStorage, data=_load(self.path))
            _snapshot(database)  # a record that does not validate stops every change
            yield Change(database)
            storage = database.storage
            assert isinstance(storage, _InMemoryStorage)
            if storage.changed:
                _save(self.path, storage.data)
        finally:
            lock.release()

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


class Change:
    """What a command may do to the register while it holds the lock."""

    def __init__(self, database: TinyDB) -> None:
        self._database = database
        self._table = database.table(AGREEMENTS, cache_size=0)
        self._today = date.today()

    def vocabulary(self) -> Vocabulary:
        """The shipped sectors and this register's own, without reading any agreement."""
        return shipped_vocabulary().with_terms(_custom_sectors(self._database))

    def get(self, agreement_id: int) -> Agreement:
        document = self._table.get(doc_id=agreement_id)
        if document is None:
            raise _not_found(agreement_id)
        return _agreement(document)

    def add(self, agreement: Agreement) -> Agreement:
        """Store a new agreement under a fresh id."""
        (stored,) = self.add_many([agreement], keep_ids=False)
        return stored

    def add_many(self, agreements: Sequence[Agreement], *, keep_ids: bool) -> list[Agreement]:
        """Store new agreements in one table write.

        With `keep_ids`, an agreement keeps its own id and timestamps when that id was
        never used in this register; otherwise it gets the next free id.
        """
        next_id = self._next_id()
        now = utc_now()
        stored, documents = [], []
        for agreement in agreements:
            wanted = agreement.id
            new_id = wanted if keep_ids and wanted is not None and wanted >= next_id else next_id
            added = replace(
                agreement,
                id=new_id,
                created_at=(agreement.created_at if keep_ids else "") or now,
                updated_at=(agreement.updated_at if keep_ids else "") or now,
            )
            stored.append(added)
            documents.append(Document(self._record(added), doc_id=new_id))
            next_id = max(next_id, new_id + 1)
        self._table.insert_multiple(documents)
        self._set_next_id(next_id)
        return stored

    def put(self, agreement: Agreement) -> Agreement:
        """Replace an existing agreement, stamping the time of the change."""
        assert agreement.id is not None
        if not self._table.contains(doc_id=agreement.id):
            raise _not_found(agreement.id)
        stored = replace(agreement, updated_at=utc_now())
        self._table.update(self._record(stored), doc_ids=[agreement.id])
        return stored

    def remove(self, agreement_id: int) -> Agreement:
        removed = self.get(agreement_id)
        # Remember the highest id ever given, so it is never handed out again.
        self._set_next_id(self._next_id())
        self._table.remove(doc_ids=[agreement_id])
        return removed

    def add_sector(self, term: SectorTerm) -> None:
        self._database.table(SECTORS, cache_size=0).insert(
            {"name": term.name, "synonyms": list(term.synonyms)}
        )

    def _record(self, agreement: Agreement) -> dict[str, Any]:
        record = to_record(agreement, self._today)
        del record["id"]
        return record

    def _next_id(self) -> int:
        meta = self._database.table(META, cache_size=0).get(doc_id=_META_DOC)
        counted = int(meta["next_id"]) if meta else 1
        highest = max((document.doc_id for document in self._table.all()), default=0)
        return max(counted, highest + 1)

    def _set_next_id(self, next_id: int) -> None:
        self._database.table(META, cache_size=0).upsert(
            Document({"next_id": next_id}, doc_id=_META_DOC)
        )


def _snapshot(database: TinyDB) -> Snapshot:
    agreements = [_agreement(document) for document in database.table(AGREEMENTS).all()]
    agreements.sort(key=lambda agreement: agreement.id or 0)
    return Snapshot(agreements, _custom_sectors(database))


def _custom_sectors(database: TinyDB) -> list[SectorTerm]:
    return [
        SectorTerm(str(document["name"]), tuple(document.get("synonyms", ())), custom=True)
        for document in database.table(SECTORS).all()
    ]


def _agreement(document: Document) -> Agreement:
    try:
        return from_record(dict(document), f"record {document.doc_id}", record_id=document.doc_id)
    except InvalidInput as error:
        raise CorruptDatabase(
            error.message, hint="fix the record in the file, or restore a backup"
        ) from None


def _load(path: Path) -> dict[str, Any]:
    """The parsed file; a missing file is an empty register, anything unreadable an error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise StorageFailure(f"{path} is a folder, not a register file") from None
    except OSError as error:
        raise _storage_failure("cannot read", path, error) from None
    if not raw.strip():
        raise CorruptDatabase(
            f"{path} is empty ({len(raw)} bytes), not a register",
            hint="restore it from a backup; delete it only if you mean to start a new register",
        )
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise CorruptDatabase(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno} (byte {error.pos})",
            hint="the file was left untouched; repair it or restore a backup",
        ) from None
    _check_layout(path, data)
    return data  # type: ignore[no-any-return]


def _check_layout(path: Path, data: object) -> None:
    def corrupt(problem: str) -> CorruptDatabase:
        return CorruptDatabase(f"{path} is not an agreements register: {problem}")

    if not isinstance(data, dict):
        raise corrupt(f"the top level is {type(data).__name__}, not an object")
    for name, table in data.items():
        if name not in _TABLES:
            raise corrupt(f"unknown table {name!r}")
        if not isinstance(table, dict):
            raise corrupt(f"table {name!r} is not an object")
        for key, document in table.items():
            if not (key.isascii() and key.isdigit() and int(key) > 0):
                raise corrupt(f"table {name!r} has the id {key!r}, not a positive whole number")
            if not isinstance(document, dict):
                raise corrupt(f"{name} {key} is {type(document).__name__}, not an object")
    for key, term in data.get(SECTORS, {}).items():
        synonyms = term.get("synonyms", [])
        if not isinstance(term.get("name"), str) or not (
            isinstance(synonyms, list) and all(isinstance(s, str) for s in synonyms)
        ):
            raise corrupt(f"sector {key} needs a name and a list of synonyms")
    meta = data.get(META, {}).get(str(_META_DOC))
    if meta is not None and not (isinstance(meta.get("next_id"), int) and meta["next_id"] > 0):
        raise corrupt("meta next_id is not a positive whole number")


def encode(data: object) -> bytes:
    """Stable, readable JSON: sorted keys, two-space indent, UTF-8, a final newline."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def _save(path: Path, data: dict[str, Any]) -> None:
    write_atomically(path, encode(data))


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` so that it is either all old or all new, even on a crash."""
    folder = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as error:
        raise _storage_failure("cannot read", path, error) from None
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _storage_failure("cannot write in", folder, error) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        temp.chmod(mode)
        temp.replace(path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _storage_failure("cannot write", path, error) from None
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _storage_failure(action: str, path: Path, error: OSError) -> StorageFailure:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EFBIG: "the file is too large for this system",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
    }.get(error.errno or 0, error.strerror or str(error))
    return StorageFailure(f"{action} {path}: {reason}", hint="nothing was changed")
