"""export → import into an empty register → export gives the same bytes, for hostile values."""

import itertools
import json
import unicodedata

from conftest import Cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HOSTILE = [
    "=1+1", "+45 8940 2195", "'quoted", "''twice", "@kommune", "-", "-5", "＝1", "＠x",
    " leading space", "trailing space ", "Ærø", "栖霞区", "🤝 twinned",
    "semi; colon", "back\\slash", 'a "quote"', "comma, here",
]  # fmt: skip
# Line breaks and tabs belong only in notes: every other text refuses them.
PARAGRAPHS = ["two\nlines", "crlf\r\nline", "\ttab first", "=x\n+y"]

plain = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=10
).map(lambda text: unicodedata.normalize("NFC", text))
texts = (st.sampled_from(HOSTILE) | plain | st.tuples(st.sampled_from(HOSTILE), plain).map("".join)).filter(
    lambda text: text.strip() != ""
)  # fmt: skip
optional = st.none() | texts
_numbers = itertools.count()


@st.composite
def records(draw):
    names = draw(st.lists(texts, min_size=2, max_size=3, unique_by=lambda n: n.casefold()))
    names = [f"{name} {next(_numbers)}" for name in names]  # no two records are duplicates
    return {
        "title": draw(optional),
        "type": draw(st.sampled_from(["sister-city", "friendship", "cooperation"])),
        "parties": [
            {"name": name, "country": draw(st.none() | st.sampled_from(["DK", "CN"])),
             "country_as_given": None, "parent": draw(optional)}
            for name in names
        ],
        "place": draw(optional),
        "signed_on": draw(st.none() | st.sampled_from(["1967", "1988-03", "2012-10-02"])),
        "notes": draw(st.none() | st.sampled_from(PARAGRAPHS) | texts),
        "tags": draw(st.lists(texts, max_size=2, unique_by=str.casefold)),
        "contacts": [{"name": draw(texts), "phone": draw(optional), "party": names[0]}],
        "sources": [{"url": "https://example.org/a", "title": draw(optional)}],
    }  # fmt: skip


DIALECTS = [[], ["--delimiter", ";"], ["--delimiter", "tab", "--no-bom"]]


@given(st.lists(records(), min_size=1, max_size=4), st.sampled_from(DIALECTS))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_export_import_export_is_byte_identical(tmp_path, data, flags):
    folder = tmp_path / f"case{next(_numbers)}"
    folder.mkdir()
    source = folder / "records.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    first = Cli(folder / "first.json")
    first.ok("import", str(source))
    exported = folder / "export.csv"
    first.ok("export", "-o", str(exported), *flags)
    second = Cli(folder / "second.json")
    second.ok("import", str(exported))
    again = folder / "again.csv"
    second.ok("export", "-o", str(again), *flags)
    assert again.read_bytes() == exported.read_bytes()
    assert (
        second.ok("export", "--format", "jsonl").stdout
        == first.ok("export", "--format", "jsonl").stdout
    )
