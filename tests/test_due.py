"""`due`, `calendar` and the date filters: what needs attention, judged as on a given day."""

import re

import icalendar
import pytest
from conftest import AARHUS_QIXIA

AS_OF = ["--as-of", "2026-12-01"]
TWINNING = [
    "add", "-p", "Kolding, DK", "-p", "Lahti, FI", "-t", "twinning", "--signed", "2002-01-20",
    "--review", "2027-01-15", "--expires", "2027-03-01", "--notice", "2 months",
]  # fmt: skip
SISTER_CITY_1977 = ["add", "-p", "Vejle, DK", "-p", "Ronneby, SE", "-t", "sister-city", "--signed", "1977"]  # fmt: skip
FOLLOW_UP = [
    "activity", "add", "1", "--kind", "delegation", "--on", "2026-10-05",
    "--summary", "Cleantech delegation to Qixia", "--party", "Aarhus",
    "--follow-up", "2026-12-15", "--follow-up-note", "send the draft programme",
]  # fmt: skip


@pytest.fixture
def planned(cli):
    """The reference agreement with a follow-up, a twinning near its end, a link of 1977."""
    for command in (AARHUS_QIXIA, TWINNING, SISTER_CITY_1977, FOLLOW_UP):
        cli.ok(*command)
    return cli


def test_due_lists_what_the_next_90_days_hold_and_not_the_expiry_beyond(planned):
    items = planned.ok("due", *AS_OF, "--within", "90d", "--format", "json").json()
    assert [(item["date"], item["kind"], item["agreement_id"]) for item in items] == [
        ("2026-12-15", "follow-up", 1),
        ("2027-01-01", "notice", 2),
        ("2027", "anniversary", 3),
        ("2027-01-15", "review", 2),
        ("2027-01-20", "anniversary", 2),
    ]
    assert all(item["overdue"] is False for item in items)
    assert items[0]["description"] == "send the draft programme"
    assert items[2]["description"] == "50th anniversary of the signing in 1977"
    assert items[0]["title"] == "Aarhus – Qixia District (栖霞区)"
    assert set(items[0]) == {"date", "kind", "agreement_id", "title", "description", "overdue"}
    longer = planned.ok("due", *AS_OF, "--within", "91d", "--format", "json").json()
    assert longer[-1]["kind"] == "expiry" and longer[-1]["date"] == "2027-03-01"


def test_the_table_says_when_in_words(planned):
    table = planned.ok("due", *AS_OF, "--format", "table").stdout
    for words in (
        "follow-up due in 2 weeks", "notice due in 4 weeks", "50th anniversary in 2027",
        "review due in 6 weeks", "25th anniversary in 7 weeks", "send the draft programme",
    ):  # fmt: skip
        assert words in table, words
    assert "expires" not in table
    assert max(len(line) for line in table.splitlines()) <= 80


def test_exit_code_says_whether_anything_is_due(planned):
    assert planned("due", *AS_OF, "--exit-code").exit_code == 10
    quiet = planned("due", *AS_OF, "--within", "1d", "--exit-code")
    assert quiet.exit_code == 0
    assert quiet.stdout == "date\tkind\tagreement_id\ttitle\tdescription\toverdue\n"
    assert planned("due", *AS_OF).exit_code == 0  # without --exit-code, listing is success


def test_agreements_today_sets_the_day_for_every_command(planned, monkeypatch):
    expected = planned.ok("due", *AS_OF, "--format", "json").stdout
    monkeypatch.setenv("AGREEMENTS_TODAY", "2026-12-01")
    assert planned.ok("due", "--format", "json").stdout == expected
    monkeypatch.setenv("AGREEMENTS_TODAY", "2027-03-02")
    assert planned.ok("show", "2", "--format", "json").json()["status"] == "expired"
    assert planned.ok("due", "--kind", "notice", "--format", "json").json() == []
    monkeypatch.setenv("AGREEMENTS_TODAY", "next tuesday")
    result = planned("list")
    assert result.exit_code == 2 and result.stderr.startswith("Error: AGREEMENTS_TODAY: ")


