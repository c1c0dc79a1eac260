"""Opening a register file: trusted as it is when sealed, else parsed and checked whole.

A file agreements did not write in its own layout (a hand edit, a TinyDB database from
elsewhere, a file whose seal no longer matches) is read through TinyDB, brought up to the
current schema, every record is validated, and it is sealed again in memory; the next
save writes it in the sealed layout. This is the only module that talks to TinyDB.
"""

from __future__ import annotations

import mmap
import os
import stat
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import orjson

from agreements.domain.migrations import (
    SCHEMA_VERSION,
    check_version,
    upgrader,
    version_problem,
)
from agreements.domain.records import LARGEST_ID, NOT_AN_ID, stored_record
from agreements.domain.strict_json import duplicate_keys, json_problem
from agreements.domain.strict_records import from_stored
from agreements.domain.text import counted
from agreements.errors import CorruptDatabase, InvalidInput, StorageFailure
from agreements.store.atomic import storage_failure
from agreements.store.companions import Companions
from agreements.store.layout import SealedFile, encode, encode_document, seal

AGREEMENTS = "agreements"
META = "meta"
SECTORS = "sectors"
TABLES = (AGREEMENTS, META, SECTORS)
META_DOCUMENT = 1
_META_KEYS = frozenset(("checksum", "next_id", "schema_version"))
_WORTH_MAPPING = 1 << 20
"""Smaller files are read: mapping them saves nothing."""
CHECK_HINT = "the file was left untouched; run 'agreements check' to see every problem"


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes; None when there is no file yet. Only a regular file is read: a
    pipe or a device there would hang the command or feed it anything."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise storage_failure("cannot read", path, error) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise StorageFailure(f"{path} is a folder, not a register file")
        raise StorageFailure(f"{path} is not a regular file, so not a register")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            return handle.read()
        except OSError as error:
            raise storage_failure("cannot read", path, error) from None


