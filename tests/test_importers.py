"""The importers, at the parser level (no database): each kind of bad input is rejected exactly,
and the good records around it still come through."""

import hashlib
import io
import json
import struct
import tracemalloc
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.importers import ArticleDraft, Limits, Rejected, Source, detect, records
from articles.importers.base import MiB, RecordError
from tests.conftest import SEED_FILES

DATA = Path(__file__).resolve().parent / "data" / "importers"
STORY = "Headline of a story\n\nThe council approved the budget on Tuesday. The vote was 7 to 2.\n"
GOOD = ("good.txt", STORY.encode())
LIMITS = Limits()


def run(*files: tuple[str, bytes], limits: Limits = LIMITS) -> list[ArticleDraft | Rejected]:
    return list(records([Source.from_bytes(name, data) for name, data in files], limits=limits))


def drafts(results) -> list[ArticleDraft]:
    return [result for result in results if isinstance(result, ArticleDraft)]


def rejections(results) -> list[Rejected]:
    return [result for result in results if isinstance(result, Rejected)]


def article(title: str, text: str = "The council approved the budget on Tuesday.", **fields) -> dict:
    return {"title": title, "text": text, **fields}


def jsonl(*lines: dict | str) -> bytes:
    return b"".join((line if isinstance(line, str) else json.dumps(line)).encode() + b"\n" for line in lines)


def all_fields(draft: ArticleDraft) -> str:
    return "\n".join([draft.title, draft.body, draft.publisher, draft.url, *draft.warnings])


# --- The seeds ----------------------------------------------------------------------------------

# Captured from the importers as they were before this rewrite (title, publisher, date, SHA-256 of the body).
SEEDS = {
    "000": (
        "Facebook Groups Raise Over $100,000 to Help Gay Men in Chechnya",
        "NBC News",
        "2017-04-28T17:06:00-04:00",
        "54a4a9c8703ccc25efe600d3f8c719321de499b7fc063f52e0e922e24bdd726d",
    ),
    "001": (
        "In an age where gay men are being allegedly persecuted from the southern Russian republic of Chechnya, "
        "one group is…",
        "",
        None,
        "f738a2ad6f24acff165eb34012d824bf1c0eff7e716ba45b98330669207ce4e2",
    ),
    "002": (
        "Worldwide LGBT Community Raising Funds to Get Gays to Safety",
        "",
        None,
        "3c5a9ea7a9a9266d9b5eb017f93fc3b9b0e7848ccaf9abcbf7fe697396a60496",
    ),
    "003": (
        "These Russians helped 40 gay and bi men escape Chechnya",
        "",
        None,
        "31be1d9834536f5305e3ca6b3b9663df2d94aa72af9570a38254d57c3e36206f",
    ),
    "004": (
        "A ‘Rainbow Railroad’ Is Helping Gay Men Flee Violence In Chechnya",
        "QN Magazine",
        None,
        "ea7a9d7820eaf16f63bfc9eb367032832f6a1157b39f9fec7c197c8c6a69ac12",
    ),
}


def test_the_seeds_parse_to_exactly_the_drafts_they_did_before():
    results = list(records([Source.from_path(path, f"seeds/{path.name}") for path in SEED_FILES], limits=LIMITS))
    assert all(isinstance(result, ArticleDraft) for result in results)
    found = {
        Path(draft.origin_file).name[:3]: (
            draft.title,
            draft.publisher,
            draft.published_at.isoformat() if draft.published_at else None,
            hashlib.sha256(draft.body.encode()).hexdigest(),
        )
        for draft in results
    }
    assert found == SEEDS
    assert [draft.raw for draft in results] == [path.read_bytes() for path in SEED_FILES]
    assert {(draft.origin_record, draft.raw_encoding, tuple(draft.warnings)) for draft in results} == {(1, "utf-8", ())}
    assert results[1].title_inferred and not results[0].title_inferred


# --- Whole files that are not articles ----------------------------------------------------------


