"""The Typer application, its global options and the one place where errors become exit codes."""

from __future__ import annotations

import errno
import os
import shlex
import sys
from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    import click

from agreements import __version__
from agreements.cli.arguments import hoist_global_options, options_of
from agreements.cli.context import Settings, say, settings
from agreements.cli.help_layout import lay_out_examples
from agreements.domain.text import printable
from agreements.errors import AgreementsError, ExitCode, InvalidInput
from agreements.store.location import resolve_db_path


class _Group(TyperGroup):
    """Runs a command and turns every expected failure into one `Error:` line and its code.

    It also reads the global options wherever they are typed (`hoist_global_options`),
    lays out the examples of every help text, and answers the shell's completion requests.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params += _completion_options()
        lay_out_examples(self)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        hoisted = hoist_global_options(
            self, args, global_options(), resilient=ctx.resilient_parsing
        )
        return super().parse_args(ctx, hoisted)

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        instruction = os.environ.get(COMPLETE_VARIABLE)
        if instruction:  # only when the shell asks: the completion code costs nothing otherwise
            from agreements.cli.completion import answer

            sys.exit(answer(self, ctx_args, instruction))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # before click turns it into a silent exit 1
            _stop_writing()

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        kwargs["prog_name"] = "agreements"
        arguments = list(sys.argv[1:] if args is None else args)
        kwargs["obj"] = Settings(None, shlex.join(["agreements", *arguments]))
        try:
            result = super().main(arguments, *rest, **kwargs)
        except SystemExit as leaving:
            # click ends a command whose output pipe closed with a silent 1, our code for a bug
            if leaving.code == 1 and type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
                _stop_writing()
            raise
        except BrokenPipeError:
            _stop_writing()
        except AgreementsError as error:
            _print_error(error.message, error.hint)
            sys.exit(error.exit_code)
        except OSError as error:
            if error.errno not in _FULL:
                _unexpected(error, arguments)
            _output_failed(error)
        except typer.Abort:
            say("Aborted.")
            sys.exit(ExitCode.INTERRUPTED)
        except KeyboardInterrupt:
            say(f"Interrupted; {_what_was_saved()}")
            sys.exit(ExitCode.INTERRUPTED)
        except Exception as error:
            if type(error).__name__ == "NoArgsIsHelpError":
                print(error.format_message())  # type: ignore[attr-defined]
                sys.exit(ExitCode.OK)
            # Typer's usage errors (unknown option, missing value) carry a message and a code.
            if hasattr(error, "format_message") and hasattr(error, "exit_code"):
                _print_error(error.format_message(), _usage_hint(error))
                sys.exit(ExitCode.BAD_INPUT)
            _unexpected(error, arguments)
        if result == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into this code, silently
            say(f"Interrupted; {_what_was_saved()}")
        sys.exit(result if isinstance(result, int) else ExitCode.OK)


def _what_was_saved() -> str:
    saving = sys.modules.get("agreements.store.saving")
    saved: list[int] = getattr(saving, "SAVED", [])
    if not saved:
        return "nothing was changed"
    numbers = " and ".join(f"#{number}" for number in saved)
    return f"the change was saved first, as operation {numbers} (see 'agreements history')"


def _unexpected(error: Exception, arguments: Sequence[str]) -> None:
    """A failure no rule foresaw: damage behind a seal that matches, or a bug.

    The register is checked the strict way: when it is damaged, that is the error (exit 5);
    when it is sound, this is a bug of ours, said in one line (exit 1).
    """
    if os.environ.get("AGREEMENTS_DEBUG"):
        raise error
    from agreements.store.check import check_register
    from agreements.store.register import Register

    problems: list[str] = []
    try:
        path, _ = resolve_db_path(_db_option(arguments))
        report = check_register(Register(path))
        problems = report.problems
    except AgreementsError:
        pass
    if problems:
        _print_error(
            f"{path} is damaged although its seal matches: {problems[0]}",
            "the file was left untouched; run 'agreements check' to see every problem",
        )
        sys.exit(ExitCode.CORRUPT)
    _print_error(
        f"internal error: {type(error).__name__}: {error}; {_what_was_saved()}",
        "this is a bug: please report it, with the output of AGREEMENTS_DEBUG=1 and the command",
    )
    sys.exit(ExitCode.INTERNAL)


def _db_option(arguments: Sequence[str]) -> str | None:
    found = None
    for option, value in pairwise([*arguments, ""]):
        if option == "--":
            break
        if option == "--db":
            found = value
        elif option.startswith("--db="):
            found = option.removeprefix("--db=")
    return found


def _usage_hint(error: Exception) -> str:
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", "agreements")
    return f"see '{command} --help'"


def _print_error(message: str, hint: str | None) -> None:
    text = f"Error: {printable(message)}"
    if hint:
        text += f" ({printable(hint)})"
    say(text)


COMPLETE_VARIABLE = "_AGREEMENTS_COMPLETE"

app = typer.Typer(
    cls=_Group,
    help="A register of city-to-city partnership agreements: sister cities, friendship, "
    "cooperation agreements and MoUs.\n\nThe global options may come before or after the "
    "command.\n\nExample: agreements --db data/sample-register.json list --sector cleantech",
    no_args_is_help=False,
    invoke_without_command=True,
    # typer's own completion options would import its completion module on every start;
    # ours (_completion_options) import agreements.cli.completion only when used.
    add_completion=False,
    suggest_commands=False,  # click suggests a close command itself
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        print(f"agreements {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    context: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The register file. Default: $AGREEMENTS_DB, else agreements.json in your "
            "user data folder. Example: --db data/sample-register.json",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Print long output straight to the terminal. The pager is $AGREEMENTS_PAGER, "
            "else $PAGER, else less.",
        ),
    ] = False,
) -> None:
    """A register of city-to-city partnership agreements (the help is the app's)."""
    if db is not None and not db.strip():
        raise InvalidInput(
            "--db was given an empty path", hint="is the shell variable you meant to use set?"
        )
    context.obj = Settings(db, settings(context).command_line)
    if context.invoked_subcommand is None:
        print(context.get_help())
    elif not no_pager and context.invoked_subcommand in _PAGED and sys.stdout.isatty():
        from agreements.cli.paging import hold_output, release

        held = hold_output()
        context.call_on_close(lambda: release(held))


_PAGED = frozenset(
    {"list", "show", "summary", "history", "due", "activity", "sectors", "check", "where", "report"}
)
"""The commands whose output may be long and which never ask a question on stdout."""


@cache
def global_options() -> dict[str, bool]:
    """Every name of the root callback's options, and whether the option takes a value.

    Read from `root` itself, so that an option added there is a global option everywhere.
    """
    return options_of(root)


def _completion_options() -> list[click.Option]:
    """--install-completion [SHELL] and --show-completion [SHELL], for bash, zsh and fish."""
    import click

    def run(context: click.Context, parameter: click.Parameter, value: str | None) -> None:
        if value is None or context.resilient_parsing:
            return
        from agreements.cli.completion import install, script

        if parameter.name == "install_completion":
            install(value or None)
        else:
            print(script(value or None))
        raise typer.Exit()

    return [
        click.Option(
            [name], is_flag=False, flag_value="", default=None, metavar="[SHELL]",
            expose_value=False, is_eager=True, callback=run, help=text,
        )
        for name, text in (
            ("--install-completion",
             "Install completion of commands, options and values for bash, zsh or fish "
             "(default: the shell in use). Example: --install-completion zsh"),
            ("--show-completion",
             "Print the completion script for bash, zsh or fish (default: the shell in "
             "use). Example: --show-completion bash"),
        )
    ]  # fmt: skip


def main() -> None:
    from agreements.cli import load_commands

    _use_utf8_streams()
    arguments = [_as_utf8(argument) for argument in sys.argv[1:]]
    try:
        load_commands(arguments)(args=arguments, prog_name="agreements")
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _stop_writing()
        except OSError as error:
            _output_failed(error)


_FULL = frozenset((errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO))
"""What a write that the disk or device cannot take fails with."""


def _output_failed(error: OSError) -> NoReturn:
    """Standard output could not take what was written (`> /dev/full`): one line, exit 6,
    and nothing more sent to it."""
    _print_error(
        f"cannot write to standard output: {error.strerror or error}; {_what_was_saved()}", None
    )
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(ExitCode.IO)


def _stop_writing() -> NoReturn:
    """The reader of our output stopped reading (as `| head` does): end quietly, as a
    program stopped by SIGPIPE ends, with nothing more sent to the closed pipe."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(ExitCode.PIPE_CLOSED)


def _as_utf8(argument: str) -> str:
    """Under a C or POSIX locale Python decodes arguments as ASCII; read them as UTF-8 again."""
    return os.fsencode(argument).decode("utf-8", errors="surrogateescape")


def _use_utf8_streams() -> None:
    """Data and messages are UTF-8 whatever the locale, so no name ever fails to print."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
