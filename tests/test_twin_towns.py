"""The real German twin-town list beside the project (../shared/data), when it is there."""

import json

import pytest
from conftest import GERMAN_LIST_MAP, REPO, Cli

TWIN_TOWNS = REPO.parent / "shared" / "data" / "twin-towns-de.csv"

pytestmark = pytest.mark.skipif(not TWIN_TOWNS.exists(), reason="../shared/data is not here")


def test_the_readme_command_imports_the_german_list(cli, tmp_path):
    report_file = tmp_path / "report.json"
    cli.ok("import", str(TWIN_TOWNS), *GERMAN_LIST_MAP, "--report", str(report_file))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    counts = {key: report[key] for key in ("rows", "imported", "merged", "rejected", "skipped")}
    assert counts == {"rows": 7138, "imported": 7129, "merged": 9, "rejected": 0, "skipped": 0}
    assert report["unresolved_countries"] == {}
    assert len(report["conflicts"]) == 12
    assert len(cli.records()) == 7129
    countries = json.loads(cli.ok("summary", "--by", "country", "--format", "json").stdout)
    assert {"value": "DE", "count": 7129} in countries["country"]
    assert {"value": "XK", "count": 2} in countries["country"]  # "Kosovo"
    assert {"value": "CD", "count": 1} in countries["signed-with-former-country"]  # "Zaire"
    # Two towns called Liebenau, in Lower Saxony and in Hesse, are each twinned with
    # Liebenau in Austria: namesakes that their Land tells apart, not one row twice.
    liebenau = [
        [(p["name"], p["parent"]) for p in record["parties"]]
        for record in cli.ok("list", "--party", "Liebenau", "-f", "json").json()
        if record["title"] == "Liebenau – Liebenau"
    ]
    assert sorted(liebenau) == [
        [("Liebenau", "Hessen"), ("Liebenau", None)],
        [("Liebenau", "Niedersachsen"), ("Liebenau", None)],
    ]


@pytest.mark.slow
def test_the_imported_list_round_trips_through_csv(cli, tmp_path):
    cli.ok("import", str(TWIN_TOWNS), *GERMAN_LIST_MAP)
    exported = tmp_path / "out.csv"
    cli.ok("export", "--delimiter", ";", "-o", str(exported))
    second = Cli(tmp_path / "second.json")
    second.ok("import", str(exported))
    again = tmp_path / "again.csv"
    second.ok("export", "--delimiter", ";", "-o", str(again))
    assert again.read_bytes() == exported.read_bytes()
