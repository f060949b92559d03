"""Updated articles: a changed re-import is a new version; its claims follow it or are flagged."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import services
from articles.models import Article
from articles.services import import_files
from articles.signals import version_created
from claims.anchoring import anchor_for_quote
from claims.models import Claim
from claims.services import claim_create, evidence_add_passage, verdict_record
from tests.factories import ArticleFactory, UserFactory, _passage_of

URL = "https://news.example/2017/04/evacuations"
FIRST = (
    "Rescuers evacuated 40 men from the region. "
    "The network says at least 100 men were detained in secret prisons. "
    "Officials denied every report on Monday."
)
CORRECTED = (
    "Update: this story was corrected on Tuesday.\n\n"
    "Rescuers evacuated 40 men from the region. "
    "The network says more than 100 men were held in secret prisons. "
    "The ministry did not answer questions from reporters."
)


def publish(text: str, name: str = "story.json"):
    record = {"title": "Evacuations continue", "url": URL, "publisher": "Wire", "text": text}
    return import_files(files=[(name, json.dumps(record).encode())], user=None)


@pytest.fixture
def first_version(db):
    publish(FIRST)
    return Article.objects.get()


def tag(article, words, user):
    return claim_create(article=article, user=user, anchor=anchor_for_quote(article.body, words))


def test_a_changed_reimport_is_a_new_version_and_the_old_one_stays(first_version):
    report = publish(CORRECTED, "story-v2.json")
    new = Article.objects.get(pk=report.imported[0]["article_id"])
    first_version.refresh_from_db()
    assert (new.version, new.previous_version, new.url) == (2, first_version, URL)
    assert first_version.body == FIRST and first_version.next_version == new
    assert list(Article.objects.current()) == [new]


def test_an_article_at_the_longest_url_allowed_gets_versions_too(db):
    # A path of 1,979 scattered CJK characters: 5.9 kB in UTF-8 that do not compress, more than a
    # PostgreSQL btree entry may hold.
    url = "https://news.example/" + "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(1979))
    assert len(url) <= Article._meta.get_field("url").max_length
    for name, text in (("first.json", FIRST), ("second.json", CORRECTED)):
        record = {"title": "Evacuations continue", "url": url, "text": text}
        assert import_files(files=[(name, json.dumps(record).encode())], user=None).imported
    assert [a.version for a in Article.objects.filter(url=url).order_by("version")] == [1, 2]


def test_versions_follow_the_right_article_when_a_concurrent_import_clashes_with_the_chunk(db, monkeypatch):
    # Another import stores one of the texts while this one decides: the chunk is written again one
    # article at a time, and each new version must point at its predecessor as rewritten.
    other_url, clash = "https://news.example/other", "Officials denied every report again on Tuesday."
    decide, concurrent = services.article_from_draft, []

    def meanwhile(*args, **kwargs):
        if not concurrent:  # after this import looked for known texts, before it writes
            concurrent.append(ArticleFactory(body=clash))
        return decide(*args, **kwargs)

    monkeypatch.setattr(services, "article_from_draft", meanwhile)
    records = [(URL, FIRST), (other_url, "Officials denied every report."), (URL, CORRECTED), (other_url, clash)]
    lines = [json.dumps({"title": "T", "url": url, "text": text}) for url, text in records]
    report = import_files(files=[("feed.jsonl", "\n".join(lines).encode())], user=None)

    first, corrected = Article.objects.filter(url=URL).order_by("version")
    assert (corrected.previous_version, corrected.version, corrected.body) == (first, 2, CORRECTED)
    assert [item["record"] for item in report.imported] == [1, 2, 3]
    assert report.duplicates == [{"file": "feed.jsonl", "record": 4, "article_id": concurrent[0].pk, "title": "T"}]


def test_a_repeat_within_one_chunk_names_the_article_it_repeats(db):
    lines = [json.dumps({"title": "T", "url": URL, "text": FIRST}), json.dumps({"title": "T again", "text": FIRST})]
    report = import_files(files=[("twice.jsonl", "\n".join(lines).encode())], user=None)
    article = Article.objects.get()
    assert report.duplicates == [{"file": "twice.jsonl", "record": 2, "article_id": article.pk, "title": "T again"}]
    [_, repeat] = report.rows()
    assert repeat["detail"] == f"duplicate of #{article.pk}"


def test_the_same_text_again_is_a_duplicate_not_a_version(first_version):
    report = publish(FIRST, "again.json")
    assert report.duplicates[0]["article_id"] == first_version.pk and Article.objects.count() == 1


def test_claims_move_to_the_new_version_and_those_to_recheck_are_flagged(first_version, editor, reviewer):
    unchanged = tag(first_version, "Rescuers evacuated 40 men from the region.", editor)
    corrected = tag(first_version, "at least 100 men were detained in secret prisons", editor)
    removed = tag(first_version, "Officials denied every report on Monday.", editor)
    for publisher in ("One", "Two"):
        evidence_add_passage(
            claim=corrected, user=editor, passage=_passage_of(ArticleFactory(publisher=publisher)), stance="supports"
        )
    corrected.refresh_from_db()
    verdict_record(
        claim=corrected, user=reviewer, status="verified", rationale="Two reports.", expected_version=corrected.version
    )

    publish(CORRECTED, "story-v2.json")
    new = Article.objects.get(version=2)
    unchanged, corrected, removed = (Claim.objects.get(pk=c.pk) for c in (unchanged, corrected, removed))

    assert (unchanged.article, unchanged.anchor_confidence, unchanged.needs_review) == (new, 1.0, False)
    assert new.body[unchanged.start : unchanged.end] == unchanged.quote

    assert corrected.article == new and new.body[corrected.start : corrected.end] == corrected.quote
    assert "more than 100 men were held" in corrected.quote and corrected.anchor_confidence < 1
    # Its verdict judged other words: it is suspended until a reviewer looks again.
    assert (corrected.status, corrected.needs_review) == ("review", True)
    assert corrected.review_reason == "The quoted words changed after the verdict."

    assert removed.article == first_version and removed.needs_review
    assert removed.review_reason == "Not found again in version 2 of the article."

    moved = corrected.history.latest()
    assert moved.history_channel == "import" and moved.history_change_reason.startswith("re-anchored in version 2")


def test_a_new_version_is_announced_with_the_version_it_follows(first_version):
    heard = []

    def listener(sender, *, old, new, **kwargs):
        heard.append((sender, old.pk, new.pk, new.version, Article.objects.filter(pk=new.pk).exists()))

    version_created.connect(listener)
    try:
        publish(CORRECTED, "story-v2.json")
    finally:
        version_created.disconnect(listener)
    new = Article.objects.get(version=2)
    assert heard == [(Article, first_version.pk, new.pk, 2, True)]


def test_a_listener_that_fails_undoes_the_new_version_with_the_import_chunk(first_version, editor):
    """The announcement is part of the chunk's transaction: claims never point at a version that was undone."""
    claim = tag(first_version, "Rescuers evacuated 40 men from the region.", editor)

    def failing(sender, **kwargs):
        raise RuntimeError("listener broke")

    version_created.connect(failing)
    try:
        with pytest.raises(RuntimeError, match="listener broke"):
            publish(CORRECTED, "story-v2.json")
    finally:
        version_created.disconnect(failing)
    assert list(Article.objects.values_list("version", flat=True)) == [1]
    assert Claim.objects.get(pk=claim.pk).article == first_version


