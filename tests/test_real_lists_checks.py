"""Real lists as a researcher brings them, checked from outside: namesake twin towns in
every file format, undated pairs, country spellings of every kind through import, add
and the filters, workbooks both ways, and what the import report tells."""

import csv
import datetime
import json
import shutil

import openpyxl
import pytest
from conftest import REPO, Cli, run_in_terminal, run_process

# Invented rows of the kind public twin-town lists hold. Boston and Córdoba are each
# listed from both sides (the second time without the accent); Valencia has no country
# at all; two villages called Neuenkirchen in one country have no parent; a town is
# named on both sides of one row; a name carries a qualifier.
TWINS = [
    ("Boston", "United Kingdom", "Boston", "USA", ""),
    ("Boston", "USA", "Boston", "United Kingdom", ""),
    ("Córdoba", "Spain", "Córdoba", "Argentina", "1998"),
    ("Cordoba", "Argentina", "Córdoba", "Spain", "1998"),
    ("Valencia", "", "Valencia", "", ""),
    ("Neuenkirchen", "Germany", "Neuenkirchen", "Germany", "1979"),
    ("Frankfurt (Oder)", "Germany", "Słubice", "Poland", "1975"),
    ("Molde", "Norway", "Molde", "Norway", ""),
]
TWIN_MAP = {"party1.name": "town", "party1.country": "country", "party2.name": "twin"}
TWIN_MAP |= {"party2.country": "twin_country", "signed_on": "since"}
SET_TYPE = ["--set", "type=sister-city"]


def _maps(mapping):
    return [arg for field, key in mapping.items() for arg in ("--map", f"{field}={key}")]


def _write_twins(tmp_path, kind):
    """The list as a CSV, another tool's JSON (nested), JSON Lines or an .xlsx workbook
    that openpyxl writes, with the --map options that read it."""
    if kind == "csv":
        path = tmp_path / "twins.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["town", "country", "twin", "twin_country", "since"])
            writer.writerows(TWINS)
        return path, _maps(TWIN_MAP)
    if kind == "xlsx":
        path = tmp_path / "twins.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["town", "country", "twin", "twin_country", "since"])
        for town, country, twin, twin_country, since in TWINS:
            year = int(since) if since else None  # years as numbers, as Excel keeps them
            sheet.append([town, country or None, twin, twin_country or None, year])
        book.save(path)
        return path, _maps(TWIN_MAP)
    objects = []
    for town, country, twin, twin_country, since in TWINS:
        found = {"item": {"label": town}, "twin": {"label": twin}, "start": since or None}
        if country:
            found["item"]["country"] = {"label": country}
        if twin_country:
            found["twin"]["country"] = {"label": twin_country}
        objects.append(found)
    keys = {
        "party1.name": "item.label", "party1.country": "item.country.label",
        "party2.name": "twin.label", "party2.country": "twin.country.label",
        "signed_on": "start",
    }  # fmt: skip
    if kind == "json":
        path = tmp_path / "twins.json"
        path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    else:
        path = tmp_path / "twins.jsonl"
        lines = [json.dumps(found, ensure_ascii=False) for found in objects]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, _maps(keys)


def _pairs(cli):
    return sorted(
        (
            tuple((p["name"], p["country"], p["parent"]) for p in record["parties"]),
            record["signed_on"],
            record["status"],
        )
        for record in cli.ok("export", "-f", "json").json()
    )


