"""Benchmark agreements against sqlite-utils on the same data: `python bench/run.py`.

Builds deterministic registers of 1k, 10k and 100k agreements (and the same rows in
SQLite), runs every target of issue 5 as whole processes several times, and prints the
medians, peak memory and ratios. Needs `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
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
SECTOR_SQL = (
    "select id, title, type, status, signed_on, parties, sectors, place from agreements "
    "where exists (select 1 from json_each(agreements.sectors) "
    "where json_extract(json_each.value, '$.name') = 'cleantech')"
)
ADD = ["add", "-p", "Aarhus, DK", "-p", "Rostock, DE", "-t", "twinning", "--signed", "2026"]


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def run(command: list[str], runs: int, before: object = None) -> Measure:
    """Median wall time and the largest peak memory of `runs` whole-process runs."""
    return run_together([command], runs, before)[0]


def run_together(commands: list[list[str]], runs: int, before: object = None) -> list[Measure]:
    """`run` for commands compared with each other, taking turns run by run, so that a
    slow spell of a shared machine falls on all of them rather than on one."""
    times: list[list[float]] = [[] for _ in commands]
    peaks: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, taken, peak in zip(commands, times, peaks, strict=True):
            if callable(before):
                before()
            seconds, peak_mb = _run_once(command)
            taken.append(seconds)
            peak.append(peak_mb)
    return [
        Measure(statistics.median(taken), max(peak))
        for taken, peak in zip(times, peaks, strict=True)
    ]


def _run_once(command: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    assert process.stderr is not None
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    process.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def build(work: Path) -> None:
    for label, count in SIZES.items():
        records = stored_records(agreements(count))
        write_register(work / f"register-{label}.json", records)
        write_sqlite(work / f"register-{label}.sqlite", records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--work", type=Path, default=Path("bench/out"), help="scratch folder")
    parser.add_argument(
        "--only-pairs", action="store_true", help="only the import of a 26k-row list of pairs"
    )
    parser.add_argument(
        "--only-history", action="store_true", help="only the long history (needs a built 10k)"
    )
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
    runs = options.runs

    # Bytecode as any installed Python package has it; the children run without the
    # PYTHONDONTWRITEBYTECODE some machines set, so neither tool compiles on every start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PACKAGE)], check=True)
    if options.only_history:
        for name, figure, limit, verdict, _ in long_history(work, work / "register-10k.json", runs):
            print(f"{name}: {figure} ({limit}) {verdict}")
        raise SystemExit(0)
    if options.only_pairs:
        pairs = pair_import(work, runs)
        print(f"{pairs[0]}: {pairs[1]} ({pairs[2]}) {pairs[3]}")
        raise SystemExit(0 if pairs[4] else 1)
    print("Building registers …", file=sys.stderr)
    registers = {label: work / f"register-{label}.json" for label in SIZES}
    databases = {label: work / f"register-{label}.sqlite" for label in SIZES}
    # Built in a child process: a forked child counts its parent's memory as its own.
    subprocess.run([sys.executable, __file__, "--build", str(work)], check=True)
    csv_file = work / "import-100k.csv"
    with csv_file.open("wb") as out:
        subprocess.run(
            [AGREEMENTS, "--db", str(registers["100k"]), "export"], stdout=out, check=True
        )

    def agreements_cmd(label: str, *args: str) -> list[str]:
        return [AGREEMENTS, "--db", str(registers[label]), *args]

    def sqlite_cmd(label: str) -> list[str]:
        return [SQLITE_UTILS, "query", str(databases[label]), SECTOR_SQL, "--csv"]

    def copy_for_writes(label: str) -> str:
        target = work / f"writes-{label}.json"
        for leftover in work.glob(f"writes-{label}.json*"):
            leftover.unlink()
        shutil.copyfile(registers[label], target)
        return str(target)

    def fresh_import_target() -> None:
        for leftover in work.glob("imported.json*"):
            leftover.unlink()

    rows: list[tuple[str, str, str, str, bool]] = []

    def row(
        name: str,
        ours: Measure,
        limit: str,
        met: bool,
        theirs: Measure | None = None,
        ratio: float | None = None,
        against: str = "sqlite-utils",
    ) -> None:
        figure = f"{ours.seconds:.3f} s, {ours.peak_mb:.0f} MB"
        if theirs is not None:
            figure += f" | {against} {theirs.seconds:.3f} s, {theirs.peak_mb:.0f} MB"
        if ratio is not None:
            figure += f" | ratio {ratio:.2f}"
        rows.append((name, figure, limit, "met" if met else "MISSED", met))
        print(f"{name}: {figure}", file=sys.stderr)

    print("Measuring …", file=sys.stderr)
    measured: dict[tuple[str, str], Measure] = {}
    for label in ("1k", "10k", "100k"):
        ours, theirs = run_together(
            [agreements_cmd(label, "list", "--sector", "cleantech", "--format", "csv"),
             sqlite_cmd(label)],
            runs,
        )  # fmt: skip
        measured[("list", label)] = ours
        ratio = ours.seconds / theirs.seconds
        if label == "100k":
            row(
                "1. list --sector, 100k",
                ours,
                "≤ 1.0× sqlite-utils, ≤ 150 MB",
                ratio <= 1.0 and ours.peak_mb <= 150,
                theirs,
                ratio,
            )
        if label == "1k":
            row("2. list --sector, 1k", ours, "≤ 0.8× sqlite-utils", ratio <= 0.8, theirs, ratio)
    for label, limit in (("10k", 0.25), ("100k", 1.0)):
        target = copy_for_writes(label)
        ours = run([AGREEMENTS, "--db", target, *ADD], runs)
        measured[("add", label)] = ours
        row(f"3. add into {label}", ours, f"≤ {limit} s", ours.seconds <= limit)
    for label in ("10k", "100k"):
        measured[("summary", label)] = run(
            agreements_cmd(label, "summary", "--format", "json"), runs
        )
        measured[("show", label)] = run(agreements_cmd(label, "show", "4321"), runs)
    row(
        "4. summary, 100k",
        measured[("summary", "100k")],
        "≤ 1.5 s",
        measured[("summary", "100k")].seconds <= 1.5,
    )
    row(
        "4. show ID, 100k",
        measured[("show", "100k")],
        "≤ 0.5 s",
        measured[("show", "100k")].seconds <= 0.5,
    )
    report_page = work / "report-10k.html"
    report_run = run(
        agreements_cmd("10k", "report", "--as-of", "2026-12-01", "-o", str(report_page)), runs
    )
    row("8. report, 10k (HTML)", report_run, "≤ 5 s", report_run.seconds <= 5)
    typer_import, version, help_ = run_together(
        [[sys.executable, "-c", "import typer"], [AGREEMENTS, "--version"], [AGREEMENTS, "--help"]],
        runs,
    )
    row(
        "5. --version",
        version,
        "≤ 1.15× import typer",
        version.seconds <= 1.15 * typer_import.seconds,
        typer_import,
        version.seconds / typer_import.seconds,
        "import typer",
    )
    row(
        "5. --help",
        help_,
        "≤ 2.0× import typer",
        help_.seconds <= 2.0 * typer_import.seconds,
        typer_import,
        help_.seconds / typer_import.seconds,
        "import typer",
    )
    imported = str(work / "imported.json")
    import_runs = max(1, runs // 2)
    ours = run(
        [AGREEMENTS, "--db", imported, "import", str(csv_file)], import_runs, fresh_import_target
    )
    history = operations_in(Path(imported + ".history"))
    row(
        "6. import 100k-row CSV",
        ours,
        "≤ 10 s, one write, ≤ 1 GB",
        ours.seconds <= 10 and ours.peak_mb <= 1024 and history == 1,
    )
    csv_10k = work / "import-10k.csv"
    with csv_10k.open("wb") as out:
        subprocess.run(
            [AGREEMENTS, "--db", str(registers["10k"]), "export"], stdout=out, check=True
        )
    small = run(
        [AGREEMENTS, "--db", imported, "import", str(csv_10k)], import_runs, fresh_import_target
    )
    measured[("import", "10k")], measured[("import", "100k")] = small, ours
    rows.append(pair_import(work, runs))
    rows += long_history(work, registers["10k"], runs)
    for command in ("list", "add", "summary", "show", "import"):
        growth = measured[(command, "100k")].seconds / measured[(command, "10k")].seconds
        rows.append(
            (
                f"7. growth of {command}, 10k → 100k",
                f"{growth:.1f}×",
                "≤ 12×",
                "met" if growth <= 12 else "MISSED",
                growth <= 12,
            )
        )

    width = max(len(name) for name, *_ in rows)
    print(f"\n{'target'.ljust(width)}  result  limit  verdict")
    for name, figure, limit, verdict, _ in rows:
        print(f"{name.ljust(width)}  {figure}  ({limit})  {verdict}")
    print(
        f"\n{sys.platform}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{runs} runs each, medians"
    )
    raise SystemExit(0 if all(met for *_, met in rows) else 1)


def operations_in(history: Path) -> int:
    """How many operations a history holds, read line by line: reading it whole would
    grow this process, and every child forked after would count that memory as its own."""
    with history.open("rb") as lines:
        return sum(1 for line in lines if line.startswith(b'{"op":'))


def long_history(work: Path, register: Path, runs: int) -> list[tuple[str, str, str, str, bool]]:
    """Issue 12's long history: 10 imports of 30,000 rows, each undone (about 340 MB of
    history); reading the latest operation and checking everything must stay quick."""
    db = work / "history.json"
    for leftover in work.glob("history.json*"):
        leftover.unlink()
    shutil.copyfile(register, db)
    rows_30k = work / "import-30k.csv"
    if not rows_30k.exists():  # in a child: a forked child counts its parent's memory as its own
        subprocess.run([sys.executable, __file__, "--pairs", str(rows_30k), "30000"], check=True)
    for _ in range(10):
        subprocess.run(
            [AGREEMENTS, "--db", str(db), "import", str(rows_30k), *PAIR_MAP, "--skip-invalid"],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run([AGREEMENTS, "--db", str(db), "undo"], check=True, capture_output=True)
    size = Path(f"{db}.history").stat().st_size / 1e6
    latest = run([AGREEMENTS, "--db", str(db), "history", "-n", "1"], runs)
    checked = run([AGREEMENTS, "--db", str(db), "check"], runs)
    figures = [
        (f"history -n 1, {size:.0f} MB history", latest, 1.0, 200),
        (f"check, {size:.0f} MB history", checked, 5.0, 500),
    ]
    result = []
    for name, measured, seconds, megabytes in figures:
        met = measured.seconds <= seconds and measured.peak_mb <= megabytes
        figure = f"{measured.seconds:.3f} s, {measured.peak_mb:.0f} MB"
        limit = f"≤ {seconds:g} s, ≤ {megabytes} MB"
        result.append((name, figure, limit, "met" if met else "MISSED", met))
        print(f"{name}: {figure}", file=sys.stderr)
    return result


def pair_import(work: Path, runs: int) -> tuple[str, str, str, str, bool]:
    """Issue 4's target: a 26,000-row list of city pairs in another tool's layout, ≤ 5 s."""
    source = work / "pairs-26k.csv"
    # In a child: a forked child counts its parent's memory as its own.
    subprocess.run([sys.executable, __file__, "--pairs", str(source), "26000"], check=True)
    target = work / "pairs.json"

    def fresh() -> None:
        for leftover in work.glob("pairs.json*"):
            leftover.unlink()

    ours = run([AGREEMENTS, "--db", str(target), "import", str(source), *PAIR_MAP], runs, fresh)
    writes = operations_in(Path(f"{target}.history"))
    met = ours.seconds <= 5 and writes == 1
    figure = f"{ours.seconds:.3f} s, {ours.peak_mb:.0f} MB"
    return (
        "import 26k-row list of pairs (issue 4)",
        figure,
        "≤ 5 s, one write",
        "met" if met else "MISSED",
        met,
    )


if __name__ == "__main__":
    main()
