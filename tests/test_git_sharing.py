"""One register shared over git: real repositories, the `git` binary, git calling our
merge driver as it does for a team (`git-setup`, `git pull`, `resolve`)."""

import json
import os
import shutil
import subprocess
import time

import pytest
from conftest import Cli

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None and os.environ.get("CI") != "true", reason="needs git"
)

OSLO_RIGA = ["add", "-p", "Oslo, NO", "-p", "Riga, LV", "-t", "twinning"]
LYON_PORTO = ["add", "-p", "Lyon, FR", "-p", "Porto, PT", "-t", "twinning", "--sector", "culture"]


@pytest.fixture(autouse=True)
def git_identity(monkeypatch, tmp_path):
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Colleague")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "colleague@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(folder, *arguments, ok=True):
    done = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0 or not ok, done.stderr
    return done


def _clone(tmp_path, name):
    git(tmp_path, "clone", "-q", "origin.git", name)
    folder = tmp_path / name
    git(folder, "config", "pull.rebase", "false")
    cli = Cli(folder / "register.json")
    cli.ok("git-setup")
    return cli


@pytest.fixture
def team(tmp_path):
    """Two clones of one repository holding a register of three agreements."""
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "origin.git")
    first = _clone(tmp_path, "first")
    for pair in (("Aarhus, DK", "Kiel, DE"), ("Turku, FI", "Bonn, DE"), ("Pori, FI", "Ulm, DE")):
        first.ok("add", "-p", pair[0], "-p", pair[1], "-t", "twinning", "--sector", "education")
    folder = first.db.parent
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "the register")
    git(folder, "push", "-q", "origin", "HEAD:main")
    second = _clone(tmp_path, "second")
    return first, second


def _commit(cli, message):
    git(cli.db.parent, "commit", "-q", "-a", "-m", message)


def _pull(cli):
    return git(cli.db.parent, "pull", "origin", "main", ok=False)


def _push(cli):
    git(cli.db.parent, "push", "-q", "origin", "HEAD:main")


def _exported(cli):
    return {record["id"]: record for record in cli.ok("export", "--format", "json").json()}


def test_setup_names_the_driver_keeps_our_files_out_and_is_idempotent(team):
    first, _ = team
    folder = first.db.parent
    attributes = (folder / ".gitattributes").read_text()
    assert attributes == "/register.json merge=agreements\n"
    ignored = (folder / ".gitignore").read_text().splitlines()
    assert "/register.json.history" in ignored and "/register.json.due" in ignored
    driver = git(folder, "config", "merge.agreements.driver").stdout
    assert "-m agreements merge-driver %O %A %B %P" in driver
    again = first.ok("git-setup")
    assert "Already set up" in again.stderr
    assert (folder / ".gitattributes").read_text() == attributes
    assert git(folder, "status", "--porcelain").stdout == ""  # the history is not tracked


def test_setup_outside_a_work_tree_is_refused(tmp_path):
    result = Cli(tmp_path / "register.json")("git-setup")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "not in a git work tree" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_additions_and_edits_of_different_fields_merge_without_conflict(team):
    first, second = team
    first.ok(*OSLO_RIGA)
    first.ok("add", "-p", "Graz, AT", "-p", "Pécs, HU", "-t", "friendship")
    first.ok("edit", "1", "--place", "Kiel town hall", "--sector", "cleantech")
    _commit(first, "first's")
    _push(first)
    second.ok(*LYON_PORTO)
    second.ok("add", "-p", "Vaasa, FI", "-p", "Umeå, SE", "-t", "friendship")
    second.ok("edit", "1", "--note", "Harbour link", "--sector", "water")
    second.ok("activity", "add", "2", "--kind", "visit", "--on", "2026-10-01", "--summary", "Visit")
    _commit(second, "second's")
    pulled = _pull(second)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "both sides added an agreement 4; the later, " in pulled.stderr
    merged = _exported(second)
    assert sorted(merged) == [1, 2, 3, 4, 5, 6, 7]
    titles = {record["title"] for number, record in merged.items() if number > 3}
    assert titles == {"Oslo – Riga", "Graz – Pécs", "Lyon – Porto", "Vaasa – Umeå"}
    assert merged[1]["place"] == "Kiel town hall" and merged[1]["notes"] == "Harbour link"
    # Each side put its own sector in place of education: both of theirs are kept.
    assert [sector["name"] for sector in merged[1]["sectors"]] == ["water", "cleantech"]
    assert [activity["summary"] for activity in merged[2]["activities"]] == ["Visit"]
    assert all(record["conflicts"] == [] for record in merged.values())
    checked = second("check")
    assert checked.exit_code == 0 and "the seal (it matches)" in checked.stdout
    assert "merge-driver: git merge of register.json" in second.ok("history", "-n", "1").stdout
    assert second.ok(*OSLO_RIGA).stdout.strip() == "8"  # the history knows the merged file
    second.ok("undo")
    _push(second)
    assert _pull(first).returncode == 0  # a fast-forward: no merge, no driver
    assert _exported(first) == merged
    checked = first.ok("check").stdout
    assert "the file is a version git brought after operation" in checked
    first.ok("edit", "2", "--place", "Turku")  # taken as the version git brought
    assert first("check").exit_code == 0


