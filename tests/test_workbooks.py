"""Excel workbooks: export -o FILE.xlsx, import FILE.xlsx [--sheet], and the round trip."""

import csv
import datetime
import json
import os
import tempfile

import openpyxl
from conftest import AARHUS_QIXIA, GERMAN_LIST_MAP, PARTNERSHIPS_DE, Cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_round_trip import records as hostile_records

from agreements.exchange.activity_rows import ACTIVITY_CSV_COLUMNS
from agreements.exchange.csv_columns import header_row

# Every option of add, with texts a spreadsheet would run or split: ";", "\", a leading
# "=", "+", "@" or "'", and letters of many alphabets.
EVERY_OPTION = [
    "add",
    "--party", "'s-Hertogenbosch, Noord-Brabant, Netherlands",
    "--party", "Ærø; Kommune, Denmark",
    "--party", "Zürich, Switzerland",
    "--level", "Ærø; Kommune=municipality",
    "--title", "=HYPERLINK(\"http://x\") partners",
    "--type", "friendship",
    "--signed", "1890-05-04",
    "--place", "@SUM(A1)",
    "--signatory", "Ånund \\ Åse; Borgmester; Ærø",
    "--sector", "culture", "--possible-sector", "tourism",
    "--expires", "2031", "--review", "2027-06", "--effective", "1890-06",
    "--council-resolution", "1890-04-30", "--renewal", "on-decision", "--notice", "6 months",
    "--status", "suspended", "--status-reason", "-under review; again",
    "--source", "https://example.org/a?x=1&y=2; +Title; 2012-10",
    "--contact", "Büro; =role; +45 8940 2195; office@example.org; Zürich",
    "--note", "first; paragraph \\ with a backslash",
    "--note", "=second\tparagraph",
    "--tag", "'quoted", "--tag", "semi; colon",
]  # fmt: skip


def rich_register(cli):
    cli.ok(*AARHUS_QIXIA)
    cli.ok(*EVERY_OPTION)
    cli.ok(
        "add", "--party", "Kiel, Germany", "--party", "Vaasa, Finland",
        "--type", "sister-city", "--signed", "1967", "--place", "+Kiel",
    )  # fmt: skip
    cli.ok(
        "activity", "add", "1", "--kind", "delegation", "--on", "2026-10-05",
        "--summary", "=Cleantech delegation; week 41", "--party", "Aarhus",
        "--follow-up", "2026-12-15", "--follow-up-note", "send the draft \\ programme",
    )  # fmt: skip
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2025-03", "--summary", "'visit")
    cli.ok("activity", "add", "2", "--kind", "meeting", "--on", "1891", "--summary", "Møde")
    # The keys of a party that add may not give yet: other names, a region, a former country.
    parties = [
        {"name": "Wrocław", "country": "PL", "other_names": ["Breslau", "Vratislavia; Latin"],
         "region": "Lower Silesia", "region_code": "PL-02"},
        {"name": "Volgograd", "country": "RU", "country_at_signing": "SUHH",
         "other_names": ["Stalingrad"]},
    ]  # fmt: skip
    record = cli.db.with_name("wroclaw.json")
    record.write_text(
        json.dumps([{"type": "sister-city", "signed_on": "1974", "parties": parties}])
    )
    cli.ok("import", str(record))


def as_json(cli):
    return cli.ok("export", "--format", "json").stdout


def test_a_workbook_imports_back_into_the_same_register(tmp_path, cli):
    rich_register(cli)
    book = tmp_path / "register.xlsx"
    result = cli.ok("export", "-o", str(book))
    assert result.stdout == "" and "Exported 4 agreements" in result.stderr
    again = Cli(tmp_path / "again.json")
    imported = again.ok("import", str(book))
    assert "4 rows read" in imported.stderr
    assert as_json(again) == as_json(cli)
    records = json.loads(as_json(again))
    assert [len(record["activities"]) for record in records] == [2, 1, 0, 0]
    assert records[3]["parties"][0]["other_names"] == ["Breslau", "Vratislavia; Latin"]
    assert records[3]["parties"][1]["country_at_signing"] == "SUHH"
    assert records[1]["parties"][1]["name"] == "Ærø; Kommune"
    assert records[1]["notes"] == "first; paragraph \\ with a backslash\n=second\tparagraph"


