"""The database's own search over passages: the same answers on PostgreSQL and SQLite."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search as search_module
from articles.models import Passage
from articles.search import Search, search, terms
from tests.factories import ArticleFactory


def texts(found: Search) -> list[str]:
    by_id = Passage.objects.in_bulk([match.passage_id for match in found.matches])
    return [by_id[match.passage_id].text for match in found.matches]


def test_terms_leave_out_common_words_and_join_hyphenated_ones():
    assert terms("The fund-raising of the Network, and its 40 men") == [
        "fundraising",
        "fund",
        "raising",
        "network",
        "40",
        "men",
    ]


def test_a_search_stems_words_on_both_databases(db):
    ArticleFactory(body="Donors raised money. The weather was fine.")
    assert texts(search(["raising", "monies"])) == ["Donors raised money."]


def test_fundraising_finds_fund_raising_and_raising_finds_it_too(db):
    ArticleFactory(body="They launched a joint fund-raising campaign. Nothing else.")
    assert texts(search(["fundraising"])) == ["They launched a joint fund-raising campaign."]
    assert texts(search(["raising"])) == ["They launched a joint fund-raising campaign."]


def test_passages_holding_more_rare_words_rank_first_and_say_which_they_hold(db):
    ArticleFactory(body="Gay men were detained in Chechnya. Chechnya is in Russia. Three men died in Chechnya.")
    found = search(terms("three men died in Chechnya"))
    assert texts(found)[0] == "Three men died in Chechnya."
    assert found.matches[0].terms == {0, 1, 2, 3}
    assert set(texts(found)) == {
        "Gay men were detained in Chechnya.",
        "Chechnya is in Russia.",
        "Three men died in Chechnya.",
    }


def test_older_versions_and_excluded_articles_and_passages_are_left_out(db):
    old = ArticleFactory(url="https://news.example/flood", body="The river rose two metres overnight.")
    new = ArticleFactory(url=old.url, body="The river rose three metres overnight.", previous_version=old, version=2)
    other = ArticleFactory(body="A river burst its banks.")
    assert texts(search(["river"])) == ["A river burst its banks.", "The river rose three metres overnight."] or texts(
        search(["river"])
    ) == ["The river rose three metres overnight.", "A river burst its banks."]
    assert texts(search(["river"], exclude_article_ids=[new.pk])) == ["A river burst its banks."]
    assert texts(search(["river"], exclude_passage_ids=[other.passages.get().pk], articles=[new.pk, old.pk])) == [
        "The river rose three metres overnight."
    ]
    assert texts(search(["river"], articles=[])) == []


def test_nothing_to_search_for_finds_nothing(db):
    ArticleFactory(body="The the the.")
    assert search([]).matches == []
    assert search(terms("the of and")).matches == []


def test_a_misspelt_name_finds_the_passage_on_postgresql_only(db):
    ArticleFactory(body="Svetlana Zakharova confirmed it. Others did not.")
    found = texts(search(terms("Zakarova")))
    assert found == (["Svetlana Zakharova confirmed it."] if connection.vendor == "postgresql" else [])


def test_when_every_word_is_common_passages_holding_them_all_come_first(db, monkeypatch):
    monkeypatch.setattr(search_module, "COMMON", 1)
    ArticleFactory(body="The dam held. The dam burst at noon. Noon came.")
    found = search(["dam", "burst", "noon"], limit=1)
    assert texts(found) == ["The dam burst at noon."]
    assert set(texts(search(["dam", "burst", "noon"], limit=5))) == {
        "The dam held.",
        "The dam burst at noon.",
        "Noon came.",
    }


def test_when_the_rare_words_find_nothing_the_common_ones_still_find_passages(db, monkeypatch):
    """A claim's rarer words may be held by no passage ("twelve", made from its "12"; a name spelt another
    way): the passages holding its common words are still candidates, not none at all."""
    monkeypatch.setattr(search_module, "COMMON", 2)
    ArticleFactory(body="The council met. The council paid for roads. Roads were shut.")
    found = search(["council", "roads", "12", "twelve", "zzyzxville"], limit=5, misspelt=["zzyzxville"])
    assert set(texts(found)) == {"The council met.", "The council paid for roads.", "Roads were shut."}
    assert texts(found)[0] == "The council paid for roads."


def test_only_the_words_as_written_are_looked_for_as_misspellings(db):
    ArticleFactory(body="Svetlana Zakharova confirmed twelve arrests. Others did not.")
    with CaptureQueriesContext(connection) as queries:
        search(["zakarova", "twelve", "arrests", "thirteen"], misspelt=["zakarova", "arrests"])
    fuzzy = [q["sql"] for q in queries if "<%" in q["sql"]]
    if connection.vendor == "postgresql":
        assert fuzzy and all("'thirteen' <%" not in sql and "'zakarova' <%" in sql for sql in fuzzy)
    with CaptureQueriesContext(connection) as queries:
        search(["twelve", "thirteen"], misspelt=[])
    assert not [q["sql"] for q in queries if "<%" in q["sql"]]