def test_an_empty_file_is_rejected_and_the_next_file_still_imports():
    results = run(("empty.txt", b""), ("blank.txt", b"  \r\n\n\t"), ("bom.json", b"\xef\xbb\xbf\n"), GOOD)
    assert rejections(results) == [
        Rejected("empty.txt", None, None, "empty file"),
        Rejected("blank.txt", None, None, "empty file"),
        Rejected("bom.json", None, None, "empty file"),
    ]
    assert [draft.origin_file for draft in drafts(results)] == ["good.txt"]


def test_a_binary_file_is_rejected_saying_what_it_is():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    unknown = bytes(range(256)) * 4
    results = run(GOOD, ("photo.txt", png), ("report.json", b"%PDF-1.7\n%\xe2\xe3"), ("blob.bin", unknown), GOOD)
    assert rejections(results) == [
        Rejected("photo.txt", None, None, "binary file (a PNG image), not text"),
        Rejected("report.json", None, None, "binary file (a PDF document), not text"),
        Rejected("blob.bin", None, None, "binary file, not text"),
    ]
    assert len(drafts(results)) == 2


def test_a_word_document_is_refused_rather_than_opened_as_an_archive():
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert run(("letter.docx", document.getvalue())) == [
        Rejected("letter.docx", None, None, "a Word document, not an article file: save it as text, HTML or CSV")
    ]


def test_a_file_over_the_size_limit_is_rejected_from_its_size_without_being_opened():
    def never(*args):
        raise AssertionError("a file over the limit was opened")

    huge = Source(name="huge.jsonl", size=LIMITS.max_file_bytes + 1, open=never)
    results = list(records([huge, Source.from_bytes(*GOOD)], limits=LIMITS))
    assert results[0] == Rejected("huge.jsonl", None, None, "file is 50 MiB; the limit is 50 MiB per file")
    assert isinstance(results[1], ArticleDraft)


def test_a_file_bigger_than_it_said_is_stopped_by_counting_what_is_read():
    limits = replace(LIMITS, max_file_bytes=100 * 1024)
    endless = jsonl(*[article(f"Story {n}") for n in range(5000)])  # about 400 KiB
    liar = Source(name="liar.jsonl", size=10, open=lambda: io.BytesIO(endless))
    results = list(records([liar], limits=limits))
    assert results[-1] == Rejected("liar.jsonl", None, None, "file is larger than 100 KiB, the limit per file")
    assert 0 < len(drafts(results)) < 5000


# --- JSON -------------------------------------------------------------------------------------------


def test_truncated_json_is_rejected_with_its_line_and_column():
    results = run(("truncated.json", b'{"title": "T",\n "text": "Body'), GOOD)
    assert results[0] == Rejected(
        "truncated.json", None, 2, "line 2: invalid JSON: Unterminated string starting at column 10"
    )
    assert isinstance(results[1], ArticleDraft)


def test_a_json_record_without_text_is_rejected():
    results = run(("notext.json", b'{"title": "T", "url": "https://example.org/"}'), GOOD)
    assert results[0] == Rejected(
        "notext.json", 1, None, "record has no text (expected one of: text, body, content, article)"
    )
    assert isinstance(results[1], ArticleDraft)


def test_a_json_object_reads_fields_by_their_common_names_whatever_their_case():
    data = json.dumps(
        {
            "Headline": "Budget passes",
            "Body": "The council approved it.",
            "Link": "https://example.org/a",
            "Source": "Example Times",
            "datePublished": "2024-03-05T09:30:00Z",
            "Author": "Jo",
        }
    ).encode()
    [draft] = run(("a.json", data))
    assert (draft.title, draft.body, draft.url, draft.publisher, draft.published_at) == (
        "Budget passes",
        "The council approved it.",
        "https://example.org/a",
        "Example Times",
        datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
    )
    assert draft.raw == data


