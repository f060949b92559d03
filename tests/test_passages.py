"""Passages: sentence spans whose offsets slice the body back to their text, written with their articles."""

import json
import threading
import time

import pytest
from django.db import connections, transaction

from articles import passages
from articles.models import Article, Passage
from articles.passages import ensure_passages
from articles.services import import_files
from articles.text import split_passages
from claims.selectors import PASSAGE_RESULTS, passage_search
from tests.factories import ArticleFactory, ClaimFactory


def test_passage_offsets_slice_the_body_for_every_seed(seeded):
    for article in seeded.values():
        passages = list(article.passages.all())
        assert len(passages) > 5
        for passage in passages:
            assert article.body[passage.start : passage.end] == passage.text


def test_passages_cover_the_whole_body_in_order(seeded):
    for article in seeded.values():
        joined = " ".join(p.text for p in article.passages.all())
        assert " ".join(joined.split()) == " ".join(article.body.split())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The U.S. Army left. Then it rained.", ["The U.S. Army left.", "Then it rained."]),
        (
            "Dr. Smith met Mr. Jones in St. Louis. They talked.",
            ["Dr. Smith met Mr. Jones in St. Louis.", "They talked."],
        ),
        ('He said "no evidence." Then he left.', ['He said "no evidence."', "Then he left."]),
        ("“It is dangerous,” she said. “We know.”", ["“It is dangerous,” she said.", "“We know.”"]),
        ("Scared … were they? Yes! It was 5.5 percent.", ["Scared … were they?", "Yes!", "It was 5.5 percent."]),
        ("A line without a stop\nNext line.", ["A line without a stop", "Next line."]),
    ],
)
def test_sentences_split_where_a_reader_would(text, expected):
    assert [span[2] for span in split_passages(text)] == expected


def test_an_import_writes_every_articles_passages_in_order(seeded):
    for article in seeded.values():
        indexes = list(Passage.objects.filter(article=article).values_list("index", flat=True))
        assert indexes == list(range(len(split_passages(article.body))))


def test_an_import_writes_passages_with_a_fixed_number_of_queries_per_chunk(db, django_assert_max_num_queries):
    def queries_for(count: int) -> int:
        records = "\n".join(
            json.dumps({"title": f"T{n}", "text": f"Report {count}-{n}. It goes on."}) for n in range(count)
        )
        with django_assert_max_num_queries(40) as captured:
            import_files(files=[(f"{count}.jsonl", records.encode())], user=None)
        return len(captured)

    assert queries_for(3) == queries_for(30)
    assert Passage.objects.count() == 2 * 33


def bare_article(body: str) -> Article:
    """An article written without its passages, as articles were before passages were written at import."""
    return Article.objects.create(title="Bare", body=body, raw=body.encode(), content_hash=str(hash(body)))


def test_ensuring_passages_writes_only_those_of_articles_without_any(db):
    article = bare_article("One here. Two there.")
    ensure_passages([article, ArticleFactory()])
    assert list(article.passages.values_list("index", "text")) == [(0, "One here."), (1, "Two there.")]


def test_writing_passages_again_changes_nothing(db, django_assert_num_queries):
    articles = [ArticleFactory(), ArticleFactory()]
    ensure_passages(articles)
    before = list(Passage.objects.values_list("pk", "article_id", "index", "text"))
    with django_assert_num_queries(1):
        ensure_passages(articles + [articles[0]])
    assert list(Passage.objects.values_list("pk", "article_id", "index", "text")) == before
    ensure_passages([])


def test_passages_another_server_wrote_meanwhile_are_skipped(db, monkeypatch):
    article = bare_article("First sentence here. Second sentence there. Third one.")
    write = passages._insert

    def another_server_first(rows):
        write(rows)  # the other server checks, finds nothing either, and commits the same rows just before us
        write(rows)

    monkeypatch.setattr(passages, "_insert", another_server_first)
    ensure_passages([article])
    assert list(article.passages.values_list("index", "text")) == [
        (0, "First sentence here."),
        (1, "Second sentence there."),
        (2, "Third one."),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_servers_writing_the_same_passages_at_once_both_succeed():
    # On SQLite the second writer waits for the first's write lock, then skips the rows it committed.
    articles = [bare_article(f"Report {n} opens. It goes on. It ends.") for n in range(3)]
    written, failures = threading.Event(), []

    def first():
        with transaction.atomic():
            ensure_passages(articles)
            written.set()
            time.sleep(0.5)  # commits while the second server waits on the same rows

    def second():
        written.wait(timeout=10)
        ensure_passages(articles)  # finds none committed yet, so writes the same rows

    def run(action):
        try:
            action()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert Passage.objects.count() == 9 and Passage.objects.filter(index=2).count() == 3


# --- Finding passages to link as evidence -------------------------------------------------------


def imported(*texts: str) -> list[int]:
    records = "\n".join(json.dumps({"title": f"Report {n}", "text": text}) for n, text in enumerate(texts))
    return [item["article_id"] for item in import_files(files=[("feed.jsonl", records.encode())], user=None).imported]


def found(claim, text, article=None) -> list[tuple[int, int, str]]:
    return [
        (s.passage.article_id, s.passage.index, s.passage.text)
        for s in passage_search(claim=claim, text=text, article=article)
    ]


def test_searching_finds_passages_of_an_imported_article_and_not_of_the_claims_own(db):
    own, other = imported("The dam burst at noon. Nobody was hurt.", "Rain fell all week. Witnesses say the dam burst.")
    claim = ClaimFactory(article=Article.objects.get(pk=own))
    assert found(claim, "dam burst") == [(other, 1, "Witnesses say the dam burst.")]
    assert found(claim, "DAMS BURSTING") == found(claim, "dam burst")


def test_choosing_an_article_lists_all_its_passages_in_order(db):
    own, other = imported("A claim is made here.", "First fact here. Second fact there.")
    claim = ClaimFactory(article=Article.objects.get(pk=own))
    chosen = Article.objects.only("pk", "title").get(pk=other)  # as the search form gives it
    assert [text for _, _, text in found(claim, "", chosen)] == ["First fact here.", "Second fact there."]
    assert [text for _, _, text in found(claim, "second", chosen)] == ["Second fact there."]


def test_a_search_offers_only_the_current_version_of_an_article(db):
    claim = ClaimFactory()
    old = ArticleFactory(url="https://news.example/flood", body="The river rose two metres overnight.")
    new = ArticleFactory(url=old.url, body="The river rose three metres overnight.", previous_version=old, version=2)
    assert [article_id for article_id, _, _ in found(claim, "river rose")] == [new.pk]


def test_passages_holding_more_of_the_words_come_first(db):
    claim = ClaimFactory()
    ArticleFactory(body="The dam held. Nobody was hurt.")
    ArticleFactory(body="The dam burst and people were hurt.")
    assert found(claim, "dam hurt")[0][2] == "The dam burst and people were hurt."


@pytest.mark.parametrize("matching", [2, 40])
def test_a_search_runs_the_same_queries_however_many_articles_match(db, matching, django_assert_max_num_queries):
    claim = ClaimFactory()
    for n in range(matching):
        ArticleFactory(body=f"Flood report {n}. The levee held in district {n}.")
    ArticleFactory(body="Nothing about water here.")
    # The claim's newest version, word counts (two on PostgreSQL), candidates, their texts, the results with
    # their articles, and in semantic mode the passages beside the best (two) and the stored embeddings and
    # the texts of those not embedded yet.
    with django_assert_max_num_queries(10):
        results = passage_search(claim=claim, text="levee held")
    assert len(results) == min(matching, PASSAGE_RESULTS)
