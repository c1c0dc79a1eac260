"""Typing at the command line: global options anywhere, --db, completion, -n, help examples."""

import json
import shlex

import pytest
from click.testing import CliRunner
from conftest import AARHUS_QIXIA, COMMAND, SAMPLE, run_process
from test_docs import COMMANDS


def invoke(*args, env=None):
    """The CLI without the fixture's leading --db, so that tests choose where it goes."""
    result = CliRunner().invoke(COMMAND, list(args), env=env, prog_name="agreements")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def sample(tmp_path):
    db = tmp_path / "sample.json"
    db.write_bytes(SAMPLE.read_bytes())
    return db


# Global options anywhere


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--db", "{db}", "--format", "json"],
        ["list", "--db={db}", "--format", "json"],
        ["list", "--format", "json", "--db", "{db}"],
        ["list", "--sector", "cleantech", "--db", "{db}", "--format", "json"],
    ],
)
def test_a_global_option_after_the_command_works_as_before_it(sample, args):
    expected = invoke("--db", str(sample), "list", "--format", "json")
    assert expected.exit_code == 0 and expected.stdout.startswith("[")
    result = invoke(*(arg.replace("{db}", str(sample)) for arg in args))
    assert result.exit_code == 0, result.stderr
    if "--sector" in args:
        assert result.stdout == invoke("--db", str(sample), "list", "-s", "cleantech",
                                       "-f", "json").stdout  # fmt: skip
    else:
        assert result.stdout == expected.stdout


def test_a_global_option_after_a_subcommand_of_a_group_works(sample):
    added = invoke(
        "activity", "add", "1", "-k", "visit", "--on", "2020", "--summary", "x", "--db", str(sample)
    )
    assert added.exit_code == 0, added.stderr
    before = invoke("--db", str(sample), "activity", "list", "1", "-f", "json")
    after = invoke("activity", "list", "1", "--db", str(sample), "-f", "json")
    assert after.exit_code == 0, after.stderr
    assert after.stdout == before.stdout and json.loads(after.stdout)


def test_a_value_that_names_a_command_is_a_value_in_a_real_run(tmp_path):
    # The file is called "show"; the command is list. The run loads only list's module.
    (tmp_path / "show").write_bytes(SAMPLE.read_bytes())
    result = run_process("--db", "show", "list", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == len(json.loads(SAMPLE.read_text())["agreements"])
    after = run_process("list", "--db", "show", "-f", "json", cwd=tmp_path)
    assert after.stdout == result.stdout


def test_the_value_of_a_command_option_is_never_taken_for_a_global_option(cli):
    cli.ok(*AARHUS_QIXIA)
    cli.ok("activity", "add", "1", "--kind", "visit", "--on", "2020", "--summary", "--db")
    (activity,) = cli.ok("activity", "list", "1", "-f", "json").json()
    assert activity["summary"] == "--db"


def test_nothing_after_a_double_dash_is_moved(sample):
    result = invoke("--db", str(sample), "show", "--", "--db")
    assert result.exit_code == 2
    assert "--db" in result.stderr and "not a valid integer" in result.stderr


def test_a_global_option_without_its_value_after_the_command_is_an_error(tmp_path):
    result = invoke("list", "--db")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Option '--db' requires an argument. (see 'agreements --help')\n"
    )


def test_version_may_follow_the_command():
    result = invoke("list", "--version")
    assert result.exit_code == 0 and result.stdout.startswith("agreements ")


# --db "" and AGREEMENTS_DB=""


@pytest.mark.parametrize("args", [["--db", "", "list"], ["list", "--db", ""], ["--db=", "add"]])
def test_an_empty_db_is_an_error_not_the_default_register(tmp_path, args):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "AGREEMENTS_DB": str(tmp_path / "env.json")}
    result = run_process(*args, "--party", "A, Denmark", "--party", "B, Sweden", "--type",
                         "friendship", env=env) if "add" in args else run_process(*args, env=env)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "Error: --db was given an empty path (is the shell variable you meant to use set?)\n"
    )
    assert result.stdout == ""
    assert not (tmp_path / "data").exists() and not (tmp_path / "env.json").exists()