def test_the_same_field_changed_differently_is_a_conflict_until_resolved(team):
    first, second = team
    first.ok("edit", "1", "--place", "Town hall")
    _commit(first, "first's")
    _push(first)
    second.ok("edit", "1", "--place", "Rathaus", "--note", "ours too")
    _commit(second, "second's")
    pulled = _pull(second)
    assert pulled.returncode != 0
    assert "CONFLICT in register.json: agreement 1, place" in pulled.stderr
    assert "<<<<<<<" not in second.db.read_text()
    record = second.records()["1"]
    assert record["place"] == "Rathaus" and record["notes"] == "ours too"
    assert record["conflicts"] == [
        {"base": "null", "field": "place", "ours": '"Rathaus"', "theirs": '"Town hall"'}
    ]
    checked = second("check")
    assert checked.exit_code == 0
    assert "record 1, field 'place': a merge conflict" in checked.stdout
    assert (
        'Conflict  place: ours "Rathaus" (kept), theirs "Town hall"'
        in second.ok("show", "1").stdout
    )
    second.ok("resolve", "1", "place", "--take", "theirs")
    record = second.records()["1"]
    assert record["place"] == "Town hall" and record["conflicts"] == []
    assert "merge conflict" not in second.ok("check").stdout
    again = second("resolve", "1", "place", "--take", "ours")
    assert again.exit_code == 2 and "has no conflict in 'place'" in again.stderr
    git(second.db.parent, "add", "register.json")
    _commit(second, "merged")
    _push(second)
    assert _pull(first).returncode == 0
    assert first.records()["1"]["place"] == "Town hall"


def _versions(tmp_path, change_ours, change_theirs):
    """A base register, and two changed copies of it: three files for the driver."""
    base = tmp_path / "base.json"
    cli = Cli(base)
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Kiel, DE", "-t", "twinning", "--tag", "port")
    cli.ok("add", "-p", "Turku, FI", "-p", "Bonn, DE", "-t", "friendship", "--tag", "rail")
    cli.ok("sectors", "add", "fisheries")
    files = []
    for name, change in (("ours", change_ours), ("theirs", change_theirs)):
        copy = tmp_path / f"{name}.json"
        shutil.copyfile(base, copy)
        for command in change:
            Cli(copy).ok(*command)
        files.append(copy)
    return base, *files


def _driver(tmp_path, base, ours, theirs):
    """The driver as git calls it, ours standing for the register in the work tree: git
    hands a temporary copy of it, and puts the result in its place."""
    handed = tmp_path / ".merge_file_ours"
    shutil.copyfile(ours, handed)
    command = ("merge-driver", str(base), str(handed), str(theirs), str(ours))
    result = Cli(tmp_path / "unused.json")(*command)
    shutil.copyfile(handed, ours)
    return result


def test_removed_on_both_sides_is_removed_and_on_one_side_too_when_the_other_left_it(tmp_path):
    base, ours, theirs = _versions(tmp_path, [["remove", "1", "--yes"]], [["remove", "1", "--yes"], ["remove", "2", "--yes"]])  # fmt: skip
    assert _driver(tmp_path, base, ours, theirs).exit_code == 0
    assert Cli(ours).records() == {}
    assert Cli(ours)("check").exit_code == 0


def test_removed_on_one_side_and_changed_on_the_other_is_a_conflict(tmp_path):
    base, ours, theirs = _versions(
        tmp_path, [["remove", "1", "--yes"]], [["edit", "1", "--place", "Kiel"]]
    )
    result = _driver(tmp_path, base, ours, theirs)
    assert result.exit_code == 1 and "agreement 1, record" in result.stderr
    record = Cli(ours).records()["1"]
    assert record["place"] == "Kiel"
    assert record["conflicts"] == [
        {"base": "present", "field": "record", "ours": "removed", "theirs": "changed"}
    ]
    Cli(ours).ok("resolve", "1", "record", "--take", "ours")
    assert "1" not in Cli(ours).records()


