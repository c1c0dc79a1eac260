"""`report`: the council's page, its Markdown and its figures, through the real CLI."""

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import AARHUS_QIXIA, run_process

from agreements.domain.council_report import Standing
from agreements.render.report_style import (
    BAND,
    BAR,
    PAPER,
    RULE,
    STANDING_FILLS,
    STRIPE,
    TEXT_COLOURS,
)

SAMPLE = Path(__file__).parent.parent / "data" / "sample-register.json"
AS_OF = ["--as-of", "2026-12-01"]
SISTER_CITY_1977 = ["add", "-p", "Vejle, DK", "-p", "Ronneby, SE", "-t", "sister-city", "--signed", "1977"]  # fmt: skip
TWINNING = [
    "add", "-p", "Kolding, DK", "-p", "Lahti, FI", "-t", "twinning", "--signed", "2025-03-20",
    "--review", "2026-06-30", "--sector", "culture",
]  # fmt: skip
EXTERNAL = re.compile(
    r"""<[a-z][^>]*\s(?:src|href)\s*=|url\((?!#)|@import|<link|<script|<img|<iframe""", re.I
)


@pytest.fixture
def sample(tmp_path, cli):
    """The sample register, copied so that nothing is written beside the original."""
    shutil.copy(SAMPLE, cli.db)
    return cli


@pytest.fixture
def lively(cli):
    """Three agreements: one active in 2026, one gone quiet since 2021, one never used."""
    for command in (AARHUS_QIXIA, SISTER_CITY_1977, TWINNING):
        cli.ok(*command)
    for number, kind, on, summary in (
        ("1", "delegation", "2026-03-14", "Harbour delegation to Qixia"),
        ("1", "meeting", "2026-09", "Online meeting on district heating"),
        ("1", "visit", "2025-11-02", "Mayor's visit"),
        ("2", "visit", "2021-05-02", "Choir visit"),
    ):
        cli.ok("activity", "add", number, "--kind", kind, "--on", on, "--summary", summary)
    return cli


def figures(cli, *args):
    return cli.ok("report", "--format", "json", *args).json()


def test_the_sample_report_is_one_self_contained_page(sample, tmp_path):
    before = sample.db.read_bytes()
    page = tmp_path / "r.html"
    result = sample.ok("report", "-o", str(page), *AS_OF)
    assert result.stderr == f"Wrote the report on 17 agreements to {page}\n"
    assert result.stdout == ""
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert EXTERNAL.search(html) is None
    charts = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(charts) >= 5
    for chart in charts:
        assert re.search(r"<title id=[^>]*>[^<]+</title><desc id=[^>]*>[^<]+</desc>", chart)
    assert "80th anniversary of the signing in 1947" in html  # Oxford – Bonn, in 2027
    assert "10th anniversary of the signing on 23 June 2017" in html
    every = html.split('<section class="agreements">', 1)[1]
    rows = re.findall(r'<tr><td class="number">(\d+)</td><td class="text">([^<]*)</td>', every)
    titles = {
        int(n): r["title"] for n, r in json.loads(SAMPLE.read_text("utf-8"))["agreements"].items()
    }
    assert {int(number): title for number, title in rows} == titles
    assert "Period: 1 January – 1 December 2026" in html
    assert sample.db.read_bytes() == before


def test_user_text_is_shown_never_obeyed(cli):
    script, attribute = "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'
    cli.ok("add", "-p", f"Aarhus{attribute}, DK", "-p", "Qixia, CN", "-t", "cooperation",
           "--title", script, "--signed", "2012")  # fmt: skip
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2026-05-01",
           "--summary", "</style></svg>]]><svg onload=alert(1)>")  # fmt: skip
    html = cli.ok("report", *AS_OF, "--title", '</style>" ; } body { display: none').stdout
    assert EXTERNAL.search(html) is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Aarhus&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/style&gt;&lt;/svg&gt;]]&gt;&lt;svg onload=alert(1)&gt;" in html
    assert html.count("</style>") == 1 and "<svg onload" not in html
    running_title = re.search(r"@top-left \{ content: (\"[^\"]*\")", html)
    assert running_title is not None and "<" not in running_title.group(1)
    markdown = cli.ok("report", *AS_OF, "--format", "md").stdout
    assert "\\<script\\>alert(1)\\</script\\>" in markdown
    assert "<script" not in markdown.replace("\\<script", "")


