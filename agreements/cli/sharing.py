"""`git-setup`, `merge-driver` and `resolve`: one register shared by a team over git."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agreements.cli.application import app
from agreements.cli.context import command_line, register, say
from agreements.errors import InvalidInput

COMPANIONS = (".lock", ".history", ".bak", ".search", ".summary", ".due")
"""The register's own files that stay out of the repository: each colleague's own."""


@app.command("git-setup")
def git_setup(context: typer.Context) -> None:
    """Let git merge the register record by record, in the git work tree it is in.

    Names the merge driver for the register in .gitattributes, keeps the register's own
    files (lock, history, backup, caches) out of git in .gitignore, and registers the
    driver in this clone's .git/config. Run it again in every clone: git does not copy
    its config. Commit .gitattributes and .gitignore.

    Example: agreements --db team/register.json git-setup
    """
    import shutil
    import sys

    from agreements.store.git_merge import DRIVER, git

    path = register(context).path
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"the folder {folder} does not exist")
    if shutil.which("git") is None:
        raise InvalidInput("git is not installed", hint="install git first")
    try:
        top = Path(git(folder, "rev-parse", "--show-toplevel"))
    except InvalidInput:
        raise InvalidInput(
            f"{folder} is not in a git work tree", hint="run 'git init' or 'git clone' first"
        ) from None
    relative = path.resolve().relative_to(top.resolve()).as_posix()
    changed = [
        _ensure_lines(top / ".gitattributes", [f"{_pattern(relative)} merge={DRIVER}"]),
        _ensure_lines(top / ".gitignore", [_ignored(relative + suffix) for suffix in COMPANIONS]),
    ]
    driver = f"{_quoted(sys.executable)} -m agreements merge-driver %O %A %B %P"
    git(top, "config", f"merge.{DRIVER}.name", "agreements: record by record")
    git(top, "config", f"merge.{DRIVER}.driver", driver)
    for name, wrote in zip((".gitattributes", ".gitignore"), changed, strict=True):
        say(f"{'Updated' if wrote else 'Already set up:'} {top / name}")
    say(f"Registered the merge driver in {top / '.git' / 'config'} (this clone only)")
    say(f"Next: git add .gitattributes .gitignore {_quoted(relative)} && git commit")


def _ensure_lines(path: Path, lines: list[str]) -> bool:
    """Add the lines `path` lacks, at its end; whether it changed."""
    from agreements.store.atomic import output_file

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = set(text.splitlines())
    missing = [line for line in lines if line not in present]
    if not missing:
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    with output_file(path) as stream:
        stream.write((text + "\n".join(missing) + "\n").encode("utf-8"))
    return True


def _pattern(relative: str) -> str:
    """The register's path as a .gitattributes pattern of it alone: its wildcards escaped,
    and C-quoted when it holds a space (git unquotes a pattern that starts with ")."""
    pattern = "/" + _literal(relative)
    if not any(character in relative for character in ' "\t'):
        return pattern
    return '"' + pattern.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def _ignored(relative: str) -> str:
    """The path as a .gitignore pattern of it alone (there a space is itself)."""
    return "/" + _literal(relative)


def _literal(relative: str) -> str:
    """The path with the characters git's patterns read as wildcards escaped."""
    escaped = relative.replace("\\", "\\\\")
    for character in "*?[":
        escaped = escaped.replace(character, "\\" + character)
    return escaped


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)


@app.command("merge-driver", hidden=True)
def merge_driver(
    base: Annotated[Path, typer.Argument(help="%O: the version both sides started from")],
    ours: Annotated[Path, typer.Argument(help="%A: ours, replaced by the merge")],
    theirs: Annotated[Path, typer.Argument(help="%B: theirs")],
    name: Annotated[str, typer.Argument(help="%P: the register's path in the work tree")],
) -> None:
    """Merge three versions of a register for git, record by record (see git-setup).

    Exits 0 when everything merged, 1 when a field was changed differently on both
    sides (the register stays sound; the conflict is kept on its record for 'resolve'),
    and leaves git's own conflict markers when a version is not a register.

    Example: agreements merge-driver base.json ours.json theirs.json register.json
    """
    from agreements.domain.merging import RECORD
    from agreements.errors import AgreementsError
    from agreements.store.foreign import read_bytes
    from agreements.store.git_merge import (
        merge_versions,
        record_in_history,
        textual_merge,
        write_merged,
    )

    try:
        result = merge_versions(base, ours, theirs)
    except AgreementsError as error:
        say(f"agreements cannot merge {name} record by record: {error.message}")
        say("git's own line-by-line merge was made instead; fix the conflict by hand")
        textual_merge(base, ours, theirs)
        raise typer.Exit(1) from None
    before = read_bytes(ours) or b""
    write_merged(ours, result)
    merged = result.merged
    summary = f"merge-driver: git merge of {name}"
    for given, now in merged.renumbered:
        title = merged.agreements[now]["title"]
        say(f"{name}: both sides added an agreement {given}; the later, {title}, is now {now}")
        summary += f"; the later new agreement {given} ({title}) is now {now}"
    register_path = Path(name)
    # Only a merge into the file in the work tree is this clone's operation: git also
    # merges versions of its own, as the base of a merge with more than one base.
    if register_path.is_file() and read_bytes(register_path) == before:
        try:
            record_in_history(register_path, before, result, summary)
        except AgreementsError as error:  # the merge stands; only the undo of it is lost
            say(f"the merge of {name} is not in its history: {error.message}")
    for note in merged.notes:
        say(f"{name}: {note}")
    for number, field in merged.conflicts:
        choices = "ours|theirs" if field == RECORD else "ours|theirs|VALUE"
        say(
            f"CONFLICT in {name}: agreement {number}, {field}: both sides changed it; ours is "
            f"kept, see 'agreements show {number}', then 'agreements resolve {number} {field} "
            f"--take {choices}'"
        )
    if merged.conflicts:
        raise typer.Exit(1)


Take = Annotated[
    str,
    typer.Option(
        "--take",
        metavar="ours|theirs|base|VALUE",
        help="Which value to keep: our side's, their side's, the one both started from, or "
        "a value of your own (JSON for a list field). Example: --take theirs",
    ),
]


@app.command()
def resolve(
    context: typer.Context,
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement.")],
    field: Annotated[str, typer.Argument(help="The field in conflict, as 'check' names it.")],
    take: Take,
) -> None:
    """Settle a merge conflict of a shared register: keep one side's value, or your own.

    Example: agreements resolve 12 place --take theirs
    """
    from agreements.domain.conflicts import resolved

    with register(context).change(command_line(context)) as transaction:
        agreement = transaction.get(agreement_id)
        outcome = resolved(agreement, field, take)
        if outcome is None:
            transaction.remove(agreement_id)
            say(f"Removed agreement {agreement_id}, as {take} had it")
        else:
            transaction.put(outcome)
            say(f"Resolved {field} of agreement {agreement_id}: kept {take}")
