"""Every user mistake: one line on stderr, its exit code, and the register untouched."""

import pytest
from conftest import AARHUS_QIXIA

BASE = ["add", "--party", "Aarhus, Denmark", "--party", "Turku, Finland", "--type", "twinning"]

# Each mistake, its exit code, and the whole line it gets on stderr: message and hint.
CASES = {
    "unknown sector": ([*BASE, "--sector", "cleantek"], 2, "unknown sector 'cleantek' (did you mean 'cleantech'? see 'agreements sectors list', or add it with 'agreements sectors add')"),
    "bad date": ([*BASE, "--signed", "2023-02-29"], 2, "'2023-02-29' is not a real date: February 2023 has 28 days, not 29"),
    "ambiguous date": ([*BASE, "--signed", "02/10/2012"], 2, "'02/10/2012' is ambiguous: 2 October 2012 or 10 February 2012? (write it as YYYY-MM-DD, or give --date-order DMY or MDY)"),
    "fuzzy date": ([*BASE, "--signed", "sometime in 2012"], 2, "cannot read 'sometime in 2012' as a date (write it as 2012-10-02, 2012-10, 2012 or \"2 October 2012\")"),
    "bad country": (["add", "-p", "Aarhus, Denmark", "-p", "Turku, Finnland, Fnland", "-t", "twinning"], 2, "unknown country 'Fnland' (did you mean 'Finland'?)"),
    "misspelt country": (["add", "-p", "Aarhus, Denmrk", "-p", "Turku, Finland", "-t", "twinning"], 2, "unknown country 'Denmrk' (did you mean 'Denmark'?)"),
    "unknown country": (["add", "-p", "Aarhus, Denmark", "-p", "Turku, Varsinais-Suomi, Atlantis", "-t", "twinning"], 2, "unknown country 'Atlantis' (give an ISO 3166-1 code such as DK or an English name such as Denmark)"),
    "signatory of unknown party": ([*BASE, "--signatory", "Jacob Bundsgaard; Mayor; Nanjing"], 2, "signatory 'Jacob Bundsgaard' names 'Nanjing', which is not a party (parties: 'Aarhus', 'Turku')"),
    "empty party name": (["add", "-p", " , Denmark", "-p", "Turku, Finland", "-t", "twinning"], 2, "the party ' , Denmark' has no name (write it as 'NAME[, PARENT][, COUNTRY]')"),
    "one party": (["add", "-p", "Aarhus, Denmark", "-p", "aarhus", "-t", "twinning"], 2, "the parties 'Aarhus' and 'aarhus' may be one place (tell them apart by a parent (\"NAME, PARENT, COUNTRY\") or a country, or add --namesakes if they are two places of one name)"),
    "unknown type": (["add", "-p", "A, DK", "-p", "B, SE", "-t", "alliance"], 2, "unknown agreement type 'alliance' (choose one of: sister-city, friendship, cooperation, memorandum-of-understanding, letter-of-intent, other)"),
    "unknown id": (["show", "99"], 3, "no agreement with id 99 (see 'agreements list')"),
    "unknown id on edit": (["edit", "99", "--place", "x"], 3, "no agreement with id 99 (see 'agreements list')"),
    "unknown id on remove": (["remove", "99", "--yes"], 3, "no agreement with id 99 (see 'agreements list')"),
    "unknown id in history": (["history", "99"], 3, "no agreement with id 99 (see 'agreements list')"),
    "unknown option": (["list", "--colour"], 2, "No such option '--colour'. (Did you mean one of: '--country', '--sector'?) (see 'agreements list --help')"),
    "bad sort": (["list", "--sort", "colour"], 2, "cannot sort by 'colour' (choose one of: id, title, type, signed, status, country, created, updated)"),
    "unknown format": (["list", "--format", "xml"], 2, "unknown format 'xml' (choose table, csv, tsv, json or jsonl)"),
    "format show cannot write": (["show", "1", "--format", "csv"], 2, "unknown format 'csv' (choose text or json)"),
    "agreed only without sector": (["list", "--agreed-only"], 2, "--agreed-only needs --sector"),
    "bad email": ([*BASE, "--contact", "Office; ; ; not-an-email"], 2, "'not-an-email' is not an e-mail address"),
    "bad phone": ([*BASE, "--contact", "Office; ; call us"], 2, "'call us' is not a phone number (for example +45 8940 2195)"),
    "bad source": ([*BASE, "--source", "example.org"], 2, "'example.org' does not start with a web address (for example https://…)"),
    "reason without status": ([*BASE, "--status-reason", "why"], 2, "a status reason needs a status set by hand (add --status)"),
    "remove without confirmation": (["remove", "1"], 2, "not removing agreement 1 without confirmation (add --yes to remove it)"),
    "clear what cannot be cleared": (["edit", "1", "--clear", "parties"], 2, "cannot clear 'parties' (clearable fields: activities, contacts, council_resolution_on, effective_on, expires_on, notes, notice, place, renewal, review_on, sectors, signatories, signed_on, sources, status, status_reason, tags, title)"),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_user_mistake_is_one_line_and_changes_nothing(cli, db, name):
    args, code, line = CASES[name]
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert result.stderr == f"Error: {line}\n"
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
