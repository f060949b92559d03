"""Suggested sources: the passages of other seeds that corroborate a claim come first, on both databases."""

import pytest

from claims.models import EvidenceLink
from claims.suggestions import Suggestion, search_passages, snippet, suggest, suggestions_for_claim
from tests.factories import ArticleFactory, ClaimFactory, UserFactory


def tag(article, quote: str, wording: str = ""):
    start = article.body.index(quote)
    return ClaimFactory(article=article, start=start, end=start + len(quote), wording=wording or quote)


def origins(found: list[Suggestion], n: int) -> list[str]:
    return [suggestion.passage.article.origin_file[6:9] for suggestion in found[:n]]


def test_three_confirmed_deaths_finds_the_three_deaths_the_other_seeds_report(seeded):
    claim = tag(seeded["000"], "three confirmed deaths")
    found = suggestions_for_claim(claim)
    texts = [s.passage.text for s in found[:3]]
    assert any("at least three of these people had been tortured to death" in text for text in texts)
    assert any("at least three murders" in text for text in texts)
    assert all(s.passage.article_id != seeded["000"].pk for s in found)
    assert found[0].stance_hint == "supports"
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert all(0 <= s.score <= 1 for s in found)


@pytest.mark.parametrize(
    "seed, quote, wording, expected",
    [
        (
            "001",
            "The network has helped 40 gay men evacuate the republic so far",
            "The network has got 40 men out of Chechnya.",
            "says it has helped 40 gay and bisexual men flee from Chechnya",
        ),
        (
            "002",
            "added Svetlana Zakharova, Communications manager at the Russian LGBT Network",
            "The network's communications manager is Svetlana Zakharova.",
            "Svetlana Zakharova, communications manager at the Russian LGBT Network, confirmed",
        ),
        (
            "004",
            "Rainbow Railroad is a registered Canadian charity",
            "",
            "Canadian organization that works to help LGBTQ refugees in crisis",
        ),
    ],
)
def test_a_seed_claim_finds_its_corroboration_among_the_first_suggestions(seeded, seed, quote, wording, expected):
    found = suggestions_for_claim(tag(seeded[seed], quote, wording), limit=5)
    assert any(expected in s.passage.text for s in found), [s.passage.text for s in found]


def test_a_passage_on_the_subject_with_another_figure_is_a_possible_conflict(seeded):
    found = suggest("The network has helped 30 gay men escape", exclude_article_ids=[seeded["004"].pk])
    helped_40 = next(s for s in found if "helped 40 gay men evacuate" in s.passage.text)
    assert helped_40.conflict == "different figure: 40 here, 30 in the claim"
    assert helped_40.stance_hint == "contradicts"
    same = suggest("The network has helped 40 gay men escape", exclude_article_ids=[seeded["004"].pk])
    assert next(s for s in same if "helped 40 gay men evacuate" in s.passage.text).conflict == ""


def test_figures_match_whatever_form_they_are_written_in(db):
    ArticleFactory(body="Officials counted 3 bodies at the scene. The weather was cold.")
    found = suggest("three bodies were counted")
    assert found[0].passage.text == "Officials counted 3 bodies at the scene."
    assert found[0].snippet == "Officials <mark>counted 3 bodies</mark> at the scene."


def test_a_denial_of_the_claim_is_hinted_as_contradicting_it(db):
    ArticleFactory(body="Officials denied that any prison camps exist in the region.")
    ArticleFactory(body="Witnesses described prison camps in the region.")
    found = {s.passage.text: s.stance_hint for s in suggest("There are prison camps in the region")}
    assert found["Officials denied that any prison camps exist in the region."] == "contradicts"
    assert found["Witnesses described prison camps in the region."] == "supports"


def test_linked_passages_the_claims_own_article_and_its_versions_and_older_versions_are_left_out(db):
    own = ArticleFactory(url="https://news.example/dam", body="The dam burst at noon.")
    newer_own = ArticleFactory(
        url=own.url, body="The dam burst at noon, officials said.", previous_version=own, version=2
    )
    claim = tag(own, "The dam burst at noon.")
    old = ArticleFactory(url="https://other.example/dam", body="A dam burst near the town at noon.")
    current = ArticleFactory(url=old.url, body="The dam burst near the town at noon.", previous_version=old, version=2)
    linked = ArticleFactory(body="Reports say a dam burst at noon.")
    EvidenceLink.objects.create(
        claim=claim, passage=linked.passages.get(), stance="supports", added_by=UserFactory(role="editor")
    )
    found = suggestions_for_claim(claim)
    assert [s.passage.article_id for s in found] == [current.pk]
    assert newer_own.pk not in {s.passage.article_id for s in search_passages(claim=claim, text="dam burst")}


def test_suggestions_can_keep_to_chosen_articles(db):
    one, two = ArticleFactory(body="The levee held."), ArticleFactory(body="The levee broke.")
    assert [s.passage.article_id for s in suggest("levee", articles=[two.pk])] == [two.pk]
    assert {s.passage.article_id for s in suggest("levee")} == {one.pk, two.pk}


def test_the_snippet_marks_the_matching_words_and_escapes_the_rest():
    marked = snippet('Donors <b>raised</b> "money" & more.', ["raising", "money"])
    assert marked == "Donors &lt;b&gt;<mark>raised</mark>&lt;/b&gt; &quot;<mark>money</mark>&quot; &amp; more."


def test_the_manual_search_is_stemmed_and_ranked(db):
    claim = ClaimFactory()
    ArticleFactory(body="They launched a fund-raising drive. Donations came in.")
    ArticleFactory(body="Fundraising for the fundraisers raised funds.")
    found = search_passages(claim=claim, text="fundraising")
    assert {s.passage.text for s in found} == {
        "They launched a fund-raising drive.",
        "Fundraising for the fundraisers raised funds.",
    }


@pytest.mark.parametrize("matching", [2, 40])
def test_suggestions_cost_the_same_queries_however_many_passages_match(db, matching, django_assert_max_num_queries):
    claim = ClaimFactory()
    for n in range(matching):
        ArticleFactory(body=f"Flood report {n}. The levee held in district {n}.")
    with django_assert_max_num_queries(9):  # as in test_a_search_runs_the_same_queries_however_many_articles_match
        found = suggest("the levee held in the flood")
    assert len(found) == min(10, matching * 2)
    with django_assert_max_num_queries(11):  # and the claim's newest version and linked passages
        suggestions_for_claim(claim)


def test_a_passage_deleted_while_the_suggestions_are_scored_is_left_out(db, monkeypatch):
    """A new version of an article replaces its passages: one the search found may be gone a moment later."""
    from articles import search as text_search
    from claims import suggestions

    ArticleFactory(body="The bridge reopened on Monday after repairs. Traffic was light.")

    def found_then_deleted(*args, **kwargs):
        found = text_search.search(*args, **kwargs)
        gone = text_search.Match(passage_id=10**9, rank=max(m.rank for m in found.matches) + 1, terms=frozenset({0}))
        return text_search.Search(found.terms, found.weights, [gone, *found.matches])

    monkeypatch.setattr(suggestions, "search", found_then_deleted)
    [kept] = suggest("The bridge reopened on Monday", limit=5)
    assert kept.passage.text == "The bridge reopened on Monday after repairs."
