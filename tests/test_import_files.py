"""What `import` reads and refuses: encodings, delimiters, versions, and errors by row and column."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from conftest import SAMPLE, Cli, run_process

from agreements.domain.schema import CSV_COLUMNS
from agreements.exchange.csv_columns import header_row


def own_csv(rows, delimiter=","):
    """A file in the layout 'agreements export' writes, with only the cells given filled."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header_row())
    for cells in rows:
        row = dict.fromkeys(CSV_COLUMNS, "") | {"status_manual": "false"} | cells
        writer.writerow(row[column] for column in CSV_COLUMNS)
    return buffer.getvalue()


def pair(number, **cells):
    return {"party_names": f"Town {number}; Partner {number}", "type": "sister-city", **cells}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_told_by_the_header(cli, tmp_path, delimiter):
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1), pair(2)], delimiter), encoding="utf-8")
    result = cli.ok("import", str(source))
    assert "Imported 2 agreements" in result.stderr
    assert {r["title"] for r in cli.records().values()} == {
        "Town 1 – Partner 1",
        "Town 2 – Partner 2",
    }


def test_a_bom_is_read_and_dropped(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"\xef\xbb\xbf" + own_csv([pair(1)]).encode())
    cli.ok("import", str(source))
    assert cli.records()["1"]["parties"][0]["name"] == "Town 1"


def test_a_cp1252_file_is_refused_with_a_hint_and_read_when_asked(cli, tmp_path):
    source = tmp_path / "excel.csv"
    source.write_bytes(own_csv([pair(1, place="Rådhuset, Århus")]).encode("cp1252"))
    refused = cli("import", str(source))
    assert refused.exit_code == 2
    assert "is not UTF-8: line 2" in refused.stderr and "--encoding cp1252" in refused.stderr
    assert not cli.db.exists()
    cli.ok("import", str(source), "--encoding", "cp1252")
    assert cli.records()["1"]["place"] == "Rådhuset, Århus"


def test_an_unknown_encoding_is_refused(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1)]), encoding="utf-8")
    result = cli("import", str(source), "--encoding", "klingon")
    assert result.exit_code == 2 and "unknown encoding 'klingon'" in result.stderr


def test_text_is_stored_in_nfc_so_a_mac_spelling_matches(cli, tmp_path):
    decomposed = "A\u030arhus"  # "Århus" as macOS file names write it
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1, party_names=f"{decomposed}; Kiel")]), encoding="utf-8")
    cli.ok("import", str(source))
    assert cli.records()["1"]["parties"][0]["name"] == "\u00c5rhus"
    assert cli.ok("list", "--party", "Århus", "--format", "csv").stdout.count("\n") == 2


def test_an_error_in_row_5000_of_6000_names_it_and_changes_nothing(cli, tmp_path):
    cli.db.write_bytes(SAMPLE.read_bytes())
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    rows = [pair(n) for n in range(1, 6001)]
    rows[4999] = pair(5000, signed_on="2019-13-01")
    source = tmp_path / "big.csv"
    source.write_text(own_csv(rows), encoding="utf-8")
    before[source.name] = source.read_bytes()
    result = cli("import", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: row 5000 (line 5001): column 'signed_on': ")
    assert result.stderr.count("\n") == 1
    after = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    assert after == before


@pytest.mark.parametrize("country", ["Narnia", "XX"])
def test_a_bad_party_cell_names_its_column_and_item(cli, tmp_path, country):
    source = tmp_path / "in.csv"
    source.write_text(
        own_csv([pair(1), pair(2, party_countries=f"DK; {country}")]), encoding="utf-8"
    )
    result = cli("import", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: row 2 (line 3): column 'party_countries' (item 2): ")


def test_a_file_from_a_newer_version_is_refused(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1)]).replace("(agreements v3)", "(agreements v7)"))
    result = cli("import", str(source))
    assert result.exit_code == 2 and "newer agreements (format v7)" in result.stderr


def test_json_lines_are_read_and_a_bad_line_is_named(cli, tmp_path):
    sample = Cli(tmp_path / "sample.json")
    sample.db.write_bytes(SAMPLE.read_bytes())
    lines = sample.ok("export", "--format", "jsonl").stdout.splitlines()
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([*lines[:3], "{not json", *lines[3:]]) + "\n", encoding="utf-8")
    result = cli("import", str(source))
    assert result.exit_code == 2 and result.stderr.startswith("Error: line 4: not valid JSON")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli.ok("import", str(source))
    assert cli.records() == sample.records()


def test_dry_run_lists_every_problem_and_writes_nothing(cli, tmp_path):
    source = tmp_path / "in.csv"
    rows = [pair(1), pair(2, type="treaty"), pair(3), pair(4, signed_on="someday"), pair(1)]
    source.write_text(own_csv(rows), encoding="utf-8")
    result = cli.ok("import", str(source), "--dry-run")
    assert result.stdout.splitlines() == [
        "row 1 (line 2): import as #1 — Town 1 – Partner 1",
        "row 2 (line 3): reject: column 'type': 'treaty' is not one of sister-city, friendship, "
        "cooperation, memorandum-of-understanding, letter-of-intent, other",
        "row 3 (line 4): import as #2 — Town 3 – Partner 3",
        "row 4 (line 5): reject: column 'signed_on': 'someday' is not a date in the form "
        "YYYY, YYYY-MM or YYYY-MM-DD",
        "row 5 (line 6): merge into row 1 (#1) — Town 1 – Partner 1",
    ]
    assert "Would import 2 agreements" in result.stderr and "2 rejected" in result.stderr
    assert not cli.db.exists()


