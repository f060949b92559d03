"""Claim candidates: a score per passage with its reasons, and the reader's toggle that marks them."""

import re
import time
from html import unescape

from django.urls import reverse

from claims.candidates import THRESHOLD, candidates, marked_candidates, score_sentence
from tests.factories import ArticleFactory, ClaimFactory


def test_a_figure_from_a_named_organisation_scores_high_with_its_reasons():
    score, reasons = score_sentence(
        "Svetlana Zakharova, communications manager at the Russian LGBT Network, confirmed the two "
        "organizations are working together."
    )
    assert score >= 0.8
    assert "names an organisation (Russian LGBT Network)" in reasons
    assert "an official or authority (manager)" in reasons
    assert any(reason.startswith("a figure") for reason in reasons)


def test_an_attributed_quote_counts_as_one():
    score, reasons = score_sentence('"We also do this work all year round," said Powell in an email to NBC News.')
    assert "an attributed quote" in reasons
    assert score >= THRESHOLD


def test_opinion_and_questions_score_lower_than_the_same_statement_of_fact():
    fact, _ = score_sentence("The police detained 100 men in Grozny last month, officials said.")
    opinion, reasons = score_sentence("I think the police should perhaps have detained 100 men in Grozny last month.")
    question, _ = score_sentence("Did the police detain 100 men in Grozny last month, as officials said?")
    assert opinion < fact and question < fact
    assert "opinion or hedging (i think)" in reasons


def test_a_short_or_empty_sentence_is_no_candidate():
    assert score_sentence("Read more.") == (0.0, ("too short to state a claim",))
    assert candidates("") == []


def test_every_passage_gets_a_score_in_zero_to_one_with_offsets_into_the_body(seeded):
    body = seeded["000"].body
    scored = candidates(body)
    assert len(scored) > 20
    for candidate in scored:
        assert 0 <= candidate.score <= 1
        assert body[candidate.start : candidate.end] == candidate.text


def test_the_seed_sentences_with_figures_and_sources_are_marked_and_the_vague_ones_are_not(seeded):
    marked = [candidate.text for candidate in marked_candidates(seeded["000"].body)]
    assert any(text.startswith("One of the fundraisers") and "$93,499" in text for text in marked)
    assert any(text.startswith("Russian independent newspaper Novaya Gazeta first reported") for text in marked)
    assert not any(text.startswith("He also pledged") for text in marked)


def test_scoring_grows_with_the_article_not_faster():
    sentence = "The ministry said 40 men were detained by police in Grozny, according to the Russian LGBT Network. "
    started = time.perf_counter()
    assert len(marked_candidates(sentence * 200)) == 200
    small = time.perf_counter() - started
    started = time.perf_counter()
    assert len(marked_candidates(sentence * 4000)) == 4000
    large = time.perf_counter() - started
    assert large < small * 20 * 4  # twenty times the text: well under the square's 400 times


def _reader(client, article, **query):
    return client.get(article.get_absolute_url(), query)


def test_the_reader_marks_no_candidates_until_asked(editor_client, seeded):
    content = _reader(editor_client, seeded["000"]).content.decode()
    assert "candidate-marker" not in content
    assert 'href="?candidates=1"' in content and "Show claim candidates" in content


def test_with_the_toggle_each_candidate_has_a_marker_with_its_score_and_reasons_in_words(editor_client, seeded):
    article = seeded["000"]
    content = _reader(editor_client, article, candidates="1").content.decode()
    expected = marked_candidates(article.body)
    markers = re.findall(r'<a class="candidate-marker" href="([^"]+)" aria-label="([^"]+)"', content)
    assert len(markers) == len(expected)
    href, label = markers[0]
    assert unescape(label).startswith(f"Claim candidate, score {expected[0].score:.2f}: ")
    assert unescape(label).endswith("Tag it.")
    assert "Hide claim candidates" in content
    assert f"{len(expected)} sentences worth checking" in content


def test_the_marks_add_no_text_to_the_blocks_so_selections_still_map_to_offsets(editor_client, seeded):
    article = seeded["004"]
    ClaimFactory(article=article, start=10, end=200)
    content = _reader(editor_client, article, candidates="1").content.decode()
    blocks = re.findall(r'<(?:p|h2|li) data-start="(\d+)">(.*?)</(?:p|h2|li)>', content, re.S)
    assert len(blocks) > 20
    for start, inner in blocks:
        text = unescape(re.sub(r"<[^>]+>", "", inner))
        assert article.body[int(start) : int(start) + len(text)] == text


def test_a_candidates_link_fills_in_the_tag_form_with_its_sentence(editor_client, seeded):
    article = seeded["000"]
    sentence = marked_candidates(article.body)[0].text
    response = _reader(editor_client, article, candidates="1", quote=sentence)
    form = response.context["tag_form"]
    assert form.initial == {"quote": sentence, "wording": sentence}
    assert 'id="tag-by-quote" open' in response.content.decode()
    # The form posts as the words-tagging form always has.
    response = editor_client.post(
        reverse("claims:create"), {"article": article.pk, "quote": sentence, "wording": sentence}
    )
    assert response.status_code == 302
    assert article.claims.get().quote == sentence


def test_a_viewer_sees_the_candidates_without_a_way_to_tag_them(client, viewer, seeded):
    client.force_login(viewer)
    content = _reader(client, seeded["000"], candidates="1").content.decode()
    assert '<span class="candidate-marker" role="img" aria-label="Claim candidate, score' in content
    assert '<a class="candidate-marker"' not in content


def test_the_reader_with_candidates_costs_the_same_queries_for_a_short_and_a_long_article(
    editor_client, db, django_assert_max_num_queries
):
    sentence = "The ministry said 40 men were detained by police in Grozny, according to the Russian LGBT Network. "
    short, long = ArticleFactory(body=sentence * 3), ArticleFactory(body=(sentence * 20 + "\n\n") * 100)
    queries = {}
    for article in (short, long):
        with django_assert_max_num_queries(12) as captured:
            assert _reader(editor_client, article, candidates="1").status_code == 200
        queries[article.pk] = len(captured)
    assert queries[short.pk] == queries[long.pk]