def test_lists_merge_item_by_item_and_the_vocabulary_keeps_both_sides_terms(tmp_path):
    base, ours, theirs = _versions(
        tmp_path,
        [["edit", "1", "--tag", "port", "--tag", "ferry"], ["sectors", "add", "forestry"]],
        [["edit", "1", "--tag", "baltic"], ["sectors", "add", "mining"],
         ["edit", "2", "--tag", "rail", "--tag", "night train"]],
    )  # fmt: skip
    assert _driver(tmp_path, base, ours, theirs).exit_code == 0
    records = Cli(ours).records()
    assert records["1"]["tags"] == ["ferry", "baltic"]  # their side dropped "port"
    assert records["2"]["tags"] == ["rail", "night train"]
    listed = Cli(ours).ok("sectors", "list").stdout
    assert all(name in listed for name in ("fisheries", "forestry", "mining"))
    assert Cli(ours)("check").exit_code == 0


def test_a_version_that_is_not_a_register_falls_back_to_git_markers(tmp_path):
    base, ours, theirs = _versions(tmp_path, [], [["edit", "1", "--place", "Kiel"]])
    ours.write_text(ours.read_text().replace('"agreements"', '"agreemints"', 1))
    result = _driver(tmp_path, base, ours, theirs)
    assert result.exit_code == 1
    assert f"cannot merge {ours} record by record" in result.stderr
    assert "<<<<<<< ours" in ours.read_text()


def test_resolve_takes_a_value_of_ones_own_and_refuses_one_that_is_not_sound(tmp_path):
    base, ours, theirs = _versions(
        tmp_path, [["edit", "1", "--signed", "2001"]], [["edit", "1", "--signed", "2002"]]
    )
    assert _driver(tmp_path, base, ours, theirs).exit_code == 1
    cli = Cli(ours)
    before = ours.read_bytes()
    bad = cli("resolve", "1", "signed_on", "--take", "the year after")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: ")
    assert len(bad.stderr.strip().splitlines()) == 1
    assert ours.read_bytes() == before
    cli.ok("resolve", "1", "signed_on", "--take", "2001-05")
    assert cli.records()["1"]["signed_on"] == "2001-05"
    assert json.loads(cli.ok("show", "1", "--format", "json").stdout)["conflicts"] == []


def test_an_agreement_renumbered_by_an_earlier_merge_takes_the_edits_made_under_its_old_id(
    team,
):
    first, second = team
    first.ok("add", "-p", "Paris, FR", "-p", "Rome, IT", "-t", "twinning")
    _commit(first, "first's")
    time.sleep(1.1)  # created a second later: the one to be renumbered, in the clone that has it
    second.ok("add", "-p", "Turku, FI", "-p", "Tartu, EE", "-t", "twinning")
    _commit(second, "second's")
    _push(second)
    assert _pull(first).returncode == 0  # one of the two new agreements 4 is renumbered
    _push(first)
    second.ok("edit", "4", "--place", "Turku Castle")  # under the id it had in this clone
    _commit(second, "second's edit")
    assert _pull(second).returncode == 0
    by_title = {record["title"]: record for record in _exported(second).values()}
    assert by_title["Turku – Tartu"]["id"] == 5
    assert by_title["Turku – Tartu"]["place"] == "Turku Castle"
    assert by_title["Paris – Rome"]["place"] is None
    assert sorted(_exported(second)) == [1, 2, 3, 4, 5]
    assert second("check").exit_code == 0
    _push(second)
    assert _pull(first).returncode == 0
    assert _exported(first) == _exported(second)


