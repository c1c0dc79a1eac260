"""One draft record per agreement an announcement names, every value with its evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from agreements.domain.dates import PartialDate
from agreements.domain.drafting import gazetteer
from agreements.domain.drafting.evidence import Evidence, Sentence, sentences
from agreements.domain.drafting.focus import focus_areas
from agreements.domain.drafting.names import (
    Lexicon,
    Person,
    Place,
    SentenceNames,
    read_names,
)
from agreements.domain.drafting.signings import (
    Agreement,
    Noun,
    Signing,
    Tense,
    group_signings,
    needs_named_parties,
    nouns_of,
    signing_in,
)
from agreements.domain.drafting.when import (
    Mention,
    Publication,
    Reading,
    mentions,
    publication_in_text,
    story_day,
)
from agreements.domain.model import Party, Sector, Signatory, default_title
from agreements.domain.text import fold, word_set
from agreements.domain.values import AgreementType, Certainty, Level, Status
from agreements.domain.vocabulary import Vocabulary

if TYPE_CHECKING:
    from agreements.domain.editing import AgreementInput


@dataclass(frozen=True)
class Provenance:
    """A value of a draft and the span of the text it came from."""

    field: str
    value: str
    evidence: Evidence


@dataclass
class Draft:
    """A record drafted from a text, in the register's own shape, not yet validated."""

    parties: list[Party] = field(default_factory=list)
    type: AgreementType | None = None
    status: Status | None = None
    signed_on: PartialDate | None = None
    place: str | None = None
    signatories: list[Signatory] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)

    @property
    def title(self) -> str:
        return default_title(self.parties)

    def problems(self) -> list[str]:
        """What `add` would refuse in it as it stands."""
        found = []
        if len(self.parties) < 2:
            found.append("the text names fewer than two parties")
        if self.type is None:
            found.append("the text does not say what kind of agreement it is")
        return found

    def cite(self, name: str, value: str, evidence: Evidence | None) -> None:
        if evidence is not None:
            self.provenance.append(Provenance(name, value, evidence))


@dataclass(frozen=True)
class Announcement:
    publication: Publication | None
    drafts: list[Draft]


_GENERIC = word_set(
    "city town district county province prefecture region municipality municipal state ward "
    "borough of the metropolitan"
)


@lru_cache(maxsize=4096)
def core(name: str) -> frozenset[str]:
    words = frozenset(re.findall(r"[\w']+", fold(name)))
    return (words - _GENERIC) or words


def read_announcement(
    text: str, vocabulary: Vocabulary, published: date | None = None
) -> Announcement:
    """The drafts of every agreement `text` says was signed or is to be signed."""
    found = sentences(text)
    if not found:
        return Announcement(None, [])
    publication = (
        Publication(published, "the publication date given (--published)")
        if published is not None
        else publication_in_text(found)
    )
    reference = story_day(found[0], publication) if len(found) else publication
    for sentence in found[:6]:
        if sentence.first_in_paragraph:
            reference = story_day(sentence, publication)
            if reference is not publication:
                break
    lexicon = Lexicon([s.text for s in found])
    clauses = [clause for sentence in found for clause in _clauses(sentence)]
    reader = _Reader(clauses, lexicon, vocabulary, publication, reference)
    signings = [s for s in (signing_in(clause) for clause in clauses) if s is not None]
    signings = [s for s in signings if reader.names_a_party(s)]
    drafts = [
        reader.draft(agreement, index) for index, agreement in enumerate(group_signings(signings))
    ]
    return Announcement(publication, [d for d in drafts if d.parties])


_ANOTHER_SIGNING = re.compile(
    r"(?:;|,?\s+and)\s+(?=(?:[\w'’-]+\s+){0,4}?(?:also|later|then)\s+(?:signed|inked|sealed|concluded)\b"
    r"[^.;]*\b(?:[Aa]greement|[Mm]emorandum|MoU|MOU|[Cc]harter|[Pp]act|[Pp]rotocol|[Ll]etter)\b)"
)


def _clauses(sentence: Sentence) -> list[Sentence]:
    """A sentence that tells of two signings, "X signed a twinning with A on Monday, and
    also signed a friendship agreement with B", as one clause per signing."""
    cuts = [m for m in _ANOTHER_SIGNING.finditer(sentence.text) if m.start() > 0]
    if not cuts or not signing_in(sentence):
        return [sentence]
    parts: list[Sentence] = []
    begin = 0
    for cut in cuts:
        parts.append(
            Sentence(
                sentence.text[begin : cut.start()],
                sentence.start + begin,
                sentence.paragraph,
                sentence.first_in_paragraph and not parts,
            )
        )
        begin = cut.end()
    parts.append(Sentence(sentence.text[begin:], sentence.start + begin, sentence.paragraph, False))
    return [part for part in parts if part.text.strip()]


