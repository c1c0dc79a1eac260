"""Reading the command line as people type it: global options after the command too."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, get_type_hints

from agreements.errors import InvalidInput

if TYPE_CHECKING:
    import click


def options_of(callback: Callable[..., object]) -> dict[str, bool]:
    """Every name of the options of a typer callback, and whether it takes a value."""
    from typer.models import OptionInfo

    options: dict[str, bool] = {}
    for name, hint in get_type_hints(callback, include_extras=True).items():
        info = next(
            (m for m in getattr(hint, "__metadata__", ()) if isinstance(m, OptionInfo)), None
        )
        if info is None:
            continue
        flag = hint.__origin__ is bool  # typer makes every bool option a flag
        names = [d for declared in info.param_decls or () for d in declared.split("/") if d.strip()]
        for option in names or ["--" + name.replace("_", "-")]:
            options[option.strip()] = not flag
    return options


def hoist_global_options(
    group: click.Group,
    arguments: Sequence[str],
    options: Mapping[str, bool],
    *,
    resilient: bool = False,
) -> list[str]:
    """`arguments` with every global option typed after the command moved before it.

    `agreements list --db x.json` becomes `agreements --db x.json list`. The arguments
    are read as click reads them: the value of one of the command's own options stays
    its value (`--summary --db` is the summary "--db"), an option the command has
    itself is the command's, and nothing after `--` moves.
    """
    before: list[str] = []
    moved: list[str] = []
    after: list[str] = []
    command: click.Command | None = None
    words = list(arguments)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            (before if command is None else after).extend(words[index - 1 :])
            break
        if command is None:
            before.append(word)
            if word in options and options[word] and index < len(words):
                before.append(words[index])
                index += 1
            elif not word.startswith("-"):
                command = group.commands.get(word)
                if command is None:  # an unknown command: click says so
                    before.extend(words[index:])
                    break
            continue
        own = _value_count(command, word)
        if own is not None:
            after.extend(words[index - 1 : index + own])
            index += own
            continue
        name = word.split("=", 1)[0] if word.startswith("--") else word
        if name in options:
            takes_value = options[name] and "=" not in word
            if takes_value and index >= len(words):
                if resilient:  # completing its value: see agreements.cli.completion
                    break
                raise InvalidInput(
                    f"Option '{name}' requires an argument.", hint="see 'agreements --help'"
                )
            moved.extend(words[index - 1 : index + takes_value])
            index += takes_value
            continue
        after.append(word)
        subcommands = getattr(command, "commands", None)
        if subcommands and not word.startswith("-") and word in subcommands:
            command = subcommands[word]
    return before[:-1] + moved + before[-1:] + after if command is not None else before + moved


def _value_count(command: click.Command, word: str) -> int | None:
    """How many arguments after `word` are its values, if it is an option of `command`."""
    if not word.startswith("-") or word == "-":
        return None
    for parameter in command.params:
        names = [*parameter.opts, *getattr(parameter, "secondary_opts", ())]
        if word in names:
            takes = not (getattr(parameter, "is_flag", False) or getattr(parameter, "count", False))
            return parameter.nargs if takes and not word.startswith("--no-") else 0
        if any(word.startswith(name + "=") for name in names if name.startswith("--")):
            return 0
        short = [name for name in names if len(name) == 2 and name[1] != "-"]
        if not word.startswith("--") and word[:2] in short:
            return 0  # -n5, -fjson: the value is attached
    return None
