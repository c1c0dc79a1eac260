"""Shell completion for bash, zsh and fish: commands, options, and the values they take.

Nothing here is imported unless the shell asks for completions (it runs `agreements` with
_AGREEMENTS_COMPLETE set, as click's protocol does) or `--show-completion` or
`--install-completion` is given, so no other run pays for it. The scripts are click's:
the shell hands the words typed so far to `agreements`, which answers with the values
that fit. Sectors and ids come from the register the words name (`--db`, else
$AGREEMENTS_DB, else the default one); a register that cannot be read completes nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, MutableMapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import click
from click.shell_completion import (
    BashComplete,
    CompletionItem,
    FishComplete,
    ShellComplete,
    ZshComplete,
    _resolve_context,
    _resolve_incomplete,
)

from agreements.cli.application import COMPLETE_VARIABLE, global_options
from agreements.cli.context import Settings, say
from agreements.domain.text import printable
from agreements.errors import AgreementsError, InvalidInput, StorageFailure

PROGRAM = "agreements"


class _Values(ShellComplete):
    """click's completion, knowing our values and the global options after a command."""

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        root = click.Context(self.cli, info_name=PROGRAM, resilient_parsing=True)
        named = _global_option_with_value(args, incomplete)
        if named is not None:
            option, incomplete = named
            return _option_values(root, option, incomplete, args)
        context = _resolve_context(self.cli, self.ctx_args, self.prog_name, args)
        name, equals, value = incomplete.partition("=")
        own = [p for p in context.command.params if equals and name in p.opts]
        if own:  # --sort=-signed: click would take "-signed" for the start of an option
            values = _values(context, own[0], value)
            return own[0].shell_complete(context, value) if values is None else values
        target, incomplete = _resolve_incomplete(context, args, incomplete)
        if isinstance(target, click.Parameter):
            values = _values(context, target, incomplete)
            return target.shell_complete(context, incomplete) if values is None else values
        items = target.shell_complete(context, incomplete)
        if context.parent is not None and incomplete.startswith("-"):
            items += [
                CompletionItem(name, help=_first_sentence(parameter.help))
                for parameter in self.cli.params
                for name in parameter.opts
                if name in global_options() and name.startswith(incomplete)
            ]
        return items


class _Bash(_Values, BashComplete):
    pass


class _Zsh(_Values, ZshComplete):
    pass


class _Fish(_Values, FishComplete):
    pass


SHELLS: dict[str, type[ShellComplete]] = {"bash": _Bash, "zsh": _Zsh, "fish": _Fish}


def answer(group: click.Group, ctx_args: MutableMapping[str, Any], instruction: str) -> int:
    """What the shell asked for in _AGREEMENTS_COMPLETE: `bash_complete`, `zsh_source`…"""
    shell, _, action = instruction.partition("_")
    kind = SHELLS.get(shell)
    if kind is None or action not in ("source", "complete"):
        say(f"Error: {COMPLETE_VARIABLE}={instruction!r} is not a completion request")
        return 2
    completer = kind(group, ctx_args, PROGRAM, COMPLETE_VARIABLE)
    print(completer.source() if action == "source" else completer.complete())
    return 0


def script(shell: str | None) -> str:
    """The completion script for `shell`, or for the shell in use."""
    kind = SHELLS[_shell(shell)]
    return kind(click.Group(PROGRAM), {}, PROGRAM, COMPLETE_VARIABLE).source()


def install(shell: str | None) -> None:
    """Save the script where `shell` (or the shell in use) loads it, and say where."""
    name = _shell(shell)
    home = Path.home()
    if name == "fish":
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        target = config / "fish" / "completions" / f"{PROGRAM}.fish"
        setup, startup = None, None
    elif name == "zsh":
        target = home / ".zfunc" / f"_{PROGRAM}"
        setup = "fpath+=~/.zfunc\nautoload -Uz compinit && compinit"
        startup = home / ".zshrc"
    else:
        target = home / ".bash_completions" / f"{PROGRAM}.sh"
        setup = f"source ~/.bash_completions/{PROGRAM}.sh"
        startup = home / ".bashrc"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(script(name) + "\n", encoding="utf-8")
        if startup is not None and setup is not None:
            existing = startup.read_text(encoding="utf-8") if startup.exists() else ""
            if setup not in existing:
                with startup.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n# completion of {PROGRAM}\n{setup}\n")
    except OSError as error:
        raise StorageFailure(f"cannot install the completion: {error}") from None
    where = f"{target}" + (f", loaded from {startup}" if startup is not None else "")
    say(f"{name} completion installed in {where}; it takes effect in a new shell")


def _shell(given: str | None) -> str:
    if given:
        name = given.strip().lower()
        if name not in SHELLS:
            raise InvalidInput(f"no completion for the shell {given!r}", hint="bash, zsh or fish")
        return name
    detected = _shell_in_use()
    if detected not in SHELLS:
        raise InvalidInput("cannot tell which shell this is", hint="name it: bash, zsh or fish")
    return detected


def _shell_in_use() -> str:
    try:
        import shellingham  # type: ignore[import-untyped]

        return str(shellingham.detect_shell()[0]).lower()
    except Exception:  # not installed, or it cannot tell: fall back on the login shell
        return Path(os.environ.get("SHELL", "")).name.lower()