_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_a-z][\w .'’-]{1,40}?)(?:,\s*(?P<country>[^\W\d_][\w .'’-]{1,30}?))?"
    r"(?:,\s*(?P<date>[\w .]{0,20}\d[\w .,]{0,14}?))?\s*(?:\([^)\n]{1,40}\))?\.?\s*(?:--|[–—-])\s+"
)


class _Reader:
    def __init__(
        self,
        found: list[Sentence],
        lexicon: Lexicon,
        vocabulary: Vocabulary,
        publication: Publication | None,
        reference: Publication | None,
    ) -> None:
        self.sentences = found
        self._position = {sentence.start: number for number, sentence in enumerate(found)}
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.publication = publication
        self.reference = reference
        self._names: dict[int, SentenceNames] = {}
        self.dateline = self._dateline()
        self.text_countries = self._text_countries()

    def names_a_party(self, signing: Signing) -> bool:
        """Whether a signing says who signed: "established", "became" and the like speak of
        twinning in general unless the sentence names a place ("The concept of town
        twinning was established after the war")."""
        if not needs_named_parties(signing.verb.text):
            return True
        names = self.names(signing.sentence)
        return signing.both_sides or bool(names.places) or bool(names.people)

    def names(self, sentence: Sentence) -> SentenceNames:
        if sentence.start not in self._names:
            body = self._without_dateline(sentence)
            self._names[sentence.start] = read_names(
                body, self.lexicon, headline=sentence is self.sentences[0]
            )
        return self._names[sentence.start]

    def _without_dateline(self, sentence: Sentence) -> Sentence:
        if not sentence.first_in_paragraph:
            return sentence
        match = _DATELINE.match(sentence.text)
        if match is None or match.end() > 80:
            return sentence
        cut = match.end()
        return Sentence(sentence.text[cut:], sentence.start + cut, sentence.paragraph, False)

    def _dateline(self) -> tuple[str, Evidence] | None:
        for sentence in self.sentences[:8]:
            if not sentence.first_in_paragraph:
                continue
            match = _DATELINE.match(sentence.text)
            if (
                match is not None
                and match.end() <= 80
                and not gazetteer.country(match.group("place"))
            ):
                name = match.group("place").strip()
                if name.isupper():
                    name = name.title()
                return name, sentence.evidence(match, "the dateline", "place")
        return None

    def _text_countries(self) -> set[str]:
        codes: set[str] = set()
        for sentence in self.sentences:
            codes |= {mention.code for mention in self.names(sentence).countries}
        return codes

    # --- one agreement -------------------------------------------------------------------

    def draft(self, agreement: Agreement, index: int) -> Draft:
        draft = Draft()
        kind = agreement.type
        if kind is not None:
            noun = next(s.noun for s in agreement.signings if s.noun and s.noun.type is kind)
            draft.type = kind
            draft.cite("type", kind.value, noun.evidence)
        elif (named := self._named_elsewhere()) is not None:
            draft.type = named.type
            assert named.type is not None
            draft.cite(
                "type",
                named.type.value,
                replace(named.evidence, rule="the agreement's name, elsewhere in the text"),
            )
        parties = self._parties(agreement, draft)
        self._countries(parties, draft)
        self._signatories(agreement, draft)
        if agreement.planned:
            draft.status = Status.PROPOSED
            verb = next(s.verb for s in agreement.signings if s.tense is Tense.PLANNED)
            draft.cite("status", Status.PROPOSED.value, verb)
            self._planned_notes(agreement, draft)
        else:
            self._signed_on(agreement, draft)
            self._place(agreement, draft)
        self._sectors(agreement, index, draft)
        for signing in agreement.signings:
            if signing.renewal is not None:
                draft.notes.append(
                    f"The text speaks of a renewal or extension: '{signing.renewal.text}'."
                )
                draft.cite("notes", "renewal", signing.renewal)
                break
        return draft

    def _named_elsewhere(self) -> Noun | None:
        """The first kind of agreement the text names anywhere, for a signing that says
        only "put pen to paper": "The sister city agreement commits both cities ..."."""
        for sentence in self.sentences:
            for noun in nouns_of(sentence):
                if noun.type is not None and not noun.plural:
                    return noun
        return None

    # --- parties -------------------------------------------------------------------------

    def _parties(self, agreement: Agreement, draft: Draft) -> list[Place]:
        chosen: list[Place] = []
        for signing in agreement.signings:
            names = self.names(signing.sentence)
            for place in self._party_places(names, signing):
                if not any(core(place.name) == core(other.name) for other in chosen):
                    chosen.append(place)
        subject = self._subject_before(agreement.signings[0].sentence) if len(chosen) < 2 else None
        if subject is not None and not any(core(subject.name) == core(o.name) for o in chosen):
            chosen.insert(0, subject)
        if len(chosen) < 2:
            for place in self._places_of_the_agreement(agreement):
                if not any(core(place.name) == core(other.name) for other in chosen):
                    chosen.append(place)
        if len(chosen) < 2 and any(s.both_sides for s in agreement.signings):
            first = next(s for s in agreement.signings if s.both_sides)
            for place in self._earlier_pair(first.sentence):
                if (
                    not any(core(place.name) == core(other.name) for other in chosen)
                    and len(chosen) < 2
                ):
                    chosen.append(place)
        self._chosen = chosen
        return chosen

    def _subject_before(self, clause: Sentence) -> Place | None:
        """ "X signed a twinning with A, and the city also signed ... with B": the party
        "the city" means, from the clause before."""
        index = self._position[clause.start]
        if index == 0 or not re.match(
            r"(?:the\s+(?:city|town|municipality|council|province|district|county|region)|it)\s+(?:\w+\s+)?(?:also\s+)?(?:signed|inked|sealed|concluded)\b",
            clause.text,
            re.I,
        ):
            return None
        before = self.sentences[index - 1]
        if before.paragraph != clause.paragraph or clause.start - before.end > 8:
            return None
        places = self.names(before).places
        return places[0] if places else None

    def _places_of_the_agreement(self, agreement: Agreement) -> list[Place]:
        """Parties a signing leaves unnamed, from a sentence that names the same kind of
        agreement "with" or "between" them: "X has enjoyed a sister city relationship with
        Y", "X enters into a Friendship Agreement with Y"."""
        kind = agreement.type
        signed = {s.sentence.start for s in agreement.signings}
        found: list[Place] = []
        for sentence in self.sentences:
            if sentence.start in signed:
                continue
            typed = [
                n
                for n in nouns_of(sentence)
                if n.type is not None and (kind is None or n.type is kind)
            ]
            if not typed or not re.search(r"\b(?:with|between|and)\b", sentence.text):
                continue
            names = self.names(sentence)
            qualifiers = self._qualifiers(names)
            found += [
                p
                for p in names.places
                if p.start not in qualifiers and p.rule != "a region of that name"
            ]
            if found:
                return found
        return found

    def _party_places(self, names: SentenceNames, signing: Signing) -> list[Place]:
        text = names.sentence.text
        parents = self._qualifiers(names)
        out = []
        for place in names.places:
            if place.start in parents:
                continue
            if any(low <= place.start < high for low, high in names.venues):
                continue
            if _IN_A_VENUE.search(text[max(0, place.start - 30) : place.start]):
                continue
            if place.rule == "a region of that name":
                continue
            before = text[max(0, place.start - 4) : place.start]
            after_verb = place.start > signing.verb_start - (
                names.sentence.start - signing.sentence.start
            )
            if (
                after_verb
                and re.search(r"\bin\s+$", before)
                and re.search(
                    rf"{re.escape(signing.verb.text)}\b[^.]*\bin\s+$", text[: place.start], re.I
                )
            ):
                continue
            out.append(place)
        for person in names.people:
            if person.place is not None:
                tied = [
                    p
                    for p in names.places
                    if person.place_evidence
                    and p.evidence.start >= person.place_evidence.start
                    and p.evidence.end <= person.place_evidence.end
                ]
                out.extend(p for p in tied if p not in out)
        return sorted(out, key=lambda p: p.start)

    def _qualifiers(self, names: SentenceNames) -> set[int]:
        """The places that only qualify another: "in Nanjing" after a district, "Texas"
        after "Mission,", "in Normandy" after "Barfleur"."""
        text = names.sentence.text
        qualifying: set[int] = set()
        for place in names.places:
            for other in names.places:
                if other.start <= place.end:
                    continue
                between = text[place.end : other.start]
                joined = re.fullmatch(
                    r"\s*(?:,|\s+in|\s+of)\s*(?:the\s+)?"
                    r"(?:(?:state|province|region|county|prefecture)\s+of\s+)?",
                    " " + between,
                    re.I,
                )
                if joined and (
                    other.rule == "a region of that name"
                    or other.is_region
                    or gazetteer.regions(other.name)
                    or other.level in (Level.STATE, Level.PROVINCE, Level.REGION, Level.COUNTY)
                    or place.level in (Level.DISTRICT, Level.COUNTY, Level.MUNICIPALITY)
                ):
                    qualifying.add(other.start)
            if _PART_OF.search(text[max(0, place.start - 40) : place.start]):
                qualifying.add(place.start)
        return qualifying

    def _earlier_pair(self, sentence: Sentence) -> list[Place]:
        """ "Both sides": the last two places named before, as parties are."""
        seen: list[Place] = []
        for earlier in self.sentences:
            if earlier.start >= sentence.start:
                break
            names = self.names(earlier)
            parents = self._qualifiers(names)
            for place in names.places:
                if place.start in parents or place.rule == "a region of that name":
                    continue
                seen = [p for p in seen if core(p.name) != core(place.name)] + [place]
        return seen[-2:]

    # --- countries -----------------------------------------------------------------------

    def _countries(self, places: list[Place], draft: Draft) -> None:
        resolved: list[tuple[Place, str | None, str | None, Evidence | None, str | None]] = []
        for place in places:
            country, parent, evidence, rule, parent_evidence = self._context(place)
            resolved.append((place, country, parent, evidence, rule))
            if parent_evidence is not None and parent:
                draft.cite(f"parties[{len(resolved) - 1}].parent", parent, parent_evidence)
        known = {country for _, country, _, _, _ in resolved if country}
        for number, (place, country, parent, evidence, _) in enumerate(resolved):
            if country is None and place.cities:
                country, how = self._city_country(place, known)
                if country is not None:
                    evidence = replace(place.evidence, rule=how)
            name = self._party_name(place)
            draft.parties.append(Party(name, country, place.level, parent))
            draft.cite(f"parties[{number}].name", name, place.evidence)
            draft.cite(
                f"parties[{number}].level",
                place.level.value,
                place.evidence if place.level is not Level.CITY else None,
            )
            if country is not None:
                draft.cite(f"parties[{number}].country", country, evidence)

    def _party_name(self, place: Place) -> str:
        return re.sub(r"^(?:the|The)\s+", "", place.name)

    def _context(
        self, place: Place
    ) -> tuple[str | None, str | None, Evidence | None, str | None, Evidence | None]:
        """(country, parent, the evidence of the country, its rule, the parent's evidence)."""
        sentence = self._sentence_of(place)
        names = self.names(sentence)
        text = names.sentence.text
        offset = names.sentence.start
        after = re.match(
            r"(?P<join>\s*,\s*|\s+in\s+(?:the\s+)?|\s+of\s+|\s*\(\s*)(?P<q>[^\W\d_][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)",
            text[place.end :],
        )
        parent: str | None = None
        parent_evidence: Evidence | None = None
        if after is not None:
            q_start = place.end + after.start("q")
            q = after.group("q")
            q_text = q
            for words in range(len(q.split()), 0, -1):
                q_text = " ".join(q.split()[:words])
                if (
                    gazetteer.country(q_text)
                    or gazetteer.regions(q_text)
                    or self.lexicon.cities.get(q_text)
                ):
                    break
            span = Evidence(q_text, offset + q_start, offset + q_start + len(q_text), "")
            if code := gazetteer.country(q_text):
                return code, None, replace(span, rule="the country named after it"), "country", None
            regions = gazetteer.regions(q_text)
            if (
                regions
                and len({r.country for r in regions}) == 1
                and not self.lexicon.cities.get(q_text)
            ):
                return (
                    regions[0].country,
                    None,
                    replace(
                        span, rule=f"a region of that country named after it ({regions[0].code})"
                    ),
                    "region",
                    None,
                )
            cities = self.lexicon.cities.get(q_text)
            if cities and (
                place.level in (Level.DISTRICT, Level.COUNTY, Level.MUNICIPALITY)
                or "in" in after.group("join")
            ):
                parent, parent_evidence = q_text, replace(span, rule="the city it lies in")
                if len(cities) == 1:
                    return (
                        cities[0].country,
                        parent,
                        replace(span, rule="the country of the city it lies in"),
                        "parent",
                        parent_evidence,
                    )
        head = text[: place.start]
        possessive = re.search(r"(?P<q>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)['’]s?\s+$", head)
        if possessive is not None:
            q_text = possessive.group("q")
            span = Evidence(
                q_text, offset + possessive.start("q"), offset + possessive.end("q"), ""
            )
            if code := gazetteer.country(q_text):
                return (
                    code,
                    parent,
                    replace(span, rule="the country before it, in the possessive"),
                    "country",
                    parent_evidence,
                )
            if parent is None and self.lexicon.cities.get(q_text) and place.level is not Level.CITY:
                parent, parent_evidence = (
                    q_text,
                    replace(span, rule="the city before it, in the possessive"),
                )
        for mention in names.countries:
            if mention.adjective and mention.end <= place.start:
                between = text[mention.end : place.start]
                if re.fullmatch(
                    r"\s*(?:(?:capital|port|coastal|northern|southern|eastern|western|central|historic|historical|industrial|ancient|border)\s+)*(?:city|town|county|province|district|region|municipality|prefecture|state)?\s*(?:of\s+)?(?:the\s+)?",
                    between,
                ):
                    return (
                        mention.code,
                        parent,
                        replace(mention.evidence, rule="the country's adjective before it"),
                        "adjective",
                        parent_evidence,
                    )
        elsewhere = None if getattr(self, "_in_context", False) else self._said_elsewhere(place)
        if elsewhere is not None:
            return elsewhere[0], parent, elsewhere[1], "elsewhere", parent_evidence
        if parent is not None:
            cities = self.lexicon.cities.get(parent) or ()
            if len(cities) == 1:
                return cities[0].country, parent, parent_evidence, "parent", parent_evidence
        if place.region is not None and place.level is not Level.CITY:
            return (
                place.region.country,
                parent,
                replace(place.evidence, rule=f"a region of that name ({place.region.code})"),
                "region",
                parent_evidence,
            )
        return None, parent, None, None, parent_evidence

    def _said_elsewhere(self, place: Place) -> tuple[str, Evidence] | None:
        """The country another mention of the same place is given, the first that has one;
        found once per name."""
        key = core(place.name)
        cache: dict[frozenset[str], tuple[str, Evidence] | None] = self.__dict__.setdefault(
            "_elsewhere", {}
        )
        if key not in cache:
            cache[key] = None
            for other in self.sentences:
                for same in self.names(other).places:
                    if same is not place and core(same.name) == key:
                        found = self._context_once(same)
                        if found is not None:
                            cache[key] = found
                            break
                if cache[key] is not None:
                    break
        return cache[key]

    def _context_once(self, place: Place) -> tuple[str, Evidence] | None:
        if getattr(self, "_in_context", False):
            return None
        self._in_context = True
        try:
            country, _, evidence, rule, _ = self._context(place)
        finally:
            self._in_context = False
        if country is None or evidence is None or rule in ("elsewhere",):
            return None
        return country, evidence

    def _sentence_of(self, place: Place) -> Sentence:
        for sentence in self.sentences:
            if sentence.start <= place.evidence.start < sentence.end:
                return sentence
        return self.sentences[0]

    def _city_country(self, place: Place, known: set[str]) -> tuple[str | None, str]:
        cities = place.cities
        if len(cities) == 1:
            return cities[0].country, "the one city of that name in GeoNames"
        countries = {city.country for city in cities}
        named = countries & self.text_countries
        if len(named) == 1:
            return named.pop(), "the one city of that name in a country the text names"
        beside = countries & known
        if len(beside) == 1:
            return beside.pop(), "the one city of that name in the country of another party"
        ranked = sorted(cities, key=lambda city: -city.population)
        if ranked[0].population >= 5 * ranked[1].population:
            return ranked[0].country, "by far the largest city of that name in GeoNames"
        return None, ""

    # --- signatories ---------------------------------------------------------------------

    def _signatories(self, agreement: Agreement, draft: Draft) -> None:
        signers: list[tuple[Person, str | None, Evidence | None, str]] = []
        for signing in _current(agreement):
            names = self.names(signing.sentence)
            for person, rule in _signers(names, signing):
                if any(fold(person.name) == fold(p.name) for p, _, _, _ in signers):
                    continue
                party, evidence = self._party_of(person, names)
                signers.append((person, party, evidence, rule))
        for number, (person, party, _, rule) in enumerate(signers):
            if party is None and (elsewhere := self._party_elsewhere(person)) is not None:
                signers[number] = (person, elsewhere[0], elsewhere[1], rule)
        taken = {party for _, party, _, _ in signers if party}
        free = [p.name for p in draft.parties if p.name not in taken]
        unplaced = [i for i, (_, party, _, _) in enumerate(signers) if party is None]
        if len(unplaced) == len(free) == 1:
            person, _, _, rule = signers[unplaced[0]]
            signers[unplaced[0]] = (person, free[0], None, rule)
        elif len(unplaced) == len(free) == 2 and self._in_parallel(signers, unplaced, free):
            for at, party in zip(unplaced, free, strict=True):
                person, _, _, rule = signers[at]
                signers[at] = (person, party, None, rule)
        for person, party, evidence, rule in signers:
            if party is None:
                draft.notes.append(
                    f"Signed also by {person.name}"
                    + (f" ({person.title})" if person.title else "")
                    + ", for a party the text does not name."
                )
                continue
            number = len(draft.signatories)
            draft.signatories.append(Signatory(person.name, party, person.title))
            draft.cite(
                f"signatories[{number}].name", person.name, replace(person.evidence, rule=rule)
            )
            if person.title is not None:
                draft.cite(f"signatories[{number}].title", person.title, person.title_evidence)
            draft.cite(f"signatories[{number}].party", party, evidence)

    def _party_elsewhere(self, person: Person) -> tuple[str, Evidence] | None:
        """The party another mention of the same person ties them to ("Mayor of Mission
        Norie González Garza" for "Mayor González Garza")."""
        wanted = core(person.name)
        for sentence in self.sentences:
            names = self.names(sentence)
            for other in names.people:
                if other is person or other.place is None or not wanted <= core(other.name):
                    continue
                party, evidence = self._party_of(other, names)
                if party is not None and evidence is not None:
                    return party, replace(
                        evidence, rule="the place another mention of the signatory names"
                    )
        return None

    def _in_parallel(
        self,
        signers: list[tuple[Person, str | None, Evidence | None, str]],
        unplaced: list[int],
        free: list[str],
    ) -> bool:
        """ "Mayors A and B signed ... between X and Y": two signatories and two parties
        named in one sentence, in the same order."""
        first, second = signers[unplaced[0]][0], signers[unplaced[1]][0]
        for sentence in self.sentences:
            if not sentence.start <= first.evidence.start < sentence.end:
                continue
            text = sentence.text
            gap = text[first.evidence.end - sentence.start : second.evidence.start - sentence.start]
            places = [
                p for p in self.names(sentence).places if any(core(p.name) == core(f) for f in free)
            ]
            named = [f for p in places for f in free if core(p.name) == core(f)]
            return gap.strip() == "and" and list(dict.fromkeys(named)) == free
        return False

    def _party_of(self, person: Person, names: SentenceNames) -> tuple[str | None, Evidence | None]:
        candidates: list[tuple[str, Evidence]] = []
        text = names.sentence.text
        behalf = re.match(
            r"[^.;]{0,80}?\bon\s+behalf\s+of\s+(?:the\s+)?(?P<q>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)",
            text[person.end :],
        )
        if behalf is not None:
            start = names.sentence.start + person.end + behalf.start("q")
            candidates.append(
                (
                    behalf.group("q"),
                    Evidence(
                        behalf.group("q"), start, start + len(behalf.group("q")), "on behalf of"
                    ),
                )
            )
        if person.place is not None and person.place_evidence is not None:
            candidates.append((person.place, person.place_evidence))
        if (
            re.match(r"\s+of\s+this\s+(?:city|town)", text[person.end :])
            and self.dateline is not None
        ):
            candidates.append(
                (
                    self.dateline[0],
                    replace(self.dateline[1], rule="'this city': the city of the dateline"),
                )
            )
        for name, evidence in candidates:
            for party in self._chosen_parties():
                if core(name) <= core(party) or core(party) <= core(name):
                    return party, evidence
        return None, None

    def _chosen_parties(self) -> list[str]:
        return [self._party_name(place) for place in self._chosen]

    # --- dates and place -----------------------------------------------------------------

    def _signed_on(self, agreement: Agreement, draft: Draft) -> None:
        day = None if self.reference is None else self.reference.day
        for signing in _current(agreement):
            if signing.tense is not Tense.DONE:
                continue
            found = self._date_of(signing.sentence, signing, day)
            if found is None:
                found = self._paragraph_date(signing.sentence, day)
            if found is not None:
                value, mention = found
                draft.signed_on = value
                draft.cite(
                    "signed_on", str(value), replace(mention.evidence, rule=self._how(mention))
                )
                return

    def _date_of(
        self, sentence: Sentence, signing: Signing, day: date | None
    ) -> tuple[PartialDate, Mention] | None:
        dateline = self._dateline_end(sentence)
        own = [
            m
            for m in mentions(sentence)
            if not self._is_publication(m) and not m.of_saying and m.evidence.start >= dateline
        ]
        if not own:
            return None
        weekday = [m for m in own if m.reading is Reading.WEEKDAY]
        relative = [m for m in own if m.reading is Reading.DAYS_BEFORE]
        if weekday and relative:
            own = weekday  # "yesterday [Tuesday]": the day named is the firmer word
        verb_at = signing.verb.start
        own.sort(key=lambda m: abs(m.evidence.start - verb_at))
        for mention in own:
            value = mention.resolved(day)
            if value is not None:
                return value, mention
        return None

    def _paragraph_date(
        self, sentence: Sentence, day: date | None
    ) -> tuple[PartialDate, Mention] | None:
        """A date in the sentence before, in the same paragraph, of the days just before
        the publication: "The morning of October 27th ... In a ceremony, both cities
        formalised their sisterhood"."""
        if day is None:
            return None
        index = self._position[sentence.start]
        if index == 0 or self.sentences[index - 1].paragraph != sentence.paragraph:
            return None
        own = [m for m in mentions(self.sentences[index - 1]) if not self._is_publication(m)]
        if len(own) != 1:
            return None
        value = own[0].resolved(day)
        if (
            value is None
            or value.precision.value != "day"
            or not 0 <= (day - value.first_day()).days <= 7
        ):
            return None
        return value, own[0]

    def _dateline_end(self, sentence: Sentence) -> int:
        """Where the dateline of a paragraph ends: its date is the story's, not a signing's."""
        if not sentence.first_in_paragraph:
            return sentence.start
        match = _DATELINE.match(sentence.text)
        return sentence.start + (match.end() if match is not None and match.end() <= 80 else 0)

    def _is_publication(self, mention: Mention) -> bool:
        for source in (self.publication, self.reference):
            if (
                source is not None
                and source.evidence is not None
                and source.evidence.start <= mention.evidence.start < source.evidence.end
            ):
                return True
        return False

    def _how(self, mention: Mention) -> str:
        if mention.reading is Reading.FULL:
            return f"{mention.evidence.rule}, as written"
        assert self.reference is not None
        reference = self.reference
        return f"{mention.evidence.rule}, read against {reference.day.isoformat()}, {reference.how}"

    _VENUE = re.compile(
        r"\b(?:at|in)\s+(?:the\s+)?(?P<venue>(?:[A-Z][\w'’.-]*\s+|\([A-Z]{2,10}\)\s+|of\s+|de\s+|the\s+)*?"
        r"(?:[A-Z][\w'’.-]*\s+)?(?:City\s+Hall|Town\s+Hall|Guildhall|Hall|hall|Centre|Center|offices|"
        r"Offices|Office|Hotel|Palace|Building|Headquarters|Museum|Mansion|Chamber|Residence|House|"
        r"Pavilion|Castle|Rathaus|(?:session|conference|meeting|function|assembly|council|banquet|"
        r"convention|reception)\s+(?:hall|room|centre|center))(?:\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?"
        r"(?:\s*\([A-Z]{2,10}\))?)"
        r"|\bat\s+the\s+(?P<lower>(?:[a-z]+\s+){0,2}(?:centre|center|hall|building|headquarters|"
        r"offices)\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
    )

    def _place(self, agreement: Agreement, draft: Draft) -> None:
        for signing in _current(agreement):
            if signing.tense is Tense.PLANNED:
                continue
            text = signing.sentence.text
            for venue in self._VENUE.finditer(text):
                group = "venue" if venue.group("venue") else "lower"
                if group == "lower" or venue.group("venue")[0].isupper():
                    draft.place = venue.group(group).strip()
                    draft.cite(
                        "place",
                        draft.place,
                        signing.sentence.evidence(venue, "the venue after 'at'", group),
                    )
                    return
        for signing in agreement.signings:
            if signing.tense is not Tense.DONE:
                continue
            text = signing.sentence.text
            tail = text[signing.verb_end :]
            here = re.match(r"[^.;]{0,60}?\bin\s+(?P<q>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)", tail)
            if (
                here is not None
                and not gazetteer.country(here.group("q"))
                and self.lexicon.cities.get(here.group("q"))
            ):
                start = signing.verb_end + here.start("q")
                draft.place = here.group("q")
                draft.cite(
                    "place",
                    draft.place,
                    signing.sentence.span(
                        start, start + len(draft.place), "the place after the verb of signing"
                    ),
                )
                return
            if re.match(r"\s+here\b", tail) and self.dateline is not None:
                draft.place = self.dateline[0]
                draft.cite(
                    "place",
                    draft.place,
                    replace(self.dateline[1], rule="'signed here': the place of the dateline"),
                )
                return

    def _planned_notes(self, agreement: Agreement, draft: Draft) -> None:
        for signing in agreement.signings:
            dates = [m for m in mentions(signing.sentence) if not self._is_publication(m)]
            if dates:
                draft.notes.append(f"A signing is planned: '{signing.sentence.text}'")
                draft.cite(
                    "notes",
                    "planned signing",
                    signing.sentence.span(0, len(signing.sentence.text), "a planned signing"),
                )
                return

    # --- sectors -------------------------------------------------------------------------

    def _sectors(self, agreement: Agreement, index: int, draft: Draft) -> None:
        chosen: dict[int, Sentence] = {}
        for signing in agreement.signings:
            at = self._position[signing.sentence.start]
            for sentence in self.sentences[at : at + 2]:
                chosen.setdefault(sentence.start, sentence)
        if index == 0:
            for sentence in self.sentences:
                if (
                    sentence.start not in chosen
                    and _REFERS.search(sentence.text)
                    and signing_in(sentence) is None
                ):
                    chosen[sentence.start] = sentence
        areas: dict[str, tuple[Certainty, Evidence]] = {}
        for _, sentence in sorted(chosen.items()):
            for area in focus_areas(sentence, self.vocabulary):
                known = areas.get(area.name)
                if known is None or (
                    known[0] is Certainty.POSSIBLE and area.certainty is Certainty.AGREED
                ):
                    areas[area.name] = (area.certainty, area.evidence)
        for number, (name, (certainty, evidence)) in enumerate(areas.items()):
            draft.sectors.append(Sector(name, certainty))
            draft.cite(f"sectors[{number}]", f"{name} ({certainty.value})", evidence)


