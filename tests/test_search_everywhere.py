"""The navigation's search box: articles by title and text, claims by wording and quote, grouped, ranked,
with the words marked, on both databases, in the same few queries however much matches."""

import re

import pytest
from django.urls import reverse

from claims.everywhere import CANDIDATES, search_everywhere
from tests.factories import ArticleFactory, ClaimFactory


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


def group(html: str, heading: str) -> list[str]:
    """The results of one group as text, top to bottom, with <mark> shown as [..]."""
    section = html.split(f">{heading}</h2>", 1)[1].split("</section>", 1)[0]
    items = re.findall(r'<li class="search-result">(.*?)</li>', section, re.S)
    marked = [re.sub(r"</?mark>", lambda m: "]" if m.group().startswith("</") else "[", item) for item in items]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in marked]


def test_articles_are_found_by_title_and_by_text_the_title_first(db):
    by_text = ArticleFactory(title="Weekly round-up", body="The flood barrier held overnight. Nothing else.")
    by_title = ArticleFactory(title="Flood barrier tested", body="Engineers were pleased. It rained.")
    ArticleFactory(title="Elections", body="Nobody mentioned water.")
    found = search_everywhere("flood barrier")
    assert [hit.article for hit in found.articles] == [by_title, by_text]
    assert str(found.articles[0].title) == "<mark>Flood barrier</mark> tested"
    assert str(found.articles[1].snippet) == "The <mark>flood barrier</mark> held overnight."
    assert found.articles[0].snippet is None  # its text does not hold the words


def test_older_versions_of_an_article_are_not_found(db):
    old = ArticleFactory(url="https://news.example/river", title="River report", body="The river rose two metres.")
    new = ArticleFactory(
        url=old.url, title="River report", body="The river rose three metres.", previous_version=old, version=2
    )
    assert [hit.article for hit in search_everywhere("river").articles] == [new]


def test_claims_are_found_by_wording_and_quote_the_wording_first(db):
    article = ArticleFactory(title="Council", body="The council spent 3 million on roads. Then it rained.")
    in_quote = ClaimFactory(article=article, wording="Spending on streets rose.")
    in_wording = ClaimFactory(article=article, wording="The council spent 3 million on roads.")
    ClaimFactory(article=article, start=article.body.index("Then"), end=len(article.body), wording="It rained.")
    found = search_everywhere("council roads")
    assert [hit.claim for hit in found.claims] == [in_wording, in_quote]
    assert str(found.claims[0].wording) == "The <mark>council</mark> spent 3 million on <mark>roads</mark>."
    assert not found.more_claims


def test_the_page_groups_marks_and_escapes(viewer_client):
    article = ArticleFactory(title="<script>alert(1)</script> Harbour fire", body="A harbour fire burned. Quiet.")
    ClaimFactory(article=article, wording="A fire burned in the <b>harbour</b>.")
    response = viewer_client.get(reverse("search"), {"q": "harbour fire"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<b>harbour" not in html
    assert group(html, "Articles") == [
        f"&lt;script&gt;alert(1)&lt;/script&gt; [Harbour fire] {article.publisher} A [harbour fire] burned."
    ]
    assert group(html, "Claims") == [
        "A [fire] burned in the &lt;b&gt;[harbour]&lt;/b&gt;. ○ Open “A [harbour fire] burned.” in "
        "&lt;script&gt;alert(1)&lt;/script&gt; Harbour fire"
    ]
    assert 'value="harbour fire"' in html  # the box in the navigation keeps the search


def test_nothing_found_and_only_common_words_say_so(viewer_client):
    ArticleFactory(title="Roads", body="The roads are closed.")
    html = viewer_client.get(reverse("search"), {"q": "volcano"}).content.decode()
    assert "No article holds these words." in html and "No claim holds these words." in html
    html = viewer_client.get(reverse("search"), {"q": "the and of"}).content.decode()
    assert "too common to search for" in html
    assert viewer_client.get(reverse("search")).status_code == 200  # the box alone


def test_a_long_or_strange_search_is_answered(viewer_client):
    ArticleFactory(title="Roads", body="The roads are closed.")
    for q in ["roads " * 400, "%_\\'\"; DROP TABLE x", "\x00roads", "🚧 roads"]:
        assert viewer_client.get(reverse("search"), {"q": q}).status_code == 200


def test_more_claims_than_are_ranked_say_so_and_link_the_list(viewer_client):
    article = ArticleFactory(title="Budget", body="The budget grew. It grew again.")
    ClaimFactory.create_batch(CANDIDATES + 1, article=article, wording="The budget grew.")
    found = search_everywhere("budget")
    assert found.more_claims and len(found.claims) == 20
    html = viewer_client.get(reverse("search"), {"q": "budget"}).content.decode()
    assert f"{reverse('claims:list')}?q=budget" in html


@pytest.mark.parametrize("many", [False, True])
def test_the_same_few_queries_however_much_matches(viewer_client, django_assert_max_num_queries, many):
    for n in range(30 if many else 2):
        article = ArticleFactory(title=f"Storm {n}", body=f"A storm hit the coast. Report {n}.")
        ClaimFactory(article=article, wording=f"A storm hit the coast, report {n}.")
    with django_assert_max_num_queries(10):
        response = viewer_client.get(reverse("search"), {"q": "storm coast"})
    assert response.status_code == 200
    assert len(group(response.content.decode(), "Claims")) == (20 if many else 2)


def test_every_page_has_the_search_box(viewer_client):
    html = viewer_client.get(reverse("claims:list")).content.decode()
    assert 'role="search"' in html and f'action="{reverse("search")}"' in html
