"""The places and people a sentence names, read with the gazetteers and the words around
them: "the Qixia District in Nanjing", "Vietnam's Da Lat", "Mission, Texas", "Beijing
Vice Mayor Chen Gang", "Igi Takashi, Mayor of Yonago City"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agreements.domain.drafting import gazetteer
from agreements.domain.drafting.evidence import Evidence, Sentence
from agreements.domain.text import fold, word_set
from agreements.domain.values import Level

_UPPER = "".join(chr(code) for code in range(0x41, 0x530) if chr(code).isupper())
_UP = "[" + re.escape(_UPPER) + "]"
_WORD = rf"{_UP}[\w\-]*(?:['’]\w+)*"
_PARTICLE = r"(?:de|del|della|di|da|do|dos|das|van|von|der|den|la|le|du|des|upon|am|sur)"
_RUN = re.compile(rf"{_WORD}(?:[ ](?:{_PARTICLE}[ ])?(?:{_UP}\.(?=[ ]{_UP})|{_WORD}))*")

TITLES = (
    "Lord Mayor",
    "Deputy Mayor",
    "Vice Mayor",
    "Vice-Mayor",
    "Mayor Pro Tem",
    "Acting Mayor",
    "Executive Vice Mayor",
    "First Deputy Mayor",
    "First Mayor",
    "Executive Mayor",
    "Town Mayor",
    "Mayoress",
    "Mayors",
    "Mayor",
    "Regional Governor",
    "Akim",
    "Maire",
    "Prefeito",
    "Prefeita",
    "Sindaco",
    "Starosta",
    "District Chief",
    "Vice Governor",
    "Deputy Governor",
    "Lieutenant Governor",
    "Governors",
    "Governor",
    "Vice President",
    "President",
    "Vice Chairman",
    "Vice Chairwoman",
    "Chairman",
    "Chairwoman",
    "Chairperson",
    "Party Secretary",
    "Secretary General",
    "Secretary",
    "Councillor",
    "Councilor",
    "Councilman",
    "Councilwoman",
    "Cllr",
    "Cathaoirleach",
    "Alderman",
    "Lord Provost",
    "Provost",
    "Burgomaster",
    "Oberbürgermeister",
    "Bürgermeister",
    "Landrat",
    "Alcalde",
    "Alcaldesa",
    "Prefect",
    "Premier",
    "Prime Minister",
    "Minister",
    "Commissioner",
    "Chief Executive Officer",
    "Chief Executive",
    "CEO",
    "Director General",
    "Director",
    "Ambassador",
    "Consul General",
    "Consul-General",
    "Consul",
    "Speaker",
    "Senator",
    "Congressman",
    "Congresswoman",
    "Deputy",
    "Head",
    "Leader",
    "Magistrate",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Mme",
    "M",
    "Prof",
    "Sir",
    "Dame",
)
_TITLE = "(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?"
_TITLE_AT = re.compile(rf"(?<![\w\-])(?P<title>{_TITLE})(?![\w\-])")
_TITLE_WORDS = frozenset(word for title in TITLES for word in title.split())

LEVEL_WORDS: dict[str, Level] = {
    "city": Level.CITY,
    "town": Level.CITY,
    "village": Level.CITY,
    "district": Level.DISTRICT,
    "borough": Level.DISTRICT,
    "ward": Level.DISTRICT,
    "municipality": Level.MUNICIPALITY,
    "township": Level.MUNICIPALITY,
    "county": Level.COUNTY,
    "shire": Level.COUNTY,
    "region": Level.REGION,
    "oblast": Level.REGION,
    "canton": Level.REGION,
    "province": Level.PROVINCE,
    "provincial": Level.PROVINCE,
    "prefecture": Level.PROVINCE,
    "governorate": Level.PROVINCE,
    "state": Level.STATE,
    "commune": Level.MUNICIPALITY,
}
_LEVEL_PREFIX = re.compile(
    r"(?:(?<=\s)|^)(?P<level>city|town|village|district|borough|municipality|county|province|"
    r"prefecture|region|state|governorate|oblast|commune)\s+of\s+$",
    re.I,
)
_VENUE_WORDS = word_set(
    "hall halls centre center hotel palace offices office building headquarters hq museum "
    "chamber chambers guildhall auditorium theatre theater stadium library mansion residence "
    "room pavilion house gardens park square castle embassy consulate"
)
_ORGANISATION_WORDS = word_set(
    "committee association council ministry university college school group party agency "
    "company corporation bank foundation institute club commission department parliament "
    "assembly government authority chamber federation union society board office news "
    "expo exhibition festival market airport port church cathedral hospital court "
    "massacre war games olympics"
)
_STOPWORDS = word_set(
    "the a an both on in at by for from with and of this that these those his her their its "
    "our when while after before during under today yesterday last next also however between "
    "according as it he she they we i mr mrs ms dr prof more other some all each every "
    "photo read see visit explore looking find did primary about by via one two three four "
    "since although though because if once there here we under minutes present apologies "
    "five six seven eight nine ten several many other"
)
# Words that end a name in a headline written in capitals: "Mission, Texas Signs Sister
# Cities Agreement with Gustavo Díaz Ordaz" is two places, not one long name.
_BREAK_WORDS = word_set(
    "sign signs signed signing ink inks inked forge forges forged seal seals sealed become "
    "becomes became renew renews renewed pen pens agree agrees agreed establish establishes "
    "agreement agreements memorandum memorandums understanding mou mous moa pact pacts accord "
    "deal charter protocol declaration treaty partnership partnerships friendship cooperation "
    "co-operation collaboration sisterhood twinning sister sisters twin cities towns ties "
    "relations bond historic fostering strong strengthen strengthens boost boosts plans plan "
    "mark marks celebrate celebrates visit visits delegation officials deepen deepens "
    "exchange exchanges link links mayors governors intent document documents resolved "
    "agenda minutes republic kingdom federation principality emirate sultanate"
)
_MONTHS_AND_DAYS = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday"
)


@dataclass(frozen=True)
class Place:
    """A place a sentence names, with what the text says of it."""

    name: str
    level: Level
    evidence: Evidence
    rule: str
    start: int
    end: int
    """Its span within the sentence, with the words that name its level."""
    parent: str | None = None
    parent_evidence: Evidence | None = None
    country: str | None = None
    country_evidence: Evidence | None = None
    country_rule: str | None = None
    cities: tuple[gazetteer.City, ...] = ()
    region: gazetteer.Region | None = None
    region_name: str | None = None
    is_region: bool = False
    """Whether it is itself a region of ISO 3166-2 and no city of that name is known."""


@dataclass(frozen=True)
class Person:
    """Someone a sentence names with a title: "Mayor Jacob Bundsgaard"."""

    name: str
    evidence: Evidence
    title: str | None
    title_evidence: Evidence | None
    start: int
    end: int
    """The span within the sentence of the whole mention, title and place included."""
    place: str | None = None
    place_evidence: Evidence | None = None


@dataclass(frozen=True)
class CountryMention:
    code: str
    evidence: Evidence
    start: int
    end: int
    adjective: bool


@dataclass
class SentenceNames:
    sentence: Sentence
    places: list[Place] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    countries: list[CountryMention] = field(default_factory=list)
    venues: list[tuple[int, int]] = field(default_factory=list)


class Lexicon:
    """The gazetteer entries of every capitalised name in one text, looked up at once."""

    def __init__(self, texts: list[str]) -> None:
        wanted: set[str] = set()
        for text in texts:
            for run in _RUN.finditer(text):
                words = run.group().split()
                for size in range(1, min(len(words), 4) + 1):
                    for first in range(len(words) - size + 1):
                        wanted.add(_bare(" ".join(words[first : first + size])))
        wanted.discard("")
        self.cities = gazetteer.cities(frozenset(wanted))
        self.person_words: set[str] = set()
        for text in texts:
            for said in _SAID.finditer(text):
                self.person_words.add(fold(said.group("name").split()[-1]))
            for titled in _TITLED.finditer(text):
                self.person_words |= {fold(w) for w in titled.group("name").split()}

    def is_a_person(self, words: list[str]) -> bool:
        """Whether a name no gazetteer knows is someone's: a word of it is a name the text
        gives with a title, or before "said"."""
        return any(fold(word) in self.person_words for word in words)


_SAID = re.compile(
    rf"(?P<name>{_WORD}(?:[ ]{_WORD}){{0,3}}),?\s+(?:said|says|added|noted|told|recalled|thanked|"
    r"stressed|explained|remarked|commented|stated)\b"
)


def _bare(name: str) -> str:
    return re.sub(r"['’]s?$", "", name)


def read_names(sentence: Sentence, lexicon: Lexicon, *, headline: bool = False) -> SentenceNames:
    found = SentenceNames(sentence)
    text = sentence.text
    taken: list[tuple[int, int]] = []
    for person in _people(sentence, lexicon):
        found.people.append(person)
        taken.append((person.evidence.start - sentence.start, person.evidence.end - sentence.start))
        if person.title_evidence is not None:
            title_start = person.title_evidence.start - sentence.start
            taken.append((title_start, person.title_evidence.end - sentence.start))
    for run in _RUN.finditer(text):
        for start, end in _free_parts(run.start(), run.end(), taken):
            _read_run(found, lexicon, start, end, headline)
    return found


def _free_parts(start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    parts = [(start, end)]
    for low, high in taken:
        next_parts = []
        for a, b in parts:
            if high <= a or low >= b:
                next_parts.append((a, b))
                continue
            if a < low:
                next_parts.append((a, low))
            if high < b:
                next_parts.append((high, b))
        parts = next_parts
    return [(a, b) for a, b in parts if b > a]


def _read_run(found: SentenceNames, lexicon: Lexicon, start: int, end: int, headline: bool) -> None:
    text = found.sentence.text
    chunk = text[start:end]
    # A possessive ends a name: "Georgia's Batumi" is Georgia, then Batumi.
    for possessive in re.finditer(r"['’]s?(?=\s|$)", chunk):
        cut = start + possessive.start()
        _read_run(found, lexicon, start, cut, headline)
        rest = start + possessive.end()
        while rest < end and text[rest] == " ":
            rest += 1
        _read_run(found, lexicon, rest, end, headline)
        return
    words = list(re.finditer(r"\S+", chunk))
    for number, word in enumerate(words):
        if fold(word.group()) in _BREAK_WORDS and len(words) > 1:
            if number:
                _read_run(found, lexicon, start, start + words[number - 1].end(), headline)
            if number + 1 < len(words):
                _read_run(found, lexicon, start + words[number + 1].start(), end, headline)
            return
    if len(words) == 1 and fold(words[0].group()) in _BREAK_WORDS:
        return
    while words and (
        fold(words[0].group().rstrip(".")) in _STOPWORDS
        or fold(words[0].group()) in _MONTHS_AND_DAYS
        or words[0].group().rstrip(".") in _TITLE_WORDS
    ):
        words.pop(0)
    while words and (
        fold(words[-1].group()) in _MONTHS_AND_DAYS or fold(words[-1].group()) in _STOPWORDS
    ):
        words.pop()
    if not words:
        return
    start, end = start + words[0].start(), start + words[-1].end()
    chunk = text[start:end]
    folded_words = [fold(word.group()) for word in words]
    after = text[end:]
    if any(word in _VENUE_WORDS for word in folded_words) or re.match(
        r"\s+(?:session\s+)?(?:hall|offices|building|centre|center|headquarters)\b", after
    ):
        found.venues.append((start, end))
        return
    if (
        any(word in _ORGANISATION_WORDS for word in folded_words[1:-1])
        or (
            folded_words[-1] in _ORGANISATION_WORDS
            and folded_words[-1] not in ("council", "corporation", "government", "administration")
        )
        or re.match(r"\s+(?:committee|council|government|association|chamber)\b", after, re.I)
    ):
        return
    if code := gazetteer.country(chunk):
        found.countries.append(
            CountryMention(code, found.sentence.span(start, end, "country name"), start, end, False)
        )
        return
    if (code := gazetteer.demonym(chunk)) is not None:
        found.countries.append(
            CountryMention(
                code, found.sentence.span(start, end, "adjective of a country"), start, end, True
            )
        )
        return
    if len(words) > 1 and (code := gazetteer.demonym(" ".join(w.group() for w in words[:2]))):
        # "South Korean city" is caught above; "Danish Aarhus" is rare: keep the rest.
        found.countries.append(
            CountryMention(
                code,
                found.sentence.span(
                    start, start + words[1].end() - words[0].start(), "adjective of a country"
                ),
                start,
                end,
                True,
            )
        )
        return
    if len(words) > 1 and (code := gazetteer.demonym(words[0].group())):
        found.countries.append(
            CountryMention(
                code,
                found.sentence.span(start, start + len(words[0].group()), "adjective of a country"),
                start,
                start + len(words[0].group()),
                True,
            )
        )
        rest = start + words[1].start() - words[0].start()
        _read_run(found, lexicon, rest, end, headline)
        return
    if chunk.isupper() and len(chunk) <= 5 and not headline:
        return  # an acronym: "BMC", "IAS"
    council = _COUNCIL.search(chunk)
    if council is not None and council.start() > 0:
        end = start + council.start()
    place = _place(found, lexicon, start, end, headline)
    if place is not None:
        found.places.append(place)


_COUNCIL = re.compile(
    r"\s+(?:City\s+|Town\s+|County\s+|Municipal\s+|District\s+|Metropolitan\s+)?"
    r"(?:Council|Corporation|Government|People's Government|Administration)$"
)


def _place(
    found: SentenceNames, lexicon: Lexicon, start: int, end: int, headline: bool
) -> Place | None:
    sentence = found.sentence
    text = sentence.text
    name = text[start:end]
    words = name.split()
    level: Level | None = None
    rule = ""
    span_start, span_end = start, end
    last = fold(words[-1])
    if len(words) > 1 and last in LEVEL_WORDS:
        level, rule = LEVEL_WORDS[last], f"a name ending in {words[-1]!r}"
        if last == "district" and len(words) > 2 and fold(words[-2]) == "municipal":
            level = Level.DISTRICT
    elif prefix := _LEVEL_PREFIX.search(text[max(0, start - 30) : start]):
        level = LEVEL_WORDS[prefix.group("level").lower()]
        rule = f"'{prefix.group().strip()}' before the name"
        span_start = start - (len(text[max(0, start - 30) : start]) - prefix.start())
    elif suffix := re.match(
        r"\s+(?P<level>province|provincial|prefecture|county|district|city|municipality|region)\b",
        text[end:],
    ):
        level = LEVEL_WORDS[suffix.group("level").lower()]
        rule = f"'{suffix.group('level')}' after the name"
        span_end = end + suffix.end()
    bare = name
    if level is not None and rule.startswith("a name ending") and last in {"city", "town"}:
        bare = " ".join(words[:-1])
    cities = lexicon.cities.get(_bare(name)) or lexicon.cities.get(_bare(bare)) or ()
    regions = gazetteer.regions(bare) if len(bare) > 2 else ()
    if level is None and not cities and not regions:
        if not _in_a_slot(found, start, end) or lexicon.is_a_person(words):
            return None
        rule = "a name where a party stands"
    elif level is None:
        if not _fits_a_place(text, start):
            return None
        rule = "a city of that name" if cities else "a region of that name"
    if any(fold(w) in _MONTHS_AND_DAYS for w in words):
        return None
    is_region = (
        bool(regions)
        and not cities
        and level in (None, Level.REGION, Level.PROVINCE, Level.STATE, Level.COUNTY)
    )
    if level is None:
        level = Level.CITY if cities or not regions else _region_level(regions[0])
    evidence = sentence.span(start, end, rule)
    return Place(
        name,
        level,
        evidence,
        rule,
        span_start,
        span_end,
        cities=cities,
        region=regions[0] if len(regions) == 1 else None,
        is_region=is_region,
    )


_BEFORE_A_PLACE = word_set(
    "in at of with and or from to between for by the near linking link links both city town "
    "capital port visit visited visiting toured twinned signed sign signs inked inks joined "
    "join across around outside inside into within via as than like including include "
    "includes neighbouring neighboring partner partners sister twin mayor governor "
    "delegation delegations officials residents southern northern eastern western central "
    "coastal historic historical ancient industrial border"
)


def _fits_a_place(text: str, start: int) -> bool:
    """Whether a name the gazetteer knows stands where a place is named: after a word
    such as "in", "with" or "the", a capitalised word or punctuation, not inside a
    phrase of other words ("Trg maršala Tita" is a square, not the town of Tita)."""
    before = re.search(r"(\S+)\s*$", text[:start])
    if before is None:
        return True
    word = before.group(1)
    if not word[-1].isalpha() or word[0].isupper():
        return True
    return fold(word) in _BEFORE_A_PLACE


def _region_level(region: gazetteer.Region) -> Level:
    return Level.REGION


_SLOT_BEFORE = re.compile(
    r"(?:\b(?:between|with|linking|links?|twinning\s+of|twinning\s+with|twinned\s+with|ties\s+with|"
    r"agreement\s+with|pact\s+with|mou\s+with|memorandum\s+with|relationship\s+with|"
    r"partnership\s+with|relations\s+with|(?:mayors?|governors?|leaders?|cities|towns)\s+of|"
    r"recogni[sz]e|sign(?:s|ed)?(?:\s+\w+){0,6}\s+with|ink(?:s|ed)?(?:\s+\w+){0,6}\s+with|"
    r"forge[sd]?(?:\s+\w+){0,4}\s+with)|^)\s*(?:the\s+)?(?:(?:city|town)\s+of\s+)?$",
    re.I,
)
_SLOT_CHAIN = re.compile(r"(?:\s+and|,)\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?$", re.I)
_SLOT_AFTER = re.compile(
    r"^\s*(?:,|and\b|sign|signs|signed|ink|inks|inked|forge|forges|forged|become|becomes|"
    r"will\b|in\s+[A-Z]|have\b|has\b|agree|agreed|seal|seals|sealed|formali[sz]e|renew|"
    r"\(|$|as\b|on\b|to\b)",
    re.I,
)


def _in_a_slot(found: SentenceNames, start: int, end: int) -> bool:
    """Whether a name no gazetteer knows stands where a party does: "between A and B",
    "A and B sign", "signed an agreement with B", the second of "A and B" when A is one."""
    text = found.sentence.text
    before = text[max(0, start - 60) : start]
    if not _SLOT_AFTER.match(text[end : end + 20]):
        return False
    if _SLOT_BEFORE.search(before):
        return True
    chained = _SLOT_CHAIN.search(before)
    return chained is not None and any(
        0 <= start - len(chained.group()) - place.end <= 1 for place in found.places
    )


_NAME = rf"{_WORD}(?:[ ](?:{_PARTICLE}[ ])?(?:{_UP}\.(?=[ ]{_UP})|{_WORD})){{0,4}}"
_NAME_AT = re.compile(_NAME)
_TITLED = re.compile(rf"(?<![\w-])(?:{_TITLE})\s+(?P<name>{_NAME})")


_LOWER_TITLE = (
    r"(?i:(?:lord\s+|deputy\s+|vice[\s-]+|first\s+|executive\s+|town\s+|regional\s+|acting\s+)?"
    r"(?:mayor|governor|president|chairman|chairwoman|chairperson|head|leader|prefect|"
    r"councillor|councilor|chief|akim|commissioner|alderman|maire|sindaco|prefeito|prefeita|"
    r"starosta|burgomaster|provost|cathaoirleach|khokim|director\s+general|director|"
    r"chief\s+executive|secretary))"
)
_PLACE_WORDS = r"(?:(?:city|town|municipality|province|county|district|region|state)\s+of\s+)?"
_HONORIFICS = (
    r"(?:(?:(?:His|Her)\s+(?:Worship|Excellency)|H\.\s?E\.|Mr|Mrs|Ms|Dr|Prof|Professor|Cr|Cllr|"
    r"Councillor|Datuk|Dato'?|Shri|Smt|Hon|Sir|Dame|M|Mme)\.?\s+)*"
)
_ORG_OF = (
    r"(?:(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,3}(?:Chamber|Council|Committee|Assembly|"
    r"Corporation|Government|Administration|Office|Municipality)\s+of\s+(?:the\s+)?)?"
)


class _People:
    """The people of one sentence, each mention read once."""

    def __init__(self, sentence: Sentence, lexicon: Lexicon) -> None:
        self.sentence = sentence
        self.lexicon = lexicon
        self.found: list[Person] = []

    def add(
        self,
        name: tuple[int, int],
        title: str | None,
        title_span: tuple[int, int] | None,
        place: tuple[int, int] | None,
        whole: tuple[int, int],
        rule: str,
    ) -> None:
        text = self.sentence.text
        start, end = _name_span(text, name[0], name[1], self.lexicon)
        if end - start < 2 or any(
            p.evidence.start - self.sentence.start < end
            and start < p.evidence.end - self.sentence.start
            for p in self.found
        ):
            return
        value = text[start:end]
        if gazetteer.country(value):
            return
        title_evidence = (
            None if title_span is None else self.sentence.span(*title_span, "the title")
        )
        place_text = place_evidence = None
        if place is not None:
            trimmed = re.sub(r"['’]s?$", "", text[place[0] : place[1]])
            place = (place[0], place[0] + len(trimmed))
            place_text = text[place[0] : place[1]]
            place_evidence = self.sentence.span(*place, "the place the title names")
        self.found.append(
            Person(
                value,
                self.sentence.span(start, end, rule),
                title,
                title_evidence,
                min(whole[0], start),
                max(end, place[1] if place else end),
                place_text,
                place_evidence,
            )
        )


def _people(sentence: Sentence, lexicon: Lexicon) -> list[Person]:
    text = sentence.text
    people = _People(sentence, lexicon)
    # "Beijing Vice Mayor Chen Gang", "Mayor of Mission Norie González Garza", "the Mayor of
    # Coimbra, Manuel Carvalho Lopes", "Mayors González Garza and Nataly García Díaz".
    for title in _TITLE_AT.finditer(text):
        if not title.group("title")[0].isupper():
            continue
        offset = title.end()
        place: tuple[int, int] | None = None
        of = re.match(
            rf"\s+of\s+(?:the\s+)?{_ORG_OF}{_PLACE_WORDS}(?P<place>{_NAME})", text[offset:]
        )
        if of is not None:
            words = of.group("place").split()
            split = _place_then_name(words, lexicon)
            if split is None:
                continue
            at = offset + of.start("place")
            place = (at, at + len(" ".join(words[:split])))
            offset = place[1]
        named = re.match(rf",?\s+{_HONORIFICS}(?P<name>{_NAME})", text[offset:])
        if named is None:
            continue
        first = (offset + named.start("name"), offset + named.end("name"))
        names = [first]
        plural = title.group("title") in {"Mayors", "Governors"}
        if plural:
            more = re.match(
                rf"\s+and\s+(?P<name>{_NAME})", text[_name_span(text, *first, lexicon)[1] :]
            )
            if more is None:
                continue
            at = _name_span(text, *first, lexicon)[1]
            names.append((at + more.start("name"), at + more.end("name")))
        title_text = title.group("title").rstrip(".")
        title_text = title_text[:-1] if plural else title_text
        for name in names:
            tied = (
                place
                or _place_before_title(text, title.start(), lexicon)
                or _place_after(text, _name_span(text, *name, lexicon)[1], lexicon)
            )
            people.add(
                name,
                title_text,
                (title.start(), title.end()),
                tied,
                (title.start(), name[1]),
                "a name after a title",
            )
    # "akim of Shymkent Nurlan Baimukhanov": a title in lower case, its place, the name.
    lower_title_of = rf"(?<![\w-])(?P<title>{_LOWER_TITLE})\s+of\s+(?:the\s+)?(?P<place>{_NAME})"
    for match in re.finditer(lower_title_of, text):
        if match.group("title")[0].isupper():
            continue
        words = match.group("place").split()
        split = _place_then_name(words, lexicon)
        if split is None or split >= len(words):
            continue
        at = match.start("place")
        place = (at, at + len(" ".join(words[:split])))
        name_start = place[1] + 1
        name_span = (name_start, match.end("place"))
        lowered = match.group("title")
        people.add(
            name_span, lowered, match.span("title"), place, match.span(), "a name after a title"
        )
    # "Igi Takashi, Mayor of Yonago City", "Wang Lihua, head of Yuhang District".
    for match in re.finditer(
        rf"(?P<name>{_NAME}),\s+(?:the\s+)?(?P<title>{_TITLE}|{_LOWER_TITLE})(?:\s+of\s+{_ORG_OF}{_PLACE_WORDS}(?P<place>{_NAME}))?",
        text,
    ):
        if " " not in match.group("name").strip():
            continue
        place = match.span("place") if match.group("place") else None
        people.add(
            match.span("name"),
            match.group("title").rstrip(".").strip(),
            match.span("title"),
            place,
            match.span(),
            "a name before its title",
        )
    # "Nakano Yusuke (Mayor of Hamamatsu City)".
    for match in re.finditer(
        rf"(?P<name>{_NAME})\s*\((?:the\s+)?(?P<title>{_TITLE}|{_LOWER_TITLE})(?:\s+of\s+{_ORG_OF}{_PLACE_WORDS}(?P<place>{_NAME}))?\)",
        text,
    ):
        place = match.span("place") if match.group("place") else None
        people.add(
            match.span("name"),
            match.group("title").rstrip("."),
            match.span("title"),
            place,
            match.span(),
            "a name before its title",
        )
    # "Valparaíso mayor Tomás Irarrázaval", "Hamburg's First Mayor, Katrin Vogelsang".
    for match in re.finditer(
        rf"(?P<place>{_NAME})(?:['’]s?)?\s+(?P<title>{_LOWER_TITLE}),?\s+(?P<name>{_NAME})", text
    ):
        words = match.group("place").split()
        while words and (fold(words[0]) in _STOPWORDS or words[0] in _TITLE_WORDS):
            words.pop(0)
        if not words:
            continue
        place = (match.end("place") - len(" ".join(words)), match.end("place"))
        people.add(
            match.span("name"),
            match.group("title").strip().title(),
            match.span("title"),
            place,
            match.span(),
            "a name after a title",
        )
    # "his Guadalajara counterpart, Rocío Villaseñor Ortega".
    for match in re.finditer(
        rf"\b(?:his|her|their)\s+(?P<place>{_NAME})\s+counterpart,?\s+(?P<name>{_NAME})", text
    ):
        people.add(
            match.span("name"), None, None, match.span("place"), match.span(), "a counterpart named"
        )
    # "the two mayors, Károly Szabó of Kaposvár and Marko Perić of Rovinj".
    for match in re.finditer(
        r"\b(?:two|both|the)\s+(?P<title>mayors|governors|leaders),?\s+", text
    ):
        at = match.end()
        while True:
            one = re.match(
                rf"(?P<name>{_NAME})\s+of\s+(?P<place>{_NAME})(?:,?\s+and\s+|,\s+)?", text[at:]
            )
            if one is None:
                break
            singular = match.group("title")[:-1].title()
            people.add(
                (at + one.start("name"), at + one.end("name")),
                singular,
                match.span("title"),
                (at + one.start("place"), at + one.end("place")),
                (at, at + one.end()),
                "a name in a list of signers",
            )
            at += one.end()
    return sorted(people.found, key=lambda person: person.start)


def _place_after(text: str, name_end: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """ "Mayor Ester Hamor of Sorsogon City", "Governor Xing from the Qixia District"."""
    after = re.match(
        rf"\s+(?:of|from)\s+(?:the\s+)?{_PLACE_WORDS}(?P<place>{_NAME})", text[name_end:]
    )
    if after is None or _place_then_name(after.group("place").split(), lexicon) is None:
        return None
    return name_end + after.start("place"), name_end + after.end("place")


def _name_span(text: str, start: int, end: int, lexicon: Lexicon) -> tuple[int, int]:
    """A person's name without what follows it in the same run: a title word or a month."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and fold(words[0].group().rstrip(".")) in _HONORIFIC_WORDS:
        words.pop(0)
    kept = []
    for word in words:
        value = word.group()
        if (
            value.rstrip(".") in _TITLE_WORDS
            or fold(value) in _MONTHS_AND_DAYS
            or fold(value) in _STOPWORDS
            or fold(value) in _BREAK_WORDS
            or fold(value) in LEVEL_WORDS
        ):
            break
        kept.append(word)
    if not kept:
        return start, start
    return start + kept[0].start(), start + kept[-1].end()