@pytest.mark.parametrize("kind", ["csv", "json", "jsonl", "xlsx"])
def test_a_twin_town_list_with_namesakes_imports_whole_from_every_format(cli, tmp_path, kind):
    path, maps = _write_twins(tmp_path, kind)
    report_file = tmp_path / "report.json"
    result = cli.ok("import", str(path), *maps, *SET_TYPE, "--report", str(report_file))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert (report["rows"], report["imported"], report["merged"]) == (8, 6, 2)
    assert report["rejected"] == report["skipped"] == 0
    assert [o["action"] for o in report["outcomes"]].count("merged") == 2  # both-sided pairs
    assert _pairs(cli) == [
        ((("Boston", "GB", None), ("Boston", "US", None)), None, "active"),
        ((("Córdoba", "ES", None), ("Córdoba", "AR", None)), "1998", "active"),
        ((("Frankfurt (Oder)", "DE", None), ("Słubice", "PL", None)), "1975", "active"),
        ((("Molde", "NO", None), ("Molde", "NO", None)), None, "active"),
        ((("Neuenkirchen", "DE", None), ("Neuenkirchen", "DE", None)), "1979", "active"),
        ((("Valencia", None, None), ("Valencia", None, None)), None, "active"),
    ]
    # every guess is in the report: the namesakes nothing tells apart, the qualifier
    assert [n["name"] for n in report["namesakes"]] == ["Valencia", "Neuenkirchen", "Molde"]
    assert report["qualified_names"]["names"] == {"Frankfurt (Oder)": 1}
    assert "3 rows name two parties of one name that nothing tells apart" in result.stderr
    for name in ("Valencia", "Neuenkirchen", "Molde", "'Frankfurt (Oder)'"):
        assert name in result.stderr
    # each namesake is a party of its own: the filters tell the two Bostons apart
    assert len(cli.ok("list", "--country", "AR", "-f", "json").json()) == 1
    assert len(cli.ok("list", "--party", "Boston", "--country", "US", "-f", "json").json()) == 1


def test_undated_pairs_are_active_and_only_a_hand_set_status_is_proposed(cli, tmp_path):
    path, maps = _write_twins(tmp_path, "csv")
    cli.ok("import", str(path), *maps, *SET_TYPE, "--set", "status=proposed")
    assert {record["status"] for record in cli.records().values()} == {"proposed"}
    assert all(r["status_manual"] for r in cli.ok("list", "-f", "json").json())


@pytest.mark.parametrize(
    "fixture",
    ["register-v1.json", "register-v2.json", "register-v3.json", "register-v3-statuses.json"],
)
def test_an_older_register_keeps_every_status_and_undo_restores_its_bytes(cli, fixture):
    original = REPO / "tests" / "data" / fixture
    shutil.copyfile(original, cli.db)
    raw = json.loads(original.read_text(encoding="utf-8"))["agreements"]
    hand_set = {
        int(key): record["status"]
        for key, record in raw.items()
        if record.get("status") and record.get("status_manual", True)
    }
    before = {r["id"]: r["status"] for r in cli.ok("list", "-f", "json").json()}
    cli.ok("sectors", "add", "twinning-research")  # any change writes the upgrade first
    after = {
        r["id"]: (r["status"], r["status_manual"]) for r in cli.ok("list", "-f", "json").json()
    }
    assert {key: status for key, (status, _) in after.items()} == before
    assert {key: status for key, (status, manual) in after.items() if manual} == hand_set
    cli.ok("undo", "--yes")
    cli.ok("undo", "--yes")
    assert cli.db.read_bytes() == original.read_bytes()


