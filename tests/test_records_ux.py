"""Adding and editing records the way people do: signatories one at a time, renamed
parties, unused sectors, duplicates, dates in order, and interactive `add`."""

import os
import pty
import subprocess
import sys

from conftest import AARHUS_QIXIA

TWO = ["add", "-p", "Aarhus, Denmark", "-p", "Turku, Finland", "-t", "twinning"]


def signatories(cli, number="1"):
    return [(s["name"], s["title"], s["party"]) for s in cli.records()[number]["signatories"]]


# --add-signatory and --remove-signatory


def test_edit_adds_a_signatory_in_the_syntax_of_add(cli):
    cli.ok(*TWO, "--signatory", "Jacob Bundsgaard; Mayor; Aarhus")
    cli.ok("edit", "1", "--add-signatory", "Minna Arve; Mayor; turku")
    assert signatories(cli) == [
        ("Jacob Bundsgaard", "Mayor", "Aarhus"),
        ("Minna Arve", "Mayor", "Turku"),
    ]


def test_adding_the_same_signatory_again_replaces_it(cli):
    cli.ok(*TWO, "--signatory", "Jacob Bundsgaard; Aarhus")
    cli.ok("edit", "1", "--add-signatory", "jacob bundsgaard; Mayor; Aarhus")
    assert signatories(cli) == [("jacob bundsgaard", "Mayor", "Aarhus")]


def test_an_added_signatory_must_sign_for_a_party(cli, db):
    cli.ok(*TWO)
    before = db.read_bytes()
    result = cli("edit", "1", "--add-signatory", "Marianne Borgen; Mayor; Oslo")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: signatory 'Marianne Borgen' names 'Oslo'")
    assert db.read_bytes() == before


def test_remove_signatory_by_a_unique_part_of_the_name_ignoring_case_and_accents(cli):
    cli.ok(*TWO, "--signatory", "Jacob Bundsgaard; Mayor; Aarhus",
           "--signatory", "Minna Arve; Mayor; Turku")  # fmt: skip
    result = cli.ok("edit", "1", "--remove-signatory", "BÜNDSGAARD")
    assert "signatories" in result.stdout
    assert signatories(cli) == [("Minna Arve", "Mayor", "Turku")]


def test_removing_an_unknown_signatory_is_one_error_and_changes_nothing(cli, db):
    cli.ok(*TWO, "--signatory", "Jacob Bundsgaard; Mayor; Aarhus")
    before = db.read_bytes()
    result = cli("edit", "1", "--remove-signatory", "Arve")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: agreement 1 has no signatory 'Arve' (its signatories: 'Jacob Bundsgaard')\n"
    )
    assert db.read_bytes() == before


def test_a_part_that_names_two_signatories_is_refused(cli, db):
    cli.ok(*TWO, "--signatory", "Anna Berg; Aarhus", "--signatory", "Anna Lind; Turku")
    before = db.read_bytes()
    result = cli("edit", "1", "--remove-signatory", "anna")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "names more than one signatory" in result.stderr
    assert db.read_bytes() == before


# Renaming a party


def test_renaming_a_party_carries_its_signatories_and_contacts_along(cli):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("edit", "1", "--remove-party", "Qixia", "--add-party", "Qixia, Nanjing, China")
    record = cli.records()["1"]
    assert [p["name"] for p in record["parties"]] == ["Aarhus", "Qixia"]
    assert signatories(cli)[1] == ("Xing Zhengjun", "Governor", "Qixia")
    cli.ok("edit", "1", "--party", "Aarhus Kommune, Denmark", "--party", "Qixia, Nanjing, China")
    record = cli.records()["1"]
    assert signatories(cli)[0] == ("Jacob Bundsgaard", "Mayor", "Aarhus Kommune")
    assert record["contacts"][0]["party"] == "Aarhus Kommune"
    assert record["title"] == "Aarhus Kommune – Qixia"


