"""The schema.org ClaimReview export: what Google reads, what a user checks, and schema.org's SHACL shapes."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from pyld.jsonld import JsonLdError

from claims.exports import claimreview
from claims.exports.context import DEFAULT_BASE_URL, build_context
from claims.exports.records import claim_records
from claims.models import Claim
from tests.conformance_checks import empty_values, google_fields_missing, shacl_violations
from tests.factories import ArticleFactory, ClaimFactory
from tests.jsonld_offline import (
    expand,
    expand_with_published_schema_org_context,
    iris,
    keys_in,
    keys_out,
    with_published_schema_org_context,
)

STATUSES = Claim.Status.values


@pytest.fixture
def claims(every_kind_of_claim, settings):
    settings.WORKBENCH_ORGANISATION_NAME = "Fact Desk Ltd"
    settings.WORKBENCH_ORGANISATION_URL = "https://factdesk.example/"
    bare_article = ArticleFactory(url="", publisher="", published_at=None)
    return {**every_kind_of_claim, "bare": ClaimFactory(article=bare_article)}


@pytest.fixture
def document(claims):
    return render()


def render() -> str:
    claims = Claim.objects.all()
    return "".join(
        claimreview.render(
            claim_records(claims, base_url=DEFAULT_BASE_URL),
            build_context(claims, base_url=DEFAULT_BASE_URL, statuses=STATUSES),
        )
    )


def review_of(document: str, claim: Claim) -> dict:
    [review] = [review for review in json.loads(document) if review["itemReviewed"]["identifier"] == str(claim.uid)]
    return review


def test_it_conforms_to_schema_orgs_shacl_shapes(document):
    assert shacl_violations(document) == []


def test_the_shapes_catch_a_broken_claimreview(claims):
    broken = json.loads(render())
    broken[0]["author"] = "Fact Desk Ltd"  # an Organization or Person, never a bare string
    broken[1]["itemReviewed"]["appearance"] = "https://news.example/health/waiting-times"
    violations = shacl_violations(json.dumps(broken))
    assert len(violations) == 2
    assert violations[0].startswith("schema:appearance: ") and violations[1].startswith("schema:author: ")


def test_it_writes_one_claimreview_per_claim_each_with_its_own_context(claims, document):
    reviews = json.loads(document)
    assert len(reviews) == len(claims)
    assert all(review["@context"]["@vocab"] == "http://schema.org/" for review in reviews)
    assert {review["@type"] for review in reviews} == {"ClaimReview"}
    assert {review["itemReviewed"]["@type"] for review in reviews} == {"Claim"}


def test_it_expands_offline_exactly_as_with_schema_orgs_published_context(document):
    reviews = json.loads(document)
    assert expand(reviews) == expand_with_published_schema_org_context(reviews)


def test_every_term_expands_under_schema_org_and_none_is_dropped(document):
    reviews = json.loads(document)
    expanded = expand(reviews)
    assert iris(expanded) and all(iri.startswith("http://schema.org/") for iri in iris(expanded))
    assert keys_out(expanded) == keys_in(reviews)


def test_a_review_that_only_names_schema_orgs_context_cannot_be_read_offline(document):
    with pytest.raises(JsonLdError, match="loading remote context failed"):
        expand(with_published_schema_org_context(json.loads(document)))


def test_it_has_every_field_google_requires(document):
    # The shapes check the kinds of values, not which properties are there, nor dates or numbers.
    assert json.loads(document) and google_fields_missing(json.loads(document)) == []


def test_the_google_check_catches_missing_fields(claims):
    broken = json.loads(render())
    del broken[0]["claimReviewed"]
    broken[0]["author"] = "Fact Desk Ltd"
    broken[1]["datePublished"] = "2025-03-06T12:00:00"
    broken[1]["reviewRating"]["ratingValue"] = 7
    assert [problem.split(": ", 1)[1] for problem in google_fields_missing(broken)] == [
        "claimReviewed",
        "author (an Organization with a name)",
        "reviewRating within its scale",
        "datePublished (with a time zone)",
    ]


def test_it_maps_a_verified_claim(claims, document):
    review = review_of(document, claims["verified"])
    assert review["claimReviewed"] == "=SUM(A1:A2) hospital waiting times fell by 12%"
    assert review["url"] == "http://127.0.0.1:8000" + claims["verified"].get_absolute_url()
    assert review["author"] == {"@type": "Organization", "name": "Fact Desk Ltd", "url": "https://factdesk.example/"}
    assert review["datePublished"] == "2025-03-06T12:00:00+00:00"
    assert review["keywords"] == ["budget", "health"]
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Verified",
        "ratingExplanation": "Two independent reports confirm the 12% figure.",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_it_gives_the_article_as_an_object_with_its_publisher(claims, document):
    claim = review_of(document, claims["verified"])["itemReviewed"]
    publisher = {"@type": "Organization", "name": "Example News"}
    assert claim["text"] == claims["verified"].quote
    assert claim["author"] == publisher
    assert claim["datePublished"] == "2025-03-04T08:30:00+00:00"
    assert claim["appearance"] == {
        "@type": "Article",
        "url": "https://news.example/health/waiting-times",
        "headline": "Waiting times “fell”, ministry says",
        "datePublished": "2025-03-04T08:30:00+00:00",
        "publisher": publisher,
        "archivedAt": "http://127.0.0.1:8000" + claims["verified"].article.get_absolute_url(),
    }


def test_it_rates_a_disputed_claim_at_the_bottom_of_the_scale(claims, document):
    review = review_of(document, claims["disputed"])
    assert review["reviewRating"]["alternateName"] == "Disputed"
    assert (review["reviewRating"]["ratingValue"], review["reviewRating"]["worstRating"]) == (1, 1)
    assert review["datePublished"] == "2025-03-07T09:15:00+00:00"


def test_it_names_an_open_claim_open_without_a_number_or_a_publication_date(claims):
    review = review_of(render(), claims["open"])
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Open"}
    assert "datePublished" not in review  # nothing is published about it until there is a verdict
    assert review["claimReviewed"] == "Café prices rose 5% — officials blame energy"


def test_an_open_claim_exported_twice_gives_the_same_review(claims):
    open_claims = Claim.objects.filter(pk=claims["open"].pk)
    context = build_context(open_claims, base_url=DEFAULT_BASE_URL, statuses=STATUSES)
    a_day_later = replace(context, exported_at=context.exported_at + timedelta(days=1))
    first, second = (
        "".join(claimreview.render(claim_records(open_claims, base_url=DEFAULT_BASE_URL), exported))
        for exported in (context, a_day_later)
    )
    assert first == second


def test_it_leaves_out_what_is_unknown_instead_of_writing_it_empty(claims, document):
    review = review_of(document, claims["bare"])
    appearance = review["itemReviewed"]["appearance"]
    assert set(appearance) == {"@type", "headline", "archivedAt"}
    assert "author" not in review["itemReviewed"] and "keywords" not in review

    assert empty_values(json.loads(document)) == []


def test_it_writes_unicode_as_it_is(document):
    assert "Café prices rose 5% — officials blame energy" in document
    assert "Waiting times “fell”, ministry says" in document


def test_a_claim_cannot_close_the_script_element_a_page_embeds_its_review_in(db):
    article = ArticleFactory(body="It read </script><script>alert(1)</script> & more. The end.", title="Tom & <b>")
    claim = ClaimFactory(article=article, wording="</script><script>alert(1)</script>")
    document = render()
    assert "<" not in document and ">" not in document and "&" not in document
    [review] = json.loads(document)
    assert review["claimReviewed"] == "</script><script>alert(1)</script>"
    assert review["itemReviewed"]["text"] == claim.quote == "It read </script><script>alert(1)</script> & more."
    assert review["itemReviewed"]["appearance"]["headline"] == "Tom & <b>"


def test_it_is_valid_json_when_there_are_no_claims(db):
    assert json.loads(render()) == []


def test_it_streams_a_claim_at_a_time(claims):
    taken = []

    def records():
        for record in claim_records(Claim.objects.all(), base_url=DEFAULT_BASE_URL):
            taken.append(record)
            yield record

    chunks = claimreview.render(
        records(), build_context(Claim.objects.all(), base_url=DEFAULT_BASE_URL, statuses=STATUSES)
    )
    next(chunks), next(chunks)
    assert len(taken) == 1
