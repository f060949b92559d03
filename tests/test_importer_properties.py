"""Property tests of the importers (no database): whatever arrives, each record becomes an article draft
or a rejection that says why, never an unhandled exception; the streaming JSON array reader finds the
elements json.loads finds, however the file arrives in chunks."""

import csv
import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.importers import PARSERS, ArticleDraft, Limits, Rejected, Source, json_array, records
from articles.importers.encodings import bom_of
from articles.importers.streams import HEAD_BYTES, Opened

LIMITS = Limits()
# The registry's last resort for a parser that raised: a rejection, but one that tells nobody why.
UNEXPECTED = "unexpected error"
# Trafilatura reads every HTML page, and zipfile every archive: slower examples are fine.
SLOW = settings(suppress_health_check=[HealthCheck.too_slow])

ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1"])
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WORDS
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(WORDS, inner, max_size=4)
)
FIELD_NAMES = st.sampled_from(["title", "headline", "url", "link", "text", "body", "content", "date", "publisher"])
URLS = st.sampled_from(["", "https://example.org/a", "http://x.test/?q=1", "javascript:alert(1)", "ftp://x", "//x"])
# Records that look like articles: known fields with text, numbers, nesting or nothing, and unknown fields.
ARTICLE_OBJECTS = st.dictionaries(FIELD_NAMES, WORDS | URLS | JSON_VALUES, max_size=6) | st.dictionaries(
    WORDS, JSON_VALUES, max_size=4
)
JSON_TEXT = st.text(st.sampled_from('[]{}",:0123456789.eE+- \n\t\\/utrefalsn"abcü€'), max_size=200)


def check(results: list) -> None:
    """What a person importing can rely on, whatever the input was."""
    for result in results:
        if isinstance(result, Rejected):
            assert result.error.strip() and UNEXPECTED not in result.error, result
            continue
        assert isinstance(result, ArticleDraft)
        assert result.body.strip()
        fields = (result.title, result.body, result.publisher, result.url)
        assert not any("\x00" in field for field in fields), "PostgreSQL refuses NUL in text"
        assert len(result.title) <= 500 and len(result.url) <= 2000 and len(result.publisher) <= 200
        assert result.url == "" or result.url.lower().startswith(("http://", "https://"))


def imported(name: str, data: bytes) -> list:
    """The outcomes of importing one file, as the command and the admin import it."""
    return list(records([Source.from_bytes(name, data)], limits=LIMITS))


def parsed_as(kind: str, data: bytes) -> list:
    """`data` given to one importer directly, whatever its content looks like."""
    try:
        return list(PARSERS[kind](Opened.from_bytes("file", data), LIMITS))
    except UnicodeDecodeError:
        # UTF-16 and UTF-32 text is decoded as it streams; the registry rejects a bad byte found on the way.
        found = bom_of(data)
        assert found and found[1].startswith(("utf-16", "utf-32"))
        return [Rejected("file", None, None, "not valid UTF-16 text")]


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


# --- Arbitrary bytes and text, to every importer ------------------------------------------------


@SLOW
@given(kind=st.sampled_from(sorted(PARSERS)), data=st.binary(max_size=3000))
# Each once an unexpected error: a number of more than 4,300 digits, which Python refuses to read
# (ValueError), and nesting deeper than its recursion limit (RecursionError).
@example(kind="json object", data=b'{"text": ' + b"1" * 5000 + b"}")
@example(kind="json array", data=b"[" * 5000)
def test_any_bytes_given_to_any_importer_give_drafts_or_rejections(kind, data):
    check(parsed_as(kind, data))


@SLOW
@given(name=st.sampled_from(["a.txt", "a.json", "a.jsonl", "a.csv", "a.html", "a", "a.zip"]), data=st.binary())
def test_any_bytes_imported_under_any_name_give_drafts_or_rejections(name, data):
    check(imported(name, data))


@given(value=JSON_VALUES | ARTICLE_OBJECTS, encoding=ENCODINGS, indent=st.none() | st.integers(0, 3))
def test_any_json_document_gives_a_draft_or_a_rejection(value, encoding, indent):
    check(imported("article.json", encoded(json.dumps(value, indent=indent, ensure_ascii=False), encoding)))