def test_overdue_items_stay_and_passed_anniversaries_and_expiries_go(planned):
    items = planned.ok("due", "--as-of", "2027-02-10", "--format", "json").json()
    kinds = [(item["kind"], item["overdue"]) for item in items]
    assert ("notice", True) in kinds and ("review", True) in kinds
    assert ("follow-up", True) in kinds
    assert ("expiry", False) in kinds
    anniversaries = [item for item in items if item["kind"] == "anniversary"]
    assert [item["agreement_id"] for item in anniversaries] == [3]  # the 25th has passed
    table = planned.ok("due", "--as-of", "2027-02-10", "--format", "table").stdout
    assert "review overdue by 4 weeks" in table and "notice overdue by 6 weeks" in table
    ended = planned.ok("due", "--as-of", "2027-03-02", "--format", "json").json()
    assert all(item["agreement_id"] != 2 for item in ended)  # expired: nothing is due


def test_kinds_and_anniversaries_can_be_chosen(planned):
    chosen = ["--within", "1y", "--kind", "anniversary", "--format", "json"]
    items = planned.ok("due", *AS_OF, *chosen, "--anniversaries", "10,25").json()
    assert [(item["agreement_id"], item["description"]) for item in items] == [
        (2, "25th anniversary of the signing on 20 January 2002"),
    ]
    default = planned.ok("due", *AS_OF, *chosen).json()
    assert [item["agreement_id"] for item in default] == [3, 2, 1]  # the 15th of 2012 too
    for bad in (["--kind", "birthday"], ["--anniversaries", "ten"], ["--within", "3 fortnights"]):
        result = planned("due", *bad)
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, bad


def test_a_leap_day_signing_has_its_anniversary_on_the_28th(cli):
    cli.ok("add", "-p", "A, DK", "-p", "B, DE", "-t", "twinning", "--signed", "2016-02-29")
    items = cli.ok("due", "--as-of", "2026-02-01", "--format", "json").json()
    assert [(item["date"], item["description"]) for item in items] == [
        ("2026-02-28", "10th anniversary of the signing on 29 February 2016"),
    ]


def test_a_signing_in_the_future_is_proposed_until_that_day(cli):
    cli.ok("add", "-p", "A, DK", "-p", "B, DE", "-t", "twinning", "--signed", "2027-05-09")
    assert cli.ok("show", "1", *AS_OF, "--format", "json").json()["status"] == "proposed"
    assert cli.ok("list", "--status", "proposed", *AS_OF).stdout.count("\n") == 2
    assert (
        cli.ok("show", "1", "--as-of", "2027-05-09", "--format", "json").json()["status"]
        == "active"
    )
    assert cli.ok("due", *AS_OF, "--within", "2y", "--format", "json").json() == []


def test_the_terms_of_an_agreement_are_checked(cli):
    base = ["add", "-p", "A, DK", "-p", "B, DE", "-t", "twinning", "--signed", "2012-10-02"]
    cases = {
        "an expiry before the signing": (["--expires", "2011"], "before"),
        "a notice longer than the term": (["--expires", "2013-01", "--notice", "6m"], "longer than the term"),
        "a notice without an expiry": (["--notice", "3m"], "needs an expiry"),
        "an unknown renewal": (["--renewal", "sometimes"], "renewal"),
        "an unreadable notice": (["--notice", "soon"], "period"),
    }  # fmt: skip
    for name, (extra, words) in cases.items():
        result = cli(*base, *extra)
        assert result.exit_code == 2, name
        assert words in result.stderr and len(result.stderr.splitlines()) == 1, name
    assert not cli.db.exists()
    cli.ok(*base, "--expires", "2027-03", "--notice", "3 months", "--renewal", "automatic",
           "--effective", "2013-01", "--council-resolution", "2012-09-13")  # fmt: skip
    record = cli.records()["1"]
    assert (record["notice"], record["renewal"], record["effective_on"]) == (
        "3 months",
        "automatic",
        "2013-01",
    )
    assert record["council_resolution_on"] == "2012-09-13"
    assert cli("edit", "1", "--notice", "20y").exit_code == 2
    cli.ok("edit", "1", "--clear", "expires")
    assert cli.records()["1"]["notice"] is None  # a notice is given before an expiry


@pytest.fixture
def three_twinnings(cli):
    """Twinnings of 1990: one last active in March 2020, one in 2024, one never."""
    for first in ("A", "C", "E"):
        cli.ok("add", "-p", f"{first}, DK", "-p", f"{first}{first}, DE", "-t", "twinning",
               "--signed", "1990")  # fmt: skip
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2020-03", "--summary", "Choir visit")
    cli.ok(
        "activity", "add", "2", "--kind", "exchange", "--on", "2024-09-02", "--summary", "Pupils"
    )
    return cli


