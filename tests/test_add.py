import csv
import io
import json
import os
import pty
import subprocess
import sys

from conftest import AARHUS_QIXIA


def test_reference_agreement_is_stored_with_every_fact(cli):
    result = cli.ok(*AARHUS_QIXIA)
    assert result.stdout == "1\n"
    assert "Added agreement 1" in result.stderr
    record = cli.records()["1"]
    assert record["title"] == "Aarhus – Qixia District (栖霞区)"
    assert record["type"] == "cooperation"
    assert record["signed_on"] == "2012-10-02"
    assert record["place"] == "Aarhus City Hall"
    assert record["parties"] == [
        {
            "name": "Aarhus",
            "country": "DK",
            "country_as_given": None,
            "level": "city",
            "parent": None,
            "other_names": [],
            "region": None,
            "region_code": None,
            "country_at_signing": None,
        },
        {
            "name": "Qixia District (栖霞区)",
            "country": "CN",
            "country_as_given": None,
            "level": "district",
            "parent": "Nanjing",
            "other_names": [],
            "region": None,
            "region_code": None,
            "country_at_signing": None,
        },
    ]
    assert record["signatories"] == [
        {"name": "Jacob Bundsgaard", "title": "Mayor", "party": "Aarhus"},
        {"name": "Xing Zhengjun", "title": "Governor", "party": "Qixia District (栖霞区)"},
    ]
    assert record["sectors"] == [
        {"name": "cleantech", "certainty": "agreed"},
        {"name": "education", "certainty": "possible"},
    ]
    assert record["contacts"][0]["phone"] == "+45 8940 2195"
    assert record["contacts"][0]["name"] == "Internationalt Kontor, Aarhus Kommune"
    assert "1937" in record["notes"] and "spring 2013" in record["notes"]
    assert record["tags"] == ["nordic-china"]
    # Only a status set by hand is stored; the rest is derived whenever it is read.
    assert record["status"] is None and "status_manual" not in record
    assert record["created_at"].endswith("Z")
    shown = cli.ok("show", "1", "--format", "json").json()
    assert shown["status"] == "active" and shown["status_manual"] is False


def test_reference_agreement_shows_up_everywhere(cli):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("add", "--party", "Oxford, UK", "--party", "Bonn, Germany", "--type", "twinning",
           "--signed", "1947", "--sector", "culture")  # fmt: skip

    listed = cli.ok("list", "--sector", "cleantech")
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith("1\tAarhus – Qixia District (栖霞区)\t")

    shown = cli.ok("show", "1").stdout
    for fact in ("Jacob Bundsgaard", "Mayor", "2 October 2012", "Nanjing", "education (possible)",
                 "+45 8940 2195", "Denmark (DK)", "China (CN)"):  # fmt: skip
        assert fact in shown

    summary = cli.ok("summary", "--format", "json").json()
    assert summary["total"] == 2
    assert {"value": "cleantech", "count": 1} in summary["sector"]
    assert {"value": "DK", "count": 1} in summary["country"]
    assert {"value": "2012", "count": 1} in summary["year"]

    exported = cli.ok("export").stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    aarhus = rows[0]
    assert aarhus["party_names"] == "Aarhus; Qixia District (栖霞区)"
    assert aarhus["contact_names"] == "Internationalt Kontor, Aarhus Kommune"
    assert aarhus["sectors"] == "cleantech; education?"


def test_add_prints_the_stored_record_as_json(cli):
    record = cli.ok(*AARHUS_QIXIA, "--format", "json").json()
    assert record["id"] == 1
    stored = cli.records()["1"]
    assert stored.pop("uid")  # the register's own, not exported
    assert record == {"id": 1, **stored, "status": "active", "status_manual": False}
    assert list(record)[:5] == ["id", "title", "type", "status", "status_manual"]


def test_add_without_terminal_needs_parties_and_type(cli, db):
    result = cli("add", "--party", "Aarhus, Denmark", "--type", "twinning")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: an agreement needs two parties")
    assert not db.exists()
    result = cli("add", "--party", "Aarhus, Denmark", "--party", "Turku, Finland")
    assert result.exit_code == 2 and "type" in result.stderr


def test_default_title_and_aliases(cli):
    record = cli.ok("add", "-p", "Cape Town, ZA", "-p", "Buenos Aires, Argentina", "-t", "mou",
                    "--format", "json").json()  # fmt: skip
    assert record["title"] == "Cape Town – Buenos Aires"
    assert record["type"] == "memorandum-of-understanding"
    assert record["status"] == "active"  # signed, its date unknown


def test_status_set_by_hand_keeps_its_reason(cli):
    record = cli.ok("add", "-p", "A, DK", "-p", "B, SE", "-t", "friendship", "--signed", "2001",
                    "--status", "suspended", "--status-reason", "paused by the council",
                    "--format", "json").json()  # fmt: skip
    assert (record["status"], record["status_manual"]) == ("suspended", True)
    assert record["status_reason"] == "paused by the council"


def test_expired_is_derived_from_the_expiry_date(cli):
    record = cli.ok("add", "-p", "A, DK", "-p", "B, SE", "-t", "mou", "--signed", "2001",
                    "--expires", "2005", "--format", "json").json()  # fmt: skip
    assert record["status"] == "expired" and record["status_manual"] is False


def test_add_prompts_for_missing_fields_on_a_terminal(tmp_path):
    db = tmp_path / "prompted.json"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "agreements", "--db", str(db), "add", "--signed", "2012"],
        stdin=follower, stdout=subprocess.PIPE, stderr=follower, env=os.environ,
    )  # fmt: skip
    os.close(follower)
    # Parties until an empty one, the type, then the date (given: Enter keeps it), place,
    # sectors and signatories left empty.
    os.write(leader, b"Aarhus, Denmark\nTurku, Finland\n\ntwinning\n\n\n\n\n")
    stdout, _ = process.communicate(timeout=30)
    os.close(leader)
    assert process.returncode == 0
    assert stdout.decode().strip() == "1"
    assert json.loads(db.read_text())["agreements"]["1"]["signed_on"] == "2012"


def test_version_and_help_need_no_register(tmp_path):
    from conftest import run_process

    from agreements import __version__

    version = run_process("--version")
    assert version.returncode == 0 and version.stdout == f"agreements {__version__}\n"
    assert "add" in run_process().stdout


def test_the_shipped_country_codes_are_pycountrys():
    import pycountry

    from agreements.domain.country_codes import ALPHA_2, USER_ASSIGNED

    assert {country.alpha_2 for country in pycountry.countries} == ALPHA_2
    # Kosovo's XK is ours to add: ISO leaves it to users, so pycountry does not hold it.
    assert {"XK"} == USER_ASSIGNED
    assert not USER_ASSIGNED & ALPHA_2