def test_a_bad_line_in_the_middle_of_jsonl_is_rejected_with_its_line_and_the_others_import():
    data = jsonl(
        article("First story"),
        "",
        '{"title": "Broken", "text": "x" "y"}',
        {"title": "No text here"},
        '["not", "an", "object"]',
        article("Last story"),
    )
    results = run(("batch.jsonl", data))
    assert rejections(results) == [
        Rejected("batch.jsonl", 2, 3, "line 3: invalid JSON: Expecting ',' delimiter at column 33"),
        Rejected("batch.jsonl", 3, 4, "line 4: record has no text (expected one of: text, body, content, article)"),
        Rejected("batch.jsonl", 4, 5, "line 5: expected a JSON object with the article's fields, not a list"),
    ]
    first, last = drafts(results)
    assert (first.title, first.origin_record, last.title, last.origin_record) == ("First story", 1, "Last story", 5)
    assert last.raw == json.dumps(article("Last story")).encode()  # the line, as received


def test_jsonl_is_recognised_by_its_content_and_reads_crlf_lines():
    data = jsonl(article("One"), article("Two")).replace(b"\n", b"\r\n")
    assert detect("export.txt", data, complete=True) == "jsonl"
    results = run(("export.txt", data))
    assert [(draft.title, draft.raw) for draft in results] == [
        ("One", json.dumps(article("One")).encode()),
        ("Two", json.dumps(article("Two")).encode()),
    ]


def test_a_jsonl_line_over_the_article_limit_is_skipped_without_being_kept():
    limits = replace(LIMITS, max_article_bytes=1000)
    data = jsonl(article("Before"), article("Huge", "word " * 10_000), article("After"))
    results = run(("big.jsonl", data), limits=limits)
    assert rejections(results) == [
        Rejected("big.jsonl", 2, 2, "line 2: the article is 48.9 KiB; the limit is 1000 bytes per article")
    ]
    assert [draft.title for draft in drafts(results)] == ["Before", "After"]


def test_a_json_array_with_one_bad_element_rejects_only_that_element():
    elements = [article("First"), ["not", "an", "object"], {"title": "No text"}, article("Last")]
    data = ("[\n" + ",\n".join(json.dumps(element) for element in elements) + "\n]\n").encode()
    results = run(("list.json", data))
    assert rejections(results) == [
        Rejected("list.json", 2, 3, "line 3: expected a JSON object with the article's fields, not a list"),
        Rejected("list.json", 3, 4, "line 4: record has no text (expected one of: text, body, content, article)"),
    ]
    first, last = drafts(results)
    assert (first.origin_record, last.origin_record) == (1, 4)
    assert last.raw == json.dumps(article("Last")).encode()  # the element's JSON text, as received


def test_a_syntax_error_in_a_json_array_ends_the_file_saying_where():
    data = b'[\n  {"title": "Kept", "text": "Read before the error."},\n  {"title": "Broken" "text": "x"},\n  {}\n]'
    results = run(("list.json", data), GOOD)
    assert results[0].title == "Kept"
    assert results[1] == Rejected(
        "list.json",
        None,
        3,
        "line 3: invalid JSON: Expecting ',' delimiter at column 22; records from here on were not read",
    )
    assert results[2].origin_file == "good.txt"


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
def test_a_json_array_reads_the_same_however_its_bytes_arrive(monkeypatch, chunk):
    elements = [article('A "quoted" \\ title', 'Body with \\ and " and ] and }.'), article("Last [one]")]
    data = json.dumps(elements, indent=1).encode()
    monkeypatch.setattr("articles.importers.json_array.CHUNK_BYTES", chunk)
    results = run(("list.json", data))
    assert [json.loads(draft.raw) for draft in results] == elements
    assert [draft.title for draft in results] == ['A "quoted" \\ title', "Last [one]"]


