"""schema.org ClaimReview (JSON-LD): one review per claim, as Google's fact-check tools read them.

The document is a JSON array of ClaimReviews, each with its own "@context". The array as a whole is one
JSON-LD document (it passes schema.org's SHACL shapes), and each element is what Google reads from a
page's <script type="application/ld+json">: a root node with a schema.org context and @type
ClaimReview. A publisher can put any element, as it is, on its claim's page (Google wants one
ClaimReview per page); an element of a single "@graph" would first need the context put back.

The context is written out rather than named ("https://schema.org"), so that a reader with no network
(pyld, rdflib) expands a review exactly as schema.org's published context would: every term under
http://schema.org/, and the few values that context gives a type (links, dates) given the same one.

Ratings use the common five-point truthfulness scale, 1 (false) to 5 (true): disputed is 1, verified 5.
An open claim has no verdict, so its rating has only the name "Open" and no number: a number in the
middle would read as "half true". Google requires the name; the numbers are optional, all three or none.
Nor has it a publication date (the verdict's time for the others): the time of the export would make
every export of the same claim a different review.
JSON-LD has no use for null or empty values, so absent ones are left out, not written empty.
"""

from collections.abc import Iterable, Iterator

from claims.exports import jsonld
from claims.exports.context import ExportContext
from claims.models import Claim

EXTENSION = "jsonld"
MEDIA_TYPE = "application/ld+json"
SCHEMA = "http://schema.org/"
CONTEXT = {
    "@vocab": SCHEMA,
    "url": {"@id": SCHEMA + "url", "@type": "@id"},
    "archivedAt": {"@id": SCHEMA + "archivedAt", "@type": "@id"},
    "datePublished": {"@id": SCHEMA + "datePublished", "@type": SCHEMA + "Date"},
}
WORST, BEST = 1, 5
RATING_VALUES = {Claim.Status.DISPUTED: WORST, Claim.Status.VERIFIED: BEST}


def render(records: Iterable[dict], context: ExportContext) -> Iterator[str]:
    yield "["
    separator = "\n  "
    for record in records:
        yield separator + jsonld.dumps(claim_review(record, context))
        separator = ",\n  "
    yield "\n]\n"


def claim_review(record: dict, context: ExportContext) -> dict:
    verdict = record["verdict"]
    review = _node(
        "ClaimReview",
        url=record["url"],
        claimReviewed=record["wording"],
        reviewRating=rating(verdict, record["review"]),
        author=_node("Organization", name=context.organisation_name, url=context.organisation_url),
        # Only a standing verdict was published: an open claim has none, one that needs review has it suspended.
        datePublished=verdict["reviewed_at"] if verdict["status"] in RATING_VALUES else None,
        keywords=record["tags"],
        itemReviewed=claim(record),
    )
    return {"@context": CONTEXT, **review}


def rating(verdict: dict, review: dict) -> dict:
    """The verdict as a rating; a suspended one is explained by why it needs review, not by its old rationale."""
    value = RATING_VALUES.get(verdict["status"])
    scale = {"ratingValue": value, "bestRating": BEST, "worstRating": WORST} if value else {}
    return _node(
        "Rating",
        alternateName=Claim.Status(verdict["status"]).label,
        ratingExplanation=review["reason"] if verdict["status"] == Claim.Status.REVIEW else verdict["rationale"],
        **scale,
    )


def claim(record: dict) -> dict:
    """The claim as the article makes it: its exact words, in the article, which stands for its author."""
    article = record["article"]
    publisher = _node("Organization", name=article["publisher"])
    return _node(
        "Claim",
        identifier=record["uid"],
        text=record["anchor"]["quote"],
        author=publisher,
        datePublished=article["published_at"],
        appearance=_node(
            "Article",
            url=article["url"],
            headline=article["title"],
            datePublished=article["published_at"],
            publisher=publisher,
            # The workbench's copy the claim is anchored in: the one link to an article imported without a URL.
            archivedAt=article["workbench_url"],
        ),
    )


def _node(type_: str, **properties) -> dict | None:
    present = {name: value for name, value in properties.items() if value not in (None, "", [])}
    return {"@type": type_, **present} if present else None