def _global_option_with_value(args: list[str], incomplete: str) -> tuple[str, str] | None:
    """The global option whose value is being completed, and the value so far."""
    if "--" in args:
        return None
    options = global_options()
    name, equals, value = incomplete.partition("=")
    if equals and options.get(name):
        return name, value
    if args and options.get(args[-1]):
        return args[-1], incomplete
    return None


def _option_values(
    root: click.Context, option: str, incomplete: str, args: list[str]
) -> list[CompletionItem]:
    for parameter in root.command.params:
        if option in parameter.opts:
            values = _values(root, parameter, incomplete)
            return parameter.shell_complete(root, incomplete) if values is None else values
    return []


def _values(
    context: click.Context, parameter: click.Parameter, incomplete: str
) -> list[CompletionItem] | None:
    """Our completions of `parameter`'s value, or None to let click complete it."""
    name = parameter.name or ""
    if name in _FILES:
        return [CompletionItem(incomplete, type="file")]
    if name in ("sector", "possible_sector", "add_sector", "remove_sector"):
        return _matching(_sectors(context), incomplete)
    if name == "agreement_id":
        return _ids(context, incomplete)
    if name == "level":
        return _levels(context, incomplete)
    if name == "sort":
        return _matching(_sort_keys(), incomplete)
    if name in ("output", "input_format"):
        return _matching(_formats(parameter.help or ""), incomplete)
    if name == "delimiter":
        return _matching([",", ";", "tab"], incomplete)
    closed = _CLOSED_SETS.get(name)
    if closed is not None:
        return _matching(closed(context), incomplete)
    return None


_FILES = frozenset({"db", "output_file", "source", "report_file"})
"""The parameters whose value is a file name: the shell completes those itself."""


def _enum_values(kind: Callable[[], type[StrEnum]]) -> Callable[[click.Context], list[str]]:
    return lambda context: [member.value for member in kind()]


def _agreement_types() -> type[StrEnum]:
    from agreements.domain.values import AgreementType

    return AgreementType


def _statuses() -> type[StrEnum]:
    from agreements.domain.values import Status

    return Status


def _renewals() -> type[StrEnum]:
    from agreements.domain.values import Renewal

    return Renewal


def _kinds(context: click.Context) -> list[str]:
    """An activity's kind under `activity`, what is due under `due` and `calendar`."""
    if "activity" in context.command_path.split():
        from agreements.domain.values import ActivityKind

        return [kind.value for kind in ActivityKind]
    from agreements.domain.due import DueKind

    return [kind.value for kind in DueKind]


_CLOSED_SETS: dict[str, Callable[[click.Context], list[str]]] = {
    "type_": _enum_values(_agreement_types),
    "status": _enum_values(_statuses),
    "renewal": _enum_values(_renewals),
    "kind": _kinds,
}


def _matching(values: Iterable[str], incomplete: str) -> list[CompletionItem]:
    return [CompletionItem(value) for value in values if value.startswith(incomplete)]


def _snapshot(context: click.Context) -> Any:
    """The register the words typed so far name, or None when it cannot be read."""
    db = context.find_root().params.get("db")
    try:
        return Settings(db or None).register().read()
    except (AgreementsError, OSError):
        return None


def _sectors(context: click.Context) -> list[str]:
    from agreements.domain.vocabulary import shipped_vocabulary

    snapshot = _snapshot(context)
    vocabulary = shipped_vocabulary() if snapshot is None else snapshot.vocabulary()
    return vocabulary.names


def _ids(context: click.Context, incomplete: str) -> list[CompletionItem]:
    """The ids that start with what is typed, each with its title as help."""
    from agreements.domain.queries import Filters

    snapshot = _snapshot(context)
    if snapshot is None or not (incomplete == "" or incomplete.isdigit()):
        return []
    return [
        CompletionItem(str(number), help=_plain(str(record.get("title") or "")))
        for number, record in snapshot.query(Filters(), date.today())
        if str(number).startswith(incomplete)
    ]


def _levels(context: click.Context, incomplete: str) -> list[CompletionItem]:
    """`--level NAME=LEVEL`: the names of the parties typed so far, then the levels."""
    from agreements.domain.values import Level

    name, equals, level = incomplete.partition("=")
    if equals:
        return [
            CompletionItem(f"{name}={value}")
            for value in (member.value for member in Level)
            if value.startswith(level)
        ]
    parties = [*(context.params.get("party") or ()), *(context.params.get("add_party") or ())]
    names = [party.split(",")[0].strip() for party in parties]
    return [CompletionItem(f"{name}=") for name in names if name.startswith(incomplete)]


def _sort_keys() -> list[str]:
    from agreements.domain.queries import SortKey

    keys = [key.value for key in SortKey]
    return [*keys, *(f"-{key}" for key in keys)]


def _formats(help_text: str) -> list[str]:
    """The formats a --format option names in its help ("table (default), csv or json")."""
    from agreements.formats import Format

    named = help_text.split(". Example")[0]
    return [f.value for f in Format if re.search(rf"(?<![\w-]){f.value}(?![\w-])", named)]


def _first_sentence(text: str | None) -> str:
    return (text or "").split(". ")[0]


def _plain(text: str) -> str:
    """A title as one line of help: the shells show it beside the id."""
    return printable(" ".join(text.split()))
