"""The `agreements` command: parse options, call the core, render, map errors to exit codes.

Each command module registers its commands on import. A run imports only the module of
the command it was given (typer builds every registered command on each start), and
everything when it cannot tell, as for `agreements --help`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

_MODULES = {
    "add": "records",
    "show": "records",
    "edit": "records",
    "remove": "records",
    "list": "reports",
    "summary": "reports",
    "export": "export",
    "import": "imports",
    "history": "history",
    "undo": "history",
    "check": "check",
    "sectors": "sectors",
    "due": "due",
    "calendar": "due",
    "activity": "activities",
    "where": "where",
    "report": "council_report",
    "extract": "extract",
    "git-setup": "sharing",
    "merge-driver": "sharing",
    "resolve": "sharing",
}


def load_commands(arguments: Sequence[str] = ()) -> typer.Typer:
    """The app with the command `arguments` name registered, or with all of them."""
    name = _command_name(arguments)
    modules = [_MODULES[name]] if name in _MODULES else sorted(set(_MODULES.values()))
    for module in modules:
        importlib.import_module(f"agreements.cli.{module}")
    from agreements.cli.application import app

    return app


def _command_name(arguments: Sequence[str]) -> str | None:
    """The command `arguments` name: the first word that is not a global option or its value."""
    from agreements.cli.application import global_options

    options = global_options()
    skip_value = False
    for argument in arguments:
        if skip_value:
            skip_value = False
        elif argument == "--":
            return None
        elif argument in options:
            skip_value = options[argument]
        elif not argument.startswith("-"):
            return argument
        elif argument in ("-h", "--help"):
            return None
    return None


def __getattr__(name: str) -> object:
    """`from agreements.cli import app` gives the app with every command."""
    if name == "app":
        return load_commands()
    raise AttributeError(name)


def main() -> None:
    from agreements.cli.application import main as run

    run()
