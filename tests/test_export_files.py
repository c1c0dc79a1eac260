"""What `export` writes: CSV that Excel opens safely, JSON and JSON Lines, atomically."""

import csv
import io
import json
import signal

import pytest
from conftest import SAMPLE, run_process

from agreements.domain.schema import CSV_COLUMNS

TRIGGERS = tuple("=+-@\t\r\n＝＋－＠")
HOSTILE_PLACES = ["=1+1", "+45 8940 2195", "-", "@kommune", "'quoted", "＝SUM(A1)", "\tindented"]


@pytest.fixture
def hostile(cli):
    """A register whose texts start like spreadsheet formulas."""
    cli.ok("add", "-p", "=HYPERLINK(\"http://x\"), DK", "-p", "+Turku, FI", "-t", "twinning",
           "--note", "@SUM(1)", "--tag", "-1", "--place", "=1+1",
           "--contact", "Office; -; +45 8940 2195; ; =HYPERLINK(\"http://x\")")  # fmt: skip
    for place in HOSTILE_PLACES:
        cli.ok("add", "-p", f"Aarhus {place!r}, DK", "-p", "Kiel, DE", "-t", "twinning",
               "--place", place)  # fmt: skip
    return cli


def exported_cells(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.mark.parametrize("delimiter", [",", ";", "tab"])
def test_no_exported_cell_starts_like_a_formula(hostile, delimiter):
    text = hostile.ok("export", "--delimiter", delimiter).stdout
    separator = {"tab": "\t"}.get(delimiter, delimiter)
    rows = list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=separator)
    )
    assert len(rows) == 1 + 1 + len(HOSTILE_PLACES)
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    assert "'=1+1" in cells and "'+45 8940 2195" in cells and "''quoted" in cells


def test_list_as_csv_and_tsv_escapes_formulas_too(hostile):
    for output in ("csv", "tsv"):
        text = hostile.ok("list", "--format", output).stdout
        separator = "\t" if output == "tsv" else ","
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        assert not [cell for row in rows for cell in row if cell.startswith(TRIGGERS)]


def test_csv_has_a_bom_a_marked_header_and_crlf_rows(cli, tmp_path):
    cli.db.write_bytes(SAMPLE.read_bytes())
    cli.ok("export", "-o", str(tmp_path / "out.csv"))
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith("\ufeffid (agreements v3),title,type,".encode())
    assert data.count(b"\r\n") >= 18
    header = exported_cells(data.decode())[0]
    assert header[1:] == list(CSV_COLUMNS[1:])
    assert not cli.ok("export", "--no-bom").stdout.startswith("\ufeff")


def test_semicolon_csv_quotes_cells_that_hold_the_delimiter(cli):
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Qixia District, Nanjing, CN", "-t", "mou",
           "--title", 'Aarhus; "Qixia", and more', "--note", "line one\nline two")  # fmt: skip
    text = cli.ok("export", "--delimiter", ";", "--no-bom").stdout
    (header, row) = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    record = dict(zip(header, row, strict=True))
    assert record["title"] == 'Aarhus; "Qixia", and more'
    assert record["notes"] == "line one\nline two"
    assert record["party_names"] == "Aarhus; Qixia District"
    assert record["signed_on"] == "" and record["type"] == "memorandum-of-understanding"


def test_every_column_holds_its_own_field(cli, tmp_path):
    cli.ok(
        "add", "-p", "Aarhus, Region Midtjylland, DK", "-p", "Qixia District, CN",
        "-t", "cooperation", "--signed", "2012-10-02", "--place", "City Hall",
        "--signatory", "Jacob; Mayor; Aarhus", "--sector", "cleantech", "--sector", "education?",
        "--expires", "2030", "--review", "2025-06",
        "--contact", "Desk; liaison; +45 1; desk@example.org; Aarhus",
        "--source", "https://example.org/minutes", "--note", "A note", "--tag", "port",
    )  # fmt: skip
    cli.ok("edit", "1", "--status", "suspended", "--status-reason", "elections")
    (header, row) = list(csv.reader(io.StringIO(cli.ok("export").stdout.lstrip("\ufeff"))))
    cells = dict(zip(header, row, strict=True))
    record = cli.records()["1"]
    assert cells == {
        "id (agreements v3)": "1", "title": "Aarhus – Qixia District", "type": "cooperation",
        "status": "suspended", "status_manual": "true", "status_reason": "elections",
        "signed_on": "2012-10-02", "place": "City Hall",
        "party_names": "Aarhus; Qixia District", "party_countries": "DK; CN",
        "party_countries_as_given": "; ", "party_levels": "city; district",
        "party_parents": "Region Midtjylland; ", "party_other_names": "; ",
        "party_regions": "; ", "party_region_codes": "; ", "party_countries_at_signing": "; ",
        "signatory_names": "Jacob",
        "signatory_titles": "Mayor", "signatory_parties": "Aarhus",
        "sectors": "cleantech; education?", "expires_on": "2030", "review_on": "2025-06",
        "effective_on": "", "council_resolution_on": "", "renewal": "", "notice": "",
        "contact_names": "Desk", "contact_roles": "liaison", "contact_phones": "'+45 1",
        "contact_emails": "desk@example.org", "contact_parties": "Aarhus",
        "source_urls": "https://example.org/minutes", "source_titles": "",
        "source_published": "", "notes": "A note", "tags": "port",
        "created_at": record["created_at"], "updated_at": record["updated_at"],
    }  # fmt: skip