def test_skip_invalid_imports_the_rest_and_reports_to_a_file(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1), pair(2, type="treaty"), pair(3)]), encoding="utf-8")
    report_file = tmp_path / "report.json"
    result = cli.ok("import", str(source), "--skip-invalid", "--report", str(report_file))
    assert "Rejected row 2 (line 3): column 'type'" in result.stderr
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert (report["rows"], report["imported"], report["rejected"]) == (3, 2, 1)
    assert report["written"] is True
    assert [o["action"] for o in report["outcomes"]] == ["imported", "rejected", "imported"]
    assert report["outcomes"][1]["line"] == 3
    assert len(cli.records()) == 2


def test_a_row_of_the_wrong_shape_is_a_rejection_like_any_other(cli, tmp_path):
    source = tmp_path / "in.csv"
    text = own_csv([pair(1), pair(2, status_manual="maybe"), pair(3)])
    lines = text.split("\r\n")
    lines.insert(3, "4,Town 4 – Partner 4,sister-city")  # three cells of 31
    source.write_text("\r\n".join(lines), encoding="utf-8")
    result = cli.ok("import", str(source), "--skip-invalid")
    assert "Rejected row 2 (line 3): column 'status_manual': expected true or false" in (
        result.stderr
    )
    assert "Rejected row 3 (line 4): 3 cells where the header has 39" in result.stderr
    assert [r["title"] for r in cli.records().values()] == [
        "Town 1 – Partner 1",
        "Town 3 – Partner 3",
    ]


def test_a_column_we_never_write_refuses_the_file_at_its_header(cli, tmp_path):
    source = tmp_path / "in.csv"
    lines = own_csv([pair(1), pair(2)]).split("\r\n")
    lines = [lines[0] + ",colour", *(line + ",red" for line in lines[1:-1]), ""]
    source.write_text("\r\n".join(lines), encoding="utf-8")
    result = cli("import", str(source), "--skip-invalid")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: line 1: the column 'colour' is not one 'agreements export' writes"
    )
    assert not cli.db.exists()


def test_import_options_for_other_tools_need_a_map(cli, tmp_path):
    source = tmp_path / "in.json"
    source.write_text("[]", encoding="utf-8")
    result = cli("import", str(source), "--set", "type=other")
    assert result.exit_code == 2 and "need --map" in result.stderr
    result = cli("import", str(source), "--map", "party1.name=A")
    assert result.exit_code == 2 and "the file has no column 'A'" in result.stderr
    csv_file = tmp_path / "in.csv"
    csv_file.write_text(own_csv([pair(1)]), encoding="utf-8")
    result = cli("import", str(csv_file), "--set", "type=other")
    assert result.exit_code == 2 and "need --map" in result.stderr


def test_a_broken_csv_is_one_clear_error(cli, tmp_path):
    source = tmp_path / "in.csv"
    text = own_csv([pair(1), pair(2)])
    source.write_text(text + '3,"never closed,sister-city\r\n', encoding="utf-8")
    result = cli("import", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: line 4: the CSV cannot be read: unexpected end")
    assert not cli.db.exists()


def test_a_cell_larger_than_the_csv_module_default_is_read(cli, tmp_path):
    notes = "Minutes of the first meeting. " * 10_000  # 300 kB, over csv's 128 kB limit
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1, notes=notes.strip())]), encoding="utf-8")
    cli.ok("import", str(source))
    assert cli.records()["1"]["notes"] == notes.strip()


def test_a_blocked_import_still_writes_its_report(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1), pair(2, type="treaty")]), encoding="utf-8")
    report_file = tmp_path / "report.json"
    result = cli("import", str(source), "--report", str(report_file))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert [o["action"] for o in report["outcomes"]] == ["imported", "rejected"]
    assert report["written"] is False
    assert not cli.db.exists()


def test_a_forced_delimiter_wins_over_the_header(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(1, title="A; B; C; D")], delimiter=","), encoding="utf-8")
    refused = cli("import", str(source), "--delimiter", ";")
    assert refused.exit_code == 2
    cli.ok("import", str(source), "--delimiter", ",")
    assert cli.records()["1"]["title"] == "A; B; C; D"


def test_a_long_import_shows_progress_on_a_terminal_only(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(own_csv([pair(n) for n in range(1, 3001)]), encoding="utf-8")
    main, terminal = os.openpty()
    on_terminal = subprocess.run(
        [sys.executable, "-m", "agreements", "--db", str(tmp_path / "a.json"), "import",
         str(source)], stdout=subprocess.DEVNULL, stderr=terminal, check=False,
    )  # fmt: skip
    os.close(terminal)
    shown = _read_all(main)
    assert on_terminal.returncode == 0
    assert "Reading rows" in shown and "Imported 3000 agreements" in shown
    piped = run_process("--db", str(tmp_path / "b.json"), "import", str(source))
    assert piped.stderr == f"Imported 3000 agreements from {source}: 3000 rows read\n"


def _read_all(descriptor):
    chunks = []
    while True:
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:  # the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(descriptor)
    return b"".join(chunks).decode(errors="replace")
