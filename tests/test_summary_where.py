"""summary: partner countries, --top and others, decades, CSV and TSV; the first run; where."""

import json
import os
import re

import pytest
from click.testing import CliRunner
from conftest import COMMAND, SAMPLE, Cli

# Fourteen agreements of Aarhus (DK): partners in ten other countries, Germany three times,
# one with a second Danish town, each signed in a year of its own.
PARTNERS = ["DE", "DE", "DE", "SE", "SE", "NO", "FI", "FR", "GB", "PL", "IT", "ES", "NL"]
SECTORS = ["culture", "education", "tourism", "trade", "sport", "youth", "environment",
           "business", "logistics", "transport", "governance", "cleantech", ""]  # fmt: skip
OFFICE_MAP = [
    "--map", "party1.name=town", "--set", "party1.country=DK",
    "--map", "party2.name=partner", "--map", "party2.country=land",
    "--map", "signed_on=year", "--map", "sectors=sector", "--set", "type=sister-city",
]  # fmt: skip


def office_register(cli: Cli, tmp_path, years=None, extra_rows=()):
    rows = ["town,partner,land,year,sector"]
    for number, (land, sector) in enumerate(zip(PARTNERS, SECTORS, strict=True)):
        year = years[number] if years else 1990 + number
        rows.append(f"Aarhus,Partner {number},{land},{year},{sector}")
    rows.append("Aarhus,Randers,DK,2005,culture")
    rows.extend(extra_rows)
    source = tmp_path / "office.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli.ok("import", str(source), *OFFICE_MAP)


