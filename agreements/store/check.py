"""`check`: every problem of a register file, not just the first, and where it is."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from agreements.domain.migrations import SCHEMA_VERSION, upgrader, version_problem
from agreements.domain.records import record_problems
from agreements.errors import CorruptDatabase, NotFound
from agreements.store.foreign import AGREEMENTS, META, SECTORS, read_bytes, shape_problems
from agreements.store.layout import fingerprint
from agreements.store.parallel import in_two_halves
from agreements.store.register import Register


@dataclass
class CheckReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    agreements: int = 0
    sectors: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def check_register(register: Register) -> CheckReport:
    """Read the file the way every command does, but collect problems instead of stopping."""
    path = register.path
    content = read_bytes(path)
    if content is None:
        raise NotFound(f"there is no register at {path}", hint="check --db or $AGREEMENTS_DB")
    report = CheckReport(path)
    _check_content(content, report)
    _check_history(register, content, report)
    if register.backup_path.exists():
        report.notes.append(f"backup of the previous version: {register.backup_path}")
    return report


def _check_content(content: bytes, report: CheckReport) -> None:
    if not content.strip():
        report.problems.append(f"the file is empty ({len(content)} bytes)")
        return
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as error:
        report.problems.append(
            f"not valid JSON at line {error.lineno}, column {error.colno} "
            f"(byte {error.pos}): {error.msg}"
        )
        return
    report.problems += shape_problems(data)
    if not isinstance(data, dict):
        return
    meta = _table(data, META).get("1")
    meta = meta if isinstance(meta, dict) else {}
    version = meta.get("schema_version", 1)
    if version_problem(version) is not None:
        return  # records of a schema this release does not know cannot be judged
    if version < SCHEMA_VERSION:
        report.notes.append(
            f"schema {version}: the file is read as it is, and upgraded to schema "
            f"{SCHEMA_VERSION} by the next change"
        )
    agreements = _table(data, AGREEMENTS)
    report.agreements = len(agreements)
    report.sectors = len(_table(data, SECTORS))
    in_order = sorted(agreements.items(), key=lambda item: _sort_key(item[0]))
    upgrade = upgrader(version)
    if upgrade is not None:
        in_order = [(key, upgrade(record)) for key, record in in_order]
    report.problems += in_two_halves(in_order, _records_problems, operator.add)
    ids = [int(key) for key in agreements if key.isascii() and key.isdigit()]
    next_id = meta.get("next_id")
    if ids and type(next_id) is int and next_id <= max(ids):
        report.problems.append(
            f"meta next_id is {next_id} but the highest id is {max(ids)}: ids would be given twice"
        )


def _table(data: dict[str, object], name: str) -> dict[str, object]:
    table = data.get(name, {})
    return table if isinstance(table, dict) else {}


def _records_problems(records: Sequence[tuple[str, object]]) -> list[str]:
    problems = []
    for key, record in records:
        where = f"record {key}"
        problems += record_problems(record, where)
        stored_id = record.get("id") if isinstance(record, dict) else None
        if stored_id is not None and str(stored_id) != key:
            problems.append(f"{where}, field 'id': {stored_id!r} differs from its key {key}")
    return problems


def _sort_key(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isascii() and key.isdigit() else (0, key)


def _check_history(register: Register, content: bytes, report: CheckReport) -> None:
    from agreements.store.history import applied, read_log

    path = register.history_path
    if not path.exists():
        report.notes.append("no history yet")
        return
    try:
        operations = applied(read_log(path).operations, fingerprint(content))
    except CorruptDatabase as error:
        report.problems.append(f"history: {error.message}")
        return
    if not operations:
        report.notes.append("no history yet")
        return
    last = operations[-1]
    if last.register_after == fingerprint(content):
        report.notes.append(f"history: {len(operations)} operations, the last matches the file")
    else:
        report.notes.append(
            f"history: the file was changed outside agreements after operation {last.number}; "
            "undo cannot go back past that change"
        )