def test_a_renamed_party_takes_its_activities_along(cli):
    cli.ok(*TWO, "--signed", "2001")
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2010", "--summary", "Delegation",
           "--party", "Turku")  # fmt: skip
    cli.ok("edit", "1", "--remove-party", "Turku", "--add-party", "Åbo, Finland")
    assert cli.records()["1"]["activities"][0]["party"] == "Åbo"


def test_removing_a_party_that_has_signatories_is_still_refused(cli, db):
    cli.ok(*AARHUS_QIXIA, "--party", "Turku, Finland")
    before = db.read_bytes()
    result = cli("edit", "1", "--remove-party", "Qixia")
    assert result.exit_code == 2 and "which is not a party" in result.stderr
    assert db.read_bytes() == before


# Dates in order


def test_expiry_or_review_before_signing_is_refused_by_add(cli, db):
    for option, date, message in (
        ("--expires", "2010", "the agreement would expire (2010) before it was signed (2020)"),
        ("--review", "2019-12", "the review (2019-12) would come before the signing (2020)"),
    ):
        result = cli(*TWO, "--signed", "2020", option, date)
        assert result.exit_code == 2, option
        assert result.stderr.startswith(f"Error: {message}"), result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert not db.exists()


def test_expiry_or_review_before_signing_is_refused_by_edit(cli, db):
    cli.ok(*TWO, "--signed", "2020", "--review", "2025", "--expires", "2030")
    before = db.read_bytes()
    for arguments in (
        ["--expires", "2019"],
        ["--review", "2019-06"],
        ["--signed", "2026"],  # now after the review
    ):
        result = cli("edit", "1", *arguments)
        assert result.exit_code == 2, arguments
        assert len(result.stderr.splitlines()) == 1 and "before" in result.stderr
        assert db.read_bytes() == before
    cli.ok("edit", "1", "--review", "2020")  # the same year counts as not before


def test_a_review_in_the_signing_year_is_not_before_it(cli):
    record = cli.ok(*TWO, "--signed", "2020-06-15", "--review", "2020",
                    "--format", "json").json()  # fmt: skip
    assert record["review_on"] == "2020"


# sectors remove


def test_an_unused_sector_is_removed_in_one_undoable_operation(cli):
    cli.ok("sectors", "add", "food-security", "--synonym", "food safety")
    cli.ok("sectors", "add", "space")
    result = cli.ok("sectors", "remove", "Food Security")
    assert result.stderr == "Removed the sector 'food-security'\n"
    listed = cli.ok("sectors", "list").stdout
    assert "food-security" not in listed and "space (added to this register)" in listed
    assert cli(*TWO, "--sector", "food safety").exit_code == 2
    operations = cli.ok("history", "--format", "json").json()
    assert operations[-1]["command"].endswith("sectors remove 'Food Security'")
    assert [(c["table"], c["after"]) for c in operations[-1]["changes"]] == [("sectors", None)]
    cli.ok("undo")
    assert "food-security (added to this register): food safety" in cli.ok("sectors", "list").stdout


def test_a_sector_in_use_is_refused_with_the_count(cli, db):
    cli.ok("sectors", "add", "food-security")
    cli.ok(*TWO, "--sector", "food-security")
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Bergen, NO", "-t", "twinning", "--sector",
           "food-security?")  # fmt: skip
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Oslo, NO", "-t", "twinning", "--sector", "energy")
    before = db.read_bytes()
    result = cli("sectors", "remove", "food-security")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: the sector 'food-security' is used by 2 agreements "
        "(see 'agreements list --sector food-security')\n"
    )
    assert db.read_bytes() == before
    cli.ok("edit", "1", "--remove-sector", "food-security")
    result = cli("sectors", "remove", "food-security")
    assert result.exit_code == 2 and "is used by 1 agreement " in result.stderr
    cli.ok("edit", "2", "--clear", "sectors")
    cli.ok("sectors", "remove", "food-security")