def test_a_claim_found_only_approximately_is_flagged_even_when_open(first_version, editor):
    claim = tag(first_version, "at least 100 men were detained in secret prisons", editor)
    publish(CORRECTED.replace("more than 100 men were held", "over a hundred people were kept"), "v2.json")
    claim.refresh_from_db()
    assert (claim.article.version, claim.quote) == (2, "over a hundred people were kept in secret prisons")
    assert claim.anchor_confidence < 0.8 and claim.needs_review
    assert (
        claim.review_reason
        == "The quoted words changed in version 2 (found again only approximately): check the quote."
    )


def test_an_open_claim_whose_figure_changed_is_flagged(first_version, editor):
    claim = tag(first_version, "at least 100 men were detained in secret prisons", editor)
    publish(FIRST.replace("at least 100 men", "at least 120 men"), "v2.json")
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.article.version, claim.quote) == (2, "at least 120 men were detained in secret prisons")
    assert claim.anchor_confidence >= 0.8 and (claim.status, claim.needs_review) == ("open", True)
    assert claim.review_reason == "The quoted words changed in version 2: check the quote."


def test_a_verified_claim_carried_word_for_word_to_a_new_version_stays_verified(first_version, editor, reviewer):
    claim = tag(first_version, "Rescuers evacuated 40 men from the region.", editor)
    for publisher in ("One", "Two"):
        passage = _passage_of(ArticleFactory(publisher=publisher))
        evidence_add_passage(claim=Claim.objects.get(pk=claim.pk), user=editor, passage=passage, stance="supports")
    claim = Claim.objects.get(pk=claim.pk)
    verdict_record(claim=claim, user=reviewer, status="verified", rationale="Two.", expected_version=claim.version)
    publish(FIRST + " A later paragraph.", "v2.json")
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.article.version, claim.status, claim.needs_review) == (2, "verified", False)


def test_claims_are_tagged_on_the_newest_version_only(first_version, editor):
    publish(CORRECTED, "story-v2.json")
    with pytest.raises(ValidationError, match="a newer one exists: tag claims on the newest version"):
        tag(first_version, "Officials denied every report on Monday.", editor)
    assert tag(Article.objects.get(version=2), "Rescuers evacuated 40 men", editor).article.version == 2


