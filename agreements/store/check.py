"""`check`: every problem of a register file, not just the first, and where it is.

It always reads the file the strict way, whatever its seal says: JSON to the byte, no
key twice, the tables and ids, every record field by field, the id counter, the seal
itself and the line layout it vouches for, the companion files, and the history against
the file.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from agreements.domain.migrations import SCHEMA_VERSION, upgrader, version_problem
from agreements.domain.model import date_problems
from agreements.domain.strict_json import duplicate_keys, json_problem
from agreements.domain.strict_records import from_stored, record_problems, stored_shape_problems
from agreements.domain.text import counted
from agreements.errors import AgreementsError, InvalidInput, NotFound
from agreements.store.foreign import AGREEMENTS, META, SECTORS, read_bytes, shape_problems
from agreements.store.layout import fingerprint, layout_problems, seal
from agreements.store.parallel import in_two_halves
from agreements.store.register import Register

if TYPE_CHECKING:
    from agreements.domain.model import Agreement
    from agreements.store.history_reader import HistoryFile


@dataclass
class CheckReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    agreements: int = 0
    sectors: int = 0
    notes: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    """What was looked at, in order, so that a clean report says what it vouches for."""
    acceptable: list[str] = field(default_factory=list)
    """The problems `check --accept-edit` resolves: a file changed outside agreements."""

    def accept(self, problem: str) -> None:
        self.problems.append(problem)
        self.acceptable.append(problem)

    @property
    def clean(self) -> bool:
        return not self.problems


def check_register(register: Register) -> CheckReport:
    """Read the file the strict way and collect every problem instead of stopping."""
    path = register.path
    content = read_bytes(path)
    if content is None:
        raise NotFound(f"there is no register at {path}", hint="check --db or $AGREEMENTS_DB")
    report = CheckReport(path)
    data = _check_content(content, report)
    if data is not None:
        _check_records(data, report)
        _check_seal(content, data, report)
    _check_companions(register, report)
    _check_history(register, content, data, report)
    return report


def _check_content(content: bytes, report: CheckReport) -> dict[str, Any] | None:
    if not content.strip():
        report.problems.append(f"the file is empty ({counted(len(content), 'byte')})")
        return None
    problem = json_problem(content)
    if problem is not None:
        report.problems.append(f"not valid JSON {problem}")
        return None
    data = orjson.loads(content)
    report.checked.append("strict JSON")
    report.problems += duplicate_keys(content.decode("utf-8"))
    report.checked.append("no key named twice")
    report.problems += shape_problems(data)
    report.checked.append("the tables, ids and meta")
    return data if isinstance(data, dict) else None


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    return table if isinstance(table, dict) else {}


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    meta = _table(data, META).get("1")
    return meta if isinstance(meta, dict) else {}


def _check_records(data: dict[str, Any], report: CheckReport) -> None:
    meta = _meta(data)
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
    problems, dates = in_two_halves(in_order, _records_findings, _both)
    report.problems += problems
    report.notes += dates
    report.checked.append(f"{counted(len(in_order), 'record')} field by field")
    ids = [int(key) for key in agreements if key.isascii() and key.isdigit()]
    next_id = meta.get("next_id")
    if ids and type(next_id) is int and next_id <= max(ids):
        report.accept(
            f"meta next_id is {next_id} but the highest id is {max(ids)}: ids would be given twice"
        )
    report.checked.append("the id counter")


Findings = tuple[list[str], list[str]]


def _records_findings(records: Sequence[tuple[str, object]]) -> Findings:
    """The problems of these records, and the dates among them that cannot all be true.

    Such dates (an expiry before the signing, say) are kept as they were saved, but
    `add`, `edit` and `import` refuse them, so they are named, without failing the check.
    """
    problems, dates = [], []
    for key, record in records:
        where = f"record {key}"
        agreement = _readable(record, where)
        if agreement is None:
            problems += record_problems(record, where)
        else:
            dates += [
                f"{where}, field {problem.field!r}: {problem.message}; kept as saved, but add, "
                f"edit and import refuse such dates (mend it with 'agreements edit {key}')"
                for problem in date_problems(agreement)
            ]
            dates += [
                f"{where}, field {conflict.field!r}: a merge conflict, ours {conflict.ours} kept, "
                f"theirs {conflict.theirs}; settle it with 'agreements resolve {key} "
                f"{conflict.field} --take ours|theirs|VALUE'"
                for conflict in agreement.conflicts
            ]
        stored_id = record.get("id") if isinstance(record, dict) else None
        if stored_id is not None and str(stored_id) != key:
            problems.append(f"{where}, field 'id': {stored_id!r} differs from its key {key}")
    return problems, dates


def _readable(record: object, where: str) -> Agreement | None:
    if not isinstance(record, Mapping):
        return None
    try:
        return from_stored(record, where)
    except InvalidInput:
        return None


def _both(first: Findings, second: Findings) -> Findings:
    return first[0] + second[0], first[1] + second[1]


def _sort_key(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isascii() and key.isdigit() else (0, key)


def _check_seal(content: bytes, data: dict[str, Any], report: CheckReport) -> None:
    claimed = "checksum" in _meta(data)
    sealed = seal(content)
    if sealed is not None:
        report.problems += layout_problems(sealed)
        if sealed.schema_version == SCHEMA_VERSION:
            for key, record in _table(data, AGREEMENTS).items():
                report.problems += stored_shape_problems(record, f"record {key}")
        report.checked.append("the seal (it matches) and the lines it vouches for")
    elif claimed:
        report.accept(
            "the seal does not match: the file was changed outside agreements, by hand or "
            "by damage, since it was saved (keep a change you made with "
            "'agreements check --accept-edit')"
        )
        report.checked.append("the seal (it does not match)")
    else:
        report.notes.append(
            "no seal: the file is not in agreements' own layout; the next change writes it so"
        )


def _check_companions(register: Register, report: CheckReport) -> None:
    try:
        register.files.check_ours()
    except AgreementsError as error:
        report.problems.append(error.message)
    report.checked.append("the lock, history and backup are files of agreements")


def _check_history(
    register: Register, content: bytes, data: dict[str, Any] | None, report: CheckReport
) -> None:
    from agreements.store.history_reader import (
        HistoryFile,
        check_operations,
        ledger_of,
        missing_from_file,
    )

    current = fingerprint(content)
    path = register.history_path
    try:
        with HistoryFile(path) as history:
            commits = list(history.commits_backwards())[::-1]
            count = len(commits)
            in_two_halves(
                commits,
                lambda part: check_operations(path, part),
                operator.add,
                sizes=[commit.end - commit.start for commit in commits],
                worth=1 << 23,
            )
            last = commits[-1] if commits else None
            if last is None:
                report.notes.append("no history yet")
            elif last.register_after == current:
                report.notes.append(
                    f"history: {counted(count, 'operation')}, the last matches the file"
                )
                _note_not_applied(ledger_of(history, current).not_applied, report)
                _check_counter(data, last.next_id, report)
            else:
                missing = missing_from_file(history, current)
                if missing is None and _brought_by_git(register.path, content):
                    report.notes.append(
                        f"history: {counted(count, 'operation')}; the file is a version git "
                        f"brought after operation {last.number} (a pull or a checkout): the "
                        "next change is saved on top of it, and undo stops there"
                    )
                elif missing is None:
                    report.accept(
                        f"history: the file was changed outside agreements after operation "
                        f"{last.number}; no change is saved over it until it is accepted "
                        "('agreements check --accept-edit') or the backup is put back "
                        "('agreements check --restore-backup')"
                    )
                else:
                    report.notes.append(f"history: {counted(count, 'operation')}")
                    _note_not_applied(ledger_of(history, current).not_applied, report)
            if missing_from_file(history, current) is not None:
                _note_undo(history, current, report)
            report.checked.append("every line of the history, and the history against the file")
            _check_backup(register, history, report)
    except AgreementsError as error:
        report.problems.append(f"history: {error.message}")


def _brought_by_git(path: Path, content: bytes) -> bool:
    """A sealed file of a register shared over git: another clone's version of it."""
    from agreements.store.git_merge import shared_over_git

    return seal(content) is not None and shared_over_git(path)


