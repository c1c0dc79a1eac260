"""Files and folders that cannot be written (plan test 4).

Permission bits do not bind root. When the tests run as root (as CI does) the command
runs without the capabilities that let root ignore them (CAP_DAC_OVERRIDE and friends,
dropped from its bounding set before it starts), so read-only means read-only.
"""

import ctypes
import os

import pytest
from conftest import SAMPLE, Cli, run_process

EDIT = ["edit", "1", "--place", "Rådhuset"]
_PR_CAPBSET_DROP = 24
_DAC_CAPABILITIES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _drop_root_overrides():
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _DAC_CAPABILITIES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def run_bound_by_permissions(*args):
    if os.geteuid() != 0:
        return run_process(*args)
    return run_process(*args, preexec_fn=_drop_root_overrides)


@pytest.fixture
def folder(tmp_path):
    base = tmp_path / "place"
    base.mkdir()
    (base / "register.json").write_bytes(SAMPLE.read_bytes())
    probe = base / "probe"
    probe.mkdir(mode=0o555)
    denied = run_bound_by_permissions(
        "--db", str(probe / "r.json"), "add", "-p", "A", "-p", "B", "-t", "other"
    )
    if denied.returncode != 6:
        pytest.skip("cannot run a process that permission bits bind on this machine")
    yield base
    for path in (base, probe):
        path.chmod(0o755)


def test_a_read_only_file_is_refused_and_still_readable(folder):
    db = folder / "register.json"
    db.chmod(0o444)
    before = db.read_bytes()
    result = run_bound_by_permissions("--db", str(db), *EDIT)
    assert result.returncode == 6
    assert result.stderr.startswith(f"Error: cannot write {db}: the file is read-only")
    assert db.read_bytes() == before
    assert not list(folder.glob(".*.tmp"))
    listed = run_bound_by_permissions("--db", str(db), "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert run_bound_by_permissions("--db", str(db), "show", "1").returncode == 0


def test_a_read_only_folder_is_refused_and_still_readable(folder):
    db = folder / "register.json"
    folder.chmod(0o555)
    before = db.read_bytes()
    result = run_bound_by_permissions("--db", str(db), *EDIT)
    assert result.returncode == 6
    assert result.stderr.startswith(f"Error: cannot write in the folder {folder}")
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["probe", "register.json"]
    assert run_bound_by_permissions("--db", str(db), "summary").returncode == 0


def test_a_folder_given_as_the_register_is_refused(tmp_path):
    result = Cli(tmp_path)(*EDIT)
    assert result.exit_code == 6 and "is a folder, not a register file" in result.stderr
    assert Cli(tmp_path)("list").exit_code == 6


def test_a_missing_parent_folder_is_refused(tmp_path):
    assert Cli(tmp_path / "nowhere" / "register.json").ok("list", "-f", "json").stdout == "[]\n"
    added = Cli(tmp_path / "nowhere" / "register.json")("add", "-p", "A", "-p", "B", "-t", "other")
    assert added.exit_code == 6 and "does not exist" in added.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_lock_file_left_read_only_by_another_user_still_locks(folder):
    db = folder / "register.json"
    lock = folder / "register.json.lock"
    lock.touch(mode=0o444)  # as another user's umask, in a folder shared by an office
    lock.chmod(0o444)
    result = run_bound_by_permissions("--db", str(db), *EDIT)
    assert result.returncode == 0, result.stderr
    assert b"R\xc3\xa5dhuset" in db.read_bytes()