# Country cells as lists write them, each with the place it is given for and what it
# must be read as: today's country, the region's ISO 3166-2 code, the former country's
# ISO 3166-3 code.
SPELLINGS = """\
Guelph|Ontario, Canada|CA|CA-ON|
Innsbruck|Tyrol, Austria|AT|AT-7|
Alkmaar|Noord-Holland, Netherlands|NL|NL-NH|
Bamberg|Bavaria (Germany)|DE|DE-BY|
Graz|Steiermark, Österreich|AT|AT-6|
Quebec City|Québec, Canada|CA|CA-QC|
Austin|TX, USA|US|US-TX|
Glasgow|Scotland, UK|GB|GB-SCT|
York|England, United Kingdom|GB|GB-ENG|
Cardiff|Wales|GB|GB-WLS|
Derry|Northern Ireland|GB|GB-NIR|
Freiburg|DEU|DE||
Bardejov|SVK|SK||
Haifa|ISR|IL||
Bălți|Republic of Moldova|MD||
Tver|Russian Federation|RU||
Huế|Viet Nam|VN||
Luang Prabang|Lao People's Democratic Republic|LA||
Arusha|United Republic of Tanzania|TZ||
Kaesong|Korea (North)|KP||
Jeonju|Korea, Republic of|KR||
Gumi|Korea, South|KR||
Bandar Abbas|Iran, Islamic Republic of|IR||
Serrekunda|Gambia, The|GM||
İzmir|Türkiye|TR||
Olomouc|Czechia|CZ||
Manzini|Eswatini|SZ||
Bitola|North Macedonia|MK||
Praia|Cabo Verde|CV||
Yangon|Burma|MM||
Delft|Holland|NL||
Leiden|The Netherlands|NL||
Banjul|The Gambia|GM||
Cork|Republic of Ireland|IE||
Lubumbashi|Democratic Republic of the Congo|CD||
Port of Spain|Trinidad & Tobago|TT||
Vatican City|Holy See|VA||
Bonn|West Germany|DE||
Mainz|FRG|DE||
Kassel|BRD|DE||
Mitrovica|Kosovo|XK||
Prizren|XK|XK||
Minsk|USSR|BY||SUHH
Odessa|UdSSR|UA||SUHH
Sarajevo|Yugoslavia|BA||YUCS
Maribor|SFR Yugoslavia|SI||YUCS
Pula|Croatia, Yugoslavia|HR||YUCS
Košice|Czechoslovakia|SK||CSHH
Trenčín|Slovakia, Czechoslovakia|SK||CSHH
Magdeburg|East Germany|DE||DDDE
Jena|GDR|DE||DDDE
Gera|DDR|DE||DDDE
Zwickau|Sachsen, DDR|DE|DE-SN|DDDE
Kinshasa|Zaire|CD||ZRCD
Novi Sad|Serbia and Montenegro|RS||CSXX
Brest|Byelorussian SSR|BY||BYAA
Ouagadougou|Upper Volta|BF||HVBF
"""


def _spellings():
    return [line.split("|") for line in SPELLINGS.splitlines()]


def _read_as(party):
    return party["country"], party["region_code"] or "", party["country_at_signing"] or ""


def test_fifty_country_spellings_resolve_through_import(cli, tmp_path):
    spellings = _spellings()
    assert len(spellings) >= 50
    listed = tmp_path / "spellings.csv"
    with listed.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["town", "country"])
        writer.writerows((place, country) for place, country, *_ in spellings)
    report_file = tmp_path / "report.json"
    maps = ["--map", "party2.name=town", "--map", "party2.country=country"]
    home = ["--set", "party1.name=Aarhus", "--set", "party1.country=DK"]
    cli.ok("import", str(listed), *maps, *home, *SET_TYPE, "--report", str(report_file))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["unresolved_countries"] == {} and report["imported"] == len(spellings)
    partners = {r["parties"][1]["name"]: r["parties"][1] for r in cli.records().values()}
    read = {country: _read_as(partners[place]) for place, country, *_ in spellings}
    assert read == {country: tuple(expected) for _, country, *expected in spellings}


def test_the_same_spellings_resolve_through_add_and_the_country_filter(cli):
    spellings = _spellings()
    parties = [arg for place, country, *_ in spellings for arg in ("-p", f"{place}, {country}")]
    added = cli.ok("add", *parties, "--type", "other", "--format", "json").json()
    read = {
        country: _read_as(party)
        for (_, country, *_), party in zip(spellings, added["parties"], strict=True)
    }
    assert read == {country: tuple(expected) for _, country, *expected in spellings}
    for _, country, *_ in spellings:
        assert [r["id"] for r in cli.ok("list", "--country", country, "-f", "json").json()] == [1]
    refused = cli("list", "--country", "Narnia", "-f", "json")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.startswith("Error: unknown country 'Narnia'")


