"""`due` and `calendar` over a whole register give what one plain pass gives.

The commands pass over lines by their bytes, judge and render each half of the file in
its own process and write the .ics bytes themselves. Here the same register is read
with the standard json module, every record goes through the rules as they were before
(tests/plain_due.py) in this process,
and the result is written by the generic record writer, or for the calendar by
icalendar's own objects, as the command wrote it before.
"""

import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import plain_due
import pytest
import xxhash
from conftest import Cli, bench_registers

from agreements.domain.due import DueItem, DueKind, last_day_within
from agreements.domain.due_dates import parse_anniversaries
from agreements.domain.periods import parse_period
from agreements.domain.text import printable
from agreements.exchange.calendar import PRODUCT_ID
from agreements.formats import Format
from agreements.render.due import DUE_COLUMNS, due_record
from agreements.render.listing import write_records
from agreements.store import parallel, snapshot

TODAY = date(2026, 12, 1)
AS_OF = ["--as-of", TODAY.isoformat()]
TRICKY_TITLES = [
    "Aarhus, Kolding; and \\N the rest \\ of it",
    "Å" * 40 + "ø" + "^" * 40,
    "a" * 73 + "\\" + "b" * 10,
    "北京 " * 30,
    "line\r\nbreak\rand\nmore",
    "bell\x07 and \u202e reversed",
    "x" * 72 + "😀" * 5,
]


def _varied(records):
    """Every status, precision and kind of item, texts icalendar must escape and fold."""
    for number, record in records:
        if number % 7 == 0:
            record["signed_on"] = None
        elif number % 11 == 0:
            record["expires_on"] = "2001-06"
        elif number % 13 == 0:
            record.update(status="suspended", status_reason="elections; recount")
        elif number % 19 == 0:
            record.update(status="terminated", status_reason="ended")
        elif number % 23 == 0:
            record["signed_on"] = "2027-02"  # proposed until then
        if number % 5 == 0:
            record.update(renewal="automatic", expires_on="2020-03-31", effective_on="2015-04-01")
        if number % 6 == 0:
            record["notice"] = "3 months"
            record["expires_on"] = record["expires_on"] or "2027-04"
        if number % 8 == 0:
            record["review_on"] = ["2026", "2027-01", "2026-12-24", "2025-05-05"][number % 4]
        if number % 9 == 0:
            record["title"] = TRICKY_TITLES[number % len(TRICKY_TITLES)]
        if number % 10 == 0 and record["parties"]:
            record["parties"][0]["country_at_signing"] = "DDDE"
        for index, activity in enumerate(record["activities"]):
            if (number + index) % 4 == 0:
                activity["follow_up_on"] = ["2027-01-10", "2026-11", "2027", "2028-05-01"][
                    index % 4
                ]
                activity["follow_up"] = None if index % 2 else "call back, then; write \\ it"
            if (number + index) % 29 == 0:
                activity["on"] = "2027-06-01"  # planned: no follow-up yet, not yet alive
            elif (number + index) % 31 == 0:
                activity["on"] = ["2026-12-01", "2026-12", "2026", "2026-12-02"][index % 4]
    return records


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    registers = bench_registers()
    db = tmp_path_factory.mktemp("due") / "register.json"
    records = _varied(registers.stored_records(registers.agreements(3_000)))
    registers.write_register(db, records)
    return db


@pytest.fixture(autouse=True)
def both_cores(monkeypatch):
    """Split this small register in two as a large one is."""
    monkeypatch.setattr(parallel, "WORTH_SPLITTING", 2)
    monkeypatch.setattr(snapshot, "FACTS_WORTH_TWO_CORES", 2)


@pytest.fixture(params=["from the index", "record by record"])
def read(request, monkeypatch, register):
    """Read the agreements' facts from the `due` index, or from each stored record."""
    index = register.with_name("register.json.due")
    index.unlink(missing_ok=True)  # another test's
    if request.param == "record by record":
        monkeypatch.setattr(snapshot, "WORTH_INDEXING", 1 << 40)
    yield request.param
    assert index.exists() == (request.param == "from the index")
    index.unlink(missing_ok=True)


def _plain_items(db, within, *, kinds=None, anniversaries=None, keep=lambda record: True):
    data = json.loads(db.read_text(encoding="utf-8"))["agreements"]
    hits = [(int(key), record) for key, record in data.items() if keep(record)]
    watch = plain_due.Watch()
    if kinds:
        watch = plain_due.Watch(kinds=frozenset(plain_due.DueKind(kind) for kind in kinds))
    if anniversaries:
        watch = plain_due.Watch(kinds=watch.kinds, anniversaries=parse_anniversaries(anniversaries))
    until = last_day_within(parse_period(within), TODAY)
    return _current(plain_due.due_items(hits, TODAY, until, watch))


def _current(items):
    """The oracle's items as the package's own."""
    return [
        DueItem(
            item.day, DueKind(item.kind.value), item.agreement_id, item.title,
            item.description, item.overdue, item.precision, item.label, item.key,
            item.parties, item.last_activity,
        )
        for item in items
    ]  # fmt: skip


def _written(items, chosen):
    stream = io.BytesIO()
    write_records([due_record(item) for item in items], DUE_COLUMNS, chosen, stream)
    return stream.getvalue().decode("utf-8")


def _has_sector(name):
    return lambda record: any(sector["name"] == name for sector in record["sectors"])