def test_a_flagged_claim_shows_why_and_can_be_marked_checked(client, first_version, editor):
    claim = tag(first_version, "Officials denied every report on Monday.", editor)
    publish(CORRECTED, "story-v2.json")
    client.force_login(editor)
    listing = client.get(reverse("claims:list"), {"needs_review": "true"}).content.decode()
    assert "needs review" in listing and "Officials denied every report" in listing
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "Not found again in version 2 of the article." in page
    client.post(reverse("claims:reviewed", args=[claim.pk]), {"version": Claim.objects.get(pk=claim.pk).version})
    assert not Claim.objects.get(pk=claim.pk).needs_review


def test_two_changed_copies_in_one_import_become_consecutive_versions(first_version):
    records = [{"title": "T", "url": URL, "text": text} for text in (CORRECTED, CORRECTED + " A later line.")]
    import_files(files=[("two.jsonl", "\n".join(json.dumps(r) for r in records).encode())], user=None)
    chain = list(Article.objects.order_by("version").values_list("version", "previous_version__version"))
    assert chain == [(1, None), (2, 1), (3, 2)]


def test_a_dry_run_says_which_records_would_be_new_versions(first_version):
    from articles.importers import Source
    from articles.services import import_sources

    record = json.dumps({"title": "T", "url": URL, "text": CORRECTED}).encode()
    report = import_sources(sources=[Source.from_bytes("v2.json", record)], user=None, dry_run=True)
    [row] = report.rows()
    assert (row["outcome"], row["detail"]) == ("new", f"new version of #{first_version.pk}")
    assert Article.objects.count() == 1


def test_the_reader_links_the_versions(client, first_version):
    publish(CORRECTED, "story-v2.json")
    client.force_login(UserFactory(username="reader", role="viewer"))
    old_page = client.get(first_version.get_absolute_url()).content.decode()
    assert "This is version 1, kept as it was." in old_page and "Read version 2" in old_page
    new = Article.objects.get(version=2)
    assert "version 1</a> was imported earlier" in client.get(new.get_absolute_url()).content.decode()
    assert "Claims are tagged" not in old_page  # a viewer tags nowhere: the notice only says what is newer


def test_the_reader_of_a_superseded_version_offers_no_tagging_and_leads_to_the_newest(
    first_version, editor_client, django_assert_max_num_queries
):
    publish(CORRECTED, "story-v2.json")
    new = Article.objects.get(version=2)
    with django_assert_max_num_queries(8):
        old_page = editor_client.get(first_version.get_absolute_url()).content.decode()
    assert f'<a href="{new.get_absolute_url()}">Read version 2</a>, the newest' in old_page
    assert "Claims are tagged on the newest version: this one takes no new claims." in old_page
    assert "Tag a claim by its words" not in old_page and 'id="tag-claim"' not in old_page
    assert "Select words in the text to tag a claim" not in old_page and "js/reader.js" not in old_page


def test_the_reader_of_the_newest_version_offers_tagging(first_version, editor_client):
    publish(CORRECTED, "story-v2.json")
    page = editor_client.get(Article.objects.get(version=2).get_absolute_url()).content.decode()
    assert "Tag a claim by its words" in page and 'id="tag-claim"' in page and "js/reader.js" in page
    assert "takes no new claims" not in page


def test_the_notice_on_an_old_version_leads_past_the_next_version_to_the_newest(first_version, editor_client):
    publish(CORRECTED, "story-v2.json")
    publish(CORRECTED + " A later line.", "story-v3.json")
    newest = Article.objects.get(version=3)
    assert first_version.newest_version() == newest == newest.newest_version()
    page = editor_client.get(first_version.get_absolute_url()).content.decode()
    assert f'<a href="{newest.get_absolute_url()}">Read version 3</a>, the newest' in page


def test_pasting_words_on_a_page_opened_before_a_new_version_shows_the_reader_with_the_notice(
    first_version, editor_client
):
    publish(CORRECTED, "story-v2.json")
    data = {"article": first_version.pk, "quote": "Officials denied every report on Monday."}
    response = editor_client.post(reverse("claims:create"), data)
    assert response.status_code == 400
    assert "Claims are tagged on the newest version: this one takes no new claims." in response.content.decode()
    assert not Claim.objects.exists()


def test_a_selection_on_a_page_opened_before_a_new_version_answers_the_script_with_the_reason(
    first_version, editor_client
):
    publish(CORRECTED, "story-v2.json")
    end = len("Rescuers evacuated 40 men from the region.")
    response = editor_client.post(
        reverse("claims:create"),
        {"article": first_version.pk, "start": 0, "end": end},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 400
    assert "tag claims on the newest version" in response.json()["errors"]["__all__"][0]
    assert not Claim.objects.exists()