def test_a_shipped_or_unknown_sector_cannot_be_removed(cli, db):
    cli.ok(*TWO)
    before = db.read_bytes()
    shipped = cli("sectors", "remove", "cleantech")
    assert shipped.exit_code == 2
    assert shipped.stderr.startswith(
        "Error: the sector 'cleantech' comes with agreements and cannot be removed"
    )
    unknown = cli("sectors", "remove", "cleantek")
    assert unknown.exit_code == 2 and "did you mean 'cleantech'?" in unknown.stderr
    assert db.read_bytes() == before


# Duplicates


def test_the_same_agreement_again_is_added_with_a_warning(cli):
    cli.ok(*TWO, "--signed", "2 October 2012")
    result = cli.ok("add", "-p", "ÅBO, Finland", "-p", "aarhus", "-t", "sister-city",
                    "--signed", "2012-10-02", "-p", "x")  # fmt: skip
    assert "Warning" not in result.stderr  # three parties are not the same two
    result = cli.ok("add", "-p", "TÜRKU", "-p", "aarhus, Denmark", "-t", "sister-city",
                    "--signed", "2012-10-02")  # fmt: skip
    assert result.stdout == "3\n"
    assert result.stderr.splitlines() == [
        "Warning: agreement 1 has the same parties, type and signing date",
        "Added agreement 3: TÜRKU – aarhus, signed 2012-10-02",
    ]
    assert sorted(cli.records()) == ["1", "2", "3"]
    again = cli.ok(*TWO, "--signed", "2012-10-02")
    assert "Warning: agreements 1 and 3 have the same parties" in again.stderr


def test_no_duplicates_refuses_the_same_agreement_again(cli, db):
    cli.ok(*TWO)
    before = db.read_bytes()
    result = cli("add", "-p", "turku", "-p", "AARHUS", "-t", "twinning", "--no-duplicates")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: agreement 1 has the same parties, type and signing date (see 'agreements "
        "show 1'; without --no-duplicates it is added)\n"
    )
    assert db.read_bytes() == before


def test_a_separate_agreement_between_the_same_parties_needs_no_force(cli):
    cli.ok(*TWO, "--signed", "2012")
    for extra in (["--signed", "2013"], ["--signed", "2012-05"], ["-t", "mou", "--signed", "2012"],
                  []):  # fmt: skip
        arguments = [*TWO, *extra] if "-t" not in extra else [*TWO[:5], *extra]
        result = cli.ok(*arguments, "--no-duplicates")
        assert "Warning" not in result.stderr, extra
    # Heidelberg in South Africa is not Heidelberg in Germany.
    cli.ok("add", "-p", "Heidelberg, Germany", "-p", "Cambridge, GB", "-t", "twinning")
    result = cli.ok("add", "-p", "Heidelberg, ZA", "-p", "Cambridge", "-t", "twinning",
                    "--no-duplicates")  # fmt: skip
    assert "Warning" not in result.stderr


def test_import_keeps_its_own_duplicate_handling(cli, tmp_path):
    cli.ok(*TWO, "--signed", "2012")
    exported = tmp_path / "out.csv"
    cli.ok("export", "-o", str(exported))
    result = cli.ok("import", str(exported))
    assert "Warning" not in result.stderr
    assert sorted(cli.records()) == ["1"]


# Interactive add


def on_a_terminal(monkeypatch):
    monkeypatch.setattr("agreements.cli.records.stdin_is_terminal", lambda: True)


def answers(*lines):
    return "".join(f"{line}\n" for line in lines)