_PART_OF = re.compile(r"\b(?:capital|part|seat)\s+of\s+(?:\w+['’]?s?\s+){0,3}$", re.I)
_IN_A_VENUE = re.compile(
    r"\b(?:centre|center|hall|building|offices?|headquarters|campus|park|square|museum|hotel)"
    r"\s+of\s+(?:the\s+)?$",
    re.I,
)


def _current(agreement: Agreement) -> list[Signing]:
    """Its signings, less those that tell of an earlier one, unless all do."""
    return [s for s in agreement.signings if not s.history] or agreement.signings


_REFERS = re.compile(
    r"\b(?:both\s+(?:parties|sides|cities|towns)|the\s+two\s+(?:parties|sides|cities|towns|"
    r"localities|municipalities)\s+(?:have|has|will|agreed|also|are|would|shall))\b|"
    r"\b(?:the|this|that|today's|their|its)\s+(?:new\s+)?(?:agreement|accord|pact|deal|mou|memorandum|"
    r"partnership|twinning|sisterhood|charter|declaration|letter of intent|protocol|relationship|"
    r"document|sister[\s-]+city\s+"
    r"(?:agreement|relationship|partnership|ties))\b",
    re.I,
)

_BY = re.compile(
    r"\b(?:signed|inked|sealed)\b[^;]*?(?<!visit)(?<!trip)(?<!tour)(?<!invitation)(?<!hosted)"
    r"(?<!organi[sz]ed)(?<!attended)(?<!accompanied)(?<!led)(?<!chaired)(?<!witnessed)"
    r"(?<!welcomed)\s+by\s+",
    re.I,
)
_NOT_SIGNERS = re.compile(
    r"\b(?:accompanied|flanked|joined|witnessed|attended|welcomed|hosted|observed|watched|"
    r"applauded)\s+by\s+|\bin\s+the\s+presence\s+of\s+|\balongside\s+|\bwitness(?:es|ed)?\b",
    re.I,
)
_LIST_BREAK = re.compile(
    r";|\bwhile\b|\bwhereas\b|\bwhen\b|“|\"|\bwitness|\bin\s+the\s+presence\b", re.I
)
_CLAUSE_BREAK = re.compile(r";|\bwhile\b|\bwhereas\b|\bwhen\b|:|“|\"|,\s+(?:and|but)\s+(?=[a-z])")