def test_the_workbook_holds_our_csv_columns_with_real_dates_and_no_formulas(tmp_path, cli):
    rich_register(cli)
    book = tmp_path / "register.xlsx"
    cli.ok("export", "-o", str(book))
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["Agreements", "Activities"]
    agreements, activities = workbook["Agreements"], workbook["Activities"]
    for sheet, header, rows in (
        (agreements, header_row(), 4),
        (activities, ACTIVITY_CSV_COLUMNS, 3),
    ):
        assert [cell.value for cell in sheet[1]] == list(header)
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{rows + 1}"
        assert sheet.max_row == rows + 1
    column = {name: index + 1 for index, name in enumerate(header_row())}
    aarhus, zurich, kiel = (agreements[row] for row in (2, 3, 4))
    signed = aarhus[column["signed_on"] - 1]
    assert signed.value == datetime.datetime(2012, 10, 2) and signed.number_format == "yyyy-mm-dd"
    assert kiel[column["signed_on"] - 1].value == "1967"  # a year is text, not a date
    assert zurich[column["signed_on"] - 1].value == "1890-05-04"  # Excel has no 1890
    assert aarhus[0].value == 1 and aarhus[0].data_type == "n"  # ids are numbers
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert {
        '=HYPERLINK("http://x") partners',
        "@SUM(A1)",
        "+Kiel",
        "'quoted; semi\\; colon",
    } <= texts
    assert "=Cleantech delegation; week 41" in texts
    assert zurich[column["party_names"] - 1].value == "'s-Hertogenbosch; Ærø\\; Kommune; Zürich"
    assert activities["D2"].value == "2025-03" and activities["D3"].value == datetime.datetime(
        2026, 10, 5
    )
    widths = {letter: dimension.width for letter, dimension in agreements.column_dimensions.items()}
    assert widths and max(widths.values()) <= 53  # capped
    assert widths["B"] > widths["C"]  # the title is wider than the type


