"""Importing: idempotent, whitespace-insensitive duplicates, clear per-file rejections, CLI contract."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles import services
from articles.models import Article, ImportBatch
from articles.services import collect_files, import_files, import_sources
from tests.conftest import SEEDS_DIR

STORY = "Headline of a story\n\nThe council approved the budget on Tuesday. The vote was 7 to 2.\n"


def run_import(*files):
    return import_files(files=list(files), user=None)


def test_reimporting_the_seeds_imports_nothing_new(seeded):
    report = import_sources(sources=collect_files([SEEDS_DIR]), user=None)
    assert (len(report.imported), len(report.duplicates)) == (0, 5)
    assert {item["article_id"] for item in report.duplicates} == {a.pk for a in seeded.values()}
    assert Article.objects.count() == 5


def test_the_same_text_with_other_whitespace_or_line_endings_is_a_duplicate(db):
    first = run_import(("a.txt", STORY.encode()))
    rewrapped = STORY.replace("\n", "\r\n").replace(". ", ".  \t")
    second = run_import(("b.txt", rewrapped.encode()))
    assert second.duplicates == [
        {"file": "b.txt", "record": 1, "article_id": first.imported[0]["article_id"], "title": "Headline of a story"}
    ]
    assert Article.objects.count() == 1


def test_the_importer_is_recorded(db, admin_user):
    import_files(files=[("a.txt", STORY.encode())], user=admin_user)
    article = Article.objects.get()
    assert (article.imported_by, article.origin_file, article.origin_record) == (admin_user, "a.txt", 1)


@pytest.mark.parametrize(
    "name, data, error",
    [
        ("empty.txt", b"  \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("truncated.json", b'{"title": "T", "text": "Body', "invalid JSON"),
        ("notext.json", b'{"title": "T", "url": "https://example.org/"}', "record has no text"),
        ("string.json", b'"just a string"', "expected a JSON object"),
        ("bad-url.json", b'{"title": "T", "text": "Body.", "url": "javascript:alert(1)"}', "not an http or https"),
        ("furniture.txt", b"BidVertiser ClickADu\n\nComments\n", "no article text"),
    ],
)
def test_bad_files_are_rejected_with_a_specific_reason_and_nothing_is_stored(db, name, data, error):
    report = run_import((name, data), ("good.txt", STORY.encode()))
    assert len(report.rejected) == 1
    assert report.rejected[0]["file"] == name and error in report.rejected[0]["error"]
    assert [item["file"] for item in report.imported] == ["good.txt"]
    assert Article.objects.count() == 1


def test_an_unreadable_date_imports_without_a_date_and_warns(db):
    data = json.dumps({"title": "T", "text": "A body.", "time": "sometime last spring"}).encode()
    report = run_import(("d.json", data))
    assert Article.objects.get().published_at is None
    assert "unreadable date" in report.warnings[0]["warning"]


def test_a_byte_order_mark_does_not_reach_the_title(db):
    run_import(("bom.txt", b"\xef\xbb\xbf" + STORY.encode()))
    assert Article.objects.get().title == "Headline of a story"


def test_the_command_imports_folders_and_says_when_nothing_is_new(db, capsys, tmp_path):
    call_command("import_articles", str(SEEDS_DIR))
    assert "5 imported" in capsys.readouterr().out
    report_file = tmp_path / "report.json"
    call_command("import_articles", str(SEEDS_DIR), "--report", str(report_file))
    assert "0 imported, 5 duplicates skipped, 0 rejected (nothing new)" in capsys.readouterr().out
    report = json.loads(report_file.read_text())
    assert len(report["duplicates"]) == 5 and report["imported"] == [] and report["rejected"] == []


def test_the_command_exits_1_when_a_record_is_rejected_and_imports_the_rest(db, tmp_path, capsys):
    (tmp_path / "good.txt").write_text(STORY)
    (tmp_path / "bad.json").write_text('{"title": ')
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", str(tmp_path))
    assert raised.value.returncode == 1
    assert "bad.json: line 1: invalid JSON" in capsys.readouterr().err
    assert Article.objects.count() == 1


def test_origins_are_named_relative_to_what_was_imported(tmp_path):
    (tmp_path / "batch" / "sub").mkdir(parents=True)
    (tmp_path / "batch" / "sub" / "a.txt").write_text(STORY)
    (tmp_path / "batch" / ".hidden").write_text(STORY)
    (tmp_path / "single.txt").write_text(STORY)
    files = collect_files([tmp_path / "batch", tmp_path / "single.txt"])
    assert [source.name for source in files] == ["batch/sub/a.txt", "single.txt"]


def test_the_command_exits_2_for_a_missing_path(db):
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", "/no/such/folder")
    assert raised.value.returncode == 2


def test_an_import_is_recorded_as_a_batch_with_its_report(db, admin_user):
    report = import_files(files=[("a.txt", STORY.encode()), ("bad.json", b"{")], user=admin_user)
    batch = report.batch
    batch.refresh_from_db()
    assert (batch.imported_by, batch.channel, batch.files) == (admin_user, "command", ["a.txt", "bad.json"])
    assert (batch.imported, batch.duplicates, batch.rejected) == (1, 0, 1)
    assert batch.finished_at and [row["outcome"] for row in batch.report_parts.get().rows] == ["new", "rejected"]
    assert report.rejected == [{"file": "bad.json", "record": None, "line": 1, "error": report.rejected[0]["error"]}]
    article = Article.objects.get()
    assert article.import_batch == batch
    created = article.history.get()
    assert (created.history_type, created.history_user, created.history_channel) == ("+", admin_user, "import")


def test_a_command_line_import_is_done_when_it_ends_and_failed_when_it_stops(db, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(STORY)
    call_command("import_articles", str(tmp_path / "a.txt"))
    assert ImportBatch.objects.get().status == "done"

    def full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "_write", full)
    (tmp_path / "b.txt").write_text(STORY.replace("budget", "plan"))
    with pytest.raises(OSError):
        call_command("import_articles", str(tmp_path / "b.txt"))
    stopped = ImportBatch.objects.latest("pk")
    assert (stopped.status, stopped.failure) == ("failed", "The import stopped after 0 records: disk full")
    assert stopped.finished_at and not stopped.runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        call_command("import_articles", str(tmp_path / "b.txt"))
    stopped = ImportBatch.objects.latest("pk")
    assert (stopped.status, stopped.failure) == ("failed", "The import stopped after 0 records: KeyboardInterrupt")


def test_an_imported_articles_first_history_record_is_the_article_as_imported(db, admin_user):
    record = {
        "title": "Budget vote",
        "url": "https://example.com/a",
        "publisher": "Gazette",
        "published": "2024-05-01T10:00:00Z",
        "text": "The council approved the budget.",
    }
    import_files(files=[("a.jsonl", json.dumps(record).encode())], user=admin_user)
    article = Article.objects.get()
    created = article.history.get()
    tracked = [field.attname for field in Article.history.model.tracked_fields]
    assert {name: getattr(created, name) for name in tracked} == {name: getattr(article, name) for name in tracked}
    assert created.published_at.isoformat() == "2024-05-01T10:00:00+00:00" and created.version == 1
    assert created.history_change_reason is None  # as for every other created record
    assert abs(created.history_date - article.imported_at).total_seconds() < 60


def test_a_dry_run_says_what_would_happen_and_writes_nothing(db, tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "T", "text": "A body."}) + "\n{bad\n")
    report_file = tmp_path / "report.json"
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", str(tmp_path / "a.jsonl"), "--dry-run", "--report", str(report_file))
    assert raised.value.returncode == 1
    assert "1 would be imported, 0 duplicates skipped, 1 rejected" in capsys.readouterr().out
    assert not Article.objects.exists() and not ImportBatch.objects.exists()
    report = json.loads(report_file.read_text())
    assert report["rejected"][0] | {"error": ""} == {"file": "a.jsonl", "record": 2, "line": 2, "error": ""}


def test_the_report_of_a_many_chunk_import_lists_every_record_in_order(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(services, "CHUNK", 2)
    lines = [
        json.dumps({"title": f"T{n}", "text": f"Body number {n}.", "time": "soon" if n == 4 else ""}) for n in range(6)
    ]
    lines[1], lines[5] = "{oops", lines[0]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "feed.jsonl"), "--report", str(tmp_path / "report.json"))
    report = json.loads((tmp_path / "report.json").read_text())
    batch = ImportBatch.objects.get()
    assert batch.report_parts.count() == 3
    stored = list(Article.objects.order_by("origin_record").values_list("origin_record", "pk", "title"))
    assert [(item["record"], item["article_id"], item["title"]) for item in report["imported"]] == stored
    assert [item["record"] for item in report["imported"]] == [1, 3, 4, 5]
    assert report["duplicates"] == [{"file": "feed.jsonl", "record": 6, "article_id": stored[0][1], "title": "T0"}]
    assert [(item["record"], item["line"]) for item in report["rejected"]] == [(2, 2)]
    assert [(item["record"], item["warning"][:16]) for item in report["warnings"]] == [(5, "unreadable date ")]
    err = capsys.readouterr().err
    assert err.index("rejected  feed.jsonl #2") < err.index("warning   feed.jsonl #5")  # in the order of the file


def test_a_bad_line_in_the_middle_of_jsonl_is_reported_with_its_line_and_the_rest_imported(db, tmp_path):
    lines = [json.dumps({"title": f"T{n}", "text": f"Body number {n}."}) for n in range(5)]
    lines[2] = '{"title": "broken", "text": '
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    report_file = tmp_path / "r.json"
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "feed.jsonl"), "--report", str(report_file))
    report = json.loads(report_file.read_text())
    assert [item["record"] for item in report["imported"]] == [1, 2, 4, 5]
    assert (report["rejected"][0]["record"], report["rejected"][0]["line"]) == (3, 3)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["T0", "T1", "T3", "T4"]


def test_an_import_writes_in_batches_with_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    lines = "\n".join(json.dumps({"title": f"T{n}", "text": f"Body {n}. Second sentence."}) for n in range(300))
    with django_assert_max_num_queries(40):
        report = import_files(files=[("many.jsonl", lines.encode())], user=None)
    assert len(report.imported) == 300 and Article.objects.count() == 300
