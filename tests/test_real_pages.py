"""Real news pages imported right: the set in benchmarks/real_pages/ meets its targets, and each rule
behind them (published over modified, the time of day kept, site suffixes and broken headlines refused,
the article's limit on the article, e-mails and feeds named) holds on a page of its own."""

import gzip
import importlib.util
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.importers import ArticleDraft, Limits, Rejected, Source, records
from articles.importers.base import MiB

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "benchmarks" / "real_pages"
PARAGRAPH = "<p>The council approved the budget on Tuesday after a long debate about road repairs and bus routes.</p>"


def paragraphs(count: int) -> str:
    """Paragraphs that differ: the extractor drops a paragraph repeated word for word."""
    return "".join(
        f"<p>In session {n} the council debated road repairs and bus routes for another hour.</p>" for n in range(count)
    )


def quality():
    spec = importlib.util.spec_from_file_location("extraction_quality", ROOT / "benchmarks" / "extraction_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def one(name: str, data: bytes, limits: Limits | None = None) -> ArticleDraft | Rejected:
    [result] = records([Source.from_bytes(name, data)], limits=limits or Limits.from_settings())
    return result


def page(head: str, body: str = PARAGRAPH * 3) -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>".encode()


def test_the_real_pages_meet_the_targets_for_titles_dates_and_boilerplate():
    module = quality()
    results = module.measure()
    assert results["pages"] >= 40
    assert module.missed(results) == [], results["problems"]
    assert results["publisher"] >= 0.95, results["problems"]


def test_every_page_of_the_set_is_listed_with_its_origin():
    listed = {entry["file"] for entry in quality().expected_pages()}
    assert listed == {f"pages/{path.name}" for path in (PAGES / "pages").iterdir()}
    readme = (PAGES / "README.md").read_text(encoding="utf-8")
    for entry in quality().expected_pages():
        assert entry["origin"]["corpus"] in readme


def test_a_page_bigger_than_the_article_limit_imports_when_its_article_is_small():
    data = gzip.decompress((PAGES / "pages" / "edition.cnn.com-royal.html.gz").read_bytes())
    assert len(data) > 1.3 * MiB
    draft = one("royal.html", data)
    assert isinstance(draft, ArticleDraft), draft
    assert draft.raw == data
    assert len(draft.body.encode()) < MiB
    assert "Harry and Meghan" in draft.title


def test_an_article_bigger_than_the_article_limit_is_rejected_with_its_size():
    result = one("long.html", page("<title>Budget</title>", paragraphs(40)), Limits(max_article_bytes=1000))
    assert isinstance(result, Rejected)
    assert result.error.startswith("the article extracted is ")
    assert result.error.endswith("; the limit is 1000 bytes per article")


def test_a_page_bigger_than_the_page_limit_is_rejected_before_it_is_parsed(settings):
    settings.WORKBENCH_IMPORT_MAX_RAW_PAGE_BYTES = 2000
    result = one("big.html", page("<title>Budget</title>", paragraphs(40)))
    assert result == Rejected("big.html", None, None, "the page is over the limit of 2 KiB per page")


def test_an_email_message_is_rejected_saying_what_it_is():
    data = (PAGES / "not_articles" / "press-release.eml").read_bytes()
    for name in ("press-release.eml", "press-release.txt", "press-release"):
        result = one(name, data)
        assert isinstance(result, Rejected)
        assert result.error.startswith("this is an e-mail message (RFC 822), not an article"), name


def test_a_text_article_that_opens_with_a_label_is_not_taken_for_an_email():
    draft = one("note.txt", b"From: the editor's desk\n\nThe council approved the budget on Tuesday.\n")
    assert isinstance(draft, ArticleDraft)


@pytest.mark.parametrize(("name", "kind"), [("feed.rss", "an RSS feed"), ("feed.atom", "an Atom feed")])
def test_a_feed_is_rejected_saying_what_it_is(name, kind):
    result = one(name, (PAGES / "not_articles" / name).read_bytes())
    assert isinstance(result, Rejected)
    assert result.error.startswith(f"this is {kind} (an XML document, not an HTML page)")


def test_the_published_date_wins_over_the_modified_one_with_its_time_and_zone():
    head = (
        '<meta name="date" content="2020-09-28T18:27:38Z">'
        '<meta property="article:modified_time" content="2020-09-28T18:27:38Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget approved",'
        '"datePublished": "2020-09-28T13:41:29+01:00", "dateModified": "2020-09-28T18:27:38Z"}</script>'
        "<title>Budget approved</title>"
    )
    draft = one("page.html", page(head))
    assert draft.published_at == datetime(2020, 9, 28, 13, 41, 29, tzinfo=timezone(timedelta(hours=1)))


def test_a_day_without_its_time_takes_the_time_another_tag_gives_for_that_day():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-11-18"}</script>'
        "<title>Budget approved</title>"
    )
    draft = one("page.html", page(head, f'<time datetime="2019-11-18T20:28:55+00:00">Nov 18</time>{PARAGRAPH * 3}'))
    assert draft.published_at == datetime(2019, 11, 18, 20, 28, 55, tzinfo=UTC)