@given(st.lists(hostile_records(), min_size=1, max_size=3))
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_hostile_texts_come_back_from_a_workbook_as_they_were(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "records.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    first = Cli(folder / "first.json")
    first.ok("import", str(source))
    first.ok("export", "-o", str(folder / "book.xlsx"))
    second = Cli(folder / "second.json")
    second.ok("import", str(folder / "book.xlsx"))
    assert as_json(second) == as_json(first)


def test_export_filters_apply_to_both_sheets(tmp_path, cli):
    rich_register(cli)
    book = tmp_path / "denmark.xlsx"
    cli.ok("export", "--country", "DK", "--type", "cooperation", "-o", str(book))
    workbook = openpyxl.load_workbook(book)
    assert [row[0].value for row in workbook["Agreements"].iter_rows(min_row=2)] == [1]
    assert [row[0].value for row in workbook["Activities"].iter_rows(min_row=2)] == [1, 1]


def test_xlsx_goes_only_to_a_file_and_takes_no_csv_options(tmp_path, cli):
    cli.ok(*AARHUS_QIXIA)
    refused = cli("export", "--format", "xlsx")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert (
        refused.stderr.startswith("Error: a workbook is written to a file")
        and "-o FILE.xlsx" in refused.stderr
    )
    book = tmp_path / "out.xlsx"
    for extra, said in ((["--delimiter", ";"], "--delimiter is for CSV"),
                        (["--no-bom"], "--no-bom is for CSV"),
                        (["--activities"], "on a sheet of their own")):  # fmt: skip
        result = cli("export", "-o", str(book), *extra)
        assert (
            result.exit_code == 2 and said in result.stderr and len(result.stderr.splitlines()) == 1
        )
        assert not book.exists()
    forced = tmp_path / "named-otherwise"
    cli.ok("export", "--format", "xlsx", "-o", str(forced))
    assert forced.read_bytes().startswith(b"PK\x03\x04")
    read = Cli(tmp_path / "b.json").ok("import", "--format", "xlsx", str(forced))
    assert "Imported 1 agreement" in read.stderr


def test_a_failed_workbook_export_leaves_the_old_file_and_no_temp_files(tmp_path, cli, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    cli.ok(*AARHUS_QIXIA)
    book = tmp_path / "out.xlsx"
    book.write_bytes(b"the old file")
    cli.ok("add", "--party", "A, Denmark", "--party", "B, Sweden", "--type", "mou",
           "--note", "x" * 40_000)  # fmt: skip
    result = cli("export", "-o", str(book))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "agreement 2: the column 'notes'" in result.stderr and "32,767" in result.stderr
    assert book.read_bytes() == b"the old file"
    left = [name for name in os.listdir(tmp_path) if not name.startswith(cli.db.name)]
    assert sorted(left) == ["out.xlsx", "temp"] and os.listdir(temp) == []
    cli.ok("export", "--type", "cooperation", "-o", str(book))
    assert book.read_bytes().startswith(b"PK") and os.listdir(temp) == []


# Another program's workbook ------------------------------------------------------------

GERMAN_MAP = [
    "--map", "party1.name=Gemeinde", "--set", "party1.country=DE",
    "--map", "party2.name=Partnerstadt", "--map", "party2.country=Land",
    "--map", "signed_on=Seit", "--map", "type=Art",
    "--translate", "type:P=sister-city", "--translate", "type:F=friendship",
    "--map", "status=Aktiv", "--translate", "status:true=active",
    "--translate", "status:false=terminated",
]  # fmt: skip


def german_workbook(path):
    """A workbook as another program writes it: German column names, a column of real
    dates, years as numbers, a checkbox column, and an empty last column with a format."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Partnerschaften"
    sheet.append(["Gemeinde", "Partnerstadt", "Land", "Seit", "Art", "Aktiv", None])
    sheet.append(["Kiel", "Brest", "Frankreich", datetime.datetime(1964, 5, 1), "P", True])
    sheet.append(["Kiel", "Vaasa", "Finnland", datetime.date(1967, 6, 3), "P", True])
    sheet.append(["Kiel", "Sowetsk", "Russland", 1992, "F", False])
    sheet.append([])  # an empty row between the records
    sheet.append(["Lübeck", "Kotka", "Finnland", 1983.0, "P", True])
    for row in range(1, 8):  # formatted, but empty: the sheet's range takes it in
        sheet.cell(row, 7).font = openpyxl.styles.Font(bold=True)
    other = book.create_sheet("Notizen")
    other.append(["nothing to import"])
    book.save(path)


def test_another_programs_workbook_imports_with_map(tmp_path, cli):
    book = tmp_path / "partner.xlsx"
    german_workbook(book)
    result = cli.ok("import", str(book), *GERMAN_MAP)
    assert "4 rows read" in result.stderr
    records = {record["title"]: record for record in json.loads(as_json(cli))}
    assert {title: (r["signed_on"], r["type"], r["status"], r["parties"][1]["country"])
            for title, r in records.items()} == {
        "Kiel – Brest": ("1964-05-01", "sister-city", "active", "FR"),
        "Kiel – Vaasa": ("1967-06-03", "sister-city", "active", "FI"),
        "Kiel – Sowetsk": ("1992", "friendship", "terminated", "RU"),
        "Lübeck – Kotka": ("1983", "sister-city", "active", "FI"),
    }  # fmt: skip
    assert records["Kiel – Brest"]["parties"][0]["country"] == "DE"


def test_a_sheet_reads_as_the_same_rows_as_the_csv_it_was_made_from(tmp_path):
    with PARTNERSHIPS_DE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "list.xlsx")
    from_csv, from_sheet = Cli(tmp_path / "a.json"), Cli(tmp_path / "b.json")
    report_csv, report_sheet = tmp_path / "a-report.json", tmp_path / "b-report.json"
    said_csv = from_csv.ok(
        "import", str(PARTNERSHIPS_DE), *GERMAN_LIST_MAP, "--report", str(report_csv)
    )
    said_sheet = from_sheet.ok(
        "import", str(tmp_path / "list.xlsx"), *GERMAN_LIST_MAP, "--report", str(report_sheet)
    )
    assert said_sheet.stderr.split(": ", 1)[1] == said_csv.stderr.split(": ", 1)[1]

    def without_times(cli):
        return [{**r, "created_at": None, "updated_at": None} for r in json.loads(as_json(cli))]

    assert without_times(from_sheet) == without_times(from_csv)
    by_sheet, by_csv = (
        json.loads(f.read_text(encoding="utf-8")) for f in (report_sheet, report_csv)
    )
    assert by_sheet["outcomes"] == by_csv["outcomes"]  # the sheet's rows are the file's lines
    assert (by_sheet["outcomes"][0]["row"], by_sheet["outcomes"][0]["line"]) == (1, 2)


def test_a_date_and_time_is_not_taken_for_a_date(tmp_path, cli):
    book = openpyxl.Workbook()
    book.active.append(["Gemeinde", "Partnerstadt", "Seit"])
    book.active.append(["Kiel", "Brest", datetime.datetime(1964, 5, 1, 14, 30)])
    book.active.append(["Kiel", "Vaasa", datetime.datetime(1967, 6, 3, 0, 0)])
    book.save(tmp_path / "times.xlsx")
    args = [
        "--map",
        "party1.name=1",
        "--map",
        "party2.name=2",
        "--map",
        "signed_on=3",
        "--set",
        "type=other",
    ]
    refused = cli("import", str(tmp_path / "times.xlsx"), *args)
    assert refused.exit_code == 2 and not cli.db.exists()
    assert refused.stderr.startswith(
        "Error: row 1 (sheet row 2): column 3 'Seit': cannot read '1964-05-01 14:30:00'"
    )
    cli.ok("import", str(tmp_path / "times.xlsx"), *args, "--skip-invalid")
    assert [r["signed_on"] for r in cli.records().values()] == ["1967-06-03"]


def test_import_options_work_on_a_sheet(tmp_path, cli):
    book = tmp_path / "partner.xlsx"
    german_workbook(book)
    dry = cli.ok("import", str(book), *GERMAN_MAP, "--dry-run")
    assert "row 5 (sheet row 6): import" in dry.stdout and not cli.db.exists()
    strict = cli("import", str(book), *GERMAN_MAP, "--country-alias", "Frankreich=FR",
                 "--strict-countries", "--map", "party2.country=Gemeinde")  # fmt: skip
    assert strict.exit_code == 2 and "unknown country 'Kiel'" in strict.stderr
    cli.ok("import", str(book), *GERMAN_MAP)
    again = cli.ok("import", str(book), *GERMAN_MAP, "--on-duplicate", "skip")
    assert "4 skipped" in again.stderr and len(cli.records()) == 4
    duplicate = cli("import", str(book), *GERMAN_MAP, "--on-duplicate", "error")
    assert duplicate.exit_code == 2 and "already has it" in duplicate.stderr


# Sheets and headers -----------------------------------------------------------------


def sheets_workbook(path):
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook lists our partners on the second sheet."])
    partners = book.create_sheet("Partners")
    partners.append(["City", "Partner"])
    partners.append(["Aarhus", "Turku"])
    book.save(path)


def test_sheet_chooses_the_sheet(tmp_path, cli):
    book = tmp_path / "two.xlsx"
    sheets_workbook(book)
    args = ["--map", "party1.name=City", "--map", "party2.name=Partner", "--set", "type=other"]
    first = cli("import", str(book), *args)
    assert first.exit_code == 2 and "the file has no column 'City'" in first.stderr
    cli.ok("import", str(book), "--sheet", "partners", *args)  # case does not matter
    assert [r["title"] for r in cli.records().values()] == ["Aarhus – Turku"]
    missing = cli("import", str(book), "--sheet", "Partner", *args)
    assert missing.exit_code == 2
    assert (
        missing.stderr
        == f"Error: {book} has no sheet 'Partner'; its sheets: 'Read me', 'Partners'\n"
    )
    csv_file = tmp_path / "list.csv"
    csv_file.write_text("City,Partner\nAarhus,Turku\n", encoding="utf-8")
    refused = cli("import", str(csv_file), "--sheet", "Partners", *args)
    assert refused.exit_code == 2 and "--sheet names a sheet of an Excel workbook" in refused.stderr


def test_merged_header_cells_over_data_are_refused_naming_the_column(tmp_path, cli):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["City", "Partner", None, "Since"])
    sheet.merge_cells("B1:C1")
    sheet.append(["Aarhus", "Turku", "Finland", 1964])
    book.save(tmp_path / "merged.xlsx")
    args = ["--map", "party1.name=City", "--map", "party2.name=Partner", "--set", "type=other"]
    result = cli("import", str(tmp_path / "merged.xlsx"), *args)
    assert result.exit_code == 2 and not cli.db.exists()
    assert result.stderr.startswith(
        "Error: sheet 'Sheet': the header cell C1 is merged with B1 ('Partner'), but column C holds data"
    )
    assert len(result.stderr.splitlines()) == 1
    sheet["C2"] = None  # merged over an empty column: nothing is lost
    book.save(tmp_path / "merged.xlsx")
    cli.ok("import", str(tmp_path / "merged.xlsx"), *args)


def test_an_empty_header_cell_is_refused_unless_its_column_is_empty(tmp_path, cli):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["City", None, "Partner"])
    sheet.append(["Aarhus", None, "Turku"])
    sheet.append(["Kolding", "stray", "Lahti"])
    book.save(tmp_path / "gap.xlsx")
    args = ["--map", "party1.name=City", "--map", "party2.name=3", "--set", "type=other"]
    result = cli("import", str(tmp_path / "gap.xlsx"), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: sheet 'Sheet': the header cell B1 (column 2) is empty, but column B holds data (from row 3)"
    )
    sheet["B3"] = None
    book.save(tmp_path / "gap.xlsx")
    cli.ok("import", str(tmp_path / "gap.xlsx"), *args)  # columns keep their numbers
    assert sorted(r["title"] for r in cli.records().values()) == [
        "Aarhus – Turku",
        "Kolding – Lahti",
    ]


def test_a_file_that_is_no_workbook_is_one_line(tmp_path, cli):
    fake = tmp_path / "register.xlsx"
    fake.write_text("id,title\n1,x\n", encoding="utf-8")
    result = cli("import", str(fake))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: {fake} is not an Excel workbook (.xlsx)")
    assert "--format csv" in result.stderr
    cli.ok(*AARHUS_QIXIA)
    cli.ok("export", "-o", str(tmp_path / "whole.xlsx"))
    (tmp_path / "cut.xlsx").write_bytes((tmp_path / "whole.xlsx").read_bytes()[:400])
    cut = cli("import", str(tmp_path / "cut.xlsx"))
    assert cut.exit_code == 2 and len(cut.stderr.splitlines()) == 1
    assert cut.stderr.startswith(f"Error: {tmp_path / 'cut.xlsx'} is not an Excel workbook")
    as_csv = cli("import", str(tmp_path / "whole.xlsx"), "--format", "csv")
    assert as_csv.exit_code == 2 and "is a zip archive, not text" in as_csv.stderr
    for option in (["--delimiter", ";"], ["--encoding", "cp1252"]):
        refused = cli("import", str(tmp_path / "whole.xlsx"), *option)
        assert (
            refused.exit_code == 2
            and f"{option[0]} is for CSV files, not workbooks" in refused.stderr
        )


# Our own workbook's activities -----------------------------------------------------


def test_an_activity_of_no_agreement_in_the_workbook_refuses_the_file(tmp_path, cli):
    rich_register(cli)
    book = tmp_path / "register.xlsx"
    cli.ok("export", "-o", str(book))
    workbook = openpyxl.load_workbook(book)
    workbook["Activities"]["A3"] = 9
    workbook.save(book)
    other = Cli(tmp_path / "other.json")
    result = other("import", str(book))
    assert result.exit_code == 2 and not other.db.exists()
    assert result.stderr.startswith(
        "Error: sheet 'Activities', row 2 (sheet row 3): agreement 9 is not on the sheet of agreements"
    )
    workbook["Activities"]["A3"] = 3  # another agreement's id, with this one's title
    workbook.save(book)
    wrong = other("import", str(book))
    assert (
        wrong.exit_code == 2
        and "its agreement is 'Aarhus – Qixia District (栖霞区)'" in wrong.stderr
    )


def test_import_activities_reads_the_workbooks_sheet_of_activities(tmp_path, cli):
    rich_register(cli)
    cli.ok("export", "-o", str(tmp_path / "register.xlsx"))
    cli.ok("export", "-o", str(tmp_path / "register.csv"))  # agreements only
    other = Cli(tmp_path / "other.json")
    other.ok("import", str(tmp_path / "register.csv"))
    assert all(not r["activities"] for r in other.records().values())
    added = other.ok("import", "--activities", str(tmp_path / "register.xlsx"))
    assert "Imported 3 activities" in added.stderr
    assert [r["activities"] for r in json.loads(as_json(other))] == [
        r["activities"] for r in json.loads(as_json(cli))
    ]
    again = other.ok("import", "--activities", str(tmp_path / "register.xlsx"))
    assert "3 already recorded" in again.stderr
