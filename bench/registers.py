"""Deterministic synthetic registers for the benchmark, and the same data for SQLite.

City names are real places in Denmark, Germany and China; the pairings, dates and
sectors are random (seeded), so every run benchmarks the same files.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from agreements.domain.dates import PartialDate
from agreements.domain.migrations import SCHEMA_VERSION
from agreements.domain.model import Activity, Agreement, Party, Sector
from agreements.domain.records import stored_record
from agreements.domain.values import ActivityKind, AgreementType, Certainty, Level
from agreements.domain.vocabulary import shipped_vocabulary
from agreements.store.layout import encode, encode_document

DANISH = [
    "Aarhus", "Aalborg", "Odense", "København", "Esbjerg", "Randers", "Kolding", "Horsens",
    "Vejle", "Roskilde", "Herning", "Silkeborg", "Næstved", "Fredericia", "Viborg", "Køge",
    "Holstebro", "Slagelse", "Hillerød", "Svendborg", "Sønderborg", "Hjørring", "Frederikshavn",
    "Nørresundby", "Ringsted", "Haderslev", "Skive", "Ærøskøbing", "Nykøbing Falster", "Thisted",
]  # fmt: skip
GERMAN = [
    "Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf",
    "Leipzig", "Dortmund", "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Duisburg",
    "Bochum", "Wuppertal", "Bielefeld", "Bonn", "Münster", "Mannheim", "Karlsruhe", "Augsburg",
    "Wiesbaden", "Mönchengladbach", "Gelsenkirchen", "Braunschweig", "Kiel", "Chemnitz",
    "Aachen", "Halle (Saale)", "Magdeburg", "Freiburg im Breisgau", "Krefeld", "Lübeck",
    "Oberhausen", "Erfurt", "Mainz", "Rostock", "Kassel", "Görlitz", "Tübingen", "Würzburg",
]  # fmt: skip
CHINESE = [
    "Nanjing (南京)", "Qixia District (栖霞区)", "Shanghai (上海)", "Beijing (北京)",
    "Guangzhou (广州)", "Shenzhen (深圳)", "Chengdu (成都)", "Wuhan (武汉)", "Hangzhou (杭州)",
    "Xi'an (西安)", "Suzhou (苏州)", "Tianjin (天津)", "Chongqing (重庆)", "Qingdao (青岛)",
    "Dalian (大连)", "Xiamen (厦门)", "Kunming (昆明)", "Harbin (哈尔滨)", "Ningbo (宁波)",
    "Changsha (长沙)", "Jinan (济南)", "Zhengzhou (郑州)", "Shenyang (沈阳)", "Hefei (合肥)",
]  # fmt: skip
PLACES = {"DK": DANISH, "DE": GERMAN, "CN": CHINESE}
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}


def agreements(count: int, seed: int = 2026) -> list[Agreement]:
    rng = random.Random(seed)
    sectors = sorted(term.name for term in shipped_vocabulary().terms)
    types = list(AgreementType)
    result = []
    for number in range(1, count + 1):
        first, second = rng.sample(sorted(PLACES), 2)
        parties = (
            Party(rng.choice(PLACES[first]), first, Level.CITY),
            Party(rng.choice(PLACES[second]), second, rng.choice([Level.CITY, Level.DISTRICT])),
        )
        year = rng.randint(1950, 2025)
        signed = (
            PartialDate(year)
            if rng.random() < 0.4
            else PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
        )
        chosen = rng.sample(sectors, rng.randint(1, 4))
        expires = rng.random() < 0.3
        result.append(
            Agreement(
                id=number,
                title=f"{parties[0].name} – {parties[1].name}",
                type=rng.choice(types),
                parties=parties,
                signed_on=signed,
                place=rng.choice([None, f"{parties[0].name} City Hall"]),
                sectors=tuple(
                    Sector(name, Certainty.POSSIBLE if rng.random() < 0.2 else Certainty.AGREED)
                    for name in chosen
                ),
                # Never before the signing: add and import refuse such dates.
                expires_on=PartialDate(
                    max(rng.randint(2020, 2030), year + 1), rng.randint(1, 12), 28
                )
                if expires
                else None,
                review_on=PartialDate(max(rng.randint(2024, 2028), year + 1), rng.randint(1, 12), 1)
                if rng.random() < 0.2
                else None,
                notes=rng.choice([None, f"Renewed in {year + 5}; file {number}."]),
                activities=activities(rng, parties),
                created_at="2026-01-01T00:00:00Z",
                updated_at="2026-01-01T00:00:00Z",
            )
        )
    return result


def activities(rng: random.Random, parties: tuple[Party, ...]) -> tuple[Activity, ...]:
    """Three activities an agreement on average, newest last, one in five with a follow-up."""
    result = []
    for _ in range(rng.choice([0, 1, 2, 3, 4, 5, 6])):
        on = PartialDate(rng.randint(2010, 2026), rng.randint(1, 12), rng.randint(1, 28))
        follow_up = rng.random() < 0.2
        # Never before the activity: add and import refuse such a follow-up.
        follow_up_on = (
            PartialDate(max(rng.randint(2025, 2027), on.year + 1), rng.randint(1, 12), 15)
            if follow_up
            else None
        )
        result.append(
            Activity(
                kind=rng.choice(list(ActivityKind)),
                on=on,
                summary=f"{rng.choice(['Visit', 'Exchange', 'Meeting'])} in {parties[0].name}",
                party=rng.choice([None, parties[0].name]),
                follow_up_on=follow_up_on,
                follow_up="Send the report" if follow_up else None,
            )
        )
    # One of each (kind, date, summary): a register holds no activity twice.
    unique = list({activity.identity(): activity for activity in result[::-1]}.values())[::-1]
    return tuple(sorted(unique, key=lambda activity: str(activity.on)))


def stored_records(items: list[Agreement]) -> list[tuple[int, dict[str, Any]]]:
    records = []
    for agreement in items:
        assert agreement.id is not None
        records.append((agreement.id, stored_record(agreement)))
    return records


def write_register(
    path: Path, records: list[tuple[int, dict[str, Any]]], schema_version: int = SCHEMA_VERSION
) -> None:
    """A sealed register of these stored records; of schema 1 when asked (no version then)."""
    lines = [(number, encode_document(record)) for number, record in records]
    meta: dict[str, Any] = {"next_id": len(records) + 1}
    if schema_version > 1:
        meta["schema_version"] = schema_version
    path.write_bytes(encode(lines, [], meta).content())


def write_sqlite(path: Path, records: list[tuple[int, dict[str, Any]]]) -> None:
    import sqlite_utils

    path.unlink(missing_ok=True)
    database = sqlite_utils.Database(path)
    rows = ({"id": number, **record} for number, record in records)
    database["agreements"].insert_all(rows, pk="id", batch_size=5_000)
    database.conn.close()


# A list of city pairs in the column layout of a national twin-town list, German side first
# (the layout of ../shared/data/twin-towns-de.csv), with its coded types and country names.
PAIR_COLUMNS = ["gemeindename", "plz", "bundesland", "partnergemeinde", "land", "seit", "form"]
PAIR_COUNTRIES = {"DK": "Dänemark", "CN": "China", "DE": "Deutschland"}
STATES = ["Schleswig-Holstein", "Niedersachsen", "Bayern", "Sachsen", "Hessen", "Thüringen"]
PAIR_MAP = [
    "--map", "party1.name=gemeindename", "--map", "party1.parent=bundesland",
    "--set", "party1.country=DE", "--map", "party2.name=partnergemeinde",
    "--map", "party2.country=land", "--map", "signed_on=seit", "--map", "type=form",
    "--translate", "type:p=sister-city", "--translate", "type:f=friendship",
    "--translate", "type:k=other", "--set", "type=other",
]  # fmt: skip


def write_pair_csv(path: Path, count: int, seed: int = 2026) -> None:
    """`count` rows of city pairs, about one in a hundred repeated as real lists have them."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerow(PAIR_COLUMNS)
        written: list[list[str]] = []
        while len(written) < count:
            if written and rng.random() < 0.01:
                row = rng.choice(written)
            else:
                number = len(written)
                country = rng.choice(sorted(PAIR_COUNTRIES))
                partner = f"{rng.choice(PLACES[country])} {number % 97}"
                row = [
                    f"{rng.choice(GERMAN)} {number}", f"{rng.randint(1000, 99999)}",
                    rng.choice(STATES), partner, PAIR_COUNTRIES[country],
                    str(rng.randint(1950, 2015)), rng.choice("ppppffk "),
                ]  # fmt: skip
            written.append(row)
            writer.writerow(row)
