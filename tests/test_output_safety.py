"""User text is shown as typed: never styled by rich markup, never obeyed as a terminal escape."""

import pytest
from conftest import run_process

HOSTILE = [
    "[bold red]x[/bold red]",
    "a [/] b",
    "[link=http://x]y[/link]",
    "t\x1b]0;t\x07",
    "c\x1b[2J",
]


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("output", ["table", "tsv", "csv"])
def test_hostile_names_are_shown_literally(cli, name, output, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    cli.ok("add", "-p", f"{name}, DK", "-p", "Turku, FI", "-t", "twinning")
    for args in (["list", "--format", output], ["show", "1"], ["summary"]):
        result = cli.ok(*args)
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    shown = cli.ok("list", "--format", output).stdout
    if "\x1b" not in name:
        assert name in shown
    assert cli.ok("show", "1", "--format", "json").json()["parties"][0]["name"] == name


def test_locale_does_not_matter(tmp_path):
    db = str(tmp_path / "r.json")
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    added = run_process(
        "--db", db, "add", "-p", "Ærø, Denmark", "-p", "栖霞区, China", "-t", "friendship", env=env
    )
    assert added.returncode == 0, added.stderr
    listed = run_process("--db", db, "list", env=env)
    assert listed.returncode == 0
    assert "Ærø – 栖霞区" in listed.stdout
