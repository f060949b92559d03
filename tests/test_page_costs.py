"""Pages cost what they show, not what the database holds: the same queries and the same HTML with a few
claims and with thousands more elsewhere (articles, claims, sources, tags), on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.passages import ensure_passages
from claims.filters import ClaimFilter
from claims.models import Claim, EvidenceLink, Tag
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory, _passage_of

MORE_ARTICLES = 2_000
MORE_CLAIMS = 3_000


def cost(client, url: str) -> tuple[int, int]:
    """(queries, bytes) of a page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content)


def _much_more_elsewhere(user) -> None:
    articles = Article.objects.bulk_create(
        ArticleFactory.build(title=f"Elsewhere {n}", content_hash=f"elsewhere-{n}") for n in range(MORE_ARTICLES)
    )
    body = articles[0].body
    claims = Claim.objects.bulk_create(
        Claim(
            article=articles[n % len(articles)],
            start=0,
            end=len(body),
            quote=body,
            wording=f"Claim elsewhere {n}",
            created_by=user,
            status=Claim.Status.values[n % 4],
        )
        for n in range(MORE_CLAIMS)
    )
    # Tags of their own would lengthen the reader's list of tags to suggest, which still holds every tag.
    tag = Tag.objects.get_or_create(name="elsewhere")[0]
    Claim.tags.through.objects.bulk_create(Claim.tags.through(claim=claim, tag=tag) for claim in claims)
    ensure_passages([articles[1]])  # bulk_create writes no passages, as an import would
    passage = _passage_of(articles[1])
    EvidenceLink.objects.bulk_create(
        EvidenceLink(claim=claim, passage=passage, stance=EvidenceLink.Stance.CONTRADICTS, added_by=user)
        for claim in claims[::3]
    )


@pytest.fixture
def shown(editor, reviewer):
    """An article with claims in every state, sources and tags: what the pages below show."""
    article = ArticleFactory(title="The shown article", body="First sentence here. Second one there. Third.")
    claims = [
        ClaimFactory(article=article, created_by=editor, start=0, end=20, status="verified", reviewed_by=reviewer),
        ClaimFactory(article=article, created_by=editor, start=6, end=38, status="disputed", reviewed_by=reviewer),
        ClaimFactory(article=article, created_by=editor, start=21, end=45),
    ]
    claims[0].tags.add(Tag.objects.create(name="shown"))
    Tag.objects.create(name="elsewhere")
    PassageEvidenceFactory(claim=claims[0], stance="supports")
    PassageEvidenceFactory(claim=claims[1], stance="contradicts")
    return article, claims


def test_the_claim_list_claim_page_and_reader_cost_the_same_with_thousands_more_claims_elsewhere(
    editor_client, shown, editor
):
    article, claims = shown
    urls = [
        reverse("claims:list") + f"?article={article.pk}",
        reverse("claims:list") + f"?article={article.pk}&status=verified&sort=-reviewed",
        reverse("claims:list") + f"?article={article.pk}&has_contradicting=true",
        reverse("claims:list") + "?tag=shown",
        claims[0].get_absolute_url(),
        claims[1].get_absolute_url() + "?q=sentence",
        article.get_absolute_url(),
    ]
    before = [cost(editor_client, url) for url in urls]
    _much_more_elsewhere(UserFactory(role="editor"))
    for _ in range(40):
        UserFactory(role="editor")
    assert [cost(editor_client, url) for url in urls] == before


def test_the_unfiltered_claim_list_counts_no_claims_it_reads_the_counts_the_database_keeps(
    editor_client, editor, shown
):
    _much_more_elsewhere(editor)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse("claims:list"))
    assert not [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert any('FROM "claims_statuscount"' in query["sql"] for query in queries)
    assert response.context["page"].paginator.count == MORE_CLAIMS + len(shown[1])
    assert f"{MORE_CLAIMS + 3} claims" in response.content.decode()


def test_the_tag_box_suggests_a_few_tags_starting_with_what_was_typed(editor_client, db):
    Tag.objects.bulk_create(Tag(name=name) for name in ["health", "Healthcare", "heat", *(f"hx{n}" for n in range(20))])
    results = editor_client.get(reverse("claims:tags"), {"q": "HEAL"}).json()["results"]
    assert [result["value"] for result in results] == ["health", "Healthcare"]
    assert len(editor_client.get(reverse("claims:tags"), {"q": "h"}).json()["results"]) == 10
    assert editor_client.get(reverse("claims:tags"), {"q": " "}).json() == {"results": []}
    content = editor_client.get(reverse("claims:list"), {"tag": "heat"}).content.decode()
    assert 'data-complete="/claims/tags/"' in content and '<option value="hx1">' not in content


@pytest.mark.parametrize("query", ["status=bogus", "status=Verified", "status=verified&created_after=not-a-date"])
def test_a_status_the_list_cannot_read_lists_what_it_filters_by_and_counts_it(editor_client, editor, query):
    """The page's count comes from the status counts: it must be the count of the claims the list shows."""
    ClaimFactory(status=Claim.Status.OPEN)
    verified = ClaimFactory(status=Claim.Status.VERIFIED)
    response = editor_client.get(reverse("claims:list") + "?" + query)
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert response.context["page"].paginator.count == len(shown)
    if "verified&" in query:
        assert shown == [verified.pk]
    else:
        assert len(shown) == 2


def test_a_text_search_that_matches_more_than_it_counts_lists_the_first_it_counted(editor_client, editor, monkeypatch):
    """No index counts the claims whose words hold a text: a search counts its first matches, and says so."""
    monkeypatch.setattr(ClaimFilter, "counted_at_most", 3)
    for n, word in enumerate(["alpha", "bravo", "charlie", "delta", "echo"]):
        ClaimFactory(
            created_by=editor, wording=f"Convoy {word} reached the border", status="verified" if n < 2 else "open"
        )
    ClaimFactory(created_by=editor, wording="Unrelated")
    response = editor_client.get(reverse("claims:list"), {"q": "convoy"})
    content = response.content.decode()
    assert "More than 3 claims match: the first 3 are listed" in content
    assert response.context["page"].paginator.count == 3 and response.context["status_counts"] == {}
    # With a status chosen, that status is counted on its own: here it holds fewer than the search counts.
    response = editor_client.get(reverse("claims:list"), {"q": "convoy", "status": "verified"})
    assert response.context["page"].paginator.count == 2 and "2 claims" in response.content.decode()
    # Under the limit, every status is counted as before.
    response = editor_client.get(reverse("claims:list"), {"q": "convoy bravo"})
    assert response.context["status_counts"] == {"open": 0, "verified": 1, "disputed": 0, "review": 0}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_a_text_search_for_a_rare_word_reads_the_trigram_index_not_every_claim(editor, db):
    ClaimFactory.create_batch(20, created_by=editor, wording="An ordinary sentence about the budget")
    ClaimFactory(created_by=editor, wording="A zebra crossed the road")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
        # A table this small is cheaper to read whole, or in order, than through the trigram index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = ClaimFilter(QueryDict("q=zebra"), queryset=Claim.objects.all()).qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claim_wording_trigrams" in plan and "claim_quote_trigrams" in plan