def test_the_same_item_changed_differently_on_both_sides_is_a_conflict_of_its_field(tmp_path):
    base, ours, theirs = _versions(
        tmp_path,
        [["edit", "1", "--add-sector", "energy"],
         ["activity", "add", "2", "--kind", "visit", "--on", "2026-10-01", "--summary", "Visit"]],
        [["edit", "1", "--add-sector", "energy?"],
         ["activity", "add", "2", "--kind", "visit", "--on", "2026-10-01", "--summary", "Call"]],
    )  # fmt: skip
    result = _driver(tmp_path, base, ours, theirs)
    assert result.exit_code == 1
    records = Cli(ours).records()
    assert [conflict["field"] for conflict in records["1"]["conflicts"]] == ["sectors"]
    assert [conflict["field"] for conflict in records["2"]["conflicts"]] == ["activities"]
    assert [activity["summary"] for activity in records["2"]["activities"]] == ["Visit"]
    assert Cli(ours)("check").exit_code == 0
    Cli(ours).ok("resolve", "2", "activities", "--take", "theirs")
    assert [a["summary"] for a in Cli(ours).records()["2"]["activities"]] == ["Call"]


@pytest.mark.parametrize("damage", ["empty", "changed by hand"])
def test_a_version_agreements_did_not_write_is_not_merged(tmp_path, damage):
    base, ours, theirs = _versions(tmp_path, [["edit", "1", "--place", "Kiel"]], [])
    before = theirs.read_bytes()
    damaged = b"" if damage == "empty" else before.replace(b"Aarhus", b"Aarhuz", 1)
    theirs.write_bytes(damaged)
    result = _driver(tmp_path, base, ours, theirs)
    assert result.exit_code == 1
    assert "record by record" in result.stderr
    assert "<<<<<<< ours" in ours.read_text()  # git's own conflict, nothing half merged


def test_setup_names_a_register_whose_path_has_spaces(tmp_path):
    git(tmp_path, "init", "-q")
    folder = tmp_path / "team data"
    folder.mkdir()
    cli = Cli(folder / "our register.json")
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Kiel, DE", "-t", "twinning")
    cli.ok("git-setup")
    said = git(tmp_path, "check-attr", "merge", "--", "team data/our register.json").stdout
    assert said.strip().endswith(": merge: agreements")
    assert git(tmp_path, "check-ignore", "team data/our register.json.history").returncode == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("place", "Kiel\x1b[31m"), ("place", "   "), ("parties", '[{"name": "X"}]')],
)
def test_resolve_refuses_what_edit_refuses(tmp_path, field, value):
    base, ours, theirs = _versions(
        tmp_path,
        [["edit", "1", "--place", "A", "-p", "Aarhus, DK", "-p", "Lund, SE"]],
        [["edit", "1", "--place", "B", "-p", "Aarhus, DK", "-p", "Malmö, SE"]],
    )
    assert _driver(tmp_path, base, ours, theirs).exit_code == 1
    before = ours.read_bytes()
    refused = Cli(ours)("resolve", "1", field, "--take", value)
    assert refused.exit_code == 2 and refused.stderr.startswith("Error: ")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert ours.read_bytes() == before


def test_the_vocabulary_keeps_a_sector_still_in_use_and_no_synonym_twice(tmp_path):
    base, ours, theirs = _versions(
        tmp_path,
        [["edit", "1", "--add-sector", "fisheries"],
         ["sectors", "add", "harbours", "--synonym", "dockland"]],
        [["sectors", "remove", "fisheries"],
         ["sectors", "add", "quays", "--synonym", "dockland"]],
    )  # fmt: skip
    result = _driver(tmp_path, base, ours, theirs)
    assert result.exit_code == 0
    assert "their synonym 'dockland' of 'quays' already means another sector" in result.stderr
    cli = Cli(ours)
    assert [
        record["id"] for record in cli.ok("list", "--sector", "fisheries", "-f", "json").json()
    ] == [1]
    assert "quays" in cli.ok("sectors", "list").stdout
    cli.ok("sectors", "add", "wharves")  # the vocabulary is one `sectors add` accepts
    assert cli("check").exit_code == 0


def test_a_merge_git_makes_of_other_versions_is_not_in_the_history(tmp_path):
    """git merges the bases of a criss-cross merge with the driver too; that merge is not
    an operation of the register in the work tree."""
    base, ours, theirs = _versions(tmp_path, [["edit", "1", "--place", "A"]], [["edit", "2", "--place", "B"]])  # fmt: skip
    history = ours.with_name("ours.json.history").read_bytes()
    handed = tmp_path / ".merge_file_base"
    shutil.copyfile(base, handed)
    command = ("merge-driver", str(base), str(handed), str(theirs), str(ours))
    assert Cli(tmp_path / "unused.json")(*command).exit_code == 0
    assert json.loads(handed.read_text())["agreements"]["2"]["place"] == "B"
    assert ours.with_name("ours.json.history").read_bytes() == history