def run_without_db(*args, env=None):
    """The command as typed without --db, so AGREEMENTS_DB or the default chooses."""
    result = CliRunner().invoke(COMMAND, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def values(rows):
    return {row["value"]: row["count"] for row in rows}


# partner-country


def test_partner_countries_leave_the_home_country_out(cli, tmp_path):
    office_register(cli, tmp_path)
    counts = cli.ok("summary", "--by", "partner-country", "--by", "country", "-f", "json").json()
    assert counts["total"] == 14
    assert counts["home-country"] == {"value": "DK", "count": 14}
    partners = values(counts["partner-country"])
    assert "DK" in partners and partners["DK"] == 1  # Aarhus and Randers: home with home
    assert partners["DE"] == 3 and partners["SE"] == 2 and sum(partners.values()) == 14
    assert values(counts["country"])["DK"] == 14  # the plain count is as before


def test_home_can_be_named_and_then_both_sides_of_others_count(cli, tmp_path):
    office_register(cli, tmp_path)
    counts = cli.ok("summary", "--by", "partner-country", "--home", "germany", "-f", "json").json()
    assert counts["home-country"] == {"value": "DE", "count": 3}
    partners = values(counts["partner-country"])
    # The three German agreements count under Denmark; the other eleven under both sides.
    assert partners["DK"] == 14 and "DE" not in partners and partners["SE"] == 2


def test_the_default_home_country_is_the_one_on_most_agreements(cli):
    cli.ok("add", "-p", "Oslo, Norway", "-p", "Kiel, Germany", "-t", "twinning")
    cli.ok("add", "-p", "Bergen, Norway", "-p", "Turku, Finland", "-t", "twinning")
    cli.ok("add", "-p", "Lübeck, Germany", "-p", "Tartu, Estonia", "-t", "twinning")
    counts = cli.ok("summary", "--by", "partner-country", "-f", "json").json()
    # Germany and Norway are on two each: the first code of the tied, DE, is home.
    assert counts["home-country"] == {"value": "DE", "count": 2}
    assert values(counts["partner-country"]) == {"NO": 2, "FI": 1, "EE": 1}


def test_partner_country_with_no_country_counts_as_unknown(cli):
    cli.ok("add", "-p", "Oslo", "-p", "Kiel", "-t", "twinning")
    counts = cli.ok("summary", "--by", "partner-country", "-f", "json").json()
    assert counts["home-country"] is None
    assert counts["partner-country"] == [{"value": "unknown", "count": 1}]


def test_partner_country_table_names_the_home_country(cli, tmp_path):
    office_register(cli, tmp_path)
    table = cli.ok("summary", "--by", "partner-country").stdout
    assert "By partner country" in table and "Germany (DE)" in table
    assert "Home country Denmark (DK), on all 14 agreements" in table
    plain = cli.ok("summary", "--by", "country").stdout
    assert "Denmark (DK) is on every agreement: try --by partner-country." in plain


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--home", "DK"], "--home is the home country of partner-country"),
        (["--by", "partner-country", "--home", "Atlantis"], "unknown country 'Atlantis'"),
        (["--top", "-1"], "'--top'"),
    ],
)
def test_bad_summary_options_are_one_line_and_exit_2(cli, db, args, message):
    result = cli("summary", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert not db.exists()


def test_the_default_fields_of_json_are_unchanged(cli, tmp_path):
    office_register(cli, tmp_path)
    counts = cli.ok("summary", "-f", "json").json()
    assert list(counts) == [
        "total", "sector", "country", "type", "year", "status", "activity", "activity-year"
    ]  # fmt: skip


# --top and others, decades, bars


def _rows(table: str) -> list[list[str]]:
    """The cells of each row of the tables: the lines below a header rule, split at gaps."""
    rows, in_rows = [], False
    for line in table.splitlines():
        if line.startswith("─"):
            in_rows = True
        elif line.startswith("By ") or not line.strip():  # the next table's title
            in_rows = False
        elif in_rows:
            rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_a_table_shows_the_ten_largest_and_sums_the_others(cli, tmp_path):
    office_register(cli, tmp_path)
    table = cli.ok("summary", "--by", "partner-country").stdout
    # Eleven partner countries: DE 3, SE 2, then nine of 1 in code order; the last one goes.
    assert "Netherlands (NL)" in table and "Norway (NO)" in table and "Poland (PL)" not in table
    others = next(row for row in _rows(table) if row[0] == "others (1 value)")
    assert others == ["others (1 value)", "1"]  # no bar
    assert table.index("Norway (NO)") < table.index("others (1 value)")
    two = cli.ok("summary", "--by", "partner-country", "--top", "9").stdout
    assert "others (2 values)" in two and "Norway (NO)" not in two


def test_top_cuts_the_table_and_keeps_unknown_last(cli, tmp_path):
    office_register(cli, tmp_path)
    table = cli.ok("summary", "--by", "sector", "--top", "3").stdout
    rows = [row[0] for row in _rows(table)]
    assert rows[0] == "culture"  # culture is on two agreements, every other sector on one
    assert rows[3:] == ["others (9 values)", "unknown"]  # twelve sectors in all
    assert len(rows) == 5


def test_top_zero_shows_every_value_and_every_year(cli, tmp_path):
    office_register(cli, tmp_path, years=[1950 + 4 * n for n in range(13)])
    table = cli.ok("summary", "--by", "partner-country", "--by", "year", "--top", "0").stdout
    assert "others" not in table and "Poland (PL)" in table
    assert "1998" in table and "1990s" not in table


def test_many_years_become_decades_on_a_table_only(cli, tmp_path):
    years = [1950 + 4 * n for n in range(13)]  # 1950 … 1998, and Randers' 2005
    extra = [f"Aarhus,Town {n},SE,{1961 + n},trade" for n in range(3)]  # 16 years in all
    office_register(cli, tmp_path, years=years, extra_rows=extra)
    rows = {row[0]: row[1] for row in _rows(cli.ok("summary", "--by", "year").stdout)}
    assert rows == {"1950s": "3", "1960s": "5", "1970s": "3", "1980s": "2", "1990s": "3",
                    "2000s": "1"}  # fmt: skip
    counts = cli.ok("summary", "--by", "year", "-f", "json").json()
    assert len(counts["year"]) == 16 and counts["year"][0] == {"value": "1950", "count": 1}


def test_few_years_stay_years(cli, tmp_path):
    office_register(cli, tmp_path)  # 14 years
    table = cli.ok("summary", "--by", "year").stdout
    assert "1990 " in table and "2002 " in table and "1990s" not in table


def test_a_dominant_value_gets_a_cut_bar_and_leaves_the_others_a_scale(cli, tmp_path):
    office_register(cli, tmp_path)
    lines = cli.ok("summary", "--by", "country").stdout.splitlines()
    bars = {row[0]: row[2] for row in _rows("\n".join(lines)) if len(row) == 3}
    assert bars["Denmark (DK)"] == "█" * 19 + "»"  # 14 against Germany's 3
    assert bars["Germany (DE)"] == "█" * 16  # the next largest has the scale
    assert bars["Sweden (SE)"].startswith("█" * 10) and len(bars["Sweden (SE)"]) == 11
    assert "» cut short" in "\n".join(lines)


def test_machine_formats_are_complete_unless_top_is_given(cli, tmp_path):
    office_register(cli, tmp_path)
    every = cli.ok("summary", "--by", "partner-country", "-f", "json").json()
    assert len(every["partner-country"]) == 11
    top = cli.ok("summary", "--by", "partner-country", "--by", "year", "--top", "2", "-f", "json")
    counts = top.json()
    assert counts["partner-country"] == [{"value": "DE", "count": 3}, {"value": "SE", "count": 2}]
    assert len(counts["year"]) == 14  # years are never cut
    sectors = cli.ok("summary", "--by", "sector", "--top", "1", "-f", "json").json()["sector"]
    assert sectors == [{"value": "culture", "count": 2}, {"value": "unknown", "count": 1}]


# CSV and TSV


def test_summary_as_csv_and_tsv(cli):
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Kiel, Germany", "-t", "twinning", "--signed", "1995",
           "--sector", "culture")  # fmt: skip
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Turku, Finland", "-t", "friendship")
    args = ["summary", "--by", "partner-country", "--by", "type", "--by", "sector"]
    expected = [
        ["field", "value", "count"],
        ["total", "", "2"],
        ["home-country", "DK", "2"],
        ["partner-country", "DE", "1"],
        ["partner-country", "FI", "1"],
        ["type", "friendship", "1"],
        ["type", "sister-city", "1"],
        ["sector", "culture", "1"],
        ["sector", "unknown", "1"],
    ]
    csv_text = cli.ok(*args, "--format", "csv").stdout
    assert csv_text == "".join(",".join(row) + "\n" for row in expected)
    tsv_text = cli.ok(*args, "--format", "tsv").stdout
    assert tsv_text == "".join("\t".join(row) + "\n" for row in expected)
    no_home = cli.ok("summary", "--by", "type", "--format", "csv").stdout
    assert no_home.splitlines()[:2] == ["field,value,count", "total,,2"]


