"""`extract`: drafts from announcements of our own, through the real CLI and register."""

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ANSI_ESCAPE, run_process

TEXTS = Path(__file__).parent / "announcements"
DISTRICT = str(TEXTS / "district.txt")


def drafts(cli, *args):
    return cli.ok("extract", *args, "--format", "json").json()["drafts"]


def test_a_district_under_its_city_with_the_year_of_the_byline(cli):
    [draft] = drafts(cli, DISTRICT)
    assert draft["parties"] == [
        {"name": "Harbourton", "country": None, "level": "city", "parent": None},
        {"name": "Luyang District", "country": "CN", "level": "district", "parent": "Hefei"},
    ]
    assert draft["signatories"] == [
        {"name": "Ingrid Holm", "title": "Mayor", "party": "Harbourton"},
        {"name": "Wen Lifang", "title": "Governor", "party": "Luyang District"},
    ]
    assert draft["signed_on"] == "2019-03-05"  # "On 5 March" in the year of the byline
    assert draft["place"] == "Harbourton City Hall"
    assert draft["type"] == "cooperation"
    assert draft["sectors"] == [
        {"name": "cleantech", "certainty": "agreed"},
        {"name": "education", "certainty": "possible"},
    ]
    assert draft["problems"] == []


def test_a_quoted_or_welcoming_councillor_is_not_a_signatory(cli):
    [draft] = drafts(cli, DISTRICT)
    assert "Peter Voss" not in {s["name"] for s in draft["signatories"]}
    assert "Voss" not in json.dumps(draft["parties"])


def test_every_value_cites_the_exact_span_it_came_from(cli):
    text = (TEXTS / "district.txt").read_text(encoding="utf-8")
    document = cli.ok("extract", DISTRICT, "--format", "json").json()
    assert document["extract_version"] == 1
    assert document["published_on"] == "2019-03-14"
    [draft] = document["drafts"]
    cited = {item["field"] for item in draft["provenance"]}
    assert {"type", "signed_on", "place", "parties[0].name", "parties[1].name",
            "parties[1].parent", "parties[1].country", "signatories[0].name",
            "signatories[1].name", "sectors[0]", "sectors[1]"} <= cited  # fmt: skip
    for item in draft["provenance"]:
        assert text[item["start"] : item["end"]] == item["text"]
        assert item["rule"]
    date = next(item for item in draft["provenance"] if item["field"] == "signed_on")
    assert date["text"] == "5 March"
    assert "2019-03-14" in date["rule"]


def test_a_date_without_a_year_stays_empty_without_a_publication_date(cli, tmp_path):
    text = tmp_path / "no-year.txt"
    body = (TEXTS / "district.txt").read_text(encoding="utf-8")
    text.write_text(body.replace("By Harbourton City Press Office, March 14, 2019\n", ""))
    [draft] = drafts(cli, str(text))
    assert draft["signed_on"] is None
    [draft] = drafts(cli, str(text), "--published", "2020-01-10")
    assert draft["signed_on"] == "2019-03-05"  # the last 5 March on or before it


def test_yesterday_and_a_weekday_are_read_against_the_publication_date(cli, tmp_path):
    text = tmp_path / "weekday.txt"
    text.write_text(
        "Corby and Lorient sign twinning charter\n\n"
        "Mayor Jane Doe of Corby and Mayor Yves Marec of Lorient signed a twinning charter "
        "on Tuesday at the Corby Cube.\n",
        encoding="utf-8",
    )
    [draft] = drafts(cli, str(text), "--published", "2024-05-09")  # a Thursday
    assert draft["signed_on"] == "2024-05-07"
    assert "2024-05-09" in next(p["rule"] for p in draft["provenance"] if p["field"] == "signed_on")
    [draft] = drafts(cli, str(text))
    assert draft["signed_on"] is None


def test_a_planned_signing_is_a_proposed_draft_without_a_date(cli):
    [draft] = drafts(cli, str(TEXTS / "planned.txt"), "--published", "2024-05-01")
    assert draft["status"] == "proposed"
    assert draft["signed_on"] is None and draft["place"] is None
    assert [p["name"] for p in draft["parties"]] == ["Brightwater", "Saint-Aubin"]
    assert draft["type"] == "sister-city"
    assert {s["name"] for s in draft["sectors"]} == {"culture", "sport", "tourism"}
    assert "12 June" in draft["notes"]


def test_two_agreements_in_one_text_give_two_drafts(cli):
    first, second = drafts(cli, str(TEXTS / "two.txt"), "--published", "2023-10-10")
    assert (first["type"], first["signed_on"]) == ("sister-city", "2023-10-09")
    assert [p["name"] for p in first["parties"]] == ["Eastvale", "Porto Alegre"]
    assert (second["type"], second["signed_on"]) == ("friendship", "2023-10-04")
    assert [p["name"] for p in second["parties"]] == ["Eastvale", "Tampere"]
    assert first["signatories"] == second["signatories"] == []  # she attended
    only = cli.ok("extract", str(TEXTS / "two.txt"), "--draft", "2", "--format", "json")
    assert [d["type"] for d in only.json()["drafts"]] == ["friendship"]


