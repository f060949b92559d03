"""No control lists every article or person: boxes suggest a few as one types, and pages keep their size
however many articles and people the newsroom has."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, ClaimFactory, UserFactory


def page_size(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return len(response.content)


def test_the_claim_list_and_claim_page_do_not_grow_with_articles_and_people(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    # The activity feed filtered to claims: the new articles and people are news of their own there.
    urls = [reverse("claims:list"), claim.get_absolute_url(), reverse("activity") + "?type=claim"]
    before = [page_size(editor_client, url) for url in urls]
    Article.objects.bulk_create(
        ArticleFactory.build(title=f"Bulk article {n}", content_hash=f"bulk-{n}") for n in range(1000)
    )
    for n in range(40):
        UserFactory(username=f"reporter{n}", role="editor")
    assert [page_size(editor_client, url) for url in urls] == before


def test_article_suggestions_match_every_word_of_the_title_and_stop_at_ten(editor_client):
    for n in range(15):
        ArticleFactory(title=f"Flood warning for district {n}", publisher="Wire")
    ArticleFactory(title="Drought report")
    results = editor_client.get(reverse("articles:choices"), {"q": "warning flood"}).json()["results"]
    assert len(results) == 10 and all("Flood warning" in result["label"] for result in results)
    one = ArticleFactory(title="Drought report, second look")
    [found] = editor_client.get(reverse("articles:choices"), {"q": str(one.pk)}).json()["results"]
    assert found == {"value": one.pk, "label": f"#{one.pk} Drought report, second look ({one.publisher})"}
    assert editor_client.get(reverse("articles:choices"), {"q": " "}).json() == {"results": []}


def test_people_suggestions_start_with_what_was_typed(editor_client):
    for name in ("ana", "anders", "bea"):
        UserFactory(username=name)
    results = editor_client.get(reverse("people"), {"q": "AN"}).json()["results"]
    assert [result["value"] for result in results] == ["ana", "anders"]


@pytest.mark.parametrize("url_name", ["articles:choices", "people"])
def test_suggestions_need_a_login(client, url_name):
    response = client.get(reverse(url_name), {"q": "an"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_claim_list_filters_by_a_persons_name_or_by_the_number_older_links_use(editor_client, editor, reviewer):
    mine = ClaimFactory(created_by=editor)
    ClaimFactory(created_by=reviewer)
    for value in (editor.username, str(editor.pk)):
        page = editor_client.get(reverse("claims:list"), {"created_by": value}).context["page"]
        assert list(page) == [mine.pk], value
    response = editor_client.get(reverse("claims:list"), {"created_by": "nobody-here"})
    assert "Nobody is called “nobody-here”." in response.content.decode()


def test_a_chosen_article_is_named_beside_its_box(editor_client, editor):
    claim = ClaimFactory(created_by=editor, article=ArticleFactory(title="Budget vote delayed", publisher="Gazette"))
    content = editor_client.get(reverse("claims:list"), {"article": claim.article_id}).content.decode()
    assert f"#{claim.article_id} Budget vote delayed (Gazette)" in content
    assert 'data-complete="/articles/choices/"' in content and "<option" not in content.split("id_article")[1][:300]
