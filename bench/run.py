"""Benchmark agreements against sqlite-utils on the same data: `python bench/run.py`.

Builds deterministic registers of 1k, 10k and 100k agreements (and the same rows in
SQLite), runs every target of issue 18 as whole processes, agreements and sqlite-utils
taking turns, and prints one table of medians, peak memory, ratios and verdicts. Needs
`pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registers import (
    PAIR_MAP,
    SIZES,
    agreements,
    stored_records,
    write_pair_csv,
    write_register,
    write_sqlite,
)

BIN = Path(sys.executable).parent
PACKAGE = Path(__file__).resolve().parent.parent / "agreements"
AGREEMENTS = str(BIN / "agreements")
SQLITE_UTILS = str(BIN / "sqlite-utils")
TODAY = "2026-12-01"
SEARCH = "file 4242"
SECTOR_SQL = (
    "select id, title, type, status, signed_on, parties, sectors, place from agreements "
    "where exists (select 1 from json_each(agreements.sectors) "
    "where json_extract(json_each.value, '$.name') = 'cleantech')"
)
SEARCH_SQL = "select * from agreements where " + " or ".join(
    f"lower({column}) like '%{SEARCH}%'"
    for column in ("title", "place", "parties", "notes", "activities")
)
SUMMARY_SQL = """
select 'sector', json_extract(s.value, '$.name'), count(*)
  from agreements, json_each(agreements.sectors) s group by 2
union all
select 'country', json_extract(p.value, '$.country'), count(distinct agreements.id)
  from agreements, json_each(agreements.parties) p group by 2
union all select 'type', type, count(*) from agreements group by 2
union all select 'year', substr(signed_on, 1, 4), count(*) from agreements group by 2
"""
DUE_SQL = f"""
select id, title, 'expiry', expires_on from agreements
  where expires_on <= date('{TODAY}', '+90 days')
union all select id, title, 'review', review_on from agreements
  where review_on <= date('{TODAY}', '+90 days')
union all select agreements.id, agreements.title, 'follow-up',
  json_extract(a.value, '$.follow_up_on')
  from agreements, json_each(agreements.activities) a
  where json_extract(a.value, '$.follow_up_on') <= date('{TODAY}', '+90 days')