def test_a_text_with_no_agreement_is_exit_3_and_no_draft(cli):
    result = cli("extract", str(TEXTS / "visit.txt"), "--format", "json")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("Error: no agreement found in ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_html_page_is_read_as_its_text_and_a_renewal_is_noted(cli):
    [draft] = drafts(cli, str(TEXTS / "renewal.html"))
    assert [p["name"] for p in draft["parties"]] == ["Kettering", "Lahr"]
    assert draft["signed_on"] == "2023-06-02"  # "yesterday", from the dateline's date
    assert "renewal" in draft["notes"]
    assert {s["name"] for s in draft["sectors"]} == {"youth", "sport"}
    assert all("var x" not in p["text"] for p in draft["provenance"])


def test_the_table_shows_values_beside_their_evidence_within_80_columns(cli):
    result = cli.ok("extract", DISTRICT)
    assert "Draft: Harbourton – Luyang District" in result.stdout
    assert "“5 March”" in result.stdout and "Harbourton City Hall" in result.stdout
    assert "education (possible)" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "2019"], "--published needs a whole date"),
        (["--published", "soon"], "--published:"),
        (["--source", "not a web address", "--save", "--yes"], "does not start with a web address"),
        (["--draft", "3"], "there is no draft 3"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(cli, args, message):
    result = cli("extract", DISTRICT, *args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not cli.db.exists()


def test_unreadable_input_is_refused(cli, tmp_path):
    assert cli("extract", str(tmp_path / "missing.txt")).exit_code == 2
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Sign\xe9 à Lyon".encode("latin-1"))
    result = cli("extract", str(latin))
    assert result.exit_code == 2 and "not UTF-8 text" in result.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    assert "holds no text" in cli("extract", str(empty)).stderr


def test_save_with_yes_adds_the_draft_through_add_with_its_source(cli):
    result = cli.ok("extract", DISTRICT, "--save", "--yes", "--source", "https://example.org/n/1")
    assert "Added agreement 1: Harbourton – Luyang District, signed 2019-03-05" in result.stderr
    [record] = cli.records().values()
    assert record["type"] == "cooperation" and record["signed_on"] == "2019-03-05"
    assert record["parties"][1]["parent"] == "Hefei"
    assert record["sectors"] == [
        {"name": "cleantech", "certainty": "agreed"},
        {"name": "education", "certainty": "possible"},
    ]
    assert record["sources"] == [
        {"url": "https://example.org/n/1", "title": None, "published_on": "2019-03-14"}
    ]
    history = cli.ok("history", "--format", "json").json()
    assert len(history) == 1


def test_save_of_a_planned_signing_stores_it_as_proposed(cli):
    cli.ok("extract", str(TEXTS / "planned.txt"), "--save", "--yes")
    [record] = cli.records().values()
    assert record["status"] == "proposed" and record["signed_on"] is None


def test_save_of_two_drafts_is_one_operation(cli):
    cli.ok("extract", str(TEXTS / "two.txt"), "--published", "2023-10-10", "--save", "--yes")
    assert len(cli.records()) == 2
    assert len(cli.ok("history", "--format", "json").json()) == 1
    assert cli.ok("undo").exit_code == 0
    assert cli.records() == {}


def test_save_without_a_terminal_needs_yes_and_changes_nothing(cli):
    result = cli("extract", DISTRICT, "--save")
    assert result.exit_code == 2
    assert "without confirmation" in result.stderr
    assert not cli.db.exists()


def test_save_refuses_a_draft_add_would_refuse(cli, tmp_path):
    text = tmp_path / "one-party.txt"
    text.write_text("Mayor Ann Lowe of Kettering signed a twinning charter yesterday.\n")
    result = cli("extract", str(text), "--save", "--yes")
    assert result.exit_code == 2
    assert "fewer than two parties" in result.stderr
    assert not cli.db.exists()


def _extract_in_terminal(db: Path, answer: bytes) -> tuple[int, str]:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "agreements", "--db", str(db), "extract", DISTRICT, "--save"],
        stdin=follower, stdout=follower, stderr=follower,
        env={**os.environ, "TERM": "dumb", "COLUMNS": "80"},
    )  # fmt: skip
    os.close(follower)
    shown = bytearray()
    answered = False
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
        if not answered and b"to the register?" in shown:
            os.write(leader, answer)
            answered = True
    os.close(leader)
    return process.wait(timeout=60), ANSI_ESCAPE.sub("", shown.decode("utf-8", "replace"))


def test_save_on_a_terminal_asks_first(db):
    code, shown = _extract_in_terminal(db, b"n\n")
    assert code == 0 and "Nothing added." in shown and not db.exists()
    code, shown = _extract_in_terminal(db, b"y\n")
    assert code == 0 and "Added agreement 1" in shown
    assert "Harbourton" in db.read_text(encoding="utf-8")


def test_stdin_is_read_with_a_dash():
    result = run_process(
        "extract", "-", "--format", "json", input=(TEXTS / "district.txt").read_text()
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["drafts"][0]["signed_on"] == "2019-03-05"


def test_offsets_count_the_characters_of_the_file_whatever_its_line_endings(cli, tmp_path):
    body = (TEXTS / "district.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    [draft] = drafts(cli, str(crlf))
    assert draft["signed_on"] == "2019-03-05"
    for item in draft["provenance"]:
        assert body[item["start"] : item["end"]] == item["text"]


def test_an_endless_line_is_read_in_pieces(cli, tmp_path):
    text = tmp_path / "endless.txt"
    text.write_text("Kettering and Lahr signed a twinning charter. " + "x" * 200_000)
    [draft] = drafts(cli, str(text))
    assert [p["name"] for p in draft["parties"]] == ["Kettering", "Lahr"]


def test_a_council_authorising_a_signing_gives_a_proposed_draft(cli, tmp_path):
    text = tmp_path / "resolution.txt"
    text.write_text(
        "The committee resolved to authorise the Mayor to sign a twinning charter with "
        "Kettering and Lahr in the spring.\n",
        encoding="utf-8",
    )
    [draft] = drafts(cli, str(text))
    assert draft["status"] == "proposed" and draft["signed_on"] is None
