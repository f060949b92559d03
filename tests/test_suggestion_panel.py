"""Suggested sources as editors and viewers see them: on the claim page, and fetched by the reader's panel."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Passage
from claims import semantic
from claims.models import EvidenceLink, PassageEmbedding
from tests.factories import ArticleFactory, ClaimFactory

DEATHS = "three confirmed deaths"


def tag(article, quote: str):
    start = article.body.index(quote)
    return ClaimFactory(article=article, start=start, end=start + len(quote), wording=quote)


def suggested(content: str) -> list[int]:
    """The passages a page suggests, in the order shown."""
    return [int(pk) for pk in re.findall(r'<li class="suggestion" data-passage="(\d+)"', content)]


def with_suggestions(claim) -> str:
    """The claim page with its suggestions in it, as asked for without scripts."""
    return claim.get_absolute_url() + "?suggestions=1"


def link_buttons(content: str) -> int:
    return content.count("data-link-suggestion")


@pytest.fixture
def deaths(seeded):
    return tag(seeded["000"], DEATHS)


def test_the_claim_page_suggests_the_passages_of_other_seeds_that_report_the_deaths(editor_client, deaths):
    content = editor_client.get(with_suggestions(deaths)).content.decode()
    section = content.split('id="suggestions"', 1)[1].split("</section>", 1)[0]
    assert "Suggested sources" in content
    passages = Passage.objects.in_bulk(suggested(section))
    first_three = [passages[pk].text for pk in suggested(section)[:3]]
    assert any("at least three of these people had been tortured to death" in text for text in first_three)
    assert any("at least three murders" in text for text in first_three)
    assert "These Russians helped 40 gay and bi men escape Chechnya" in section
    assert "<mark>three</mark>" in section
    assert re.search(r"Likely supports|Likely contradicts|Stance unclear", section) and "match 0." in section
    assert seeded_own_article_absent(section, deaths)
    assert link_buttons(section) == len(suggested(section)) > 2


def test_the_claim_page_itself_leaves_its_suggestions_to_its_script_or_a_link(editor_client, deaths):
    with CaptureQueriesContext(connection) as plain:
        content = editor_client.get(deaths.get_absolute_url()).content.decode()
    section = content.split('id="suggestions"', 1)[1].split("</section>", 1)[0]
    assert suggested(section) == []
    assert f'data-suggestions="{reverse("claims:suggestions", args=[deaths.pk])}"' in section
    assert f'href="{with_suggestions(deaths)}#suggestions"' in section
    assert "js/suggestions.js" in content
    with CaptureQueriesContext(connection) as shown:
        editor_client.get(with_suggestions(deaths))
    assert len(plain) < len(shown)


def seeded_own_article_absent(section: str, claim) -> bool:
    return claim.article.get_absolute_url() + '"' not in section


def test_the_panel_says_which_mode_ranks_the_suggestions(editor_client, deaths, monkeypatch):
    content = editor_client.get(with_suggestions(deaths)).content.decode()
    assert ("Text + meaning" if semantic.mode() == "semantic" else "Text search") in content
    monkeypatch.setattr(semantic, "_model", lambda: None)
    content = editor_client.get(with_suggestions(deaths)).content.decode()
    assert "<strong>Text search</strong>: ranked by the words and figures" in content
    assert "Text + meaning" not in content
    assert suggested(content)


def test_viewers_see_suggestions_but_no_buttons_to_link_them(client, viewer, deaths):
    client.force_login(viewer)
    content = client.get(with_suggestions(deaths)).content.decode()
    assert suggested(content)
    assert link_buttons(content) == 0
    fragment = client.get(reverse("claims:suggestions", args=[deaths.pk])).content.decode()
    assert suggested(fragment) and link_buttons(fragment) == 0


def test_one_click_links_a_suggestion_with_its_stance_and_it_is_no_longer_suggested(editor_client, editor, deaths):
    first = suggested(editor_client.get(with_suggestions(deaths)).content.decode())[0]
    response = editor_client.post(
        reverse("claims:link-passage", args=[deaths.pk]), {"passage": first, "stance": "supports"}
    )
    assert response.status_code == 302
    assert response.url == deaths.get_absolute_url() + "?#evidence"
    link = deaths.evidence.get()
    assert (link.passage_id, link.stance, link.added_by) == (first, EvidenceLink.Stance.SUPPORTS, editor)
    assert first not in suggested(editor_client.get(response.url).content.decode())


def test_the_script_links_a_suggestion_and_is_answered_in_json(editor_client, deaths):
    first = suggested(editor_client.get(with_suggestions(deaths)).content.decode())[0]
    url = reverse("claims:link-passage", args=[deaths.pk])
    response = editor_client.post(url, {"passage": first, "stance": "context"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 201
    assert response.json()["message"].endswith("(context).")
    again = editor_client.post(url, {"passage": first, "stance": "supports"}, headers={"X-Requested-With": "fetch"})
    assert again.status_code == 400 and again.json()["errors"]["__all__"]
    missing = editor_client.post(url, {"passage": first}, headers={"X-Requested-With": "fetch"})
    assert missing.json() == {"errors": {"__all__": ["Choose a passage and a stance."]}}
    assert deaths.evidence.count() == 1


def test_a_viewer_cannot_link_a_suggestion_even_by_posting(client, viewer, deaths):
    client.force_login(viewer)
    passage = ArticleFactory(body="Three men died in custody.").passages.get()
    url = reverse("claims:link-passage", args=[deaths.pk])
    assert client.post(url, {"passage": passage.pk, "stance": "supports"}).status_code == 403
    answer = client.post(url, {"passage": passage.pk, "stance": "supports"}, headers={"X-Requested-With": "fetch"})
    assert answer.status_code == 403 and answer.json()["errors"]
    assert not deaths.evidence.exists()


def test_the_reader_offers_each_claims_suggestions_without_working_them_out(editor_client, seeded, deaths):
    other = tag(seeded["000"], "Both Russian and Chechen authorities have denied the claims.")
    content = editor_client.get(seeded["000"].get_absolute_url()).content.decode()
    for claim in (deaths, other):
        assert f'data-url="{reverse("claims:suggestions", args=[claim.pk])}"' in content
        assert f'href="{claim.get_absolute_url()}?suggestions=1#suggestions"' in content
    assert suggested(content) == []
    assert "js/suggestions.js" in content


def test_the_readers_fragment_is_the_claims_suggestions_alone(editor_client, deaths):
    response = editor_client.get(reverse("claims:suggestions", args=[deaths.pk]))
    content = response.content.decode()
    assert "<html" not in content and "csrfmiddlewaretoken" in content
    assert suggested(content) == suggested(editor_client.get(with_suggestions(deaths)).content.decode())


def test_suggestions_send_anonymous_visitors_to_login(client, deaths):
    response = client.get(reverse("claims:suggestions", args=[deaths.pk]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("url", ["claims:detail", "claims:suggestions"])
def test_suggestions_cost_the_same_queries_however_many_articles_could_match(
    editor_client, editor, url, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(created_by=editor, article=ArticleFactory(body="The levee held in the flood."))

    def articles(numbers: range) -> None:
        with django_capture_on_commit_callbacks(execute=True):  # and their passages embedded, as a worker would
            for n in numbers:
                ArticleFactory(body=f"Flood report {n}. The levee held in district {n}.")

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            content = editor_client.get(reverse(url, args=[claim.pk]), {"suggestions": 1}).content.decode()
        return len(captured), len(suggested(content))

    articles(range(3))
    small = queries()
    articles(range(3, 60))
    large = queries()
    # PostgreSQL counts the search's common words in two queries. The claim page's discussion and assignments
    # cost five (tests/test_discussion.py). One reads the passages' revision, the key of the kept suggestions
    # (claims.suggestion_cache): asked again, they cost fewer.
    assert small[0] == large[0] <= (27 if url == "claims:detail" else 16) + (connection.vendor == "postgresql")
    assert (small[1], large[1]) == (6, 8)
    again = queries()
    assert again[0] < large[0] - 3 and again[1] == large[1]


@pytest.mark.skipif(semantic.mode() != "semantic", reason="the semantic extra is not installed")
def test_a_suggestion_whose_meaning_is_not_read_yet_says_it_is_ranked_by_its_words(editor_client, deaths):
    sum(semantic.embed_passages())  # every passage read, as the worker does after an import
    url = reverse("claims:suggestions", args=[deaths.pk])
    first = suggested(editor_client.get(url).content.decode())[0]
    hint = "(by its words: its meaning is not read yet)"
    assert hint not in editor_client.get(url).content.decode()
    PassageEmbedding.objects.filter(passage_id=first).delete()
    content = editor_client.get(url).content.decode()
    item = content.split(f'data-passage="{first}"', 1)[1].split("</li>", 1)[0]
    assert hint in item and content.count(hint) == 1