def test_list_finds_dormant_partnerships_and_those_with_no_activity(three_twinnings):
    cli = three_twinnings
    dormant = cli.ok("list", "--dormant", *AS_OF, "--format", "json").json()
    assert [record["id"] for record in dormant] == [1]
    none = cli.ok("list", "--no-activity", *AS_OF, "--format", "json").json()
    assert [record["id"] for record in none] == [3]
    later = cli.ok("list", "--dormant", "--as-of", "2027-09-03", "--format", "json").json()
    assert [record["id"] for record in later] == [1, 2]
    shorter = cli.ok("list", "--dormant", "--dormant-after", "2y", *AS_OF, "--format", "json")
    assert [record["id"] for record in shorter.json()] == [1, 2]
    items = cli.ok("due", *AS_OF, "--kind", "dormant", "--format", "json").json()
    assert [(i["agreement_id"], i["date"], i["overdue"]) for i in items] == [
        (1, "2023-03-31", True)
    ]
    table = cli.ok("list", "--dormant", *AS_OF, "--format", "table").stdout
    assert "Next" in table and "dormant: no activity for 6 years" in table  # March 2020
    cli.ok("edit", "1", "--status", "terminated")
    assert cli.ok("list", "--dormant", *AS_OF, "--format", "json").json() == []


def test_summary_counts_how_alive_the_partnerships_are(three_twinnings):
    cli = three_twinnings
    cli.ok("activity", "add", "2", "--kind", "meeting", "--on", "2024-11", "--summary", "Mayors")
    summary = cli.ok(
        "summary", *AS_OF, "--by", "activity", "--by", "activity-year", "-f", "json"
    ).json()
    assert summary["activity"] == [
        {"value": "active", "count": 1}, {"value": "dormant", "count": 1},
        {"value": "no activity recorded", "count": 1},
    ]  # fmt: skip
    assert summary["activity-year"] == [
        {"value": "2020", "count": 1}, {"value": "2024", "count": 1}, {"value": "none", "count": 1},
    ]  # fmt: skip


def test_list_due_within_keeps_agreements_with_something_due(planned):
    due = planned.ok("list", "--due-within", "30d", *AS_OF, "--format", "json").json()
    assert [record["id"] for record in due] == [1]  # the follow-up; the notice is 31 days off
    due = planned.ok("list", "--due-within", "5w", *AS_OF, "--format", "json").json()
    assert [record["id"] for record in due] == [1, 2, 3]  # and the 50th, "in 2027"
    table = planned.ok("list", "--due-within", "90d", *AS_OF, "--format", "table").stdout
    assert "follow-up due in 2 weeks" in table and "50th anniversary in 2027" in table


def test_show_gives_activities_newest_first_and_what_is_due(planned):
    planned.ok(
        "activity", "add", "1", "--kind", "visit", "--on", "2013-04", "--summary", "First visit"
    )
    shown = planned.ok("show", "1", *AS_OF).stdout
    newer = shown.index("#2 5 October 2026 · delegation · Cleantech delegation to Qixia (Aarhus)")
    assert newer < shown.index("#1 April 2013 · visit · First visit")
    assert "follow-up by 15 December 2026 (in 2 weeks): send the draft programme" in shown
    assert "follow-up due in 2 weeks (15 Dec 2026): send the draft programme" in shown
    assert "15th anniversary in 10 months (2 Oct 2027)" in shown
    twinning = planned.ok("show", "2", *AS_OF).stdout
    assert re.search(r"\nExpires +1 March 2027 \(in 3 months\)\n", twinning)
    assert re.search(r"\nNotice +2 months before the expiry\n", twinning)


def _calendar(cli, *args):
    return icalendar.Calendar.from_ical(cli.ok("calendar", *args).stdout)


def test_the_calendar_has_an_all_day_event_per_item_with_stable_uids(planned, tmp_path):
    items = planned.ok("due", *AS_OF, "--format", "json").json()
    calendar = _calendar(planned, *AS_OF)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(items) == 5
    for event, item in zip(events, items, strict=True):
        start = event.decoded("dtstart")
        assert type(start).__name__ == "date"  # all-day: a date, not a date-time
        assert str(start).startswith(item["date"])
        assert (event.decoded("dtend") - start).days == 1
        assert item["title"] in str(event["summary"])
        assert f"Agreement {item['agreement_id']}" in str(event["description"])
        assert event["categories"].cats == [item["kind"]]
    assert "Parties: Aarhus, Qixia District (栖霞区)" in str(events[0]["description"])
    again = tmp_path / "again.ics"
    planned.ok("calendar", "--as-of", "2026-11-30", "-o", str(again))
    later = icalendar.Calendar.from_ical(again.read_bytes())
    assert [e["uid"] for e in later.walk("VEVENT")] == [e["uid"] for e in events]
    assert len({str(e["uid"]) for e in events}) == len(events)
    planned.ok("edit", "2", "--review", "2027-02-01")  # the same review, a new date
    moved = {str(e["uid"]): e for e in _calendar(planned, *AS_OF).walk("VEVENT")}
    review = next(e for e in events if e["categories"].cats == ["review"])
    assert str(moved[str(review["uid"])].decoded("dtstart")) == "2027-02-01"