def test_a_placeholder_date_is_no_date_and_the_published_line_is_read():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}'
        "</script><title>Budget approved</title>"
    )
    draft = one("page.html", page(head, f"<p>Published 7:07 PM EST Nov 19, 2019</p>{PARAGRAPH * 3}"))
    assert draft.published_at == datetime(2019, 11, 20, 0, 7, tzinfo=UTC)


def test_a_broken_jsonld_headline_is_not_taken_for_the_title():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "escenic"}</script>'
        '<meta property="og:title" content="Plumber jailed after boiler killed daughter">'
        "<title>Plumber jailed after boiler killed daughter</title>"
    )
    assert one("page.html", page(head)).title == "Plumber jailed after boiler killed daughter"


def test_the_site_name_section_and_date_are_cut_from_the_title():
    head = (
        '<meta property="og:site_name" content="DW.COM">'
        '<meta property="og:title" content="Berlin confronts its colonial past | DW | 19.01.2020">'
        "<title>Berlin confronts its colonial past | Germany | DW | 19.01.2020</title>"
    )
    draft = one("page.html", page(head))
    assert draft.title == "Berlin confronts its colonial past"
    assert draft.published_at == datetime(2020, 1, 19, tzinfo=UTC)


def test_the_publisher_is_the_name_that_matches_the_address_not_a_section():
    head = (
        '<meta property="og:site_name" content="U.S."><link rel="canonical" href="https://www.reuters.com/a">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Oil drifts lower",'
        '"publisher": {"@type": "Organization", "name": "Reuters"}}</script><title>Oil drifts lower</title>'
    )
    assert one("page.html", page(head)).publisher == "Reuters"


def test_share_related_and_newsletter_blocks_stay_out_of_the_body():
    body = (
        PARAGRAPH
        + '<div class="related-links"><a href="/x">Looted art: a new office</a></div>'
        + '<p class="c-recirculation-link"><a href="/y">California is becoming unlivable</a></p>'
        + paragraphs(2)
        + "<p>Read more: Recognizing colonial crimes</p><p><em>Like this story? Share it with a friend!</em></p>"
    )
    draft = one("page.html", page("<title>Budget approved</title>", body))
    for furniture in ("Looted art", "unlivable", "Read more", "Share it"):
        assert furniture not in draft.body
    assert "The council approved the budget" in draft.body
    assert draft.body.count("the council debated road repairs") == 2


def test_a_page_wrapped_in_a_form_keeps_its_article():
    data = page("<title>Budget approved</title>", f'<form method="post"><input name="x">{PARAGRAPH * 3}</form>')
    draft = one("page.html", data)
    assert isinstance(draft, ArticleDraft), draft
    assert "The council approved the budget" in draft.body