def test_the_year_counts_what_was_signed_and_done_in_it(lively):
    data = figures(lively, "--year", "2026")
    assert data["period"] == {"from": "2026-01-01", "to": "2026-12-31", "text": "2026"}
    assert data["figures"]["signed_in_period"] == 0
    assert data["figures"]["activities_in_period"] == 2
    assert [group["title"] for group in data["activities"]] == ["Aarhus – Qixia District (栖霞区)"]
    last_year = figures(lively, "--year", "2025")
    assert last_year["as_of"] == "2025-12-31"  # the standing at the end of a past year
    assert last_year["figures"]["signed_in_period"] == 1
    assert last_year["figures"]["activities_in_period"] == 1
    months = next(chart for chart in figures(lively, "--year", "2026")["charts"]
                  if chart["key"] == "activities")  # fmt: skip
    assert [row["key"] for row in months["rows"]] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert {row["key"]: row["count"] for row in months["rows"] if row["count"]} == {
        "2026-03": 1, "2026-09": 1,
    }  # fmt: skip


def test_standing_follows_the_activities(lively):
    data = figures(lively, *AS_OF)
    assert data["figures"]["standing"] == {
        "active": 1, "dormant": 1, "no_activity": 1, "proposed": 0, "suspended": 0, "ended": 0,
    }  # fmt: skip
    assert data["dormant"] == [
        {"agreement_id": 2, "title": "Vejle – Ronneby", "parties": ["Vejle", "Ronneby"],
         "last_activity": "2021-05-02"},
    ]  # fmt: skip
    html = lively.ok("report", *AS_OF).stdout
    assert (
        "Standing as of 1 December 2026: 1 active, 1 dormant and 1 with no activity recorded. "
        "In the period (1 January – 1 December 2026), no agreement was signed and 2 "
        "activities were recorded."
    ) in html
    assert "Choir visit" not in html  # before the period
    assert (
        '<td class="text">Vejle – Ronneby (#2)</td><td class="text">Vejle; Ronneby</td>'
        '<td class="date">2 May 2021'
    ) in html


def test_a_past_year_is_judged_by_what_had_happened_by_its_end(lively):
    lively.ok("activity", "add", "2", "--kind", "visit", "--on", "2026-05-01", "--summary", "Back")
    lively.ok("activity", "add", "3", "--kind", "meeting", "--on", "2027-02", "--summary", "Plan")
    now = {row["id"]: row["standing"] for row in figures(lively, *AS_OF)["agreements"]}
    assert now == {1: "active", 2: "active", 3: "no_activity"}  # the 2027 meeting is ahead
    then = {row["id"]: row["standing"] for row in figures(lively, "--year", "2025")["agreements"]}
    assert then == {1: "active", 2: "dormant", 3: "no_activity"}


def test_what_is_due_is_what_due_lists_for_the_next_12_months(lively):
    data = figures(lively, *AS_OF)
    due = lively.ok("due", *AS_OF, "--within", "12m", "--format", "json").json()
    due = [item for item in due if item["kind"] != "dormant"]
    assert data["overdue"] + data["upcoming"] == due  # due lists the overdue first
    assert ("2026-06-30", "review") in {(i["date"], i["kind"]) for i in data["overdue"]}
    assert ("1977", "anniversary") not in {(i["date"], i["kind"]) for i in data["upcoming"]}
    assert "50th anniversary of the signing in 1977" in {i["description"] for i in data["upcoming"]}


