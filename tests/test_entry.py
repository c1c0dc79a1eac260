"""The entry point: --version before anything loads, and the collector paused only here."""

import gc
import re
import sys

from conftest import AARHUS_QIXIA, REPO

import agreements.cli
from agreements import entry


def test_the_entry_point_pauses_the_collector_for_the_command(monkeypatch):
    seen = []
    monkeypatch.setattr(agreements.cli, "main", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["agreements", "list"])
    try:
        entry.main()
    finally:
        gc.enable()
    assert seen == [False]


def test_no_module_but_the_entry_point_touches_the_collector():
    touching = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "agreements").rglob("*.py")
        if re.search(r"\bgc\.(disable|freeze|collect|set_threshold)\(", path.read_text())
    ]
    assert touching == ["agreements/entry.py"]


def test_many_commands_in_one_process_leave_the_collector_as_they_found_it(cli):
    assert gc.isenabled() and gc.get_freeze_count() == 0
    cli.ok(*AARHUS_QIXIA)
    for _ in range(20):
        cli.ok("list")
        cli.ok("summary", "--format", "json")
        cli.ok("edit", "1", "--add-tag", "x")
        cli.ok("edit", "1", "--remove-tag", "x")
    cli.ok("check")
    assert gc.isenabled() and gc.get_freeze_count() == 0