@given(text=JSON_TEXT, encoding=ENCODINGS)
@example(text='{"text": "x", "title": 1' + "0" * 5000 + "}", encoding="utf-8")
@example(text='{"text": ' + "[" * 3000, encoding="utf-8")
def test_broken_json_gives_a_rejection_with_its_line(text, encoding):
    for kind in ("json object", "json array", "jsonl"):
        check(parsed_as(kind, encoded(text, encoding)))


@given(
    lines=st.lists(st.builds(json.dumps, ARTICLE_OBJECTS | JSON_VALUES) | JSON_TEXT, max_size=8),
    encoding=ENCODINGS,
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_json_lines_give_drafts_or_rejections(lines, encoding, ending):
    check(parsed_as("jsonl", encoded(ending.join(lines), encoding)))


@given(
    header=st.lists(FIELD_NAMES | WORDS, min_size=1, max_size=5),
    rows=st.lists(st.lists(WORDS | URLS, max_size=6), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=ENCODINGS,
)
def test_any_csv_table_gives_drafts_or_rejections(header, rows, delimiter, encoding):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    check(parsed_as("csv", encoded(out.getvalue(), encoding)))


@given(text=st.text(st.sampled_from('a,;"\t\n\r b'), max_size=200) | WORDS)
def test_broken_csv_gives_drafts_or_rejections(text):
    check(parsed_as("csv", ("text,title\n" + text).encode()))


TAGS = st.sampled_from(
    ["<html>", "<head>", "<title>", "</title>", "<body>", "<p>", "</p>", "<article>", "<script>", "</script>",
     "<style>", "<nav>", '<a href="javascript:x()">', '<meta property="og:title" content="', '">', "<!--", "-->",
     "<![CDATA[", "&amp;", "&#0;", "&#xD800;", "<br/>", "<h1>", "</h1>", '<time datetime="2020-13-45">', "<"]
)  # fmt: skip


@SLOW
@given(parts=st.lists(TAGS | WORDS, max_size=30), encoding=ENCODINGS)
# Found by this test: a title that is itself "<html>", or holds "</body><body>", failed lxml's assertion
# that a fragment of HTML makes one body, an unhandled exception.
@example(parts=['<meta property="og:title" content="', "<html>", '">', "<p>The council met.</p>"], encoding="utf-8")
@example(parts=["<title>", "a</body><body>b", "</title>", "<p>The council met.</p>"], encoding="utf-8")
# And a control character before a script, which lxml refused to join to the text after it once dropped.
@example(parts=["\x1f", "<script>", "</script>", "0"], encoding="utf-8")
def test_any_html_page_gives_a_draft_or_a_rejection(parts, encoding):
    check(parsed_as("html", encoded("<!doctype html>" + "".join(parts), encoding)))


@given(text=st.text(), encoding=ENCODINGS)
def test_any_plain_text_gives_a_draft_or_a_rejection(text, encoding):
    check(parsed_as("text", encoded(text, encoding)))


MEMBER_NAMES = st.sampled_from(["a.txt", "b.json", "c.jsonl", "d.csv", "e.html", "../../x.txt", "inner.zip", ".hidden"])
# zipfile cuts a name at its first NUL when writing; a damaged archive may still hold any name.
ODD_NAMES = WORDS.filter(lambda name: name and "\x00" not in name)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # zipfile's, writing two members of one name: allowed
@SLOW
@given(
    members=st.lists(st.tuples(MEMBER_NAMES | ODD_NAMES, st.binary(max_size=500) | st.text().map(str.encode))),
    compression=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
    damage=st.none() | st.tuples(st.integers(min_value=0), st.integers(0, 255)),
    cut=st.none() | st.integers(min_value=0),
)
# Found by this test, each once an unhandled exception that ended the whole import: an archive that asks for
# zip version 6.4 (NotImplementedError), a member whose own header's name is not the UTF-8 it says it is
# (UnicodeDecodeError), a member whose name in the directory begins with NUL, so is empty (IndexError).
@example(members=[("a.txt", b"")], compression=zipfile.ZIP_STORED, damage=(41, 64), cut=None)
@example(members=[("é.txt", b"")], compression=zipfile.ZIP_STORED, damage=(30, 0x80), cut=None)
@example(members=[("a.txt", b"")], compression=zipfile.ZIP_STORED, damage=(81, 0), cut=None)
def test_any_zip_archive_whole_damaged_or_cut_gives_drafts_or_rejections(members, compression, damage, cut):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    data = bytearray(out.getvalue())
    if damage:
        data[damage[0] % len(data)] = damage[1]
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    check(imported("archive.zip", bytes(data)))


# --- The JSON array, streamed -------------------------------------------------------------------


class Chunked(io.RawIOBase):
    """A file that arrives in the pieces given, whatever size is asked for: a network, a zip member."""

    def __init__(self, data: bytes, cuts: list[int]):
        points = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
        self._pieces = [data[a:b] for a, b in zip(points, points[1:], strict=False)]

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0 or not self._pieces:
            return b""
        return self._pieces.pop(0)


def streamed(data: bytes, cuts: list[int]) -> list[tuple]:
    """The JSON array reader's outcomes when the file arrives in the pieces `cuts` make."""
    head = data[:HEAD_BYTES]
    file = Opened("feed.json", Chunked(data, cuts), head, complete=len(data) < HEAD_BYTES)
    return [
        ("draft", result.raw, result.origin_record) if isinstance(result, ArticleDraft) else ("rejected", result)
        for result in json_array.parse(file, LIMITS)
    ]


EXTRA = st.dictionaries(st.text(max_size=10).map("x-{}".format), JSON_VALUES, max_size=3)
ARTICLES = st.builds(
    lambda title, text, extra: {"title": title, "text": text, **extra},
    title=st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Z"]), max_size=40).map(
        "Report {}".format
    ),
    text=st.text(st.characters(codec="utf-8", categories=["L", "N"]), max_size=200).map(
        "The council approved the budget {} on Tuesday.".format
    ),
    extra=EXTRA,
)


@given(
    elements=st.lists(ARTICLES, min_size=1, max_size=6),
    separators=st.sampled_from([(",", ":"), (", ", ": "), (" ,\n", " :\t")]),
    indent=st.none() | st.integers(0, 2),
    ascii_only=st.booleans(),
    cuts=st.lists(st.integers(min_value=0), max_size=40),
)
@example(elements=[{"title": "T", "text": "a", "x-": 'quote " and backslash \\'}], separators=(",", ":"),
         indent=None, ascii_only=True, cuts=list(range(60)))  # fmt: skip
def test_the_streamed_json_array_reader_finds_every_element_json_loads_finds_in_any_chunks(
    elements, separators, indent, ascii_only, cuts
):
    data = json.dumps(elements, separators=separators, indent=indent, ensure_ascii=ascii_only).encode()
    outcomes = streamed(data, cuts)
    assert [kind for kind, *_ in outcomes] == ["draft"] * len(elements), outcomes
    assert [json.loads(raw) for _, raw, _ in outcomes] == json.loads(data)
    assert [number for *_, number in outcomes] == list(range(1, len(elements) + 1))


@given(text=JSON_TEXT, cuts=st.lists(st.integers(min_value=0), max_size=40))
@example(text='[{"text": "a\\\\"}, 2]', cuts=[13, 14])
def test_the_streamed_json_array_reader_gives_the_same_outcomes_however_the_file_is_cut(text, cuts):
    data = ("[" + text).encode()
    whole = streamed(data, [])
    assert streamed(data, cuts) == whole
    try:
        expected = json.loads(data, strict=False)
    except (ValueError, RecursionError):
        assert any(kind == "rejected" for kind, *_ in whole), "an array json.loads refuses is not read as valid"
    else:
        for kind, *found in whole:
            if kind == "draft":
                raw, number = found
                assert json.loads(raw, strict=False) == expected[number - 1]