def test_charts_count_against_the_export(sample):
    records = sample.ok("export", "--format", "json").json()
    data = figures(sample, *AS_OF)
    charts = {chart["key"]: chart for chart in data["charts"]}
    sectors = {}
    for record in records:
        for sector in record["sectors"]:
            sectors[sector["name"]] = sectors.get(sector["name"], 0) + 1
    assert {row["key"]: row["count"] for row in charts["sectors"]["rows"]} == sectors
    types = {}
    for record in records:
        types[record["type"]] = types.get(record["type"], 0) + 1
    assert {row["key"]: row["count"] for row in charts["types"]["rows"]} == types
    decades = sum(row["count"] for row in charts["signed"]["rows"])
    assert decades == sum(record["signed_on"] is not None for record in records)
    assert data["home_country"] is None  # no country is on more than half of them
    countries = {code for record in records for code in (p["country"] for p in record["parties"])}
    assert data["figures"]["partner_countries"] == len(countries)
    assert len(data["agreements"]) == len(records) == 17


def test_a_home_country_leaves_the_partners(cli):
    for partner in ("Lahti, FI", "Ronneby, SE", "Kiel, DE"):
        cli.ok("add", "-p", "Vejle, DK", "-p", partner, "-t", "sister-city")
    data = figures(cli, *AS_OF)
    assert data["home_country"] == "DK" and data["title"] == "Partnerships of Vejle"
    countries = next(chart for chart in data["charts"] if chart["key"] == "countries")
    assert [row["key"] for row in countries["rows"]] == ["DE", "FI", "SE"]
    assert countries["title"] == "Agreements by partner country (beside Denmark)"
    assert [row["label"] for row in countries["rows"]] == ["Germany", "Finland", "Sweden"]
    continents = next(chart for chart in data["charts"] if chart["key"] == "continents")
    assert [(row["key"], row["count"]) for row in continents["rows"]] == [("Europe", 3)]
    assert figures(cli, *AS_OF, "--home", "FI")["figures"]["partner_countries"] == 3  # DK too


def test_markdown_holds_the_same_sections_as_tables(lively, tmp_path):
    target = tmp_path / "paper.md"
    lively.ok("report", *AS_OF, "-o", str(target))
    markdown = target.read_text("utf-8")
    for heading in (
        "# Partnership agreements", "## Key figures", "### Agreements signed per decade",
        "### Anniversaries", "## Dormant partnerships", "## Every agreement (3)",
    ):  # fmt: skip
        assert f"\n{heading}\n" in f"\n{markdown}", heading
    assert "| Dormant | 1 |" in markdown
    assert "| 1 | Aarhus – Qixia District (栖霞区) | cooperation | active |" in markdown
    assert "<svg" not in markdown


def test_a_pipe_in_a_title_stays_in_its_cell(cli):
    cli.ok("add", "-p", "Vejle, DK", "-p", "Lahti, FI", "-t", "sister-city", "--title", "A | B")
    markdown = cli.ok("report", *AS_OF, "--format", "md").stdout
    row = next(line for line in markdown.splitlines() if "A \\| B" in line)
    assert row.count(" | ") == 6  # seven cells, none split