_HONORIFIC_WORDS = word_set("datuk dato shri smt sri hon cr")


def _place_then_name(words: list[str], lexicon: Lexicon) -> int | None:
    """How many of `words` name the place: all of them, unless a known place is followed
    by at least two more words (a name)."""
    if not words or fold(words[0]) in _STOPWORDS:
        return None
    for size in range(1, len(words) - 1):
        head = " ".join(words[:size])
        if lexicon.cities.get(head) or fold(words[size - 1]) in LEVEL_WORDS:
            while size < len(words) and (
                fold(words[size]) in LEVEL_WORDS or fold(words[size]) == "municipal"
            ):
                size += 1
            return size
    return len(words)


def _place_before_title(text: str, title_start: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """ "Chuncheon Mayor Lee Jae-soo", "Mandaue City Mayor Jonas Cortes": the place whose
    name stands just before the title, within the same run of capitalised words."""
    before = re.search(
        rf"(?P<place>{_NAME})\s+(?:(?:Lord|Deputy|Vice|Executive|First)\s+)*$", text[:title_start]
    )
    if before is None:
        return None
    words = before.group("place").split()
    while words and (fold(words[0]) in _STOPWORDS or words[0].rstrip(".") in _TITLE_WORDS):
        words.pop(0)
    if not words or any(w.rstrip(".") in _TITLE_WORDS for w in words):
        return None
    if gazetteer.country(" ".join(words)) or gazetteer.demonym(" ".join(words)):
        return None
    end = before.start("place") + len(before.group("place"))
    start = end - len(" ".join(words))
    return start, end
