"""What people see in a real terminal: tables that fit, words for dates, colours that mean."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import SAMPLE, run_in_terminal


def _titles() -> list[str]:
    register = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return [record["title"] for record in register["agreements"].values()]


@pytest.fixture
def sample(tmp_path):
    copy = tmp_path / "sample.json"
    shutil.copy(SAMPLE, copy)
    return str(copy)


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_the_list_fits_the_terminal_and_keeps_titles_readable(sample, columns):
    code, shown = run_in_terminal("--db", sample, "list", columns=columns)
    assert code == 0
    assert max(len(line) for line in shown.splitlines()) <= columns
    for title in _titles():
        assert title[:14] in shown, title  # never cut to "Aa…"
    assert "memorandum-of-understanding" not in shown and "MoU" in shown


def test_columns_go_in_the_documented_order_as_the_terminal_narrows(sample):
    headers = {}
    for columns in (80, 100, 200):
        shown = run_in_terminal("--db", sample, "list", columns=columns)[1]
        headers[columns] = shown.splitlines()[0].split()
    assert headers[200] == ["ID", "Title", "Type", "Signed", "Countries", "Sectors", "Place", "Status"]  # fmt: skip
    assert headers[100] == ["ID", "Title", "Type", "Signed", "Countries", "Sectors", "Status"]
    assert headers[80] == ["ID", "Title", "Type", "Signed", "Sectors", "Status"]


def test_piped_output_is_the_full_tsv_whatever_the_width(sample):
    from conftest import run_process

    piped = run_process("--db", sample, "list", env={"COLUMNS": "40"})
    header = piped.stdout.splitlines()[0].split("\t")
    assert header == ["id", "title", "type", "status", "signed_on", "parties", "countries", "sectors", "place"]  # fmt: skip
    assert "memorandum-of-understanding" in piped.stdout


@pytest.mark.parametrize("command", [["due", "--within", "1y"], ["activity", "list"], ["summary"]])
def test_other_tables_fit_80_columns(sample, command):
    code, shown = run_in_terminal("--db", sample, *command, env={"AGREEMENTS_TODAY": "2026-12-01"})
    assert code == 0, shown
    assert max(len(line) for line in shown.splitlines()) <= 80, shown


def test_status_has_its_colour_on_a_terminal_and_none_under_no_color(tmp_path):
    from conftest import Cli

    cli = Cli(tmp_path / "r.json")
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning", "--signed", "2030")
    db = str(tmp_path / "r.json")
    raw = run_in_terminal("--db", db, "list", colours=True)[1]
    assert "\x1b[36mproposed" in raw  # cyan
    plain = run_in_terminal("--db", db, "list", env={"NO_COLOR": "1"}, colours=True)[1]
    assert "proposed" in plain and "\x1b[36m" not in plain


@pytest.mark.parametrize("command", [["list"], ["export", "--format", "json"], ["due"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(sample, command):
    import os
    import subprocess
    import sys

    reading, writing = os.pipe()
    os.close(reading)  # as `| head` has done by the time more comes
    process = subprocess.run(
        [sys.executable, "-m", "agreements", "--db", sample, *command],
        stdout=writing, stderr=subprocess.PIPE, check=False,
    )  # fmt: skip
    os.close(writing)
    assert process.returncode == 141 and process.stderr == b""


PAGER = {"AGREEMENTS_PAGER": "sed -e s/^/PAGED:/"}


def test_output_taller_than_the_terminal_goes_through_the_pager(sample):
    code, shown = run_in_terminal("--db", sample, "list", rows=10, env=PAGER)
    assert code == 0
    lines = shown.splitlines()
    assert len(lines) > 10 and all(line.startswith("PAGED:") for line in lines)
    for quiet in (["--no-pager", "list"], ["list", "--no-pager"]):
        shown = run_in_terminal("--db", sample, *quiet, rows=10, env=PAGER)[1]
        assert "PAGED:" not in shown and "Aarhus – Qixia" in shown


def test_output_that_fits_and_questions_are_never_paged(sample):
    shown = run_in_terminal("--db", sample, "show", "1", rows=100, env=PAGER)[1]
    assert "PAGED:" not in shown and "Aarhus – Qixia" in shown
    with_pager_env = {"AGREEMENTS_PAGER": "", "PAGER": "sed -e s/^/PAGED:/"}
    assert "PAGED:" in run_in_terminal("--db", sample, "list", rows=10, env=with_pager_env)[1]
    missing = {"AGREEMENTS_PAGER": "no-such-pager-anywhere"}
    code, shown = run_in_terminal("--db", sample, "list", rows=10, env=missing)
    assert code == 0 and "Cape Town – Nairobi" in shown  # no pager to start: printed as it is


def test_an_error_after_held_output_still_shows_both(sample):
    code, shown = run_in_terminal("--db", sample, "show", "999", rows=5, env=PAGER)
    assert code == 3 and "Error: no agreement with id 999" in shown


@pytest.fixture
def varied(tmp_path):
    """Every status, and a title of two long names."""
    from conftest import Cli

    copy = tmp_path / "varied.json"
    shutil.copy(SAMPLE, copy)
    cli = Cli(copy)
    cli.ok("edit", "2", "--status", "suspended")
    cli.ok("edit", "3", "--status", "terminated")
    cli.ok("edit", "5", "--signed", "2030")
    cli.ok("add", "-p", "Mecklenburg-Vorpommern, DE", "-p", "Västra Götalandsregionen, SE",
           "-t", "cooperation", "--signed", "2001", "--expires", "2010")  # fmt: skip
    return str(copy)


@pytest.mark.parametrize("columns", [40, 60, 72, 80, 100, 120])
def test_no_width_cuts_a_status_or_loses_the_title(varied, columns):
    code, shown = run_in_terminal("--db", varied, "list", columns=columns)
    assert code == 0
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert lines[0].split()[:2] == ["ID", "Title"] and lines[0].split()[-1] == "Status"
    for status in ("suspended", "terminated", "proposed", "expired"):
        assert re.search(rf"\b{status}\b", shown), (status, shown)
    assert "…" not in shown and "Mecklenburg-Vorpom" in shown


def test_a_signing_date_filter_keeps_the_signing_dates_in_view(sample):
    shown = run_in_terminal("--db", sample, "list", "--signed-after", "2015")[1]
    assert shown.splitlines()[0].split() == ["ID", "Title", "Type", "Signed", "Sectors", "Status"]
    assert "23 Jun 2017" in shown and "Next" not in shown


def test_due_keeps_the_agreement_in_a_narrow_terminal(sample):
    for columns in (40, 60):
        code, shown = run_in_terminal("--db", sample, "due", "--within", "1y", columns=columns,
                                      env={"AGREEMENTS_TODAY": "2026-12-01"})  # fmt: skip
        assert code == 0 and max(len(line) for line in shown.splitlines()) <= columns
        assert shown.splitlines()[0].split() == ["Due", "ID", "Agreement"]
        assert "Hamburg –" in shown


@pytest.mark.parametrize(
    "command",
    [
        ["--version"],
        ["--help"],
        ["--show-completion", "bash"],
        ["summary"],
        ["summary", "-f", "table"],
    ],
)
def test_every_kind_of_output_ends_quietly_on_a_closed_pipe(sample, command):
    import os
    import subprocess
    import sys

    reading, writing = os.pipe()
    os.close(reading)
    process = subprocess.run(
        [sys.executable, "-m", "agreements", "--db", sample, *command] if command[0] != "--version"
        else [sys.executable, "-c", "from agreements.entry import main; main()", *command],
        stdout=writing, stderr=subprocess.PIPE, check=False,
    )  # fmt: skip
    os.close(writing)
    assert process.returncode == 141 and process.stderr == b"", process.stderr


@pytest.mark.parametrize("pager", ['"unbalanced', "false", "sh -c 'exit 3'"])
def test_a_pager_that_cannot_show_the_text_leaves_it_printed(sample, pager):
    code, shown = run_in_terminal("--db", sample, "list", rows=10, env={"AGREEMENTS_PAGER": pager})
    assert code == 0 and "Cape Town – Nairobi" in shown and "Error" not in shown
