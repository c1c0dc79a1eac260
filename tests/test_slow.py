"""Slow checks, run by CI as their own step: `pytest -m slow`."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import run_process

pytestmark = pytest.mark.slow


def test_twenty_concurrent_adds_keep_every_record(tmp_path):
    db = tmp_path / "register.json"
    for round_number in range(5):

        def add(number, round_number=round_number):
            return run_process(
                "--db", str(db), "add", "-p", f"City {round_number}-{number}, DK",
                "-p", "Turku, FI", "-t", "twinning", env={"AGREEMENTS_LOCK_TIMEOUT": "60"},
            )  # fmt: skip

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(add, range(20)))
        assert [r.returncode for r in results] == [0] * 20, [r.stderr for r in results]
        records = json.loads(db.read_text(encoding="utf-8"))["agreements"]
        assert len(records) == 20 * (round_number + 1)
        assert len({r["parties"][0]["name"] for r in records.values()}) == len(records)
