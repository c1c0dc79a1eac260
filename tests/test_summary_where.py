"""The first run and where: which register, why, and nothing created."""

import json
import os

from click.testing import CliRunner
from conftest import COMMAND


def run_without_db(*args, env=None):
    """The command as typed without --db, so AGREEMENTS_DB or the default chooses."""
    result = CliRunner().invoke(COMMAND, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# The first run


def files_under(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_first_run_says_where_the_register_will_be(cli, db, tmp_path):
    before = files_under(tmp_path)
    for args in (["list", "--format", "table"], ["summary"], ["summary", "--sector", "culture"]):
        result = cli.ok(*args)
        assert "No agreements match" not in result.stdout and "┏" not in result.stdout
        assert f"No register yet. It will be\n  {db}\n(given with --db)." in result.stdout
        assert f'agreements --db {db} add --party "Aarhus, Denmark"' in result.stdout
        assert f"agreements --db {db} import FILE" in result.stdout
        assert result.stderr == ""
    assert files_under(tmp_path) == before  # nothing created: no register, lock or folder


def test_first_run_machine_formats_stay_empty(cli, db):
    assert cli.ok("list").stdout.count("\n") == 1  # the TSV header, as before
    assert cli.ok("list", "--format", "json").json() == []
    assert cli.ok("summary", "--format", "json").json()["total"] == 0
    assert not db.exists()


def test_first_run_through_the_default_path_creates_no_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("AGREEMENTS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "80")
    result = run_without_db("summary")
    assert result.exit_code == 0
    path = tmp_path / "data" / "agreements" / "agreements.json"
    assert f"  {path}\n(the default: no --db, and AGREEMENTS_DB is not set)." in result.stdout
    assert '  agreements add --party "Aarhus, Denmark" --party "Bergen, Norway"\n' in result.stdout
    assert "  agreements import FILE\n" in result.stdout
    assert not (tmp_path / "data").exists()


def test_an_emptied_register_is_not_a_first_run(cli):
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Kiel, Germany", "-t", "twinning")
    cli.ok("remove", "1", "--yes")
    assert cli.ok("list", "--format", "table").stdout.strip() == "No agreements match."
    assert "No register yet" not in cli.ok("summary").stdout


# where


def test_where_names_the_db_option_and_creates_nothing(cli, db, tmp_path):
    before = files_under(tmp_path)
    text = cli.ok("where").stdout
    assert text.splitlines() == [
        f"Register: {db}",
        "Chosen:   given with --db",
        "Holds:    no register yet; 'agreements add' or 'agreements import' starts it",
    ]
    assert cli.ok("where", "--format", "json").json() == {
        "path": str(db), "source": "option", "exists": False, "agreements": None, "problem": None
    }  # fmt: skip
    assert files_under(tmp_path) == before


def test_where_counts_the_agreements(cli, db):
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Kiel, Germany", "-t", "twinning")
    cli.ok("add", "-p", "Aarhus, Denmark", "-p", "Turku, Finland", "-t", "twinning")
    assert "Holds:    2 agreements" in cli.ok("where").stdout
    found = cli.ok("where", "-f", "json").json()
    assert found["exists"] is True and found["agreements"] == 2


def test_where_names_the_environment_and_the_default(tmp_path, monkeypatch):
    from_env = run_without_db("where", "-f", "json")
    assert from_env.exit_code == 0
    assert json.loads(from_env.stdout)["source"] == "environment"
    assert json.loads(from_env.stdout)["path"] == os.environ["AGREEMENTS_DB"]
    assert "Chosen:   from AGREEMENTS_DB" in run_without_db("where").stdout
    monkeypatch.delenv("AGREEMENTS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = run_without_db("where").stdout
    assert f"Register: {tmp_path / 'data' / 'agreements' / 'agreements.json'}" in default
    assert "Chosen:   the default: no --db, and AGREEMENTS_DB is not set" in default
    assert not (tmp_path / "data").exists()


def test_where_on_a_file_that_is_no_register_says_so_and_exits_0(cli, db):
    db.write_text("not a register", encoding="utf-8")
    result = cli("where")
    assert result.exit_code == 0
    assert "Holds:    a file that cannot be read as a register: " in result.stdout
    assert cli.ok("where", "-f", "json").json()["problem"]
    assert db.read_text(encoding="utf-8") == "not a register"
