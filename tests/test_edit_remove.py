from conftest import AARHUS_QIXIA


def test_edit_prints_what_changed_and_stores_it(cli):
    cli.ok(*AARHUS_QIXIA)
    result = cli.ok("edit", "1", "--add-sector", "energy", "--remove-sector", "education",
                    "--place", "Rådhuset, Aarhus", "--review", "2027-06")  # fmt: skip
    assert result.stdout.splitlines()[0] == "Changed agreement 1:"
    assert '  place: "Aarhus City Hall" → "Rådhuset, Aarhus"' in result.stdout
    assert "  review_on: — → June 2027" in result.stdout
    record = cli.records()["1"]
    assert [s["name"] for s in record["sectors"]] == ["cleantech", "energy"]
    assert record["place"] == "Rådhuset, Aarhus"
    assert record["updated_at"] >= record["created_at"]


def test_edit_parties_follow_into_the_default_title(cli):
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Turku, Finland", "-t", "twinning")
    cli.ok("edit", "1", "--add-party", "Bergen, Norway", "--level", "Aarhus=municipality")
    record = cli.records()["1"]
    assert record["title"] == "Aarhus – Turku – Bergen"
    assert record["parties"][0]["level"] == "municipality"
    cli.ok("edit", "1", "--remove-party", "turku")
    assert cli.records()["1"]["title"] == "Aarhus – Bergen"


def test_edit_refuses_to_orphan_a_signatory(cli, db):
    cli.ok(*AARHUS_QIXIA, "--party", "Turku, Finland")
    before = db.read_bytes()
    result = cli("edit", "1", "--remove-party", "Qixia")
    assert result.exit_code == 2 and "which is not a party" in result.stderr
    assert db.read_bytes() == before


def test_edit_clear_and_status(cli):
    cli.ok(*AARHUS_QIXIA)
    cli.ok(
        "edit", "1", "--status", "suspended", "--status-reason", "under review", "--clear", "place"
    )
    record = cli.records()["1"]
    assert (record["status"], record["status_reason"], record["place"]) == (
        "suspended",
        "under review",
        None,
    )
    shown = cli.ok("show", "1", "--format", "json").json()
    assert (shown["status"], shown["status_manual"]) == ("suspended", True)
    cli.ok("edit", "1", "--status", "auto")
    record = cli.records()["1"]
    assert (record["status"], record["status_reason"]) == (None, None)
    shown = cli.ok("show", "1", "--format", "json").json()
    assert (shown["status"], shown["status_manual"]) == ("active", False)


def test_edit_with_nothing_to_change(cli, db):
    cli.ok(*AARHUS_QIXIA)
    before = db.read_bytes()
    result = cli.ok("edit", "1", "--place", "Aarhus City Hall")
    assert "nothing changed" in result.stderr and result.stdout == ""
    assert db.read_bytes() == before


def test_remove_with_yes_and_ids_are_never_reused(cli):
    for city in ("Turku", "Bergen", "Gothenburg"):
        cli.ok("add", "-p", "Aarhus, DK", "-p", city, "-t", "twinning")
    result = cli.ok("remove", "3", "--yes")
    assert "Removed agreement 3: Aarhus – Gothenburg" in result.stderr
    assert sorted(cli.records()) == ["1", "2"]
    assert cli.ok("add", "-p", "Aarhus, DK", "-p", "Rostock", "-t", "twinning").stdout == "4\n"
    assert cli("show", "3").exit_code == 3


def test_remove_asks_on_a_terminal(cli, monkeypatch):
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku", "-t", "twinning")
    monkeypatch.setattr("agreements.cli.records.stdin_is_terminal", lambda: True)
    kept = cli("remove", "1", input="n\n")
    assert kept.exit_code == 0 and "Nothing removed." in kept.stderr
    assert "1" in cli.records()
    gone = cli("remove", "1", input="y\n")
    assert gone.exit_code == 0 and cli.records() == {}


def test_tags_are_added_removed_and_filtered(cli):
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning", "--tag", "Nordic")
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Rostock, DE", "-t", "twinning")
    cli.ok("edit", "2", "--add-tag", "baltic", "--add-tag", "nordic")
    cli.ok("edit", "1", "--remove-tag", "NORDIC", "--add-tag", "founding")
    assert cli.records()["1"]["tags"] == ["founding"]
    assert cli.records()["2"]["tags"] == ["baltic", "nordic"]
    listed = cli.ok("list", "--tag", "Nordic").stdout.splitlines()
    assert [line.split("\t")[0] for line in listed[1:]] == ["2"]