def test_add_reads_a_region_given_as_the_parent_as_the_import_reads_it(cli):
    added = cli.ok(
        "add", "-p", "Dundee, Scotland, UK", "-p", "Guelph, Ontario, Canada",
        "-p", "Zwickau, Sachsen, DDR", "-p", "Qixia District, Nanjing, China",
        "--type", "other", "--format", "json",
    ).json()  # fmt: skip
    got = [(p["parent"], p["country"], p["region_code"], p["country_at_signing"]) for p in added["parties"]]  # fmt: skip
    assert got == [
        ("Scotland", "GB", "GB-SCT", None),
        ("Ontario", "CA", "CA-ON", None),
        ("Sachsen", "DE", "DE-SN", "DDDE"),
        ("Nanjing", "CN", None, None),  # a parent that is no region stays only a parent
    ]
    pristina = cli.ok(
        "add", "-p", "Pristina, Kosovo", "-p", "Tirana, Albania", "-t", "mou", "-f", "json"
    )
    assert [p["country"] for p in pristina.json()["parties"]] == ["XK", "AL"]


GUESSES = [
    ("Augsburg", "Bavaria, Germany"),
    ("Volgograd", "Soviet Union"),
    ("Krasnyi Zavodsk", "USSR"),
    ("Halle", "GDR"),
    ("Leiden", "Holland"),
    ("Gwangju", "Korea (South)"),
    ("Wrocław (Breslau)", "Poland"),
    ("Atlantis", "Atlantis"),
]


def test_the_report_lists_every_guess_with_its_count(cli, tmp_path):
    listed = tmp_path / "guesses.csv"
    with listed.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([("town", "country"), *GUESSES])
    report_file = tmp_path / "report.json"
    maps = ["--map", "party2.name=town", "--map", "party2.country=country"]
    home = ["--set", "party1.name=Aarhus", "--set", "party1.country=DK"]
    result = cli.ok("import", str(listed), *maps, *home, *SET_TYPE, "--report", str(report_file))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["imported"] == len(GUESSES)
    read_as = {r["given"]: r["read_as"] for r in report["resolved_countries"]}
    assert read_as == {
        "Bavaria, Germany": "subdivision",
        "Soviet Union": "former country",
        "USSR": "former country",
        "GDR": "former country",
        "Holland": "alias",
        "Korea (South)": "qualifier",
    }
    assert report["unresolved_countries"] == {"Atlantis": 1}
    assert report["qualified_names"]["names"] == {"Wrocław (Breslau)": 1}
    # Today's country of a place in the Soviet Union is a guess from a city of its name
    # (Volgograd: RU); where no city tells it, the country stays empty: both are said.
    assert report["countries_from_places"] == [
        {"given": "Soviet Union", "place": "Volgograd", "country": "RU", "rows": 1},
        {"given": "USSR", "place": "Krasnyi Zavodsk", "country": None, "rows": 1},
    ]
    stderr = result.stderr
    assert "'Bavaria, Germany' → DE-BY" in stderr
    assert "'GDR' → DDDE (today DE)" in stderr
    assert "'Holland' → NL" in stderr and "'Atlantis' ×1" in stderr
    assert "'Volgograd' → RU" in stderr
    assert "no country today for 1 party ('Krasnyi Zavodsk')" in stderr


def test_a_long_list_of_namesakes_says_how_many_it_does_not_show(cli, tmp_path):
    listed = tmp_path / "villages.csv"
    rows = [(f"Neudorf {n}", "DE", f"Neudorf {n}", "DE") for n in range(1, 8)]
    with listed.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([("a", "ac", "b", "bc"), *rows])
    maps = _maps({"party1.name": "a", "party1.country": "ac", "party2.name": "b"})
    result = cli.ok("import", str(listed), *maps, "--map", "party2.country=bc", *SET_TYPE)
    assert "7 rows name two parties of one name" in result.stderr
    assert "(Neudorf 4), … 3 more (--report lists them)" in result.stderr


def test_the_import_report_fits_80_columns_on_a_terminal(tmp_path):
    path, maps = _write_twins(tmp_path, "csv")
    db = str(tmp_path / "register.json")
    for extra in ([], ["--dry-run"]):
        code, shown = run_in_terminal("--db", db, "import", str(path), *maps, *SET_TYPE, *extra)
        assert code == 0, shown
        assert "nothing tells apart" in shown
        assert max(len(line) for line in shown.splitlines()) <= 80, shown