# 80 columns


def test_summary_tables_fit_80_columns(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    office_register(cli, tmp_path)
    cli.ok("sectors", "add", "international-development-and-humanitarian-cooperation")
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Saint-Pierre, Saint Pierre and Miquelon",
           "-t", "mou", "--sector", "international-development-and-humanitarian-cooperation")  # fmt: skip
    for args in (["summary"], ["summary", "--by", "partner-country", "--top", "0"]):
        output = cli.ok(*args).stdout
        assert max(len(line) for line in output.splitlines()) <= 80, output
    sample = Cli(SAMPLE).ok("summary").stdout
    assert max(len(line) for line in sample.splitlines()) <= 80


# The first run


def files_under(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_first_run_says_where_the_register_will_be(cli, db, tmp_path):
    before = files_under(tmp_path)
    for args in (["list", "--format", "table"], ["summary"], ["summary", "--sector", "culture"]):
        result = cli.ok(*args)
        assert "No agreements match" not in result.stdout and "┏" not in result.stdout
        assert f"No register yet. It will be\n  {db}\n(given with --db)." in result.stdout
        # A command too long for one line goes on in the next, as a shell reads it.
        assert f'agreements --db {db} \\\n    add --party "Aarhus, Denmark"' in result.stdout
        assert f"agreements --db {db} \\\n    import FILE" in result.stdout
        assert result.stderr == ""
    assert files_under(tmp_path) == before  # nothing created: no register, lock or folder


def test_first_run_machine_formats_stay_empty(cli, db):
    assert cli.ok("list").stdout.count("\n") == 1  # the TSV header, as before
    assert cli.ok("list", "--format", "json").json() == []
    assert cli.ok("summary", "--format", "json").json()["total"] == 0
    assert cli.ok("summary", "--format", "csv").stdout == "field,value,count\ntotal,,0\n"
    assert not db.exists()


def test_first_run_through_the_default_path_creates_no_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("AGREEMENTS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "80")
    result = run_without_db("summary")
    assert result.exit_code == 0
    path = tmp_path / "data" / "agreements" / "agreements.json"
    assert f"  {path}\n(the default: no --db, and AGREEMENTS_DB is not set)." in result.stdout
    assert '  agreements add --party "Aarhus, Denmark" --party "Bergen, Norway"\n' in result.stdout
    assert "  agreements import FILE\n" in result.stdout
    assert not (tmp_path / "data").exists()


def test_an_emptied_register_is_not_a_first_run(cli):
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Kiel, Germany", "-t", "twinning")
    cli.ok("remove", "1", "--yes")
    assert cli.ok("list", "--format", "table").stdout.strip() == "No agreements match."
    assert "No register yet" not in cli.ok("summary").stdout


# where


def test_where_names_the_db_option_and_creates_nothing(cli, db, tmp_path):
    before = files_under(tmp_path)
    text = cli.ok("where").stdout
    assert text.splitlines() == [
        f"Register: {db}",
        "Chosen:   given with --db",
        "Holds:    no register yet; 'agreements add' or 'agreements import' starts it",
    ]
    assert cli.ok("where", "--format", "json").json() == {
        "path": str(db), "source": "option", "exists": False, "agreements": None, "problem": None
    }  # fmt: skip
    assert files_under(tmp_path) == before


def test_where_counts_the_agreements(cli, db):
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Kiel, Germany", "-t", "twinning")
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Turku, Finland", "-t", "twinning")
    assert "Holds:    2 agreements" in cli.ok("where").stdout
    found = cli.ok("where", "-f", "json").json()
    assert found["exists"] is True and found["agreements"] == 2


def test_where_names_the_environment_and_the_default(tmp_path, monkeypatch):
    from_env = run_without_db("where", "-f", "json")
    assert from_env.exit_code == 0
    assert json.loads(from_env.stdout)["source"] == "environment"
    assert json.loads(from_env.stdout)["path"] == os.environ["AGREEMENTS_DB"]
    assert "Chosen:   from AGREEMENTS_DB" in run_without_db("where").stdout
    monkeypatch.delenv("AGREEMENTS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = run_without_db("where").stdout
    assert f"Register: {tmp_path / 'data' / 'agreements' / 'agreements.json'}" in default
    assert "Chosen:   the default: no --db, and AGREEMENTS_DB is not set" in default
    assert not (tmp_path / "data").exists()


def test_where_on_a_file_that_is_no_register_says_so_and_exits_0(cli, db):
    db.write_text("not a register", encoding="utf-8")
    result = cli("where")
    assert result.exit_code == 0
    assert "Holds:    a file that cannot be read as a register: " in result.stdout
    assert cli.ok("where", "-f", "json").json()["problem"]
    assert db.read_text(encoding="utf-8") == "not a register"
