"""Options several commands share are declared once and behave alike everywhere."""

import pytest
import typer.main
from conftest import SAMPLE

from agreements.cli import app

ROOT = typer.main.get_command(app)
FILTERS = ["--sector", "--agreed-only", "--party", "--country", "--type", "--status",
           "--signed-after", "--signed-before", "--search", "--tag", "--date-order"]  # fmt: skip


def _options(command):
    return {
        option: (parameter.help, parameter.multiple)
        for parameter in command.params
        for option in getattr(parameter, "opts", [])
    }


def test_list_summary_and_export_take_the_same_filters():
    declared = [_options(ROOT.commands[name]) for name in ("list", "summary", "export")]
    for options in declared:
        assert set(FILTERS) <= set(options)
        assert {o: options[o] for o in FILTERS} == {o: declared[0][o] for o in FILTERS}


@pytest.mark.parametrize(
    ("command", "machine"),
    [
        (["list"], "json"), (["summary"], "json"), (["show", "1"], "json"),
        (["history"], "json"), (["check"], "json"),
    ],
)  # fmt: skip
def test_table_and_text_are_one_format_for_people_everywhere(cli, command, machine):
    cli.db.write_bytes(SAMPLE.read_bytes())
    table = cli.ok(*command, "--format", "table").stdout
    assert table == cli.ok(*command, "--format", "text").stdout
    assert table == cli.ok(*command, "--format", "TEXT").stdout
    assert table != cli.ok(*command, "--format", machine).stdout
    result = cli(*command, "--format", "yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown format 'yaml' (choose ")


def test_every_command_that_prints_data_offers_json():
    for name, command in ROOT.commands.items():
        if name in (
            "remove", "undo", "sectors", "import", "calendar", "activity", "git-setup",
            "merge-driver", "resolve",
        ):  # fmt: skip
            continue  # (calendar writes iCalendar only)
        help_text = _options(command)["--format"][0]
        assert "json" in help_text and "(default)" in help_text, name
    help_text = _options(ROOT.commands["activity"].commands["list"])["--format"][0]
    assert "json" in help_text and "(default)" in help_text


def test_list_writes_json_lines_like_export(cli):
    cli.db.write_bytes(SAMPLE.read_bytes())
    listed = cli.ok("list", "--format", "jsonl", "--country", "CN").stdout
    assert listed == cli.ok("export", "--format", "jsonl", "--country", "CN").stdout
    assert listed.count("\n") == 6