def test_the_file_name_chooses_the_format(lively, tmp_path):
    for name, start in (
        ("r.json", "{"),
        ("r.md", "# "),
        ("r.htm", "<!DOCTYPE"),
        ("r", "<!DOCTYPE"),
    ):
        lively.ok("report", *AS_OF, "-o", str(tmp_path / name))
        assert (tmp_path / name).read_text("utf-8").startswith(start), name
    assert "size: letter;" in lively.ok("report", *AS_OF, "--paper", "letter").stdout
    assert "size: A4;" in lively.ok("report", *AS_OF).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-01"], "--from and --to go together"),
        (["--from", "2026-06", "--to", "2026-01"], "--to 2026-01 is before --from 2026-06"),
        (["--year", "2026", "--to", "2026-01"], "--year does not go with --from and --to"),
        (["--year", "0"], "--year 0 is not a year"),
        (["--from", "2026-02-30", "--to", "2026-12"], "--from: "),
        (["--paper", "a5"], "unknown paper size 'a5'"),
        (["--format", "docx"], "unknown format 'docx'"),
        (["--title", "  "], "--title is empty"),
    ],
)
def test_bad_options_are_one_line_and_write_nothing(lively, tmp_path, args, message):
    before = lively.db.read_bytes()
    target = tmp_path / "r.html"
    result = lively("report", "-o", str(target), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
    assert not target.exists() and lively.db.read_bytes() == before


def test_the_register_is_never_the_output(lively):
    result = lively("report", "-o", str(lively.db))
    assert result.exit_code == 2 and "it is the register's own file" in result.stderr


def test_a_pdf_without_weasyprint_names_the_extra(lively, tmp_path):
    target = tmp_path / "r.pdf"
    blocked = (
        "import sys; sys.modules['weasyprint'] = None; from agreements.entry import main; main()"
    )
    result = run_process_code(blocked, "--db", str(lively.db), "report", "-o", str(target))
    assert result.returncode == 7
    assert "pip install 'agreements[pdf]'" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not target.exists()


def run_process_code(code, *args):
    import subprocess

    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_an_empty_register_gives_a_report_that_says_so(cli, tmp_path):
    cli.ok("add", "-p", "Vejle, DK", "-p", "Lahti, FI", "-t", "sister-city")
    cli.ok("remove", "1", "--yes")
    html = cli.ok("report", *AS_OF).stdout
    assert "Every agreement (0)" in html and "No agreements to show." in html
    data = figures(cli, *AS_OF)
    assert data["figures"]["agreements"] == 0 and data["agreements"] == []


def test_a_terminal_without_a_file_shows_markdown():
    from conftest import run_in_terminal

    code, shown = run_in_terminal("--db", str(SAMPLE), "report", *AS_OF, "--no-pager")
    assert code == 0
    lines = shown.splitlines()
    assert "Partnership agreements" in lines[0] and "<" not in shown
    assert any("Oxford – Bonn (#3)" in line for line in lines)
    assert max(len(line) for line in lines) <= 80


def test_filters_choose_the_agreements_and_the_page_says_so(sample):
    data = figures(sample, *AS_OF, "--country", "ZA", "--type", "sister-city", "--type", "mou")
    assert [row["title"] for row in data["agreements"]] == [
        "Cape Town – Buenos Aires", "Cape Town – Dubai Municipality",
    ]  # fmt: skip
    assert data["selection"] == ["--country ZA", "--type sister-city", "--type mou"]
    assert data["figures"]["agreements"] == 2 and data["register_agreements"] == 17
    markdown = sample.ok("report", *AS_OF, "--country", "ZA", "--format", "md").stdout
    assert "- Agreements: 4 of 17, chosen by --country ZA\n" in markdown
    assert (
        "The report covers 4 of the register's 17 agreements, those chosen by --country ZA."
        in markdown
    )


def test_home_and_title_come_from_the_whole_register_and_no_tie_is_broken_by_chance(cli):
    for partner in ("Nanjing, CN", "Harbin, CN", "Kuopio, FI", "Turku, FI"):
        cli.ok("add", "-p", "Aarhus, DK", "-p", partner, "-t", "friendship")
    data = figures(cli, *AS_OF, "--country", "CN")
    assert data["home_country"] == "DK" and data["title"] == "Partnerships of Aarhus"
    countries = next(chart for chart in data["charts"] if chart["key"] == "countries")
    assert [(row["key"], row["count"]) for row in countries["rows"]] == [("CN", 2)]
    one = cli.ok("report", *AS_OF, "--party", "turku", "--format", "json").json()
    assert one["title"] == "Partnerships of Aarhus"
    cli.ok("add", "-p", "Odense, DK", "-p", "Kiel, DE", "-t", "friendship")
    cli.ok("add", "-p", "Odense, DK", "-p", "Lund, SE", "-t", "friendship")
    cli.ok("add", "-p", "Odense, DK", "-p", "Oslo, NO", "-t", "friendship")
    cli.ok("add", "-p", "Odense, DK", "-p", "Bergen, NO", "-t", "friendship")
    assert figures(cli, *AS_OF)["title"] == "Partnership agreements"  # 4 and 4 of 8


def test_agreements_at_home_count_under_the_home_country_but_not_as_a_partner(cli):
    cli.ok("add", "-p", "Vejle, DK", "-p", "Lahti, FI", "-t", "sister-city")
    cli.ok("add", "-p", "Vejle, DK", "-p", "Odense, DK", "-t", "friendship")
    data = figures(cli, *AS_OF)
    assert data["home_country"] == "DK" and data["figures"]["partner_countries"] == 1
    countries = next(chart for chart in data["charts"] if chart["key"] == "countries")
    assert [row["label"] for row in countries["rows"]] == ["Denmark (within)", "Finland"]


def test_a_missing_register_is_not_an_empty_report(tmp_path):
    target = tmp_path / "r.html"
    result = run_process("--db", str(tmp_path / "typo.json"), "report", "-o", str(target))
    assert result.returncode == 3
    assert result.stderr.startswith(f"Error: there is no register at {tmp_path / 'typo.json'}")
    assert not target.exists() and not (tmp_path / "typo.json").exists()


def test_the_palette_meets_wcag_aa_and_tells_standings_apart_in_grey():
    for colour in TEXT_COLOURS:
        for background in (PAPER, STRIPE):
            assert contrast(colour, background) >= 4.5, (colour, background)
    assert contrast(PAPER, BAND) >= 4.5
    for colour in (BAR, RULE, *(fill.colour for fill in STANDING_FILLS.values())):
        assert contrast(colour, PAPER) >= 3, colour
    assert set(STANDING_FILLS) == set(Standing)
    assert len({fill.pattern for fill in STANDING_FILLS.values()}) == len(Standing)


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two colours written #rrggbb."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_command_is_run_by_a_user_as_a_process(tmp_path):
    register = tmp_path / "r.json"
    shutil.copy(SAMPLE, register)
    result = run_process("--db", str(register), "report", *AS_OF, "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["figures"]["agreements"] == 17


def test_a_period_of_months_holds_the_dates_whose_first_day_it_holds(cli):
    cli.ok("add", "-p", "Vejle, DK", "-p", "Lahti, FI", "-t", "sister-city", "--signed", "2025-07")
    cli.ok("add", "-p", "Vejle, DK", "-p", "Lund, SE", "-t", "sister-city", "--signed", "2025")
    for on, summary in (("2026", "Year-only, in"), ("2025", "Year-only, out"),
                        ("2026-06-30", "Last day"), ("2026-07-01", "After")):  # fmt: skip
        cli.ok("activity", "add", "1", "--kind", "visit", "--on", on, "--summary", summary)
    data = figures(cli, "--from", "2025-07", "--to", "2026-06", "--as-of", "2026-12-01")
    assert data["period"] == {"from": "2025-07-01", "to": "2026-06-30",
                              "text": "July 2025 – June 2026"}  # fmt: skip
    assert data["figures"]["signed_in_period"] == 1  # July 2025 in; "2025" is its January
    summaries = [a["summary"] for group in data["activities"] for a in group["activities"]]
    assert summaries == ["Year-only, in", "Last day"]
    months = next(chart for chart in data["charts"] if chart["key"] == "activities")
    assert [row["label"] for row in months["rows"]][:2] == ["Jul 2025", "Aug 2025"]
    assert months["note"] == "1 activity known only by year."


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--year", "2026"], "2026"),
        (["--from", "2026-03", "--to", "2026-06"], "March – June 2026"),
        (["--from", "2026-03", "--to", "2026-03"], "March 2026"),
        (["--from", "2025", "--to", "2026"], "2025–2026"),
        (["--from", "2026-03-05", "--to", "2026-04-01"], "5 March – 1 April 2026"),
        (["--from", "2025-12-31", "--to", "2026-01-02"], "31 December 2025 – 2 January 2026"),
        (["--from", "2026-03-05", "--to", "2026-03-05"], "5 March 2026"),
    ],
)
def test_the_period_is_written_as_people_write_it(cli, args, text):
    cli.ok(*SISTER_CITY_1977)
    assert figures(cli, *args, *AS_OF)["period"]["text"] == text