class MappedFile(mmap.mmap):
    """A file's bytes mapped read-only from the page cache, with the few methods of
    `bytes` the layout asks of them (the others, find, rfind and slicing, it has), and
    the open file they come from, from which a save copies the stretches it keeps."""

    descriptor: int

    def startswith(self, prefix: bytes, start: int = 0) -> bool:
        return self[start : start + len(prefix)] == prefix

    def endswith(self, suffix: bytes) -> bool:
        return self[max(len(self) - len(suffix), 0) :] == suffix

    def index(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        position = self.find(sub, start, len(self) if end is None else end)
        if position < 0:
            raise ValueError("subsection not found")
        return position


def read_mapped(path: Path) -> bytes | None:
    """The file's bytes like `read_bytes`, but mapped rather than copied, for commands that
    only read: copying 130 MB costs more than reading the few lines a query needs.

    agreements never writes a register in place (a save renames a new file over it), so a
    mapping keeps the version it opened. Against other programs the file is mapped only
    under a read lease (fcntl F_SETLEASE), which makes one that opens it to write or
    truncate wait until the command is done (at most the system's lease-break time);
    where no lease can be had (another user's file, a network file system) it is read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise storage_failure("cannot read", path, error) from None
    mapped = None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISREG(info.st_mode) and info.st_size >= _WORTH_MAPPING and _leased(descriptor):
            mapped = MappedFile(descriptor, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        mapped = None
    if mapped is None:
        os.close(descriptor)
        return read_bytes(path)
    mapped.descriptor = descriptor
    weakref.finalize(mapped, os.close, descriptor)  # the lease lasts as long as the mapping
    return cast(bytes, mapped)  # it does what the layout asks of bytes


def _leased(descriptor: int) -> bool:
    """Whether a read lease on the open file was taken: a writer elsewhere now waits."""
    import fcntl
    import signal

    try:
        # A writer breaking the lease signals SIGIO, whose default is to end the process.
        signal.signal(signal.SIGIO, signal.SIG_IGN)
        fcntl.fcntl(descriptor, fcntl.F_SETLEASE, fcntl.F_RDLCK)
    except (OSError, ValueError, AttributeError):  # not ours, no leases, not the main thread
        return False
    return True


def load(path: Path, content: bytes | None) -> SealedFile:
    """The register in `content`, sealed; CorruptDatabase when it is not a register."""
    if content is not None:
        sealed = seal(content)
        if sealed is not None:
            check_version(sealed.schema_version, str(path))
            return sealed
        if isinstance(content, MappedFile):
            content = content[:]  # read whole, as any bytes: strict JSON, TinyDB
    return _load_foreign(path, content)


def _load_foreign(path: Path, content: bytes | None) -> SealedFile:
    from tinydb import TinyDB
    from tinydb.storages import MemoryStorage

    data = parse(path, content)
    database = TinyDB(storage=MemoryStorage)
    database.storage.write(data)
    meta: dict[str, Any] = database.table(META).get(doc_id=META_DOCUMENT) or {}
    upgrade = upgrader(check_version(meta.get("schema_version", 1), str(path)))
    agreements = []
    for document in database.table(AGREEMENTS).all():
        record = dict(document) if upgrade is None else upgrade(dict(document))
        agreements.append((document.doc_id, _validated(record, document.doc_id)))
    sectors = [(document.doc_id, dict(document)) for document in database.table(SECTORS).all()]
    highest = max((number for number, _ in agreements), default=0)
    next_id = max(int(meta.get("next_id", 1)), highest + 1)
    rebuilt = encode(
        sorted((number, encode_document(record)) for number, record in agreements),
        sorted((number, encode_document(term)) for number, term in sectors),
        {"next_id": next_id, "schema_version": SCHEMA_VERSION},
    )
    resealed = seal(rebuilt.content())
    assert resealed is not None
    # A file that carries agreements' seal and no longer matches it was changed since.
    return replace(resealed, broken_seal="checksum" in meta)


def _validated(record: dict[str, Any], record_id: int) -> dict[str, Any]:
    """The record in its complete stored form, or CorruptDatabase naming what is wrong."""
    try:
        agreement = from_stored(record, f"record {record_id}", record_id)
    except InvalidInput as error:
        raise CorruptDatabase(error.message, hint=CHECK_HINT) from None
    return stored_record(agreement)


def parse(path: Path, content: bytes | None) -> dict[str, Any]:
    """The register's tables; a missing file is an empty register, anything unreadable an error."""
    if content is None:
        return {}
    if not content.strip():
        backup = Companions.of(path).backup
        way_back = (
            f"put the backup {backup.name} back with 'agreements check --restore-backup'"
            if backup.is_file()
            else "there is no backup: delete the file only to start a new register"
        )
        raise CorruptDatabase(
            f"{path} is empty ({counted(len(content), 'byte')}), not a register",
            hint=f"the file was left untouched; see 'agreements check'; {way_back}",
        )
    problem = json_problem(content)
    if problem is not None:
        raise CorruptDatabase(f"{path} is not valid JSON {problem}", hint=CHECK_HINT)
    data = orjson.loads(content)
    problems = duplicate_keys(content.decode("utf-8")) or shape_problems(data)
    if problems:
        raise CorruptDatabase(f"{path} is not an agreements register: {problems[0]}", CHECK_HINT)
    return data  # type: ignore[no-any-return]


def shape_problems(data: object) -> list[str]:
    """What keeps parsed JSON from being a register: its tables, ids, sectors and meta.

    Records are left to `records.record_problems`; this only needs the shape around them.
    """
    if not isinstance(data, dict):
        return [f"the top level is {type(data).__name__}, not an object"]
    problems = []
    for name, table in data.items():
        if name not in TABLES:
            problems.append(f"unknown table {name!r}")
            continue
        if not isinstance(table, dict):
            problems.append(f"table {name!r} is {type(table).__name__}, not an object")
            continue
        for key, document in table.items():
            if not (key.isascii() and key.isdigit() and 0 < int(key) <= LARGEST_ID):
                problems.append(f"table {name!r} has the id {key!r}: {NOT_AN_ID}")
            if not isinstance(document, dict):
                problems.append(f"{name} {key} is {type(document).__name__}, not an object")
            elif name == SECTORS:
                problems += _sector_problems(key, document)
            elif name == META:
                problems += _meta_problems(key, document)
    return problems


def _sector_problems(key: str, term: dict[str, Any]) -> list[str]:
    synonyms = term.get("synonyms", [])
    if (
        isinstance(term.get("name"), str)
        and isinstance(synonyms, list)
        and all(isinstance(synonym, str) for synonym in synonyms)
    ):
        return []
    return [f"sector {key} needs a name and a list of synonyms"]


def _meta_problems(key: str, meta: dict[str, Any]) -> list[str]:
    if key != str(META_DOCUMENT):
        return [f"meta {key} is not an entry agreements knows (only meta 1 is)"]
    problems = [f"meta has the unknown field {name!r}" for name in meta if name not in _META_KEYS]
    next_id = meta.get("next_id", 1)
    if not (type(next_id) is int and 0 < next_id <= LARGEST_ID + 1):
        problems.append(f"meta next_id is {next_id!r}, not an id counter: {NOT_AN_ID}")
    problem = version_problem(meta.get("schema_version", 1))
    if problem is not None:
        problems.append(problem)
    return problems
