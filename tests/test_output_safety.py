"""What a register holds is shown on a terminal, never obeyed; and text that a terminal
would obey is refused where people and files type it in."""

import json
import re

import pytest
from conftest import AARHUS_QIXIA, run_in_terminal, run_process

MARKUP = ["[bold red]x[/bold red]", "a [/] b", "[link=http://x]y[/link]"]
# What a hostile register may hold: title-setting and clipboard escapes (OSC 0, OSC 52),
# clear-screen, a bell, the one-byte CSI, a lone carriage return, and the characters that
# turn text around or break it unseen.
PAYLOADS = [
    "t\x1b]0;pwned\x07", "c\x1b[2J", "clip\x1b]52;c;aGk=\x07", "csi\x9b31m", "cr\rover",
    "rtl\u202etxt.exe", "sep\u2028line", "iso\u2066x\u2069", "del\x7f",
]  # fmt: skip
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)"
)
STYLING = re.compile(r"\x1b\[[0-9;]*m")  # colours and bold of our own tables


def hostile_register(db):
    """A register whose every kind of text holds a payload, as a hand edit could leave it."""
    records = {}
    for number, payload in enumerate(PAYLOADS, start=1):
        records[str(number)] = {
            "title": f"Title {payload}", "type": "friendship", "status": "suspended",
            "status_reason": f"reason {payload}", "signed_on": "1999", "place": f"place {payload}",
            "parties": [
                {"name": f"Aarhus {payload}", "country": "DK", "country_as_given": None,
                 "level": "city", "parent": f"parent {payload}"},
                {"name": "Kiel", "country": None, "country_as_given": f"land {payload}",
                 "level": "city", "parent": None},
            ],
            "signatories": [{"name": f"Anna {payload}", "title": f"Mayor {payload}", "party": f"Aarhus {payload}"}],
            "sectors": [{"name": "culture", "certainty": "agreed"}],
            "expires_on": None, "review_on": None,
            "contacts": [{"name": f"desk {payload}", "role": None, "phone": None, "email": None, "party": None}],
            "sources": [{"url": f"https://example.org/{number}", "title": f"news {payload}", "published_on": None}],
            "notes": f"notes {payload}", "tags": [f"tag {number} {payload}"],
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        }  # fmt: skip
    sectors = {"1": {"name": "food-security", "synonyms": [f"food {p}" for p in PAYLOADS]}}
    db.write_text(json.dumps({"agreements": records, "sectors": sectors}), encoding="utf-8")


def on_a_terminal(*args):
    """The command's output as a terminal receives it (stdout and stderr on one pty)."""
    return run_in_terminal(*args, columns=200, env={"AGREEMENTS_DEBUG": None}, colours=True)[1]


COMMANDS = [
    ["list"], ["list", "--format", "csv"], ["list", "--format", "tsv"], ["list", "--format", "json"],
    ["list", "--format", "jsonl"], ["list", "--search", "aarhus"], ["show", "1"],
    ["show", "1", "--format", "json"], ["summary"], ["summary", "--format", "json"], ["export"],
    ["export", "--format", "json"], ["export", "--format", "jsonl"], ["history"], ["check"],
    ["sectors", "list"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_command_shows_a_terminal_anything_it_would_obey(tmp_path, command):
    db = tmp_path / "register.json"
    hostile_register(db)
    shown = on_a_terminal("--db", str(db), *command)
    assert "Traceback" not in shown
    # The terminal itself turns each line end into CR LF, so CRLF from a CSV arrives as CR CR LF.
    found = UNSAFE.findall(STYLING.sub("", shown).replace("\r\r\n", "\r\n"))
    assert found == [], (command, found[:5])
    if command[0] in ("list", "show", "export"):
        assert "pwned" in shown  # the text is there, shown rather than obeyed


def test_machine_formats_stay_exact_in_a_pipe(tmp_path):
    db = tmp_path / "register.json"
    hostile_register(db)
    piped = run_process("--db", str(db), "show", "1", "--format", "json")
    assert json.loads(piped.stdout)["title"] == f"Title {PAYLOADS[0]}"
    exported = run_process("--db", str(db), "export", "--format", "jsonl").stdout.split("\n")[:-1]
    assert [json.loads(line)["place"] for line in exported] == [f"place {p}" for p in PAYLOADS]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_a_terminal_would_obey_is_refused_where_it_is_typed(cli, db, payload):
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()
    for command in (
        ["add", "-p", f"A{payload}, DK", "-p", "B, SE", "-t", "mou"],
        ["edit", "1", "--title", f"T{payload}"],
        ["edit", "1", "--place", f"P{payload}"],
        ["edit", "1", "--add-tag", f"tag{payload}"],
        ["sectors", "add", "food-security", "--synonym", f"food{payload}"],
    ):
        result = cli(*command)
        assert result.exit_code == 2, (command, result.stderr)
        assert " holds the character U+" in result.stderr and " at position " in result.stderr
        assert UNSAFE.search(result.stderr) is None
    assert db.read_bytes() == before


def test_notes_may_break_lines_and_nothing_else(cli):
    cli.ok(*AARHUS_QIXIA, "--note", "first\tline", "--note", "second")
    assert cli.ok("show", "1", "--format", "json").json()["notes"].endswith("first\tline\nsecond")
    result = cli("edit", "1", "--note", "bell\x07")
    assert result.exit_code == 2 and "U+0007 at position 5" in result.stderr


def test_an_import_refuses_rows_with_such_text(cli, tmp_path):
    exported = tmp_path / "one.json"
    cli.ok(*AARHUS_QIXIA)
    record = cli.ok("show", "1", "--format", "json").json()
    record.update(id=None, title="evil\u202etxt")
    exported.write_text(json.dumps([record]), encoding="utf-8")
    result = cli("import", str(exported), "--on-duplicate", "error")
    assert result.exit_code == 2
    assert "field 'title': U+202E at position 5" in result.stderr


@pytest.mark.parametrize("name", MARKUP)
@pytest.mark.parametrize("output", ["table", "tsv", "csv"])
def test_markup_in_names_is_shown_literally(cli, name, output, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    cli.ok("add", "-p", f"{name}, DK", "-p", "Turku, FI", "-t", "twinning")
    assert name in cli.ok("list", "--format", output).stdout
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