def test_the_timeline_counts_years_decades_or_centuries_by_its_span(cli):
    cli.ok("add", "-p", "Vejle, DK", "-p", "Lahti, FI", "-t", "sister-city", "--signed", "1990")
    cli.ok("add", "-p", "Vejle, DK", "-p", "Lund, SE", "-t", "sister-city", "--signed", "2019")
    signed = next(c for c in figures(cli, *AS_OF)["charts"] if c["key"] == "signed")
    assert signed["dimension"] == "year" and len(signed["rows"]) == 30  # 1990 to 2019
    cli.ok("add", "-p", "Vejle, DK", "-p", "Kiel, DE", "-t", "sister-city", "--signed", "2020")
    signed = next(c for c in figures(cli, *AS_OF)["charts"] if c["key"] == "signed")
    assert [(r["key"], r["count"]) for r in signed["rows"]] == [
        ("1990s", 1), ("2000s", 0), ("2010s", 1), ("2020s", 1),
    ]  # fmt: skip
    cli.ok("add", "-p", "Vejle, DK", "-p", "Ribe, DK", "-t", "friendship", "--signed", "1500")
    signed = next(c for c in figures(cli, *AS_OF)["charts"] if c["key"] == "signed")
    assert signed["dimension"] == "century"
    assert [(r["label"], r["count"]) for r in signed["rows"]][::5] == [
        ("1500–1599", 1),
        ("2000–2099", 2),
    ]