def test_a_json_array_is_read_one_element_at_a_time():
    many = ("[" + ",".join(json.dumps(article(f"Story {n}", "word " * 200)) for n in range(2000)) + "]").encode()
    tracemalloc.start()
    try:
        count = sum(1 for _ in records([Source.from_bytes("many.json", many)], limits=LIMITS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 2000
    assert peak < len(many) / 2  # never the whole file (about 2 MiB) at once


# --- CSV --------------------------------------------------------------------------------------------


def test_a_csv_reports_unknown_columns_once_and_rejects_a_row_without_text():
    data = (
        b"Headline,Link,Body,Author,Tags\r\n"
        b"Budget passes,https://example.org/a,The council approved the budget.,Jo,politics\r\n"
        b"No body here,https://example.org/b,,Al,\r\n"
        b'"Quoted, with comma",https://example.org/c,"The vote was close.\r\n\r\nIt passed.",Mo,x\r\n'
    )
    results = run(("sheet.csv", data))
    assert rejections(results) == [
        Rejected("sheet.csv", 2, 3, "line 3: the row has no text (its 'Body' cell is empty)")
    ]
    first, third = drafts(results)
    assert first.warnings == ["columns not imported: Author, Tags"]
    assert third.warnings == []
    assert (third.title, third.body, third.origin_record) == (
        "Quoted, with comma",
        "The vote was close.\n\nIt passed.",
        3,
    )
    header = b"Headline,Link,Body,Author,Tags\r\n"
    assert (
        third.raw
        == header + b'"Quoted, with comma",https://example.org/c,"The vote was close.\r\n\r\nIt passed.",Mo,x\r\n'
    )


def test_a_csv_without_a_text_column_is_rejected_as_a_whole():
    results = run(("people.csv", b"name,email\nJo,jo@example.org\n"), GOOD)
    assert results[0] == Rejected(
        "people.csv",
        None,
        1,
        "line 1: the header has no text column (expected one of: text, body, content, article); it has name, email",
    )
    assert isinstance(results[1], ArticleDraft)


def test_a_csv_row_with_more_cells_than_the_header_is_rejected_and_the_next_row_imports():
    data = b"title;text\nOne;First body.\nTwo;Second;extra\nThree;Third body.\n"
    assert detect("export", data, complete=True) == "csv"  # found by its header, semicolons and all
    results = run(("export", data))
    assert rejections(results) == [Rejected("export", 2, 3, "line 3: the row has 3 cells; the header has 2")]
    assert [draft.title for draft in drafts(results)] == ["One", "Three"]


def test_a_csv_row_over_the_article_limit_is_skipped_to_its_end():
    limits = replace(LIMITS, max_article_bytes=200)
    long_cell = '"' + "a long line\n" * 40 + '"'
    data = f"title,text\nBefore,Short body.\nHuge,{long_cell}\nAfter,Another body.\n".encode()
    results = run(("rows.csv", data), limits=limits)
    assert rejections(results) == [
        Rejected("rows.csv", 2, 3, "line 3: the article is 488 bytes; the limit is 200 bytes per article")
    ]
    assert [(draft.title, draft.origin_record) for draft in drafts(results)] == [("Before", 1), ("After", 3)]


# --- Encodings and hygiene ----------------------------------------------------------------------


def test_a_legacy_encoding_is_detected_and_recorded():
    text = "“Café” society\n\nThe café opened in 1920 and “everyone” came.\n"
    [draft] = run(("cafe.txt", text.encode("cp1252")))
    assert (draft.title, draft.body) == ("“Café” society", "The café opened in 1920 and “everyone” came.")
    assert (draft.raw_encoding, draft.raw) == ("cp1252", text.encode("cp1252"))


def test_a_legacy_encoding_first_seen_far_into_a_csv_is_still_read_right():
    rows = "".join(f"Story {n},Plain ASCII body number {n}.\n" for n in range(3000))  # beyond what is sniffed
    data = ("title,text\n" + rows + "“Café” society,The café opened.\n").encode("cp1252")
    results = run(("old.csv", data))
    assert not rejections(results)
    assert (results[-1].title, results[-1].raw_encoding) == ("“Café” society", "cp1252")


def test_utf16_with_a_byte_order_mark_is_read_and_raw_keeps_its_bytes():
    data = jsonl(article("Über uns"), article("Zweite")).decode().encode("utf-16")
    first, second = run(("de.jsonl", data))
    assert (first.title, second.title) == ("Über uns", "Zweite")
    assert (second.raw_encoding, second.raw) == ("utf-16-le", json.dumps(article("Zweite")).encode("utf-16-le"))


def test_nul_and_control_characters_reach_no_field():
    record = article("Bad\x00 title\x07", "Body with a NUL\x00 and a bell\x07.", publisher="Pub\x00lisher")
    data = json.dumps(record).encode()  # escaped as \u0000
    results = run(("escaped.json", data), ("raw.txt", b"Headline\x00 here\r\n\r\nA body\x00 with a raw NUL byte.\r\n"))
    escaped, raw = drafts(results)
    assert (escaped.title, escaped.body, escaped.publisher) == ("Bad title", "Body with a NUL and a bell.", "Publisher")
    assert (raw.title, raw.body) == ("Headline here", "A body with a raw NUL byte.")
    assert not any(char in all_fields(draft) for draft in (escaped, raw) for char in "\x00\x07\r")


def test_an_over_long_title_is_rejected_naming_the_limit():
    results = run(("long.json", json.dumps(article("T" * 501)).encode()), GOOD)
    assert results[0] == Rejected("long.json", 1, None, "title is 501 characters long; the limit is 500")
    assert isinstance(results[1], ArticleDraft)


def test_an_over_long_publisher_is_cut_with_a_warning():
    [draft] = run(("pub.json", json.dumps(article("T", publisher="P" * 250)).encode()))
    assert draft.publisher == "P" * 200
    assert draft.warnings == ["publisher cut to 200 characters (it had 250)"]


def test_a_very_long_file_name_keeps_its_end_within_the_limit():
    name = "batch.zip/" + "folder/" * 80 + "story.txt"
    [draft] = run((name, STORY.encode()))
    assert len(draft.origin_file) == 500 and draft.origin_file.endswith("folder/story.txt")
    assert draft.warnings == ["file name shortened to its last 500 characters"]


def test_an_over_long_or_non_http_url_is_rejected():
    too_long = "https://example.org/" + "a" * 1990
    results = run(
        ("long-url.json", json.dumps(article("T", url=too_long)).encode()),
        ("js-url.json", json.dumps(article("T", url="javascript:alert(1)")).encode()),
        GOOD,
    )
    assert rejections(results) == [
        Rejected("long-url.json", 1, None, "url is 2010 characters long; the limit is 2000"),
        Rejected("js-url.json", 1, None, "url 'javascript:alert(1)' is not an http or https address"),
    ]
    assert len(drafts(results)) == 1


def test_an_unparseable_date_imports_without_a_date_and_warns():
    [draft] = run(("d.json", json.dumps(article("T", time="sometime last spring")).encode()))
    assert draft.published_at is None
    assert draft.warnings == ["unreadable date 'sometime last spring'; imported without a date"]


# --- HTML ---------------------------------------------------------------------------------------


def test_hostile_html_yields_only_the_article_text_and_its_metadata():
    data = (DATA / "hostile.html").read_bytes()
    [draft] = run(("page.html", data))
    assert draft.title == "Council approves budget"
    assert draft.publisher == "The Daily Example"
    assert draft.published_at == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert draft.body == (
        "The city council approved the 2024 budget on Tuesday by a vote of seven to two, after a long debate "
        "about road repairs.\n\n"
        "The mayor said the budget protects essential services and keeps taxes flat for another year.\n\n"
        "Opponents argued that the spending on roads was too low and promised to raise the issue again in the "
        "autumn session."
    )
    assert draft.url == "" and draft.raw == data
    for marker in (
        "alert",
        "javascript",
        "script",
        "onclick",
        "onerror",
        "STYLEWORD",
        "color",
        "NAVWORD",
        "NOSCRIPTWORD",
        "IFRAMEWORD",
        "BUTTONWORD",
        "FOOTERWORD",
        "<",
        ">",
    ):
        assert marker.lower() not in all_fields(draft).lower(), marker


def test_markup_in_an_html_title_is_dropped_not_kept_as_text():
    page = (
        b"<html><head><title>Hi &lt;script&gt;alert(1)&lt;/script&gt; there</title></head><body><article>"
        b"<p>The first paragraph of the story is long enough to be the article's text.</p></article></body></html>"
    )
    assert detect("page", page, complete=True) == "html"
    [draft] = run(("page", page))
    assert (draft.title, draft.body) == (
        "Hi there",
        "The first paragraph of the story is long enough to be the article's text.",
    )


def test_an_html_page_in_a_legacy_encoding_is_read_by_its_declared_charset():
    page = (
        "<html><head><meta charset='windows-1252'><title>Café</title></head><body><p>“Quoted” text.</p></body></html>"
    )
    [draft] = run(("cafe.htm", page.encode("cp1252")))
    assert (draft.title, draft.body, draft.raw_encoding) == ("Café", "“Quoted” text.", "cp1252")


# --- Zip archives -------------------------------------------------------------------------------


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def handmade_zip(name: str, compressed: bytes, *, crc: int, size: int, flags: int = 0) -> bytes:
    """One deflated member, its header saying whatever size it is given."""
    encoded = name.encode()
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, 8, 0, 0x21, crc, len(compressed), size, len(encoded), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        flags,
        8,
        0,
        0x21,
        crc,
        len(compressed),
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    directory_at = len(local) + len(encoded) + len(compressed)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(encoded), directory_at, 0)
    return local + encoded + compressed + central + encoded + end


def deflated(byte: bytes, mebibytes: int) -> tuple[bytes, int]:
    """Raw deflate of `mebibytes` MiB of one byte, and its CRC, without compressing them all."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = byte * MiB
    # A full flush starts the compressor afresh, so every further MiB compresses to the same bytes.
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return block * mebibytes + compressor.flush(), crc


def test_a_zip_imports_its_members_in_order_and_skips_folders_and_hidden_files():
    archive = make_zip(
        {
            "2024/": b"",
            "2024/a.jsonl": jsonl(article("A1"), article("A2")),
            "2024/b.txt": STORY.encode(),
            "__MACOSX/2024/._b.txt": b"\x00\x05\x16\x07",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "2024/.hidden.txt": b"x",
        }
    )
    results = run(("batch.zip", archive))
    assert [(draft.origin_file, draft.origin_record, draft.title) for draft in results] == [
        ("batch.zip/2024/a.jsonl", 1, "A1"),
        ("batch.zip/2024/a.jsonl", 2, "A2"),
        ("batch.zip/2024/b.txt", 1, "Headline of a story"),
    ]


def test_a_zip_member_named_to_escape_imports_under_a_safe_name_and_writes_nothing(tmp_path, monkeypatch):
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    archive = make_zip(
        {"../../evil.txt": STORY.encode(), "/etc/passwd.txt": STORY.replace("Headline", "Other").encode()}
    )
    results = run(("archive.zip", archive))
    assert [(draft.origin_file, draft.warnings) for draft in results] == [
        ("archive.zip/evil.txt", ["archive member named '../../evil.txt'; shown as 'evil.txt'"]),
        ("archive.zip/etc/passwd.txt", ["archive member named '/etc/passwd.txt'; shown as 'etc/passwd.txt'"]),
    ]
    assert sorted(tmp_path.rglob("*")) == [tmp_path / "a", workdir]


class ReadCounted(io.BytesIO):
    """An archive that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_a_zip_bomb_is_rejected_from_its_declared_size_without_inflating_it_and_with_little_memory():
    compressed, crc = deflated(b"\x00", 1024)  # 1 GiB of zeros in about 1 MiB
    bomb = handmade_zip("zeros.txt", compressed, crc=crc, size=1024 * MiB)
    archive = ReadCounted(bomb)
    source = Source(name="bomb.zip", size=len(bomb), open=lambda: archive)
    tracemalloc.start()
    try:
        results = list(records([source, Source.from_bytes(*GOOD)], limits=LIMITS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert results[0] == Rejected("bomb.zip", None, None, "archive would decompress to 1 GiB; the limit is 500 MiB")
    assert results[1].origin_file == "good.txt"
    # Its first bytes (to sniff the format), its end record and its directory: never the deflated data.
    assert archive.bytes_read < 200 * 1024 < len(compressed)
    assert peak < 8 * MiB


def test_a_zip_member_that_lies_about_its_size_stops_at_what_it_declared():
    compressed, crc = deflated(b"a", 1024)  # 1 GiB of text, declared as 1 KiB
    liar = handmade_zip("lies.txt", compressed, crc=crc, size=1024)
    tracemalloc.start()
    try:
        results = run(("liar.zip", liar), GOOD)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert results[0] == Rejected(
        "liar.zip/lies.txt", None, None, "corrupt or unsupported archive member (Bad CRC-32 for file 'lies.txt')"
    )
    assert results[1].origin_file == "good.txt"
    assert peak < 8 * MiB


def test_an_archive_over_the_member_or_byte_limits_is_rejected_before_reading():
    archive = make_zip({f"{n}.txt": STORY.encode() for n in range(5)})
    assert run(("many.zip", archive), limits=replace(LIMITS, max_archive_members=4)) == [
        Rejected("many.zip", None, None, "archive has 5 members; the limit is 4")
    ]
    big_member = make_zip({"big.txt": STORY.encode() * 100, "small.txt": STORY.encode()})
    assert run(("big.zip", big_member), limits=replace(LIMITS, max_file_bytes=1000))[0] == Rejected(
        "big.zip/big.txt", None, None, "file is 8.4 KiB; the limit is 1000 bytes per file"
    )


def test_a_nested_archive_is_not_followed():
    inner = make_zip({"inner.txt": STORY.encode()})
    outer = make_zip({"inner.zip": inner, "disguised.txt": inner, "story.txt": STORY.encode()})
    results = run(("outer.zip", outer))
    nested = "an archive inside an archive is not opened; import it on its own"
    assert rejections(results) == [
        Rejected("outer.zip/inner.zip", None, None, nested),
        Rejected("outer.zip/disguised.txt", None, None, nested),
    ]
    assert [draft.origin_file for draft in drafts(results)] == ["outer.zip/story.txt"]


def test_an_encrypted_or_corrupt_archive_is_rejected_clearly():
    compressed = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressed.compress(STORY.encode()) + compressed.flush()
    encrypted = handmade_zip("secret.txt", data, crc=zlib.crc32(STORY.encode()), size=len(STORY), flags=0x1)
    truncated = make_zip({"a.txt": STORY.encode()})[:-30]
    damaged = bytearray(make_zip({"a.txt": (STORY + "More words of the story. " * 2000).encode()}))
    damaged[60:120] = bytes(byte ^ 0x55 for byte in damaged[60:120])  # inside the compressed data
    results = run(("secret.zip", encrypted), ("broken.zip", truncated), ("damaged.zip", bytes(damaged)), GOOD)
    assert rejections(results) == [
        Rejected("secret.zip/secret.txt", None, None, "encrypted (password-protected) archive member; not imported"),
        Rejected("broken.zip", None, None, "not a readable zip archive (File is not a zip file)"),
        Rejected(
            "damaged.zip/a.txt",
            None,
            None,
            "corrupt or unsupported archive member (Error -3 while decompressing data: invalid bit length repeat)",
        ),
    ]
    assert len(drafts(results)) == 1


# --- Limits and detection -----------------------------------------------------------------------


def test_limits_come_from_settings_with_defaults(settings):
    assert Limits.from_settings() == Limits(50 * MiB, 1 * MiB, 500 * MiB, 10_000)
    settings.WORKBENCH_IMPORT_MAX_ARTICLE_BYTES = 2 * MiB
    assert Limits.from_settings().max_article_bytes == 2 * MiB


@pytest.mark.parametrize(
    "name, head, kind",
    [
        ("a.json", b'{"title": "T"}', "json object"),
        ("a", b'\xef\xbb\xbf  [{"title": "T"}]', "json array"),
        ("a.txt", b'{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("a.jsonl", b'{"a": 1}', "jsonl"),
        ("a.csv", b"anything,at all\n", "csv"),
        ("a.txt", b"<!DOCTYPE html><html></html>", "html"),
        ("a.html", b"Just words", "html"),
        ("a.md", b"<Breaking> news: a headline in angle brackets\n\nBody.", "text"),
        ("a.txt", b"Title, Text and Content\n\nA headline with commas.", "text"),
    ],
)
def test_formats_are_detected_by_content_then_name(name, head, kind):
    assert detect(name, head, complete=True) == kind


def test_xml_that_is_not_html_is_refused():
    with pytest.raises(RecordError, match="an XML document, not an HTML page"):
        detect("feed.xml", b'<?xml version="1.0"?><rss></rss>', complete=True)