NASTY = [
    "=1+1",
    "+45 8940 2195",
    "-",
    "@SUM(A1)",
    "'s-Hertogenbosch",
    'a "quoted" text; with a semicolon \\ and a backslash | and a pipe',
    "_x0041_ looks like Excel's escape",
    "栖霞区 Ærø Łódź",
]


def _nasty_register(cli, tmp_path):
    """Namesakes, other names, former countries, activities, partial dates, texts that
    look like formulas or escapes, and many rows."""
    for number, text in enumerate(NASTY, start=1):
        cli.ok(
            "add", "-p", "Boston, GB", "-p", "Boston, US", "-t", "twinning",
            "--signed", ["1967", "2018-06", "1899-12-31", "2001-02-03"][number % 4],
            "--title", f"{text} #{number}", "--place", text, "--tag", text.replace(";", ""),
            "--note", f"{text}\nsecond paragraph\twith a tab",
            "--contact", f"{text.replace(';', ',')}; role; ; ; Boston, US",
        )  # fmt: skip
    cli.ok(
        "add", "-p", "Volgograd, Soviet Union", "-p", "Chemnitz, Sachsen, DDR",
        "-p", "Pristina, Kosovo", "-t", "friendship", "--signed", "1944",
        "--expires", "2050-12-31", "--notice", "3m", "--renewal", "on-decision",
        "--sector", "culture", "--sector", "education?", "--status", "suspended",
        "--status-reason", "=cause",
    )  # fmt: skip
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2020-05", "--summary", "=HYPERLINK(1)",
           "--party", "Boston, US", "--follow-up", "2027-01-01", "--follow-up-note", "'quoted")  # fmt: skip
    listed = tmp_path / "others.csv"
    rows = [(f"Wrocław (Breslau) {n}", "Polska", f"Town {n}", "Deutschland") for n in range(60)]
    with listed.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([("a", "ac", "b", "bc"), *rows])
    maps = _maps({"party1.name": "a", "party1.country": "ac", "party2.name": "b"})
    cli.ok("import", str(listed), *maps, "--map", "party2.country=bc", "--parenthesis", "alias",
           *SET_TYPE)  # fmt: skip


def test_a_workbook_of_the_register_imports_back_to_the_same_json(cli, tmp_path):
    _nasty_register(cli, tmp_path)
    exported = cli.ok("export", "--format", "json").stdout
    book = tmp_path / "register.xlsx"
    cli.ok("export", "-o", str(book))
    second = Cli(tmp_path / "second.json")
    second.ok("import", str(book))
    assert second.ok("export", "--format", "json").stdout == exported
    records = json.loads(exported)
    assert len(records) == len(NASTY) + 61
    assert records[0]["activities"][0]["summary"] == "=HYPERLINK(1)"


def test_a_workbook_another_program_wrote_with_real_dates_imports_with_map(cli, tmp_path):
    book = tmp_path / "partners.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Partner"
    sheet.append(["Stadt", "Land", "Partnerstadt", "Partnerland", "Seit", "Art"])
    sheet.append(["Kiel", "Deutschland", "Brest", "Frankreich", datetime.date(1964, 5, 1), "p"])
    sheet.append(["Halle", "DDR", "Oulu", "Finnland", datetime.datetime(1968, 9, 2), "p"])
    sheet.append(["Neuendorf", "Deutschland", "Neuendorf", "Deutschland", 1990, "f"])
    sheet.append(["Ulm", "Deutschland", "Hoi An", "Vietnam", None, None])
    workbook.save(book)
    cli.ok(
        "import", str(book), "--sheet", "partner",
        *_maps({"party1.name": "Stadt", "party1.country": "Land", "party2.name": "Partnerstadt"}),
        *_maps({"party2.country": "Partnerland", "signed_on": "Seit", "type": "Art"}),
        "--translate", "type:p=sister-city", "--translate", "type:f=friendship", "--set", "type=other",
    )  # fmt: skip
    got = [
        (r["signed_on"], r["type"], r["status"], [p["country"] for p in r["parties"]])
        for r in cli.ok("export", "-f", "json").json()
    ]
    assert got == [
        ("1964-05-01", "sister-city", "active", ["DE", "FR"]),
        ("1968-09-02", "sister-city", "active", ["DE", "FI"]),
        ("1990", "friendship", "active", ["DE", "DE"]),
        (None, "other", "active", ["DE", "VN"]),
    ]