def test_dates_keep_their_precision(cli):
    cli.ok("add", "-p", "A, DK", "-p", "B, DE", "-t", "twinning", "--signed", "1967")
    cli.ok("add", "-p", "C, DK", "-p", "D, DE", "-t", "twinning", "--signed", "March 1988")
    cli.ok("add", "-p", "E, DK", "-p", "F, DE", "-t", "twinning", "--signed", "2012-10-02")
    rows = exported_cells(cli.ok("export").stdout)
    assert [row[CSV_COLUMNS.index("signed_on")] for row in rows[1:]] == [
        "1967", "1988-03", "2012-10-02",
    ]  # fmt: skip


def test_json_lines_hold_one_whole_record_per_line(cli):
    cli.db.write_bytes(SAMPLE.read_bytes())
    lines = cli.ok("export", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 17
    assert records == json.loads(cli.ok("export", "--format", "json").stdout)


def test_unknown_delimiter_is_refused(cli):
    result = cli("export", "--delimiter", "|")
    assert result.exit_code == 2 and result.stderr.startswith("Error: unknown delimiter '|'")


def test_an_interrupted_export_leaves_the_old_file(tmp_path):
    db = tmp_path / "register.json"
    db.write_bytes(SAMPLE.read_bytes())
    target = tmp_path / "out.csv"
    target.write_text("the old export\n", encoding="utf-8")
    killed = run_process(
        "--db", str(db), "export", "-o", str(target), env={"AGREEMENTS_FAULT": "mid-write:kill"}
    )
    assert killed.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == "the old export\n"
    done = run_process("--db", str(db), "export", "-o", str(target))
    assert done.returncode == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid (agreements v3)")


def test_the_output_files_name_says_the_format_unless_format_does(tmp_path):
    from conftest import AARHUS_QIXIA, Cli

    cli = Cli(tmp_path / "r.json")
    cli.ok(*AARHUS_QIXIA)
    for name, starts in (("out.json", "[\n"), ("out.jsonl", '{"id":1,'),
                         ("out.CSV", "\ufeffid (agreements"), ("out.txt", "\ufeffid (agreements")):  # fmt: skip
        cli.ok("export", "-o", str(tmp_path / name))
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts), name
    cli.ok("export", "-o", str(tmp_path / "out.tsv"))
    assert "\t" in (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()[0]
    again = Cli(tmp_path / "again.json")
    again.ok("import", str(tmp_path / "out.tsv"))
    assert [{**r, "uid": None} for r in again.records().values()] == [
        {**r, "uid": None} for r in cli.records().values()
    ]
    cli.ok("export", "-o", str(tmp_path / "forced.json"), "--format", "csv")
    assert (tmp_path / "forced.json").read_text(encoding="utf-8").startswith("\ufeffid")
    for name, hint in (("due.ics", "agreements calendar"), ("book.xls", "name the file .xlsx")):
        result = cli("export", "-o", str(tmp_path / name))
        assert result.exit_code == 2 and hint in result.stderr
        assert not (tmp_path / name).exists()


def test_tsv_is_our_csv_with_tabs_and_only_tabs(tmp_path):
    from conftest import AARHUS_QIXIA, Cli

    cli = Cli(tmp_path / "r.json")
    cli.ok(*AARHUS_QIXIA)
    by_format = cli.ok("export", "--format", "tsv").stdout
    cli.ok("export", "-o", str(tmp_path / "named.tsv"))
    assert by_format == (tmp_path / "named.tsv").read_text(encoding="utf-8")
    refused = cli("export", "-o", str(tmp_path / "semi.tsv"), "--delimiter", ";")
    assert refused.exit_code == 2 and "TSV is separated by tabs" in refused.stderr
    assert not (tmp_path / "semi.tsv").exists()
