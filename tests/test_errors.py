"""Every user mistake: one line on stderr, its exit code, and the register untouched."""

import pytest
from conftest import AARHUS_QIXIA

BASE = ["add", "--party", "Aarhus, Denmark", "--party", "Turku, Finland", "--type", "twinning"]

CASES = {
    "unknown sector": ([*BASE, "--sector", "cleantek"], 2, "unknown sector 'cleantek'", "did you mean 'cleantech'"),
    "bad date": ([*BASE, "--signed", "2023-02-29"], 2, "is not a real date", "28 days"),
    "ambiguous date": ([*BASE, "--signed", "02/10/2012"], 2, "is ambiguous", "--date-order"),
    "fuzzy date": ([*BASE, "--signed", "sometime in 2012"], 2, "cannot read 'sometime in 2012'", ""),
    "bad country": (["add", "-p", "Aarhus, Denmark", "-p", "Turku, Finnland, Fnland", "-t", "twinning"], 2, "unknown country 'Fnland'", ""),
    "misspelt country": (["add", "-p", "Aarhus, Denmrk", "-p", "Turku, Finland", "-t", "twinning"], 2, "unknown country 'Denmrk'", "did you mean 'Denmark'"),
    "signatory of unknown party": ([*BASE, "--signatory", "Jacob Bundsgaard; Mayor; Nanjing"], 2, "'Nanjing', which is not a party", "parties: 'Aarhus', 'Turku'"),
    "empty party name": (["add", "-p", " , Denmark", "-p", "Turku, Finland", "-t", "twinning"], 2, "has no name", ""),
    "one party": (["add", "-p", "Aarhus, Denmark", "-p", "aarhus", "-t", "twinning"], 2, "named twice", ""),
    "unknown type": (["add", "-p", "A, DK", "-p", "B, SE", "-t", "alliance"], 2, "unknown agreement type 'alliance'", "sister-city"),
    "unknown id": (["show", "99"], 3, "no agreement with id 99", ""),
    "unknown id on edit": (["edit", "99", "--place", "x"], 3, "no agreement with id 99", ""),
    "unknown id on remove": (["remove", "99", "--yes"], 3, "no agreement with id 99", ""),
    "unknown option": (["list", "--colour"], 2, "No such option", "--help"),
    "bad sort": (["list", "--sort", "colour"], 2, "cannot sort by 'colour'", ""),
    "bad email": ([*BASE, "--contact", "Office; ; ; not-an-email"], 2, "is not an e-mail address", ""),
    "bad source": ([*BASE, "--source", "example.org"], 2, "does not start with a web address", ""),
    "reason without status": ([*BASE, "--status-reason", "why"], 2, "needs a status set by hand", ""),
    "remove without confirmation": (["remove", "1"], 2, "without confirmation", "--yes"),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_user_mistake_is_one_line_and_changes_nothing(cli, db, name):
    args, code, message, hint = CASES[name]
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert db.read_bytes() == before


def test_no_traceback_from_the_real_process(tmp_path):
    from conftest import run_process

    result = run_process("--db", str(tmp_path / "r.json"), "show", "12")
    assert result.returncode == 3
    assert result.stderr == "Error: no agreement with id 12 (see 'agreements list')\n"


def test_date_order_makes_numeric_dates_readable(cli, monkeypatch):
    record = cli.ok(
        *BASE, "--signed", "02/10/2012", "--date-order", "DMY", "--format", "json"
    ).json()
    assert record["signed_on"] == "2012-10-02"
    monkeypatch.setenv("AGREEMENTS_DATE_ORDER", "MDY")
    record = cli.ok(*BASE, "--signed", "02/10/2012", "--format", "json").json()
    assert record["signed_on"] == "2012-02-10"