def _merged_header_book(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Stadt", "Partner", None])
    sheet.merge_cells("B1:C1")
    sheet.append(["Kiel", "Brest", "Frankreich"])
    book.save(path)


@pytest.mark.parametrize("debug", [None, "1"])
def test_bad_lists_are_refused_in_one_line_without_a_traceback(tmp_path, debug):
    db = tmp_path / "register.json"
    shutil.copyfile(REPO / "tests" / "data" / "register-v3.json", db)
    before = db.read_bytes()
    merged = tmp_path / "merged.xlsx"
    _merged_header_book(merged)
    not_a_list = tmp_path / "object.json"
    not_a_list.write_text('{"town": "Kiel"}', encoding="utf-8")
    bidi = tmp_path / "bidi.csv"
    bidi.write_text("a,ac,b,bc\nFrankfurt (\u202eOder),DE,Brest,France\n", encoding="utf-8")
    maps = _maps({"party1.name": "a", "party1.country": "ac", "party2.name": "b"})
    env = {"AGREEMENTS_DEBUG": debug} if debug else {}
    cases = [
        ([str(merged), "--map", "party1.name=Stadt", "--map", "party2.name=Partner"], "merged"),
        ([str(not_a_list), "--map", "party1.name=town", "--map", "party2.name=x"], "list"),
        # the character shown once escaped, as it is: not '\\u202e'
        (
            [str(bidi), *maps, "--map", "party2.country=bc", "--set", "type=other"],
            "'Frankfurt (\\u202eOder)' holds the character U+202E",
        ),
        ([str(bidi), *maps, "--map", "party2.country=nowhere", "--set", "type=other"], "nowhere"),
    ]
    for arguments, said in cases:
        run = run_process("--db", str(db), "import", *arguments, env=env)
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("Error: ") and said in run.stderr, run.stderr
        assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
        assert "\u202e" not in run.stderr and run.stdout == ""
        assert db.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir() if "register" in path.name) == [
        "register.json", "register.json.lock",
    ]  # fmt: skip


def test_a_country_cell_shown_on_a_terminal_never_reaches_it_raw(tmp_path):
    listed = tmp_path / "list.csv"
    listed.write_text("a,ac,b\nKiel,\x1b[2JGermany,Brest\n", encoding="utf-8")
    maps = _maps({"party1.name": "a", "party1.country": "ac", "party2.name": "b"})
    db = str(tmp_path / "register.json")
    code, shown = run_in_terminal("--db", db, "import", str(listed), *maps, *SET_TYPE, "--dry-run",
                                  colours=True)  # fmt: skip
    assert code == 0 and "\x1b[2J" not in shown and "\\x1b[2JGermany" in shown


def test_the_machine_formats_of_a_list_of_former_and_present_countries_are_exact(cli, tmp_path):
    cli.ok("add", "-p", "Maribor, SFR Yugoslavia", "-p", "Leiden, The Netherlands", "-t", "twinning",
           "--signed", "1977")  # fmt: skip
    out = cli.ok("list", "--country", "Yugoslavia", "--format", "csv").stdout
    assert out == (
        "id,title,type,status,signed_on,parties,countries,sectors,place\n"
        '1,Maribor – Leiden,sister-city,active,1977,Maribor; Leiden,"SI, NL",,\n'
    )
    record = cli.ok("show", "1", "--format", "json").json()
    assert [(p["country"], p["country_at_signing"]) for p in record["parties"]] == [
        ("SI", "YUCS"), ("NL", None),
    ]  # fmt: skip
    assert [
        json.loads(line)["id"] for line in cli.ok("list", "-f", "jsonl").stdout.splitlines()
    ] == [1]