def test_a_long_period_counts_activities_per_year(lively):
    data = figures(lively, "--from", "2020", "--to", "2026", *AS_OF)
    chart = next(c for c in data["charts"] if c["key"] == "activities")
    assert chart["dimension"] == "year"
    assert [(r["key"], r["count"]) for r in chart["rows"]] == [
        ("2020", 0), ("2021", 1), ("2022", 0), ("2023", 0), ("2024", 0), ("2025", 1), ("2026", 2),
    ]  # fmt: skip


def test_what_comes_after_the_day_judged_does_not_count(lively):
    lively.ok(
        "activity", "add", "1", "--kind", "meeting", "--on", "2026-12-10", "--summary", "Soon"
    )
    lively.ok(
        "add", "-p", "Vejle, DK", "-p", "Kiel, DE", "-t", "sister-city", "--signed", "2026-12-20"
    )
    data = figures(lively, "--year", "2026", *AS_OF)
    assert data["figures"]["activities_in_period"] == 2  # not the meeting of 10 December
    assert data["figures"]["signed_in_period"] == 0
    kiel = next(row for row in data["agreements"] if row["title"] == "Vejle – Kiel")
    assert kiel["status"] == "proposed"
    signed = next(c for c in data["charts"] if c["key"] == "signed")
    assert sum(r["count"] for r in signed["rows"]) == 3
    assert signed["note"] == "1 agreement not signed by then or without a known date."
    listed = lively.ok("list", *AS_OF, "--no-activity", "--format", "json").json()
    assert [row["id"] for row in listed] == [3, 4]
    lively.ok("activity", "add", "3", "--kind", "visit", "--on", "2027-03-01", "--summary",
              "Planned", "--follow-up", "2027-04-01")  # fmt: skip
    due = lively.ok("due", *AS_OF, "--within", "1y", "--kind", "follow-up", "-f", "json").json()
    assert due == []  # the next step of a visit not yet made is not due yet