def _signers(names: SentenceNames, signing: Signing) -> list[tuple[Person, str]]:
    """The people a sentence says signed: the subject of the verb of signing, those after
    "signed by", those a list of signatories names; never those who witnessed, attended,
    welcomed or are quoted."""
    text = names.sentence.text
    shift = names.sentence.start - signing.sentence.start
    verb_start, verb_end = signing.verb_start - shift, signing.verb_end - shift
    found: list[tuple[Person, str]] = []
    if signing.tense is Tense.MENTIONED and "signator" in signing.verb.text.lower():
        for person in names.people:
            if person.start >= verb_end:
                found.append((person, "named as a signatory"))
        return found
    starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, max(0, verb_start))]
    clause_start = starts[-1]
    for person in names.people:
        if clause_start <= person.start and person.end <= verb_start:
            if _NOT_SIGNERS.search(text[clause_start : person.start]):
                continue
            found.append((person, "the subject of the verb of signing"))
    by = _BY.search(text)
    if by is not None:
        end = _LIST_BREAK.search(text, by.end())
        stop = end.start() if end else len(text)
        for person in names.people:
            if by.end() <= person.start < stop and not _NOT_SIGNERS.search(
                text[by.end() : person.start]
            ):
                found.append((person, "named after 'signed by'"))
    for verb in re.finditer(r"\b(?:signed|inked)\b", text[verb_end:], re.I):
        at = verb_end + verb.start()
        starts = [m.end() for m in _CLAUSE_BREAK.finditer(text, verb_end, at)]
        if not starts:
            continue
        for person in names.people:
            if (
                starts[-1] <= person.start
                and person.end <= at
                and not any(p is person for p, _ in found)
            ):
                found.append((person, "the subject of the verb of signing"))
    return found


def draft_input(draft: Draft, source: str | None = None) -> AgreementInput:
    """The draft as `add` takes it, so that it is saved through the same validation."""
    from agreements.domain.editing import AgreementInput

    parties = []
    for party in draft.parties:
        parts = [party.name, party.parent, party.country]
        if party.parent is not None and party.country is None:
            parts[2] = "?"  # never read: a parent needs a country after it to stay a parent
        parties.append(", ".join(part for part in parts if part and part != "?"))
    return AgreementInput(
        type=None if draft.type is None else draft.type.value,
        parties=parties,
        levels=[f"{party.name}={party.level.value}" for party in draft.parties],
        signatories=[
            "; ".join(part for part in (s.name, s.title, s.party) if part)
            for s in draft.signatories
        ],
        signed=None if draft.signed_on is None else str(draft.signed_on),
        place=draft.place,
        sectors=[s.name for s in draft.sectors if s.certainty is Certainty.AGREED],
        possible_sectors=[s.name for s in draft.sectors if s.certainty is Certainty.POSSIBLE],
        status=None if draft.status is None else draft.status.value,
        notes=list(draft.notes),
        sources=[] if source is None else [source],
    )
