"""The fast paths return exactly what a plain full scan returns, for every filter.

A sealed register lets `list` read only lines that mention the sector, type or country
asked for, and `show` only its own line. These tests compare the command's answer with
a scan of every record, parsed with the standard json module, on a synthetic register
of 2,000 agreements by default and 20,000 in the slow step.
"""

import calendar
import json
import unicodedata
from datetime import date

import pytest
from conftest import Cli, bench_registers

FILTERS = {
    "sector": {"sectors": ["cleantech"]},
    "sector by synonym, agreed only": {"sectors": ["clean tech"], "agreed_only": True},
    "two sectors": {"sectors": ["water", "youth"]},
    "type": {"types": ["sister-city"]},
    "country": {"countries": ["DK"]},
    "two countries": {"countries": ["China", "DE"]},
    "sector and country": {"sectors": ["education"], "countries": ["CN"]},
    "status": {"statuses": ["expired"]},
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


# What the filters mean, written out here in plain Python and independent of
# agreements.domain.queries: the answer a full scan of the file must give.
SYNONYMS = {"clean tech": "cleantech"}
COUNTRY_CODES = {"China": "CN"}
COUNTRY_NAMES = {"DK": "Denmark", "DE": "Germany", "CN": "China"}


def _plain(text):
    text = text.casefold().replace("ø", "o").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _period(text):
    """The first and last day of a stored date of any precision."""
    parts = [int(part) for part in text.split("-")]
    year, month, day = [*parts, None, None][:3]
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day), date(year, month, day)


def _status(record, today):
    """The current status: set by hand (schema 1 also says so in status_manual), else derived."""
    if record["status"] is not None and record.get("status_manual", True):
        return record["status"]
    if record["signed_on"] is not None and _period(record["signed_on"])[0] > today:
        return "proposed"  # an undated agreement is signed, its date unknown
    if record["expires_on"] and _period(record["expires_on"])[1] < today:
        return "expired"
    return "active"


def _texts(record):
    texts = [record["title"], record["place"], record["notes"], record["status_reason"]]
    texts += record["tags"] + [s["name"] for s in record["sectors"]]
    for p in record["parties"]:
        texts += [p["name"], p["parent"], p["country"], p["country_as_given"]]
        texts.append(COUNTRY_NAMES.get(p["country"]))
    for s in record["signatories"]:
        texts += [s["name"], s["title"]]
    for c in record["contacts"]:
        texts += [c["name"], c["role"], c["phone"], c["email"]]
    for s in record["sources"]:
        texts += [s["url"], s["title"]]
    return " ".join(_plain(text) for text in texts if text)


def _kept(record, spec, today):
    if "sectors" in spec:
        wanted = {SYNONYMS.get(name, name) for name in spec["sectors"]}
        agreed_only = spec.get("agreed_only", False)
        if not any(
            s["name"] in wanted and (not agreed_only or s["certainty"] == "agreed")
            for s in record["sectors"]
        ):
            return False
    if "countries" in spec:
        wanted = {COUNTRY_CODES.get(name, name) for name in spec["countries"]}
        if not wanted & {p["country"] for p in record["parties"]}:
            return False
    if "types" in spec and record["type"] not in spec["types"]:
        return False
    if "statuses" in spec and _status(record, today) not in spec["statuses"]:
        return False
    for key in ("signed_after", "signed_before"):
        if key in spec:
            if record["signed_on"] is None:
                return False
            first, last = _period(record["signed_on"])
            limit_first, limit_last = _period(spec[key])
            if key == "signed_after" and first <= limit_last:
                return False
            if key == "signed_before" and last >= limit_first:
                return False
    if "party" in spec:
        names = [text for p in record["parties"] for text in (p["name"], p["parent"]) if text]
        if not any(_plain(spec["party"]) in _plain(name) for name in names):
            return False
    return "search" not in spec or _plain(spec["search"]) in _texts(record)


def _full_scan(db, spec):
    data = json.loads(db.read_text(encoding="utf-8"))
    today = date.today()
    return sorted(
        int(key) for key, record in data["agreements"].items() if _kept(record, spec, today)
    )


def _varied(records):
    """Some records unsigned, expired or suspended by hand, so every status occurs."""
    for number, record in records:
        if number % 7 == 0:
            record["signed_on"] = None
        elif number % 11 == 0:
            record["expires_on"] = "2001-06"
        elif number % 13 == 0:
            record.update(status="suspended", status_reason="elections; recount")
        if number % 17 == 0:
            record["notes"] = "=SUM(A1) \\ back"
    return records


@pytest.fixture(scope="module", params=[2_000, pytest.param(20_000, marks=pytest.mark.slow)])
def register(request, tmp_path_factory):
    registers = bench_registers()
    db = tmp_path_factory.mktemp("scale") / "register.json"
    records = _varied(registers.stored_records(registers.agreements(request.param)))
    registers.write_register(db, records)
    return db


def _records(db):
    return json.loads(db.read_text(encoding="utf-8"))["agreements"]


