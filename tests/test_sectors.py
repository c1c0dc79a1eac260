def test_sectors_list_shows_the_vocabulary_with_synonyms(cli):
    lines = cli.ok("sectors", "list").stdout.splitlines()
    assert any(line.startswith("cleantech: clean tech") for line in lines)
    assert "green technology" in next(line for line in lines if line.startswith("cleantech"))


def test_a_sector_added_on_purpose_can_be_used(cli):
    base = ["add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning"]
    refused = cli(*base, "--sector", "food security")
    assert refused.exit_code == 2 and "unknown sector 'food security'" in refused.stderr
    assert "agreements sectors add" in refused.stderr
    added = cli.ok("sectors", "add", "Food Security", "--synonym", "food safety")
    assert "Added the sector 'food-security'" in added.stderr
    assert "food-security (added to this register): food safety" in cli.ok("sectors", "list").stdout
    record = cli.ok(*base, "--sector", "food safety", "--format", "json").json()
    assert record["sectors"] == [{"name": "food-security", "certainty": "agreed"}]
    assert cli.ok("list", "--sector", "food-security").stdout.count("\n") == 2


def test_a_known_sector_cannot_be_added_twice(cli, db):
    result = cli("sectors", "add", "clean-tech")
    assert result.exit_code == 2 and "already known as 'cleantech'" in result.stderr
    assert not db.exists()


def test_sectors_without_a_subcommand_shows_help(cli):
    result = cli.ok("sectors")
    assert "list" in result.stdout and "add" in result.stdout