@pytest.mark.parametrize("where", ["missing/report.json", "a-folder"])
def test_a_report_that_cannot_be_written_refuses_the_import_before_it_is_saved(
    cli, tmp_path, where
):
    path, maps = _write_twins(tmp_path, "csv")
    (tmp_path / "a-folder").mkdir()
    refused = cli("import", str(path), *maps, *SET_TYPE, "--report", str(tmp_path / where))
    assert refused.exit_code == 6 and refused.stderr.startswith("Error: ")
    assert len(refused.stderr.splitlines()) == 1
    assert not cli.db.exists()  # nothing was imported behind the error


def test_a_signatory_names_a_namesake_as_its_party_was_typed(cli):
    added = cli.ok(
        "add", "-p", "Boston, England", "-p", "Boston, USA", "-t", "twinning",
        "--signatory", "Anne Dale; Mayor; Boston, England",
        "--signatory", "Bob Li; Mayor; Boston, United States",
        "--contact", "Town Hall; ; ; ; Boston, Massachusetts, USA",
        "--format", "json",
    ).json()  # fmt: skip
    assert [s["party"] for s in added["signatories"]] == ["Boston, GB", "Boston, US"]
    assert added["contacts"][0]["party"] == "Boston, US"
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2020", "--summary", "Delegation",
           "--party", "Boston, United Kingdom")  # fmt: skip
    assert cli.records()["1"]["activities"][0]["party"] == "Boston, GB"
    wrong = cli("add", "-p", "Boston, England", "-p", "Boston, USA", "-t", "twinning",
                "--signatory", "Bob Li; Mayor; Boston, France")  # fmt: skip
    assert wrong.exit_code == 2
    assert "(parties: 'Boston, GB', 'Boston, US')" in wrong.stderr


@pytest.mark.parametrize("depth", [600, 1000])
def test_json_nested_deeper_than_a_reader_follows_is_refused_in_one_line(cli, tmp_path, depth):
    nested = "[" * depth + "1" + "]" * depth
    record = f'{{"town": "Kiel", "twin": "Brest", "extra": {nested}}}'
    listed = tmp_path / "deep.json"
    listed.write_text(f"[{record}]", encoding="utf-8")
    lines = tmp_path / "deep.jsonl"
    lines.write_text(record + "\n", encoding="utf-8")
    maps = _maps({"party1.name": "town", "party2.name": "twin"})
    for path in (listed, lines):
        refused = cli("import", str(path), *maps, *SET_TYPE)
        assert refused.exit_code == 2 and refused.stderr.startswith("Error: "), refused.stderr
        assert "nest too deeply" in refused.stderr and not cli.db.exists()
    register = tmp_path / "deep-register.json"
    register.write_text(
        f'{{"agreements": {{"1": {{"title": {nested}}}}}, "meta": {{"1": {{"next_id": 2}}}}}}',
        encoding="utf-8",
    )
    for command in (["list"], ["check"]):
        damaged = Cli(register)(*command)
        assert damaged.exit_code == 5 and "Traceback" not in damaged.stderr


def test_a_header_two_columns_share_is_refused_rather_than_read_from_either(cli, tmp_path):
    book = tmp_path / "partners.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Stadt", "Land", "Partnerstadt", "Land", "Seit"])
    workbook.active.append(["Kiel", "Deutschland", "Brest", "Frankreich", 1964])
    workbook.save(book)
    maps = _maps({"party1.name": "Stadt", "party2.name": "Partnerstadt", "party1.country": "Land"})
    refused = cli("import", str(book), *maps, *SET_TYPE)
    assert refused.exit_code == 2 and not cli.db.exists()
    assert refused.stderr == (
        "Error: the file has 2 columns 'Land' (columns 2 and 4) "
        "(name the one meant by its number: --map party1.country=4)\n"
    )
    numbered = _maps({"party1.name": "Stadt", "party2.name": "Partnerstadt", "party1.country": "2"})
    cli.ok("import", str(book), *numbered, "--map", "party2.country=4", *SET_TYPE)
    assert [p["country"] for p in cli.records()["1"]["parties"]] == ["DE", "FR"]