order by 4
"""
ONE_ROW = (
    b'{"title": "Aarhus \\u2013 Rostock", "type": "twinning", "signed_on": "2026", '
    b'"parties": "[{\\"name\\": \\"Aarhus\\", \\"country\\": \\"DK\\"}, '
    b'{\\"name\\": \\"Rostock\\", \\"country\\": \\"DE\\"}]"}'
)
ADD = ["add", "-p", "Aarhus, DK", "-p", "Rostock, DE", "-t", "twinning", "--signed", "2026"]


@dataclass
class Command:
    """One whole process to time; `before` runs untimed before each run of it."""

    argv: list[str]
    stdin: bytes | None = None
    before: Callable[[], None] | None = None


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    times: list[float] = field(default_factory=list)


def run_together(commands: list[Command], runs: int) -> list[Measure]:
    """Median wall time and largest peak memory of each command, taking turns run by run,
    so that a slow spell of a shared machine falls on all of them rather than on one."""
    times: list[list[float]] = [[] for _ in commands]
    peaks: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, taken, peak in zip(commands, times, peaks, strict=True):
            if command.before is not None:
                command.before()
            seconds, peak_mb = _run_once(command)
            taken.append(seconds)
            peak.append(peak_mb)
    return [
        Measure(statistics.median(taken), max(peak), taken)
        for taken, peak in zip(times, peaks, strict=True)
    ]


def _run_once(command: Command) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        command.argv,
        stdin=subprocess.PIPE if command.stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if command.stdin is not None:
        assert process.stdin is not None
        process.stdin.write(command.stdin)
        process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    assert process.stderr is not None
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command.argv)}\n{process.stderr.read().decode()}")
    process.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def build(work: Path) -> None:
    for label, count in SIZES.items():
        records = stored_records(agreements(count))
        write_register(work / f"register-{label}.json", records)
        write_sqlite(work / f"register-{label}.sqlite", records)


Row = tuple[str, str, str, str, bool]


class Bench:
    """The registers of one run, the commands over them, and the rows measured so far."""

    def __init__(self, work: Path, runs: int, only: list[str]) -> None:
        self.work = work
        self.runs = runs
        self.only = only
        self.rows: list[Row] = []
        self.measured: dict[tuple[str, str], Measure] = {}

    def wanted(self, name: str) -> bool:
        return not self.only or any(part in name for part in self.only)

    def register(self, label: str) -> str:
        return str(self.work / f"register-{label}.json")

    def database(self, label: str) -> str:
        return str(self.work / f"register-{label}.sqlite")

    def ours(self, label: str, *args: str) -> Command:
        return Command([AGREEMENTS, "--db", self.register(label), *args])

    def query(self, label: str, sql: str, *flags: str) -> Command:
        return Command([SQLITE_UTILS, "query", self.database(label), sql, *flags])

    def copy(self, source: str, name: str) -> str:
        target = self.work / name
        for leftover in self.work.glob(f"{name}*"):
            leftover.unlink()
        shutil.copyfile(source, target)
        return str(target)

    def fresh(self, name: str) -> Callable[[], None]:
        def remove() -> None:
            for leftover in self.work.glob(f"{name}*"):
                leftover.unlink()

        return remove

    def compare(
        self,
        name: str,
        ours: Command,
        theirs: Command,
        ratio_limit: float,
        *,
        key: tuple[str, str] | None = None,
        megabytes: float | None = None,
        runs: int | None = None,
    ) -> None:
        if not self.wanted(name):
            return
        mine, other = run_together([ours, theirs], runs or self.runs)
        if key is not None:
            self.measured[key] = mine
        ratio = mine.seconds / other.seconds
        met = ratio <= ratio_limit and (megabytes is None or mine.peak_mb <= megabytes)
        figure = (
            f"{mine.seconds:6.3f} s {mine.peak_mb:4.0f} MB | "
            f"{other.seconds:6.3f} s {other.peak_mb:4.0f} MB | {ratio:4.2f}"
        )
        limit = f"≤ {ratio_limit:g}×" + ("" if megabytes is None else f", ≤ {megabytes:g} MB")
        self.add_row(name, figure, limit, met)

    def add_row(self, name: str, figure: str, limit: str, met: bool) -> None:
        self.rows.append((name, figure, limit, "met" if met else "MISSED", met))
        print(f"{name}: {figure} ({limit})", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--work", type=Path, default=Path("bench/out"), help="scratch folder")
    parser.add_argument(
        "--only", action="append", default=[], help="only targets whose name holds this"
    )
    parser.add_argument("--reuse", action="store_true", help="keep registers already built")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pairs", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build:
        build(options.build)
        return
    if options.pairs:
        path, count = options.pairs
        write_pair_csv(Path(path), int(count), seed=2026 if count == "26000" else 30)
        return
    work: Path = options.work
    work.mkdir(parents=True, exist_ok=True)
    # Bytecode as any installed Python package has it; the children run without the
    # PYTHONDONTWRITEBYTECODE some machines set, so neither tool compiles on every start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PACKAGE)], check=True)
    bench = Bench(work, options.runs, options.only)
    if not (options.reuse and (work / "register-100k.sqlite").exists()):
        print("Building registers …", file=sys.stderr)
        # In a child: a forked child counts its parent's memory as its own.
        subprocess.run([sys.executable, __file__, "--build", str(work)], check=True)
        for label in ("10k", "100k"):
            for form, suffix in (("csv", "csv"), ("json", "json")):
                with (work / f"import-{label}.{suffix}").open("wb") as out:
                    subprocess.run(
                        [AGREEMENTS, "--db", bench.register(label), "export", "--format", form],
                        stdout=out,
                        check=True,
                    )
    print("Measuring …", file=sys.stderr)
    measure_reads(bench)
    measure_writes(bench)
    measure_imports(bench)
    measure_start(bench)
    measure_growth(bench)
    measure_others(bench)

    rows = bench.rows
    if not rows:
        raise SystemExit("no target is named so")
    width = max(len(name) for name, *_ in rows)
    figure_width = max(len(figure) for _, figure, *_ in rows)
    print(
        f"\n{'target'.ljust(width)}  {'agreements'.ljust(17)}   {'sqlite-utils'.ljust(17)}"
        f"   ratio  limit  verdict"
    )
    for name, figure, limit, verdict, _ in rows:
        print(f"{name.ljust(width)}  {figure.ljust(figure_width)}  {limit}  {verdict}")
    print(
        f"\n{sys.platform}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"medians of {options.runs} alternated runs (imports {max(3, options.runs // 2)})"
    )
    raise SystemExit(0 if all(met for *_, met in rows) else 1)


def measure_reads(bench: Bench) -> None:
    for label in ("10k", "100k"):
        tag = "" if label == "100k" else f", {label}"
        bench.compare(
            f"1. list --search{tag}",
            bench.ours(label, "list", "--search", SEARCH, "--format", "csv"),
            bench.query(label, SEARCH_SQL, "--csv"),
            1.0,
            key=("list --search", label),
        )
        for form, flags in (("csv", ["--csv"]), ("json", ["--json-cols"]), ("jsonl", ["--nl"])):
            bench.compare(
                f"4. export --format {form}{tag}",
                bench.ours(label, "export", "--format", form),
                bench.query(label, "select * from agreements", *flags, "--json-cols"),
                1.0,
                key=(f"export {form}", label),
                megabytes=200,
            )
        bench.compare(
            f"4. summary{tag}",
            bench.ours(label, "summary", "--format", "json"),
            bench.query(label, SUMMARY_SQL, "--json-cols"),
            1.0,
            key=("summary", label),
        )
        bench.compare(
            f"5. show ID{tag}",
            bench.ours(label, "show", "4321"),
            bench.query(label, "select * from agreements where rowid = 4321", "--json-cols"),
            1.0,
            key=("show", label),
        )
        bench.compare(
            f"6. due --within 90d{tag}",
            bench.ours(label, "due", "--within", "90d", "--format", "csv"),
            bench.query(label, DUE_SQL, "--csv"),
            1.0,
            key=("due", label),
        )
        bench.compare(
            f"6. calendar{tag}",
            bench.ours(label, "calendar", "--within", "90d"),
            bench.query(label, DUE_SQL, "--csv"),
            1.0,
            key=("calendar", label),
        )
    for label in ("1k", "10k", "100k"):
        bench.compare(
            f"5. list --sector, {label}",
            bench.ours(label, "list", "--sector", "cleantech", "--format", "csv"),
            bench.query(label, SECTOR_SQL, "--csv"),
            0.7,
            key=("list --sector", label),
        )


def measure_writes(bench: Bench) -> None:
    for label in ("10k", "100k"):
        tag = "" if label == "100k" else f", {label}"
        if not bench.wanted(f"2. writes{tag}") and not any(
            bench.wanted(f"2. {verb}{tag}") for verb in ("add", "edit", "remove", "activity")
        ):
            continue
        ours = bench.copy(bench.register(label), f"writes-{label}.json")
        theirs = bench.copy(bench.database(label), f"writes-{label}.sqlite")
        insert = Command([SQLITE_UTILS, "insert", theirs, "agreements", "-"], stdin=ONE_ROW)
        verbs = write_commands(ours)
        for verb, command in verbs:
            bench.compare(f"2. {verb}{tag}", command, insert, 1.5, key=(verb, label))


def write_commands(register: str) -> list[tuple[str, Command]]:
    """The four everyday writes into `register`, each run with a new id or a new text."""
    removed = iter(range(1000, 10_000, 7))
    edits = iter(range(10**6))
    base = [AGREEMENTS, "--db", register]
    return [
        ("add", Command([*base, *ADD])),
        ("edit", _Rotating(lambda: [*base, "edit", "4321", "--note", f"Edit {next(edits)}"])),
        ("remove", _Rotating(lambda: [*base, "remove", str(next(removed)), "--yes"])),
        (
            "activity add",
            _Rotating(
                lambda: [*base, "activity", "add", "4321", "--kind", "visit", "--on",
                         "2026-11-30", "--summary", f"Visit {next(edits)}"]
            ),
        ),
    ]  # fmt: skip


class _Rotating(Command):
    """A command whose arguments are made afresh before each run (a new id, a new text)."""

    def __init__(self, make: Callable[[], list[str]]) -> None:
        super().__init__([], before=self._next)
        self._make = make

    def _next(self) -> None:
        self.argv = self._make()


def measure_imports(bench: Bench) -> None:
    runs = max(3, bench.runs // 2)
    for label in ("10k", "100k"):
        tag = "" if label == "100k" else f", {label}"
        for form, flags in (("json", []), ("csv", ["--csv"])):
            source = str(bench.work / f"import-{label}.{form}")
            bench.compare(
                f"3. import {form}{tag}",
                Command(
                    [AGREEMENTS, "--db", str(bench.work / "imported.json"), "import", source],
                    before=bench.fresh("imported.json"),
                ),
                Command(
                    [
                        SQLITE_UTILS,
                        "insert",
                        str(bench.work / "imported.sqlite"),
                        "agreements",
                        source,
                        *flags,
                    ],
                    before=bench.fresh("imported.sqlite"),
                ),
                1.0,
                key=(f"import {form}", label),
                megabytes=1024,
                runs=runs,
            )


def measure_start(bench: Bench) -> None:
    typer = Command([sys.executable, "-c", "import typer"])
    for flag, limit in (("--version", 1.15), ("--help", 2.0)):
        name = f"7. {flag} (against import typer)"
        bench.compare(name, Command([AGREEMENTS, flag]), typer, limit)


def measure_growth(bench: Bench) -> None:
    commands = sorted({command for command, label in bench.measured if label == "10k"})
    for command in commands:
        if (command, "100k") not in bench.measured:
            continue
        growth = (
            bench.measured[(command, "100k")].seconds / bench.measured[(command, "10k")].seconds
        )
        name = f"8. growth of {command}, 10k → 100k"
        bench.add_row(name, f"{growth:.1f}×", "≤ 10×", growth <= 10)


def measure_others(bench: Bench) -> None:
    """Earlier issues' targets kept as guards: the report, and a list in another layout."""
    if bench.wanted("report"):
        page = str(bench.work / "report-10k.html")
        taken = run_together(
            [bench.ours("10k", "report", "--as-of", TODAY, "-o", page)], bench.runs
        )[0]
        bench.add_row(
            "report, 10k (HTML)",
            f"{taken.seconds:6.3f} s {taken.peak_mb:4.0f} MB",
            "≤ 5 s",
            taken.seconds <= 5,
        )
    if bench.wanted("pairs"):
        source = bench.work / "pairs-26k.csv"
        if not source.exists():
            subprocess.run([sys.executable, __file__, "--pairs", str(source), "26000"], check=True)
        target = bench.work / "pairs.json"
        taken = run_together(
            [Command([AGREEMENTS, "--db", str(target), "import", str(source), *PAIR_MAP],
                     before=bench.fresh("pairs.json"))],
            bench.runs,
        )[0]  # fmt: skip
        bench.add_row(
            "import 26k-row list of pairs",
            f"{taken.seconds:6.3f} s {taken.peak_mb:4.0f} MB",
            "≤ 5 s",
            taken.seconds <= 5,
        )


if __name__ == "__main__":
    main()