@pytest.mark.parametrize("name", FILTERS)
def test_list_returns_what_a_full_scan_returns(register, name):
    spec = FILTERS[name]
    listed = Cli(register).ok("list", "--format", "json", "--sort", "id", *_arguments(spec))
    expected = _full_scan(register, spec)
    assert sorted(record["id"] for record in listed.json()) == expected
    assert expected or name == "nothing matches"


def test_show_and_export_read_the_same_records(register):
    data = _records(register)
    cli = Cli(register)
    for key in ("1", str(len(data) // 2), str(len(data))):
        shown = cli.ok("show", key, "--format", "json").json()
        stored = {k: v for k, v in shown.items() if k not in ("id", "status_manual")}
        assert stored | {"status": data[key]["status"], "uid": data[key]["uid"]} == data[key]
    exported = cli.ok("export", "--format", "json", "--country", "CN").json()
    expected = [int(k) for k, r in data.items() if any(p["country"] == "CN" for p in r["parties"])]
    assert [record["id"] for record in exported] == expected


def _counts(records, today):
    """summary --format json, counted here from the stored records."""
    counts = {
        "sector": {}, "country": {}, "type": {}, "year": {}, "status": {},
        "activity": {}, "activity-year": {},
    }  # fmt: skip

    def count(field, value):
        counts[field][value] = counts[field].get(value, 0) + 1

    for record in records:
        for name in [s["name"] for s in record["sectors"]] or ["unknown"]:
            count("sector", name)
        countries = dict.fromkeys(p["country"] for p in record["parties"] if p["country"])
        for code in countries or ["unknown"]:
            count("country", code)
        count("type", record["type"])
        count("year", record["signed_on"][:4] if record["signed_on"] else "unknown")
        count("status", _status(record, today))
        count("activity", _liveliness(record, today))
        for year in sorted({a["on"][:4] for a in record["activities"]}) or ["none"]:
            count("activity-year", year)
    return counts


def _liveliness(record, today):
    """Active, dormant (no activity in the last three years) or no activity recorded."""
    begun = [_period(a["on"]) for a in record["activities"] if _period(a["on"])[0] <= today]
    if not begun:  # one planned for later is not one yet
        return "no activity recorded"
    if _status(record, today) not in ("active", "suspended"):
        return "ended or not yet in force"
    latest = max(last for _, last in begun)
    last_of_month = calendar.monthrange(latest.year + 3, latest.month)[1]
    three_years_on = latest.replace(year=latest.year + 3, day=min(latest.day, last_of_month))
    return "dormant" if three_years_on < today else "active"


def _as_counts(summary):
    return {
        field: {row["value"]: row["count"] for row in rows}
        for field, rows in summary.items()
        if field != "total"
    }


def test_summary_counts_what_a_full_scan_counts(register, tmp_path):
    db = tmp_path / "register.json"
    db.write_bytes(register.read_bytes())
    cli = Cli(db)
    cli.ok("edit", "3", "--status", "suspended", "--status-reason", "elections")
    cli.ok("edit", "4", "--expires", "2001")
    cli.ok("edit", "5", "--expires", "2999-01")
    cli.ok("edit", "6", "--clear", "signed", "--clear", "sectors")
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Odense, DK", "-t", "friendship")
    cli.ok("activity", "add", "7", "--kind", "visit", "--on", "2020-03-10", "--summary", "Choir")
    cli.ok("activity", "add", "8", "--kind", "project", "--on", "2025-05", "--summary", "Schools")
    cli.ok("activity", "add", "8", "--kind", "visit", "--on", "2019", "--summary", "Mayors")
    records = list(_records(db).values())
    summary = cli.ok("summary", "--format", "json").json()
    assert summary["total"] == len(records)
    assert _as_counts(summary) == _counts(records, date.today())
    assert {
        "value": "suspended",
        "count": sum(1 for r in records if r["status"] == "suspended"),
    } in summary["status"]
    danish = [r for r in records if any(p["country"] == "DK" for p in r["parties"])]
    filtered = cli.ok("summary", "--format", "json", "--country", "DK", "--by", "status").json()
    assert filtered["total"] == len(danish)
    assert _as_counts(filtered) == {"status": _counts(danish, date.today())["status"]}


def _sectors(record):
    return ", ".join(
        s["name"] + ("?" if s["certainty"] == "possible" else "") for s in record["sectors"]
    )


def _list_cells(key, record, today):
    """A row of list's CSV and TSV, written out here field by field."""
    return [
        key, record["title"], record["type"], _status(record, today), record["signed_on"] or "",
        "; ".join(p["name"] for p in record["parties"]),
        ", ".join(dict.fromkeys(p["country"] for p in record["parties"] if p["country"])),
        _sectors(record), record["place"] or "",
    ]  # fmt: skip


def _shown(cell):
    return "'" + cell if cell[:1] in "=+-@'" and cell else cell


@pytest.mark.parametrize(
    ("arguments", "spec", "descending", "limit"),
    [
        (["--sector", "cleantech"], {"sectors": ["cleantech"]}, False, None),
        (["--sector", "water", "--sector", "youth"], {"sectors": ["water", "youth"]}, False, None),
        (["--type", "friendship"], {"types": ["friendship"]}, False, None),
        (["--country", "China", "--country", "DK"], {"countries": ["CN", "DK"]}, False, None),
        (["--country", "DE", "--sort=-id", "--limit", "7"], {"countries": ["DE"]}, True, 7),
        (["--status", "expired"], {"statuses": ["expired"]}, False, None),
        ([], {}, False, None),
        (["--limit", "9"], {}, False, 9),
        (["--sort=-id", "--limit", "4"], {}, True, 4),
    ],
    ids=["sector", "two sectors", "type", "two countries", "descending, limited", "status",
         "no filter", "no filter, limited", "no filter, descending, limited"],
)  # fmt: skip
@pytest.mark.parametrize("output", ["csv", "tsv"])
def test_rows_are_those_a_full_scan_gives(register, arguments, spec, descending, limit, output):
    import csv
    import io

    data = _records(register)
    today = date.today()
    keys = [str(number) for number in _full_scan(register, spec)]
    keys = (keys[::-1] if descending else keys)[:limit]
    listed = Cli(register).ok("list", "--format", output, *arguments).stdout
    if output == "tsv":
        rows = [line.split("\t") for line in listed.splitlines()]
        expected = [
            [_shown(c).replace("\\", "\\\\") for c in _list_cells(k, data[k], today)] for k in keys
        ]
    else:
        rows = list(csv.reader(io.StringIO(listed)))
        expected = [[_shown(c) for c in _list_cells(k, data[k], today)] for k in keys]
    assert rows[0] == [
        "id",
        "title",
        "type",
        "status",
        "signed_on",
        "parties",
        "countries",
        "sectors",
        "place",
    ]
    assert rows[1:] == expected
    assert len(expected) > 2


# The export's columns, written out here: (field, key in each item), or a field alone.
EXPORT_COLUMNS = {
    "party_names": ("parties", "name"), "party_countries": ("parties", "country"),
    "party_countries_as_given": ("parties", "country_as_given"),
    "party_levels": ("parties", "level"), "party_parents": ("parties", "parent"),
    "party_regions": ("parties", "region"), "party_region_codes": ("parties", "region_code"),
    "party_countries_at_signing": ("parties", "country_at_signing"),
    "signatory_names": ("signatories", "name"), "signatory_titles": ("signatories", "title"),
    "signatory_parties": ("signatories", "party"),
    "contact_names": ("contacts", "name"), "contact_roles": ("contacts", "role"),
    "contact_phones": ("contacts", "phone"), "contact_emails": ("contacts", "email"),
    "contact_parties": ("contacts", "party"),
    "source_urls": ("sources", "url"), "source_titles": ("sources", "title"),
    "source_published": ("sources", "published_on"),
}  # fmt: skip


def _export_cell(column, key, record, today):
    if column == "id":
        return key
    if column == "status":
        return _status(record, today)
    if column == "status_manual":
        manual = record["status"] is not None and record.get("status_manual", True)
        return "true" if manual else "false"
    if column == "sectors":
        return _sectors(record).replace(", ", "; ")
    if column == "tags":
        return "; ".join(record["tags"])
    if column == "party_other_names":  # a file older than other names has none
        return "; ".join("|".join(p.get("other_names", [])) for p in record["parties"])
    if column in EXPORT_COLUMNS:
        field, part = EXPORT_COLUMNS[column]
        return "; ".join((item.get(part) or "").replace(";", "\\;") for item in record[field])
    return record[column] or ""


@pytest.mark.parametrize("schema", [1, 2])
@pytest.mark.parametrize("arguments", [[], ["--country", "DE"], ["--delimiter", ";", "--no-bom"]])
def test_csv_export_is_what_a_full_scan_gives(tmp_path, arguments, schema):
    import csv
    import io

    registers = bench_registers()
    records = _varied(registers.stored_records(registers.agreements(300)))
    if schema == 1:  # as the release before schema 2 stored them
        today = date.today()
        for _, record in records:
            record["status_manual"] = record["status"] is not None
            record["status"] = _status(record, today)
        del records[5][1]["parties"][0]["country_as_given"]  # as stored before that key existed
        records[8][1].update(status="active", expires_on="2001")  # derived and saved in 2000
    db = tmp_path / "register.json"
    registers.write_register(db, records, schema_version=schema)
    before = db.read_bytes()
    exported = Cli(db).ok("export", *arguments).stdout
    assert db.read_bytes() == before  # reading an older schema never rewrites the file
    delimiter = ";" if "--delimiter" in arguments else ","
    rows = list(csv.reader(io.StringIO(exported.removeprefix("\ufeff")), delimiter=delimiter))
    assert exported.startswith("\ufeff") == ("--no-bom" not in arguments)
    header = rows[0]
    kept = [(k, r) for k, r in ((str(n), r) for n, r in records)
            if "--country" not in arguments or any(p["country"] == "DE" for p in r["parties"])]  # fmt: skip
    today = date.today()
    expected = [
        [_shown(_export_cell(c.split(" ")[0], k, r, today)) for c in header] for k, r in kept
    ]
    assert rows[1:] == expected
    assert len(expected) > 50
    assert any(row[header.index("status")] == "expired" for row in rows[1:])
