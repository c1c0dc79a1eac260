"""`list --sort`: titles in the order their readers expect, undated agreements last."""

import pytest


@pytest.fixture
def towns(cli):
    for party, signed in (("Aarhus", "1990"), ("Ærø", None), ("Copenhagen", "2001-05"),
                          ("Zagreb", None), ("Örebro", "1975"), ("St. Louis", "2010")):  # fmt: skip
        dated = ["--signed", signed] if signed else []
        cli.ok(
            "add",
            "-p",
            f"{party}, DK",
            "-p",
            "Turku, FI",
            "-t",
            "twinning",
            "--title",
            party,
            *dated,
        )
    return cli


def _titles(cli, *args):
    listed = cli.ok("list", *args, "--format", "json").json()
    return [record["title"] for record in listed]


def test_titles_sort_with_nordic_letters_after_z_by_default(towns):
    assert _titles(towns, "--sort", "title") == [
        "Aarhus", "Copenhagen", "Örebro", "St. Louis", "Zagreb", "Ærø",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ({"AGREEMENTS_COLLATION": "da"}, ["Copenhagen", "St. Louis", "Zagreb", "Ærø", "Örebro", "Aarhus"]),
        ({"LANG": "sv_SE.UTF-8"}, ["Aarhus", "Copenhagen", "St. Louis", "Zagreb", "Ærø", "Örebro"]),
        ({"AGREEMENTS_COLLATION": "de"}, ["Aarhus", "Ærø", "Copenhagen", "Örebro", "St. Louis", "Zagreb"]),
    ],
)  # fmt: skip
def test_the_collation_follows_the_setting_or_the_locale(towns, monkeypatch, setting, expected):
    for name, value in setting.items():
        monkeypatch.setenv(name, value)
    assert _titles(towns, "--sort", "title") == expected
    assert _titles(towns, "--sort=-title") == expected[::-1]


def test_an_unknown_collation_is_one_line(towns, monkeypatch):
    monkeypatch.setenv("AGREEMENTS_COLLATION", "klingon")
    result = towns("list", "--sort", "title")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "Error: AGREEMENTS_COLLATION: unknown collation 'klingon' (choose one of: default, da, sv, de)\n"
    )


def test_undated_agreements_come_last_whichever_way_dates_sort(towns):
    assert _titles(towns, "--sort", "signed") == ["Örebro", "Aarhus", "Copenhagen", "St. Louis", "Ærø", "Zagreb"]  # fmt: skip
    assert _titles(towns, "--sort=-signed") == ["St. Louis", "Copenhagen", "Aarhus", "Örebro", "Ærø", "Zagreb"]  # fmt: skip
    assert _titles(towns, "--sort=-signed", "--limit", "2") == ["St. Louis", "Copenhagen"]
