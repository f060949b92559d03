"""Stories: a group of articles on one story, and the matrix of its claims against its outlets."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.passages import ensure_passages
from claims import services, stories
from claims.anchoring import anchor_for_quote
from claims.models import EvidenceLink, Story
from tests.factories import ArticleFactory, ClaimFactory, UserFactory
from workbench.demo import DEMO_STORY, add_demo_claims, add_demo_story


@pytest.fixture
def story(seeded, editor):
    return services.story_save(story=Story(name="Chechnya"), user=editor, articles=list(seeded.values()))


def _claim(seeded, seed, quote, editor):
    article = seeded[seed]
    return services.claim_create(article=article, user=editor, anchor=anchor_for_quote(article.body, quote))


def _link(claim, seeded, seed, words, stance, editor):
    ensure_passages([seeded[seed]])
    passage = seeded[seed].passages.get(text__contains=words)
    services.evidence_add_passage(claim=claim, user=editor, passage=passage, stance=stance)


def test_the_outlets_are_the_story_articles_by_publisher_and_an_article_without_one_stands_alone(editor, db):
    a, b = ArticleFactory(publisher="Reuters"), ArticleFactory(publisher=" reuters ")
    lone = ArticleFactory(publisher="", title="Untitled blog")
    site = ArticleFactory(publisher="", url="https://www.example.org/a")
    c = ArticleFactory(publisher="AP")
    story = services.story_save(story=Story(name="S"), user=editor, articles=[a, b, lone, site, c])
    assert stories.outlets(story) == [
        stories.Outlet(f"#{lone.pk} Untitled blog", (lone.pk,)),
        stories.Outlet("AP", (c.pk,)),
        stories.Outlet("example.org", (site.pk,)),
        stories.Outlet("Reuters", (a.pk, b.pk)),
    ]


def test_each_cell_says_source_linked_stance_or_silent(story, seeded, editor):
    claim = _claim(seeded, "003", "says it has helped 40 gay and bisexual men flee from Chechnya", editor)
    _link(claim, seeded, "001", "The network has helped 40 gay men evacuate", "supports", editor)
    _link(claim, seeded, "004", "at least 100 men have been detained", "contradicts", editor)
    columns = stories.outlets(story)
    [row] = stories.rows([claim], columns)
    by_article = {outlet.article_ids[0]: cell for outlet, cell in zip(columns, row.cells, strict=True)}
    assert by_article[seeded["003"].pk].kinds == ["source"]
    assert by_article[seeded["001"].pk].kinds == ["supports"]
    assert by_article[seeded["001"].pk].words == "supports (linked)"
    assert by_article[seeded["004"].pk].symbols == "✖"
    assert {cell.kind for cell in row.cells} <= {"source", "supports", "contradicts", "suggested", "silent"}
    silent = [cell for cell in row.cells if cell.kind == "silent"]
    assert all(cell.words == "silent" and cell.symbols == "—" for cell in silent)


def test_the_story_page_is_a_table_with_a_caption_headers_and_a_legend_for_every_reader(viewer, client, story, seeded):
    editor = UserFactory(role="editor")
    claim = _claim(seeded, "003", "says it has helped 40 gay and bisexual men flee from Chechnya", editor)
    _link(claim, seeded, "001", "The network has helped 40 gay men evacuate", "supports", editor)
    client.force_login(viewer)
    response = client.get(story.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "<caption" in content and '<th scope="row">' in content
    for outlet in stories.outlets(story):
        assert f'<th scope="col">{outlet.name}' in content
    for symbol, words in stories.KINDS.values():
        assert f'<span class="story-symbol" aria-hidden="true">{symbol}</span> {words}</li>' in content
    assert '<span class="story-words">supports (linked)</span>' in content
    # A viewer reads it, but is offered no way to change it.
    assert "Add an article" not in content and "Edit the story" not in content


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_story(
    editor_client, editor, db, django_assert_max_num_queries
):
    """Both pages are full (a page is ten claims): the larger story has three times the claims, more outlets."""
    queries = []
    for size in (4, 12):
        articles = [ArticleFactory(publisher=f"Outlet {size}-{n}") for n in range(size)]
        for article in articles:
            for _ in range(3):
                link = EvidenceLink(claim=ClaimFactory(article=article, created_by=editor), added_by=editor)
                ensure_passages([articles[0]])
                link.passage, link.stance = articles[0].passages.first(), "supports"
                link.save()
        story = services.story_save(story=Story(name=f"Story {size}"), user=editor, articles=articles)
        with django_assert_max_num_queries(100) as captured:
            assert editor_client.get(story.get_absolute_url()).status_code == 200
        queries.append(len(captured))
    assert queries[0] == queries[1]


def test_the_matrix_downloads_as_csv_with_every_claim_and_formulas_defused(editor_client, story, seeded, editor):
    claim = _claim(seeded, "003", "says it has helped 40 gay and bisexual men flee from Chechnya", editor)
    claim.wording = "=HYPERLINK(1)"
    claim.save()
    _claim(seeded, "004", "at least 100 men have been detained", editor)
    response = editor_client.get(reverse("claims:story-csv", args=[story.pk]))
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, *body = rows
    assert header[:7] == ["claim_id", "claim_url", "wording", "quote", "status", "article", "outlet"]
    assert header[7:] == [outlet.name for outlet in stories.outlets(story)]
    assert len(body) == 2
    assert "'=HYPERLINK(1)" in [row[2] for row in body]
    assert any(cell == "● makes the claim" for cell in body[0][7:])


def test_the_csv_reads_a_long_story_in_chunks_in_order(story, seeded, editor, settings):
    article = seeded["000"]
    for start in range(0, 2100, 10):
        ClaimFactory(article=article, start=start, end=start + 5, created_by=editor)
    rows = list(stories.csv_rows(story))[1:]
    assert len(rows) == 210
    assert [row[0] for row in rows] == list(stories.story_claims(story).values_list("pk", flat=True))


def test_an_editor_makes_a_story_adds_and_removes_articles(editor_client, seeded):
    response = editor_client.post(
        reverse("claims:story-create"), {"name": "  Chechnya   reports ", "article": seeded["000"].pk}
    )
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == story.get_absolute_url()
    assert story.name == "Chechnya reports" and list(story.articles.all()) == [seeded["000"]]
    editor_client.post(reverse("claims:story-add-article", args=[story.pk]), {"article": seeded["001"].pk})
    assert story.articles.count() == 2
    editor_client.post(reverse("claims:story-remove-article", args=[story.pk, seeded["000"].pk]))
    assert list(story.articles.all()) == [seeded["001"]]
    # Each change is in the story's history, with who made it.
    assert story.history.count() >= 1
    assert {record.history_user.username for record in story.history.all()} == {"editor-user"}


def test_an_article_is_chosen_by_its_number_in_a_completion_box_not_from_a_list(editor_client, story):
    content = editor_client.get(story.get_absolute_url()).content.decode()
    assert 'data-complete="/articles/choices/"' in content
    assert "<select" not in content


def test_an_unknown_article_number_is_refused_with_the_form_again(editor_client, story):
    response = editor_client.post(reverse("claims:story-add-article", args=[story.pk]), {"article": "999999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_names_are_unique_whatever_their_case(editor_client, story):
    response = editor_client.post(reverse("claims:story-create"), {"name": "CHECHNYA"})
    assert response.status_code == 400
    assert "There is already a story with this name." in response.content.decode()


def test_a_viewer_may_not_make_or_change_stories_and_an_editor_may_not_delete_one(client, viewer, editor, story):
    client.force_login(viewer)
    assert client.post(reverse("claims:story-create"), {"name": "Mine"}).status_code == 403
    assert client.post(reverse("claims:story-edit", args=[story.pk]), {"name": "Renamed"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.story_add_articles(story=story, user=viewer, articles=[ArticleFactory()])
    with pytest.raises(PermissionDenied):
        services.story_delete(story=story, user=editor)
    assert Story.objects.filter(pk=story.pk).exists()


def test_an_admin_deletes_a_story_and_its_articles_and_claims_stay(client, admin_user, story, seeded):
    client.force_login(admin_user)
    claim = ClaimFactory(article=seeded["000"])
    assert client.post(reverse("claims:story-delete", args=[story.pk])).status_code == 302
    assert not Story.objects.exists()
    claim.refresh_from_db()
    assert claim.article.pk == seeded["000"].pk


def test_the_stories_list_links_every_story_and_offers_an_editor_a_new_one(editor_client, story):
    content = editor_client.get(reverse("claims:stories")).content.decode()
    assert f'href="{story.get_absolute_url()}"' in content
    assert "New story" in content


def test_the_admin_lists_and_edits_stories_through_the_services(client, admin_user, story):
    client.force_login(admin_user)
    assert client.get(reverse("admin:claims_story_changelist")).status_code == 200
    assert client.get(reverse("admin:claims_story_change", args=[story.pk])).status_code == 200


def test_the_demo_makes_a_story_of_the_five_seeds_once(seeded, editor, reviewer):
    add_demo_claims(editor=editor, reviewer=reviewer)
    story = add_demo_story(editor=editor)
    assert story.name == DEMO_STORY
    assert set(story.articles.all()) == set(seeded.values())
    assert add_demo_story(editor=editor) is None
    rows = stories.rows(list(stories.story_claims(story)), stories.outlets(story))
    kinds = {cell.kind for row in rows for cell in row.cells}
    assert {"source", "supports", "contradicts", "context"} <= kinds


def test_the_activity_feed_tells_who_made_a_story_and_changed_its_articles(editor_client, story, seeded, editor):
    services.story_remove_article(story=story, user=editor, article=seeded["000"])
    content = editor_client.get(reverse("activity"), {"kind": "story"}).content.decode()
    assert f'href="{story.get_absolute_url()}"' in content
    assert "Chechnya" in content


def test_articles_like_these_are_the_other_seeds_the_suggestions_match_for_the_story_claims(
    editor_client, seeded, editor
):
    story = services.story_save(story=Story(name="Two seeds"), user=editor, articles=[seeded["003"], seeded["004"]])
    _claim(seeded, "003", "says it has helped 40 gay and bisexual men flee from Chechnya", editor)
    _claim(seeded, "004", "at least 100 men have been detained", editor)
    unrelated = ArticleFactory(title="Local bakery wins a prize", body="The bakery on Main Street won a prize.")
    found = stories.articles_like(story)
    assert found and {article.pk for article, _ in found} <= {seeded[seed].pk for seed in ("000", "001", "002")}
    assert unrelated.pk not in {article.pk for article, _ in found}
    content = editor_client.get(story.get_absolute_url(), {"like": "1"}).content.decode()
    assert "Articles like these" in content
    assert f'<input type="hidden" name="article" value="{found[0][0].pk}">' in content


def test_a_story_saved_in_the_admin_goes_through_the_services_and_keeps_its_history(client, admin_user, story, seeded):
    client.force_login(admin_user)
    url = reverse("admin:claims_story_change", args=[story.pk])
    response = client.post(url, {"name": "Chechnya, renamed", "description": "", "articles": [seeded["000"].pk]})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.name == "Chechnya, renamed" and list(story.articles.all()) == [seeded["000"]]
    assert story.history.first().history_user == admin_user
