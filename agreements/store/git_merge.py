"""The register as git merges it: `merge-driver` reads the three versions git hands it,
merges them record by record (`domain.merging`) and writes the result, sealed, in place
of ours; the register's own history gets the merge as one operation.

The history stays beside each colleague's register, out of the repository: it is their
undo, and a merge is one more operation in it. A version git brings without a merge (a
fast-forward `git pull`, a checkout) is sealed by agreements but unknown to that history;
for a register set up with `git-setup` it is taken as it is (`shared_over_git`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import orjson

from agreements.domain.merging import Merged, Side, merge
from agreements.domain.migrations import SCHEMA_VERSION
from agreements.domain.model import utc_now
from agreements.domain.strict_records import from_stored
from agreements.errors import CorruptDatabase, InvalidInput
from agreements.store.atomic import file_mode, output_file
from agreements.store.foreign import load, read_bytes
from agreements.store.layout import encode, encode_document, fingerprint
from agreements.store.snapshot import record_decoder

DRIVER = "agreements"
"""The merge driver's name in `.gitattributes` and `.git/config`."""


@dataclass(frozen=True)
class MergeResult:
    merged: Merged
    content: bytes


def merge_versions(base: Path, ours: Path, theirs: Path) -> MergeResult:
    """The three files merged; CorruptDatabase when one of them is not a register."""
    sides = [_side(base, base=True), _side(ours), _side(theirs)]
    merged = merge(*sides)
    for number, record in merged.agreements.items():
        try:
            from_stored(record, f"agreement {number} as merged", number)
        except InvalidInput as error:
            raise CorruptDatabase(
                f"the merge would make a record that is not sound: {error}"
            ) from None
    lines = sorted(
        (number, encode_document(record)) for number, record in merged.agreements.items()
    )
    sectors = sorted((number, encode_document(term)) for number, term in merged.sectors.items())
    meta = {"next_id": merged.next_id, "schema_version": SCHEMA_VERSION}
    return MergeResult(merged, encode(lines, sectors, meta).content())


def _side(path: Path, *, base: bool = False) -> Side:
    """One version, as agreements wrote it; only the base may be empty (git hands an empty
    one when the two sides have no version in common)."""
    content = read_bytes(path)
    if not content:
        if base and content is not None:
            return Side({}, {}, 1)
        raise CorruptDatabase(f"{path} is {'missing' if content is None else 'empty'}")
    sealed = load(path, content)
    if sealed.broken_seal:
        raise CorruptDatabase(
            f"{path} was changed outside agreements (its seal no longer matches it)",
            hint="keep the edit with 'agreements check --accept-edit' in that clone first",
        )
    decode = record_decoder(sealed.schema_version)
    agreements = {number: decode(line) for number, line in sealed.agreement_lines()}
    sectors = {number: orjson.loads(line) for number, line in sealed.sector_lines()}
    return Side(agreements, sectors, sealed.next_id)


def write_merged(ours: Path, result: MergeResult) -> None:
    """The merged register in place of ours, whole or not at all."""
    with output_file(ours) as stream:
        stream.write(result.content)


def record_in_history(register: Path, ours: bytes, result: MergeResult, command: str) -> None:
    """The merge as one operation of the history beside the register in the work tree,
    so that the file git writes there is one the history knows (and `undo` can take back)."""
    from agreements.store.history import NewOperation, append
    from agreements.store.register import Register
    from agreements.store.repair import differences

    saved = Register(register)
    with saved.locked():
        before = fingerprint(ours)
        place = saved.place(before, accept_outside_edit=True)
        current, merged = load(register, ours), load(register, result.content)
        operation = NewOperation(
            number=place.number + 1,
            time=utc_now(),
            command=command,
            undoes=None,
            register_before=before,
            register_after=fingerprint(result.content),
            changes=tuple(differences(current, merged, merged.meta)),
            start=place.size,
            next_id=merged.next_id,
            not_applied=place.not_applied,
        )
        append(saved.history_path, operation, file_mode(register))


def textual_merge(base: Path, ours: Path, theirs: Path) -> None:
    """git's own line-by-line merge, with its conflict markers, into ours: what git does
    without a driver, for versions that are not registers."""
    subprocess.run(
        [
            "git",
            "merge-file",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
            str(ours),
            str(base),
            str(theirs),
        ],
        check=False,
        capture_output=True,
    )


def shared_over_git(register: Path) -> bool:
    """Whether git merges this file with our driver: `git-setup` was run for it."""
    try:
        answer = subprocess.run(
            ["git", "check-attr", "merge", "--", register.name],
            cwd=register.parent,
            capture_output=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return answer.returncode == 0 and answer.stdout.strip().endswith(b": merge: " + DRIVER.encode())


def git(folder: Path, *arguments: str) -> str:
    """The output of a git command run in `folder`; AgreementsError when it fails."""
    try:
        answer = subprocess.run(
            ["git", *arguments], cwd=folder, capture_output=True, check=False, timeout=30
        )
    except OSError as error:
        raise InvalidInput(f"cannot run git: {error.strerror}", hint="install git first") from None
    if answer.returncode != 0:
        said = answer.stderr.decode(errors="replace").strip().splitlines()
        raise InvalidInput(f"git {arguments[0]}: {said[-1] if said else 'failed'}")
    return answer.stdout.decode(errors="replace").strip()