def _note_undo(history: HistoryFile, current: str, report: CheckReport) -> None:
    """Where `undo` would stop, in the words `undo` itself would use."""
    from agreements.store.history_reader import undo_refusal, undo_target

    target = undo_target(history, current)
    refusal = None if target is None else undo_refusal(target, current)
    if refusal is not None:
        report.notes.append(f"undo: {refusal.message}")


def _note_not_applied(numbers: set[int], report: CheckReport) -> None:
    if numbers:
        listed = ", ".join(f"#{number}" for number in sorted(numbers))
        report.notes.append(
            f"history: {listed} did not reach the file (a save cut off, or a backup put "
            "back): they stay in the history, and their ids are never given out again"
        )


def _check_counter(data: dict[str, Any] | None, logged: int | None, report: CheckReport) -> None:
    next_id = _meta(data or {}).get("next_id")
    if logged is not None and type(next_id) is int and next_id < logged:
        report.accept(f"meta next_id is {next_id} but the history gave out ids up to {logged - 1}")


def _check_backup(register: Register, history: HistoryFile, report: CheckReport) -> None:
    backup = read_bytes(register.backup_path)
    if backup is None:
        return
    known = fingerprint(backup)
    for commit in history.commits_backwards():
        if commit.register_before == known:
            report.notes.append(
                f"backup: {register.backup_path}, the version before operation {commit.number}"
            )
            return
        if commit.register_after == known:
            report.notes.append(
                f"backup: {register.backup_path}, the version after operation {commit.number}"
            )
            return
    report.notes.append(f"backup: {register.backup_path}, a version the history does not know")