def test_three_clones_keep_one_agreement_with_every_edit_made_under_its_new_id(team, tmp_path):
    first, second = team
    third = _clone(tmp_path, "third")
    third.ok("add", "-p", "Zagreb, HR", "-p", "Split, HR", "-t", "friendship")
    _commit(third, "third's")
    second.ok("add", "-p", "Berlin, DE", "-p", "Prague, CZ", "-t", "friendship")
    _commit(second, "second's")
    time.sleep(1.1)
    first.ok("add", "-p", "Oslo, NO", "-p", "Rome, IT", "-t", "friendship")
    _commit(first, "first's")
    _push(first)
    for clone in (second, third):
        assert _pull(clone).returncode == 0
    oslo = {r["title"]: n for n, r in _exported(second).items()}["Oslo – Rome"]
    assert oslo == {r["title"]: n for n, r in _exported(third).items()}["Oslo – Rome"]
    second.ok("edit", str(oslo), "--place", "B place")
    _commit(second, "second's edit")
    third.ok("edit", str(oslo), "--tag", "ctag")
    _commit(third, "third's edit")
    _push(third)
    assert _pull(second).returncode == 0
    _push(second)
    assert _pull(first).returncode == 0
    records = list(_exported(first).values())
    assert sorted(r["title"] for r in records) == [
        "Aarhus – Kiel", "Berlin – Prague", "Oslo – Rome", "Pori – Ulm", "Turku – Bonn",
        "Zagreb – Split",
    ]  # fmt: skip
    oslo_rome = next(r for r in records if r["title"] == "Oslo – Rome")
    assert oslo_rome["place"] == "B place" and oslo_rome["tags"] == ["ctag"]
    assert all(r["conflicts"] == [] for r in records)
    assert first("check").exit_code == 0


def test_agreements_imported_in_the_same_second_stay_apart(team, tmp_path):
    first, second = team
    rows = tmp_path / "rows.csv"
    rows.write_text("party1,party2\nKiel,Oslo\nKiel,Bergen\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("party1,party2\nKiel,Gdańsk\nKiel,Riga\n", encoding="utf-8")
    mapping = [
        "--map",
        "party1.name=party1",
        "--map",
        "party2.name=party2",
        "--set",
        "type=twinning",
    ]
    first.ok("import", str(rows), *mapping)
    second.ok("import", str(other), *mapping)
    _commit(first, "first's")
    _push(first)
    _commit(second, "second's")
    assert _pull(second).returncode == 0
    _push(second)
    assert _pull(first).returncode == 0
    oslo = {r["title"]: n for n, r in _exported(first).items()}["Kiel – Oslo"]
    first.ok("edit", str(oslo), "--place", "Oslo Rådhus")
    _commit(first, "first's edit")
    _push(first)
    assert _pull(second).returncode == 0
    by_title = {r["title"]: r for r in _exported(second).values()}
    assert by_title["Kiel – Oslo"]["place"] == "Oslo Rådhus"
    assert [r["place"] for t, r in by_title.items() if t != "Kiel – Oslo"] == [None] * 6
    assert len(by_title) == 7


def test_changes_sound_alone_and_not_together_keep_ours_and_the_conflicts(tmp_path):
    base, ours, theirs = _versions(
        tmp_path,
        [["edit", "1", "-p", "Aarhus, DK", "-p", "Lund, SE"]],
        [["edit", "1", "--add-signatory", "Anna Berg; Mayor; Kiel", "--place", "Kiel"]],
    )
    result = _driver(tmp_path, base, ours, theirs)
    assert result.exit_code == 1
    record = Cli(ours).records()["1"]
    assert [party["name"] for party in record["parties"]] == ["Aarhus", "Lund"]
    assert {conflict["field"] for conflict in record["conflicts"]} == {"signatories", "place"}
    assert Cli(ours)("check").exit_code == 0


def test_an_edit_of_both_parties_on_one_side_is_still_the_same_agreement(tmp_path):
    base, ours, theirs = _versions(
        tmp_path,
        [["edit", "2", "-p", "Tampere, FI", "-p", "Essen, DE"]],
        [["edit", "2", "--place", "City Hall"]],
    )
    assert _driver(tmp_path, base, ours, theirs).exit_code == 0
    records = Cli(ours).records()
    assert sorted(records) == ["1", "2"]
    assert records["2"]["title"] == "Tampere – Essen" and records["2"]["place"] == "City Hall"
