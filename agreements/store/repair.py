"""The two ways out of a register file the history does not know: keep it, or go back.

`accept_edit` keeps a file changed outside agreements (a hand edit, another tool) when it
is a sound register: it is sealed again as an operation of its own, its id counter kept
above every id the history gave out. `restore_backup` swaps the register and its backup,
as an operation of its own: nothing is lost, and doing it again swaps them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from agreements.domain.model import utc_now
from agreements.domain.text import counted
from agreements.errors import CorruptDatabase, NotFound
from agreements.store.check import check_register
from agreements.store.foreign import AGREEMENTS, META, SECTORS, load, read_bytes
from agreements.store.layout import SealedFile, encode, encode_document, fingerprint
from agreements.store.register import Register

if TYPE_CHECKING:
    from agreements.store.history import StoredChange


def accept_edit(register: Register, command: str) -> bool:
    """Seal the file as it is, when the history does not know it; whether there was
    anything to accept. CorruptDatabase when the file has problems an edit cannot fix."""
    report = check_register(register)
    remaining = [problem for problem in report.problems if problem not in report.acceptable]
    if remaining:
        raise CorruptDatabase(
            f"{register.path} cannot be accepted as it is: {remaining[0]}",
            hint=f"{counted(len(remaining), 'problem')}; 'agreements check' lists them; "
            "fix them first",
        )
    if report.clean:
        return False
    with register.change(command, accept_outside_edit=True) as transaction:
        transaction.reseal()
    return True


def restore_backup(register: Register, command: str) -> int:
    """Make the backup the register and the register the backup; the operation's number."""
    from agreements.store.history import NewOperation

    with register.locked():
        backup = read_bytes(register.backup_path)
        if backup is None:
            raise NotFound(f"there is no backup at {register.backup_path}")
        try:
            restored = load(register.backup_path, backup)
        except CorruptDatabase as error:
            raise CorruptDatabase(f"the backup cannot be used: {error.message}") from None
        content = read_bytes(register.path)
        place = register.place(fingerprint(content), accept_outside_edit=True)
        meta = {**restored.meta, "next_id": max(restored.next_id, place.least_next_id)}
        payload = encode(restored.agreement_lines(), restored.sector_lines(), meta)
        try:
            current = load(register.path, content)
        except CorruptDatabase:  # damaged: it becomes the backup, and is kept whole there
            changes: tuple[StoredChange, ...] = ()
        else:
            changes = tuple(differences(current, restored, meta))
        operation = NewOperation(
            number=place.number + 1,
            time=utc_now(),
            command=command,
            undoes=None,
            register_before=fingerprint(content),
            register_after=payload.fingerprint,
            changes=changes,
            start=place.size,
            next_id=meta["next_id"],
            not_applied=place.not_applied,
        )
        register.commit(payload.pieces, content, operation)
        return operation.number


def differences(
    current: SealedFile, restored: SealedFile, meta: dict[str, object]
) -> Iterator[StoredChange]:
    """The documents that differ between two versions of a register, `meta` the new one's."""
    from agreements.store.history import StoredChange

    for table, before, after in (
        (AGREEMENTS, dict(current.agreement_lines()), dict(restored.agreement_lines())),
        (SECTORS, dict(current.sector_lines()), dict(restored.sector_lines())),
        (META, {1: encode_document(current.meta)}, {1: encode_document(meta)}),
    ):
        for document_id in sorted(before.keys() | after.keys()):
            if before.get(document_id) != after.get(document_id):
                yield StoredChange(
                    table, document_id, before.get(document_id), after.get(document_id)
                )