def test_the_calendar_takes_a_window_and_an_alarm(planned, db):
    window = _calendar(planned, *AS_OF, "--from", "2027-01", "--to", "2027-01-16")
    assert [e["categories"].cats[0] for e in window.walk("VEVENT")] == [
        "notice",
        "anniversary",
        "review",
    ]
    alarmed = _calendar(planned, *AS_OF, "--alarm", "2w")
    alarms = [event.walk("VALARM") for event in alarmed.walk("VEVENT")]
    assert all(len(found) == 1 and found[0].decoded("trigger").days == -14 for found in alarms)
    before = db.read_bytes()
    for bad in (["--from", "2027-01"], ["--from", "2027-02", "--to", "2027-01"], ["--alarm", "x"]):
        result = planned("calendar", *bad)
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, bad
    refused = planned("calendar", "-o", str(db))
    assert refused.exit_code == 2 and "register's own file" in refused.stderr
    assert db.read_bytes() == before


def test_the_notice_of_a_year_only_expiry_counts_from_the_years_start(cli):
    cli.ok("add", "-p", "Aalborg, DK", "-p", "Rostock, DE", "-t", "twinning",
           "--signed", "2017-03-01", "--expires", "2027", "--notice", "3m")  # fmt: skip
    items = cli.ok("due", *AS_OF, "--within", "1y", "--kind", "notice", "--format", "json").json()
    assert [(item["date"], item["overdue"]) for item in items] == [("2026-10-01", True)]
    table = cli.ok("due", *AS_OF, "--kind", "notice", "--format", "table").stdout
    assert "notice overdue by 2 months" in table


def test_a_review_known_to_its_year_is_overdue_from_the_years_end(cli):
    cli.ok("add", "-p", "A, DK", "-p", "B, SE", "-t", "mou", "--signed", "2010", "--review", "2026")
    overdue = cli.ok("due", "--as-of", "2027-01-01", "--format", "table").stdout
    assert "review overdue by 1 day" in overdue


def test_an_agreement_that_renews_itself_runs_on_to_its_next_term(cli):
    cli.ok("add", "-p", "Kolding, DK", "-p", "Lahti, FI", "-t", "twinning",
           "--signed", "2021-12-15", "--expires", "2026-11-30", "--renewal", "automatic",
           "--notice", "6m")  # fmt: skip
    record = cli.ok("show", "1", *AS_OF, "--format", "json").json()
    assert record["status"] == "active"
    items = cli.ok("due", *AS_OF, "--within", "5y", "--format", "json").json()
    kinds = {item["kind"]: item for item in items}
    assert kinds["expiry"]["date"] == "2031-11-30"  # the term again: five years
    assert kinds["expiry"]["description"] == "renews on 30 November 2031"
    assert kinds["notice"]["date"] == "2031-05-30"
    table = cli.ok("due", *AS_OF, "--within", "5y", "--format", "table").stdout
    assert "renews in 4 years" in table
    ended = cli.ok("add", "-p", "X, DK", "-p", "Y, FI", "-t", "twinning", "--signed", "2021",
                   "--expires", "2026-11-30", "--format", "json").json()  # fmt: skip
    assert ended["status"] == "expired"


def test_calendar_windows_and_alarms_are_checked(planned):
    for bad, message in (
        (["--within", "30d", "--from", "2027-01", "--to", "2027-02"], "--within does not go"),
        (["--alarm", "2y"], "--alarm 2y is longer than a year"),
    ):
        result = planned("calendar", *AS_OF, *bad)
        assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_a_calendar_of_a_period_already_begun_keeps_what_it_held(planned):
    year = _calendar(planned, "--as-of", "2027-06-01", "--from", "2027-01", "--to", "2027-12",
                     "--kind", "anniversary")  # fmt: skip
    starts = sorted(str(event.decoded("dtstart")) for event in year.walk("VEVENT"))
    assert starts == ["2027-01-01", "2027-01-20", "2027-10-02"]  # the first two passed by June
