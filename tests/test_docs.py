"""Every command has help with an example, and the README documents every command."""

import re

import pytest
import typer.main
from conftest import GERMAN_LIST_MAP, REPO

from agreements.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")


def command_paths():
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub in subcommands:
                yield (name, sub)
        else:
            yield (name,)


COMMANDS = list(command_paths())


def test_all_commands_are_found():
    assert {path[0] for path in COMMANDS} >= {
        "add",
        "list",
        "show",
        "edit",
        "remove",
        "summary",
        "export",
        "import",
        "sectors",
    }


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_has_help_with_an_example(cli, path):
    result = cli.ok(*path, "--help")
    assert "Example" in result.stdout
    for line in result.stdout.splitlines():
        if re.match(r"\s+--[a-z]", line) and "--help" not in line:
            assert line.split("  ")[-1].strip(), f"option without help: {line}"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_is_in_the_readme(path):
    assert f"agreements {' '.join(path)}" in README or f"`{' '.join(path)}`" in README


def test_every_option_has_help_text():
    root = typer.main.get_command(app)
    missing = []

    def visit(command, prefix):
        for parameter in command.params:
            if parameter.param_type_name == "option" and not parameter.help:
                missing.append(f"{prefix} {parameter.name}")
        for name, sub in getattr(command, "commands", {}).items():
            visit(sub, f"{prefix} {name}")

    visit(root, "agreements")
    assert missing == []


def test_a_run_loads_only_its_command_and_still_knows_the_others(tmp_path):
    from conftest import run_process

    listed = run_process("--help")
    for name in ("add", "list", "show", "edit", "remove", "summary", "export", "import",
                 "history", "undo", "check", "sectors"):  # fmt: skip
        assert f"  {name} " in listed.stdout, name
    typo = run_process("--db", str(tmp_path / "r.json"), "lst")
    assert typo.returncode == 2
    assert (
        typo.stderr
        == "Error: No such command 'lst'. Did you mean 'list'? (see 'agreements --help')\n"
    )
    assert run_process("--db", str(tmp_path / "r.json"), "sectors", "list").returncode == 0
    assert "Usage: agreements list" in run_process("list", "--help").stdout


def test_reading_commands_load_nothing_that_only_writing_or_other_commands_need(tmp_path):
    from conftest import SAMPLE, run_process

    db = tmp_path / "register.json"
    db.write_bytes(SAMPLE.read_bytes())
    heavy = ("agreements.store.history", "tinydb", "rich", "pycountry", "dateutil", "tempfile",
             "pickle", "hashlib")  # fmt: skip
    for command in (["list", "--sector", "cleantech"], ["list", "-n", "3"], ["export"]):
        timed = run_process("--db", str(db), *command, env={"PYTHONPROFILEIMPORTTIME": "1"})
        assert timed.returncode == 0, timed.stderr
        loaded = {line.rsplit("|", 1)[-1].strip() for line in timed.stderr.splitlines()}
        assert loaded.isdisjoint(heavy), (command, loaded & set(heavy))


def test_the_readme_imports_the_german_list_as_the_tests_do():
    block = README.split("agreements import ../shared/data/twin-towns-de.csv", 1)[1]
    command = block.split("```", 1)[0].replace("\\\n", " ").split()
    assert command == GERMAN_LIST_MAP
