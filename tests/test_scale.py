"""The fast paths return exactly what a plain full scan returns, for every filter.

A sealed register lets `list` read only lines that mention the sector, type or country
asked for, and `show` only its own line. These tests compare the command's answer with
a scan of every record, parsed with the standard json module, on a synthetic register
of 2,000 agreements by default and 20,000 in the slow step.
"""

import importlib.util
import json
from datetime import date

import pytest
from conftest import REPO, SAMPLE, Cli

from agreements.cli.context import build_filters
from agreements.domain.model import from_record
from agreements.domain.queries import select
from agreements.domain.vocabulary import shipped_vocabulary


def _registers_module():
    spec = importlib.util.spec_from_file_location("registers", REPO / "bench" / "registers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FILTERS = {
    "sector": {"sectors": ["cleantech"]},
    "sector by synonym, agreed only": {"sectors": ["clean tech"], "agreed_only": True},
    "two sectors": {"sectors": ["water", "youth"]},
    "type": {"types": ["sister-city"]},
    "country": {"countries": ["DK"]},
    "two countries": {"countries": ["China", "DE"]},
    "sector and country": {"sectors": ["education"], "countries": ["CN"]},
    "status": {"statuses": ["proposed"]},
    "signed after": {"signed_after": "2010"},
    "signed before": {"signed_before": "1960-06"},
    "party": {"party": "aarhus"},
    "party with accents, two statuses, dated": {
        "party": "KØBENHAVN",
        "statuses": ["active", "expired"],
        "signed_after": "1990-06",
    },
    "type and status": {"types": ["friendship"], "statuses": ["active"]},
    "search": {"search": "københavn"},
    "nothing matches": {"sectors": ["disaster-relief"], "countries": ["SE"]},
}

OPTIONS = {
    "sectors": "--sector",
    "types": "--type",
    "countries": "--country",
    "statuses": "--status",
    "signed_after": "--signed-after",
    "signed_before": "--signed-before",
    "party": "--party",
    "search": "--search",
}


def _arguments(spec):
    arguments = []
    for key, value in spec.items():
        if key == "agreed_only":
            arguments.append("--agreed-only")
        elif isinstance(value, list):
            for item in value:
                arguments += [OPTIONS[key], item]
        else:
            arguments += [OPTIONS[key], value]
    return arguments


def _full_scan(db, spec):
    data = json.loads(db.read_text(encoding="utf-8"))
    everything = [
        from_record(record, f"record {key}", int(key)) for key, record in data["agreements"].items()
    ]
    filters = build_filters(
        sectors=spec.get("sectors"), agreed_only=spec.get("agreed_only", False),
        party=spec.get("party"), countries=spec.get("countries"), types=spec.get("types"),
        statuses=spec.get("statuses"), signed_after=spec.get("signed_after"),
        signed_before=spec.get("signed_before"), search=spec.get("search"), tags=None,
        order=None, vocabulary=shipped_vocabulary(),
    )  # fmt: skip
    return sorted(a.id for a in select(everything, filters, date.today()))


@pytest.fixture(scope="module", params=[2_000, pytest.param(20_000, marks=pytest.mark.slow)])
def register(request, tmp_path_factory):
    registers = _registers_module()
    db = tmp_path_factory.mktemp("scale") / "register.json"
    registers.write_register(db, registers.stored_records(registers.agreements(request.param)))
    return db


@pytest.mark.parametrize("name", FILTERS)
def test_list_returns_what_a_full_scan_returns(register, name):
    spec = FILTERS[name]
    listed = Cli(register).ok("list", "--format", "json", "--sort", "id", *_arguments(spec))
    assert sorted(record["id"] for record in listed.json()) == _full_scan(register, spec)


def test_show_and_export_read_the_same_records(register):
    data = json.loads(register.read_text(encoding="utf-8"))["agreements"]
    cli = Cli(register)
    for key in ("1", str(len(data) // 2), str(len(data))):
        shown = cli.ok("show", key, "--format", "json").json()
        assert {k: v for k, v in shown.items() if k != "id"} == data[key]
    exported = cli.ok("export", "--format", "json", "--country", "CN").json()
    expected = [int(k) for k, r in data.items() if any(p["country"] == "CN" for p in r["parties"])]
    assert [record["id"] for record in exported] == expected


def test_summary_read_from_stored_records_equals_the_one_from_agreements(register, tmp_path):
    db = tmp_path / "register.json"
    db.write_bytes(register.read_bytes())
    cli = Cli(db)
    cli.ok("edit", "3", "--status", "suspended", "--status-reason", "elections")
    cli.ok("edit", "4", "--expires", "2001")
    cli.ok("edit", "5", "--expires", "2999-01")
    cli.ok("edit", "6", "--clear", "signed", "--clear", "sectors")
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Odense, DK", "-t", "friendship")
    everything = [arg for status in ("proposed", "active", "expired", "suspended",
                                     "terminated") for arg in ("--status", status)]  # fmt: skip
    fast = cli.ok("summary", "--format", "json").json()
    through_agreements = cli.ok("summary", "--format", "json", *everything).json()
    assert fast == through_agreements
    assert {"value": "suspended", "count": 1} in fast["status"]
    assert {"value": "expired", "count": 1} in fast["status"]
    assert fast["total"] == len(cli.records())


ALL_STATUSES = [arg for status in ("proposed", "active", "expired", "suspended", "terminated")
                for arg in ("--status", status)]  # fmt: skip


@pytest.mark.parametrize(
    "arguments",
    [
        ["--sector", "cleantech"],
        ["--sector", "water", "--sector", "youth"],
        ["--type", "friendship"],
        ["--country", "China", "--country", "DK"],
        ["--country", "DE", "--sort=-id", "--limit", "7"],
        [],
        ["--limit", "9"],
        ["--sort=-id", "--limit", "4"],
    ],
    ids=["sector", "two sectors", "type", "two countries", "descending, limited",
         "no filter", "no filter, limited", "no filter, descending, limited"],
)  # fmt: skip
@pytest.mark.parametrize("output", ["csv", "tsv", "json"])
def test_rows_read_from_stored_records_equal_those_of_agreements(register, arguments, output):
    cli = Cli(register)
    fast = cli.ok("list", "--format", output, *arguments).stdout
    through_agreements = cli.ok("list", "--format", output, *arguments, *ALL_STATUSES).stdout
    assert fast == through_agreements
    assert fast.count("\n") > 4


@pytest.mark.parametrize("arguments", [[], ["--country", "DE"], ["--delimiter", ";", "--no-bom"]])
def test_csv_exported_from_stored_records_equals_the_one_from_agreements(tmp_path, arguments):
    registers = _registers_module()
    records = registers.stored_records(registers.agreements(300))
    del records[5][1]["parties"][0]["country_as_given"]  # as stored before that key existed
    records[7][1].update(status="active", status_manual=False, expires_on="2001")  # saved in 2000
    db = tmp_path / "register.json"
    registers.write_register(db, records)
    cli = Cli(db)
    cli.ok("edit", "3", "--status", "suspended", "--status-reason", "elections; recount")
    cli.ok("edit", "4", "--expires", "2001", "--note", "=SUM(A1) \\ back")
    cli.ok("import", str(SAMPLE))
    fast = cli.ok("export", *arguments).stdout
    through_agreements = cli.ok("export", *arguments, *ALL_STATUSES).stdout
    assert fast == through_agreements
    assert fast.count("\n") > 100
    if not arguments:
        assert ",expired,false," in fast.splitlines()[8]
