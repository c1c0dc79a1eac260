"""The focus areas an announcement gives an agreement, as names of the register's
vocabulary, each agreed or only possible.

Only the list after a cue is read ("focuses on cleantech", "in such sectors as economy,
trade and tourism", "cooperation in tourism and cultural sectors", "cultural and economic
exchanges"), never the whole sentence, so a clause of background ("as Nanjing needs an
energy efficient city") adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agreements.domain.drafting.evidence import Evidence, Sentence
from agreements.domain.text import fold
from agreements.domain.values import Certainty
from agreements.domain.vocabulary import Vocabulary

# How announcements write the areas beyond the vocabulary's own synonyms: adjectives and
# the compounds of news agencies. Each maps onto a name of the shipped vocabulary.
WRITTEN_FORMS: dict[str, str] = {
    "economic": "business", "economy": "business", "economies": "business",
    "economic cooperation": "business", "economic corporation": "business",
    "business": "business", "investment": "business", "investments": "business",
    "commercial": "trade", "trade": "trade", "trading": "trade",
    "cultural": "culture", "culture and arts": "culture", "arts": "culture",
    "humanities": "culture", "humanities and arts": "culture", "art": "culture",
    "tourist": "tourism", "touristic": "tourism", "tourism development": "tourism",
    "educational": "education", "education": "education", "training": "education",
    "scientific": "research", "science": "research", "sciences": "research",
    "science and technology": "research", "sci-tech": "research", "academic": "research",
    "environmental": "environment", "environmental protection": "environment",
    "ecological": "environment", "ecology": "environment", "green development": "environment",
    "sports": "sport", "sporting": "sport", "sports development": "sport",
    "sports exchange": "sport", "sports exchanges": "sport",
    "health care": "health", "healthcare": "health", "medical": "health",
    "social": "social", "social services": "social",
    "agricultural": "agriculture", "agro": "agriculture",
    "youth": "youth", "youth development": "youth", "youth affairs": "youth",
    "planning and construction": "urban-planning",
    "urban planning and development": "urban-planning",
    "planning and urban development": "urban-planning", "urban development": "urban-planning",
    "construction": "urban-planning", "urban management": "urban-planning",
    "energy efficiency": "energy", "energy": "energy", "heating": "energy",
    "heating and cooling": "energy", "port": "logistics", "ports": "logistics",
    "digital": "smart-city", "digital transformation": "smart-city", "ict": "smart-city",
    "governance": "governance", "good governance": "governance",
    "public administration": "governance", "water": "water",
    "disaster": "disaster-relief", "disaster prevention": "disaster-relief",
    "school": "education", "schools": "education", "students": "education",
    "student": "education", "scholarships": "education", "scholarship": "education",
    "universities": "education", "teachers": "education", "technological innovation": "innovation",
    "waste water": "water", "waste water management": "water", "water management": "water",
    "sport": "sport", "culture": "culture", "tourism": "tourism", "industry": "business",
    "industrial": "business", "economic development": "business", "exports": "trade",
}  # fmt: skip

_CUES = re.compile(
    r"\b(?:focus(?:es|ed|ing)?\s+on|concentrat\w*\s+on|centred\s+on|centered\s+on|"
    r"(?:in|on|within)\s+(?:the\s+)?(?:various\s+|several\s+|many\s+)?(?:areas?|fields?|sectors?|spheres?|domains?)\s+(?:of|such\s+as|like|including|spanning)|"
    r"(?:areas?|fields?|sectors?|spheres?)\s+(?:such\s+as|like|including|spanning|of)|"
    r"such\s+(?:areas|fields|sectors)\s+as|"
    r"(?:cooperation|co-operation|collaboration|exchanges?|ties|links|partnership|relations|"
    r"interactions?|activities)\s+(?:in|on|within|regarding|concerning|covering|spanning)|"
    r"(?:including|includ\w+|such\s+as|spanning|covering|covers?)|"
    r"(?:cooperat\w*|collaborat\w*|work\w*\s+together|partner\w*)\s+(?:in|on|within|around|regarding)|"
    r"(?:promot\w*|boost\w*|encourag\w*|expand\w*|strengthen\w*|deepen\w*|enhanc\w*|"
    r"step\w*\s+up|foster\w*|advanc\w*|support\w*)\s+(?:(?:cooperation|exchanges?|ties|links)\s+(?:in|on)\s+)?|"
    r"commit\w*\s+(?:\w+\s+){0,3}?to|"
    r"within\s+the\s+(?:field|area|sector)s?\s+of)\s+",
    re.I,
)
_ADJECTIVE_CUE = re.compile(
    r"(?P<list>(?:[\w-]{1,40}(?:,\s*|\s+and\s+|\s+or\s+|,\s+and\s+)){0,8}[\w-]{1,40})\s+"
    r"(?:exchanges?|cooperation|co-operation|collaboration|ties|links|sectors?|fields|areas|"
    r"development|projects?|programmes?|programs?)\b",
    re.I,
)
_LIST_END = re.compile(
    r"[.;:!?\"“”()]|,\s+(?:as|which|while|where|whereas|but|so|because|since|and\s+(?:the|to|will|is|are|in|engage|also))\b|"
    r"\s+(?:to|for|with|between|among|that|which|who|by|from|so|because|as\s+well\s+as\s+to)\s+",
    re.I,
)
_POSSIBLE = re.compile(
    r"\b(?:possib\w+|potential\w*|could|might|may|option|explore\w*|future|further\s+areas|"
    r"prospects?|opportunit\w+|consider\w*|hope\w*|wish\w*)\b",
    re.I,
)


@dataclass(frozen=True)
class FocusArea:
    name: str
    certainty: Certainty
    evidence: Evidence


def focus_areas(sentence: Sentence, vocabulary: Vocabulary) -> list[FocusArea]:
    """The vocabulary's sectors a sentence gives as the agreement's areas."""
    text = sentence.text
    found: dict[str, FocusArea] = {}
    for cue in _CUES.finditer(text):
        end_of_list = _LIST_END.search(text, cue.end())
        stop = end_of_list.start() if end_of_list else len(text)
        possible = bool(_POSSIBLE.search(text[max(0, cue.start() - 60) : cue.start()]))
        _read_list(sentence, cue.end(), stop, possible, vocabulary, found, "the areas after a cue")
    for match in _ADJECTIVE_CUE.finditer(text):
        possible = bool(_POSSIBLE.search(text[max(0, match.start() - 60) : match.start()]))
        _read_list(sentence, match.start("list"), match.end("list"), possible, vocabulary, found,
                   "the areas before 'exchanges' or 'cooperation'")  # fmt: skip
    return list(found.values())


_ITEM = re.compile(r"[^,]+")
_JOINERS = re.compile(r"\s+(?:and|or|as\s+well\s+as|&)\s+|/")
_FILLER = re.compile(
    r"^(?:(?:and|or|the|of|in|on|bilateral|mutual|joint|sustainable|strategic|practical|"
    r"various|other|close|closer|further|new|both|local|people-to-people)\s+)+",
    re.I,
)
_TAIL = re.compile(
    r"\s+(?:exchanges?|cooperation|co-operation|collaboration|ties|links|sectors?|fields?|"
    r"areas?|development|projects?|programmes?|programs?|industry|industries|issues|matters|"
    r"partnerships?|events?|groups?|contacts|solutions|systems|activities|initiatives|"
    r"tournaments?|festivals?|visits|training|sectors?)$",
    re.I,
)


def _read_list(
    sentence: Sentence,
    start: int,
    stop: int,
    possible: bool,
    vocabulary: Vocabulary,
    found: dict[str, FocusArea],
    rule: str,
) -> None:
    text = sentence.text
    certainty = Certainty.POSSIBLE if possible else Certainty.AGREED
    for item in _ITEM.finditer(text, start, stop):
        whole = _stripped(text, item.start(), item.end())
        name = _sector(text[whole[0] : whole[1]], vocabulary)
        spans: list[tuple[str | None, tuple[int, int]]] = [(name, whole)] if name else []
        if name is None:
            at = whole[0]
            for joiner in [*_JOINERS.finditer(text, whole[0], whole[1]), None]:
                until = joiner.start() if joiner else whole[1]
                piece = _stripped(text, at, until)
                spans.append((_sector(text[piece[0] : piece[1]], vocabulary), piece))
                if joiner:
                    at = joiner.end()
        for sector, (low, high) in spans:
            if sector is None:
                continue
            known = found.get(sector)
            if known is None or (known.certainty is Certainty.POSSIBLE and not possible):
                found[sector] = FocusArea(sector, certainty, sentence.span(low, high, rule))


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sector(text: str, vocabulary: Vocabulary) -> str | None:
    item = re.sub(r"^\s*(?:and|or)\s+", "", text.strip(), flags=re.I)
    for candidate in (item, _FILLER.sub("", item), _TAIL.sub("", _FILLER.sub("", item))):
        key = fold(candidate.strip()).replace("–", "-")
        if not key:
            continue
        for form in (key, key[:-1] if key.endswith("s") and len(key) > 4 else key):
            if (name := vocabulary.find(form)) is not None:
                return name
            if (name := WRITTEN_FORMS.get(form)) is not None and vocabulary.find(name):
                return vocabulary.find(name)
    return None