@pytest.mark.parametrize("blank", ["", "  "])
def test_an_empty_agreements_db_is_as_if_it_were_unset(tmp_path, blank):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "AGREEMENTS_DB": blank}
    added = run_process("add", "--party", "Aarhus, Denmark", "--party", "Turku, Finland",
                        "--type", "friendship", env=env)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "data" / "agreements" / "agreements.json").exists()


# Completion


def complete(words, shell="bash", env=None):
    """What `agreements` answers the shell for the words typed, the last one unfinished."""
    parts = shlex.split(words) + ([""] if words.endswith(" ") else [])
    variables = {"_AGREEMENTS_COMPLETE": f"{shell}_complete", **(env or {})}
    if shell == "fish":
        variables |= {"COMP_WORDS": words, "COMP_CWORD": parts[-1]}
    else:
        variables |= {"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = invoke(env=variables)
    assert result.exit_code == 0, result.stderr
    if shell == "zsh":
        lines = result.stdout.splitlines()
        return [(lines[i + 1], lines[i + 2]) for i in range(0, len(lines) - 2, 3)]
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_of_each_shell(shell):
    result = invoke("--show-completion", shell)
    assert result.exit_code == 0
    assert f"_AGREEMENTS_COMPLETE={shell}_complete" in result.stdout
    assert "agreements" in result.stdout


def test_show_completion_of_an_unknown_shell_is_an_error():
    result = invoke("--show-completion", "tcsh")
    assert result.exit_code == 2
    assert result.stderr == "Error: no completion for the shell 'tcsh' (bash, zsh or fish)\n"


def test_commands_and_options_complete():
    assert complete("agreements li") == ["list"]
    assert complete("agreements activity ") == ["add", "edit", "list", "remove"]
    assert "--sector" in complete("agreements list --se")
    assert complete("agreements list --d") == ["--due-within", "--dormant", "--dormant-after",
                                                "--date-order", "--db"]  # fmt: skip


def test_sectors_complete_from_the_register_named_anywhere(sample):
    assert invoke("--db", str(sample), "sectors", "add", "port-logistics").exit_code == 0
    everything = complete(f"agreements --db {sample} list --sector ")
    assert "port-logistics" in everything and "cleantech" in everything
    assert complete(f"agreements list --db {sample} --sector p") == ["port-logistics"]
    assert complete(f"agreements --db={sample} edit 1 --add-sector p") == ["port-logistics"]
    assert complete("agreements list --sector p", env={"AGREEMENTS_DB": str(sample)}) == [
        "port-logistics"
    ]
    assert "port-logistics" not in complete("agreements list --sector ")  # another register


def test_ids_complete_with_their_titles(sample):
    items = complete(f"agreements --db {sample} show 1", shell="zsh")
    assert ("1", "Aarhus – Qixia District (栖霞区)") in items
    assert all(value.startswith("1") for value, _ in items)
    assert complete(f"agreements --db {sample} edit ")[:2] == ["1", "2"]
    fish = complete(f"agreements --db {sample} activity list 2", shell="fish")
    assert fish[0] == "2\tCoventry – Volgograd"


def test_closed_sets_complete():
    assert complete("agreements list --type s") == ["sister-city"]
    assert complete("agreements list --status ") == ["proposed", "active", "expired",
                                                     "suspended", "terminated"]  # fmt: skip
    assert complete("agreements due --kind f") == ["follow-up"]
    assert complete("agreements activity add 1 --kind v") == ["visit"]
    assert complete("agreements list --format j") == ["json", "jsonl"]
    assert complete("agreements export --format ") == ["csv", "tsv", "json", "jsonl", "xlsx"]
    assert complete("agreements add --renewal a") == ["automatic"]
    assert complete("agreements list --sort=-si") == ["-signed"]
    assert complete('agreements add --party "Aarhus, Denmark" --level ') == ["Aarhus="]
    assert complete("agreements add --level Aarhus=mu") == ["Aarhus=municipality"]
    assert complete("agreements list --db ") == [""]  # the shell completes file names


def test_install_completion_writes_the_script_once(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for _ in range(2):
        assert invoke("--install-completion", "bash").exit_code == 0
    script = tmp_path / ".bash_completions" / "agreements.sh"
    assert "bash_complete" in script.read_text()
    assert (tmp_path / ".bashrc").read_text().count("source ~/.bash_completions/agreements.sh") == 1
    result = invoke("--install-completion", "fish")
    assert "fish_complete" in (tmp_path / "config/fish/completions/agreements.fish").read_text()
    assert "fish completion installed in" in result.stderr
    assert invoke("--install-completion", "zsh").exit_code == 0
    assert "zsh_complete" in (tmp_path / ".zfunc" / "_agreements").read_text()
    assert "fpath+=~/.zfunc" in (tmp_path / ".zshrc").read_text()


def test_completion_loads_nothing_on_a_normal_run(sample):
    timed = run_process("--db", str(sample), "list", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert timed.returncode == 0
    loaded = {line.rsplit("|", 1)[-1].strip() for line in timed.stderr.splitlines()}
    assert "agreements.cli.completion" not in loaded


# -n is --limit, and --limit 0 shows all


def test_n_is_limit_and_import_has_no_n(cli, tmp_path):
    for _ in range(3):
        cli.ok("add", "--party", "Aarhus, Denmark", "--party", "Turku, Finland", "--type",
               "friendship", "--signed", "2001")  # fmt: skip
    assert len(cli.ok("list", "-n", "2", "-f", "json").json()) == 2
    assert len(cli.ok("history", "-n", "2", "-f", "json").json()) == 2
    exported = tmp_path / "out.csv"
    cli.ok("export", "-o", str(exported))
    refused = cli("import", str(exported), "-n")
    assert refused.exit_code == 2 and refused.stderr.startswith("Error: No such option '-n'.")
    assert cli.ok("import", str(exported), "--dry-run").exit_code == 0


def test_limit_zero_shows_all_in_every_command(cli):
    for _ in range(3):
        cli.ok("add", "--party", "Aarhus, Denmark", "--party", "Turku, Finland", "--type",
               "friendship", "--signed", "2001")  # fmt: skip
    assert len(cli.ok("list", "--limit", "0", "-f", "json").json()) == 3
    assert len(cli.ok("history", "--limit", "0", "-f", "json").json()) == 3


# Help examples


def example_commands(help_text):
    """The examples of a help text, continuation lines joined as the shell joins them."""
    block = help_text.split("Example", 1)[1].split("\n\n", 1)[0].split("\n")[1:]
    commands, pending = [], ""
    for line in block:
        assert line.startswith("    "), line
        if pending:
            assert line.startswith("      "), f"a continuation is indented: {line!r}"
        else:
            assert line.strip().startswith("agreements "), line
        assert len(line) <= 80
        assert " agreements " not in line.strip(), f"two commands ran together: {line!r}"
        if line.endswith(" \\"):
            pending += line.strip()[:-1]
        else:
            commands.append(pending + line.strip())
            pending = ""
    assert not pending
    return commands


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "agreements")
def test_every_help_example_is_a_runnable_command_per_line(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    commands = example_commands(result.stdout)
    assert commands
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "agreements"
        # click reads each example as it would run it: every command and option exists.
        context = COMMAND.make_context("agreements", words[1:], resilient_parsing=False)
        name, sub, rest = COMMAND.resolve_command(context, context._protected_args + context.args)
        sub_context = sub.make_context(name, rest, parent=context)
        if hasattr(sub, "commands") and sub_context._protected_args:
            inner, leaf, args = sub.resolve_command(sub_context, sub_context._protected_args +
                                                    sub_context.args)  # fmt: skip
            leaf.make_context(inner, args, parent=sub_context)


@pytest.mark.parametrize(
    "words",
    ["agreements export -o reg", "agreements calendar -o due", "agreements import reg",
     "agreements import x.csv --report rep", "agreements list --db reg"],
)  # fmt: skip
def test_file_names_are_left_to_the_shell(words):
    parts = words.split()
    variables = {"_AGREEMENTS_COMPLETE": "bash_complete", "COMP_WORDS": words,
                 "COMP_CWORD": str(len(parts) - 1)}  # fmt: skip
    result = invoke(env=variables)
    assert result.exit_code == 0 and result.stdout == f"file,{parts[-1]}\n"