def test_add_on_a_terminal_asks_for_every_field_and_asks_again_after_a_typo(cli, monkeypatch):
    on_a_terminal(monkeypatch)
    typed = answers(
        "Aarhus, Denmrk", "Aarhus, Denmark", "", "Qixia District, Nanjing, China", "",
        "twining", "collaboration",
        "2023-02-29", "2 October 2012",
        "Aarhus City Hall",
        "cleantek, education?", "cleantech, education?",
        "Jacob Bundsgaard; Mayor; Oslo", "Jacob Bundsgaard; Mayor; Aarhus", "",
    )  # fmt: skip
    result = cli("add", input=typed)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: unknown country 'Denmrk' (did you mean 'Denmark'?)",
        "Error: an agreement needs two parties",
        "Error: unknown agreement type 'twining' (did you mean 'sister-city'? choose one of: "
        "sister-city, friendship, cooperation, memorandum-of-understanding, letter-of-intent, "
        "other)",
        "Error: '2023-02-29' is not a real date: February 2023 has 28 days, not 29",
        "Error: unknown sector 'cleantek' (did you mean 'cleantech'? see 'agreements sectors "
        "list', or add it with 'agreements sectors add')",
        "Error: signatory 'Jacob Bundsgaard' names 'Oslo', which is not a party (parties: "
        "'Aarhus', 'Qixia District')",
    ]
    assert "Type (sister-city, friendship, cooperation, mou, loi, other) [sister-city]:" in (
        result.stderr
    )
    record = cli.records()["1"]
    assert [p["name"] for p in record["parties"]] == ["Aarhus", "Qixia District"]
    assert (record["type"], record["signed_on"], record["place"]) == (
        "cooperation", "2012-10-02", "Aarhus City Hall"
    )  # fmt: skip
    assert record["sectors"] == [
        {"name": "cleantech", "certainty": "agreed"},
        {"name": "education", "certainty": "possible"},
    ]
    assert signatories(cli) == [("Jacob Bundsgaard", "Mayor", "Aarhus")]


def test_interactive_takes_more_parties_and_shows_the_given_values_as_defaults(cli):
    typed = answers("Aarhus, DK", "Turku, FI", "Bergen, NO", "", "", "", "", "", "")
    result = cli("add", "--interactive", "--type", "friendship", "--signed", "2012",
                 "--place", "Turku", "--sector", "culture", input=typed)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    for default in ("[friendship]", "[2012]", "[Turku]", "[culture]"):
        assert default in result.stderr
    record = cli.records()["1"]
    assert [p["name"] for p in record["parties"]] == ["Aarhus", "Turku", "Bergen"]
    assert (record["type"], record["signed_on"], record["place"]) == ("friendship", "2012", "Turku")
    assert [s["name"] for s in record["sectors"]] == ["culture"]
    assert record["signatories"] == []


def test_end_of_input_at_a_question_stops_with_130_and_saves_nothing(cli, db, monkeypatch):
    on_a_terminal(monkeypatch)
    result = cli("add", input=answers("Aarhus, Denmark", "Turku, Finland", "", "twinning"))
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == "Stopped: no agreement was added."
    assert result.stdout == ""
    assert not db.exists()


def test_with_a_party_given_a_terminal_asks_only_for_what_is_missing(cli, monkeypatch):
    on_a_terminal(monkeypatch)
    result = cli("add", "-p", "Aarhus, DK", input=answers("Turku, FI", "frendship", "friendship"))
    assert result.exit_code == 0, result.stderr
    assert "did you mean 'friendship'?" in result.stderr
    assert "Signed on" not in result.stderr
    record = cli.records()["1"]
    assert ([p["name"] for p in record["parties"]], record["type"]) == (
        ["Aarhus", "Turku"], "friendship"
    )  # fmt: skip


def test_ctrl_d_in_a_real_terminal_ends_add_with_130(tmp_path):
    db = tmp_path / "register.json"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "agreements", "--db", str(db), "add"],
        stdin=follower, stdout=subprocess.PIPE, stderr=follower, env=os.environ,
    )  # fmt: skip
    os.close(follower)
    os.write(leader, b"Aarhus, Denmark\n\x04")
    stdout, _ = process.communicate(timeout=30)
    said = b""
    try:
        while chunk := os.read(leader, 4096):
            said += chunk
    except OSError:  # the terminal is gone once the process ended
        pass
    os.close(leader)
    assert process.returncode == 130
    assert stdout == b""
    assert said.decode().splitlines()[-1] == "Stopped: no agreement was added."
    assert list(tmp_path.iterdir()) == []  # no register, no lock