CASES = {
    "90 days": (["--within", "90d"], {}),
    "a year, two kinds": (
        ["--within", "1y", "--kind", "review", "--kind", "dormant"],
        {"kinds": {"review", "dormant"}},
    ),
    "ten years, chosen anniversaries": (
        ["--within", "10y", "--anniversaries", "10,25,50"],
        {"anniversaries": "10,25,50"},
    ),
    "a sector": (
        ["--within", "2y", "--sector", "cleantech"],
        {"keep": _has_sector("cleantech")},
    ),
}


def _every_format_of_the_first_case():
    """Each case in CSV, and the first in every format; the others in every format only in
    the slow step, to keep the default suite under a minute."""
    for number, case in enumerate(CASES):
        for chosen in (Format.CSV, Format.TSV, Format.JSON):
            marks = () if number == 0 or chosen is Format.CSV else (pytest.mark.slow,)
            yield pytest.param(case, chosen, marks=marks, id=f"{case}-{chosen.value}")


def test_due_read_either_way_gives_what_a_plain_pass_gives(register, read):
    listed = Cli(register).ok("due", *AS_OF, "--within", "1y", "--format", "csv")
    items = _plain_items(register, "1y")
    assert len(items) > 1_000
    assert listed.stdout == _written(items, Format.CSV)


@pytest.mark.parametrize(("case", "chosen"), list(_every_format_of_the_first_case()))
def test_due_gives_what_a_plain_pass_gives(register, case, chosen):
    arguments, plain = CASES[case]
    listed = Cli(register).ok("due", *AS_OF, *arguments, "--format", chosen.value)
    within = arguments[1]
    items = _plain_items(
        register,
        within,
        kinds=plain.get("kinds"),
        anniversaries=plain.get("anniversaries"),
        keep=plain.get("keep", lambda record: True),
    )
    assert len(items) > 100
    assert listed.stdout == _written(items, chosen)


HEADLINES = {"expiry": "Expires", "notice": "Last day for notice", "review": "Review due",
             "dormant": "Dormant"}  # fmt: skip


def _headline(item):
    if item.kind is DueKind.FOLLOW_UP:
        headline = f"Follow-up ({item.description})"
    else:
        headline = HEADLINES.get(item.kind.value) or item.label[:1].upper() + item.label[1:]
    if item.precision.value == "year":
        return f"{headline} (in {item.day.year}, day not known)"
    if item.precision.value == "month":
        return f"{headline} (in {item.day:%B %Y}, day not known)"
    return headline


def _description(item):
    return (
        f"{item.description}\nParties: {', '.join(item.parties)}\n"
        f"Agreement {item.agreement_id}: agreements show {item.agreement_id}"
    )


def _uid(item):
    digest = xxhash.xxh3_64_hexdigest(item.key.encode("utf-8"))
    return f"agreement-{item.agreement_id}-{item.kind.value}-{digest}@agreements.invalid"


def _icalendar(items, alarm, stamp):
    """The calendar as the command wrote it with icalendar's objects."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Partnership agreements: what is due")
    for item in items:
        event = icalendar.Event()
        event.add("uid", _uid(item))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("summary", printable(f"{_headline(item)}: {item.title}"))
        event.add("description", printable(_description(item)))
        event.add("categories", [item.kind.value])
        if alarm is not None:
            reminder = icalendar.Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("description", printable(f"{_headline(item)}: {item.title}"))
            reminder.add("trigger", alarm.before(item.day) - item.day)
            event.add_component(reminder)
        calendar.add_component(event)
    return calendar.to_ical()


@pytest.mark.parametrize(
    "alarm",
    [
        None,
        pytest.param("2w", marks=pytest.mark.slow),
        pytest.param("1m", marks=pytest.mark.slow),
        pytest.param("1y", marks=pytest.mark.slow),
    ],
)
def test_the_calendar_has_the_bytes_icalendar_writes(register, alarm, tmp_path):
    extra = [] if alarm is None else ["--alarm", alarm]
    written = _calendar(register, tmp_path, "--within", "2y", *extra)
    stamp = re.search(rb"DTSTAMP:(\w+)", written)
    assert stamp is not None
    now = datetime.strptime(stamp.group(1).decode(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    items = _plain_items(register, "2y")
    reminder = None if alarm is None else parse_period(alarm)
    expected = _icalendar(items, reminder, now)
    assert len(items) > 100
    assert written == expected


def _calendar(register, tmp_path, *arguments):
    """The calendar's bytes, from a file: CliRunner's stdout turns CRLF into LF."""
    target = tmp_path / "due.ics"
    Cli(register).ok("calendar", *AS_OF, *arguments, "-o", str(target))
    return target.read_bytes()


def test_an_empty_calendar_has_the_bytes_icalendar_writes(register, tmp_path):
    written = _calendar(register, tmp_path, "--within", "1d", "--country", "SE")
    assert written == _icalendar([], None, datetime.now(UTC))


def test_a_calendar_of_a_period_keeps_what_falls_in_it(register, tmp_path):
    written = _calendar(register, tmp_path, "--from", "2027-01", "--to", "2027-06")
    stamp = re.search(rb"DTSTAMP:(\w+)", written)
    assert stamp is not None
    now = datetime.strptime(stamp.group(1).decode(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    data = json.loads(register.read_text(encoding="utf-8"))["agreements"]
    hits = [(int(key), record) for key, record in data.items()]
    items = _current(plain_due.due_items(hits, TODAY, date(2027, 6, 30)))
    items = [item for item in items if item.day >= date(2027, 1, 1)]
    assert items
    assert written == _icalendar(items, None, now)
