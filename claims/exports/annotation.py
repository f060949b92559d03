"""W3C Web Annotation (JSON-LD): one Annotation per claim, the set as an AnnotationCollection of AnnotationPages.

The file is one JSON-LD document whose `@graph` holds the collection, then its pages in order, each page's
`items` holding its annotations:

    {"@context": "http://www.w3.org/ns/anno.jsonld", "@graph": [
    {"type": "AnnotationCollection", "id": "urn:uuid:…", "total": 3, "first": "urn:uuid:…#page-1", …},
    {"type": "AnnotationPage", "id": "urn:uuid:…#page-1", "partOf": {…}, "next": …, "items": [
    {"type": "Annotation", …},
    …]},
    …]}

Why a graph: the model requires `next`, `prev` and `last` to be IRIs, so only the first page could be
embedded in the collection; a graph keeps every page a sibling (JSON-LD 1.0 and 1.1 alike), and each
node repeats its `@context` so that it is a complete Annotation, page or collection when taken out alone.
Pages embed the collection's `partOf` description (id, label, total), which is what the page tests expect.

The annotation model has no words for a source's stance, a verdict's rationale, an evidence note or a
source's title and publisher, so annotations add a few terms to the context: the stance as a CiTO
citation characterisation, the rationale as schema.org's reviewBody, Dublin Core title and publisher,
skos:note. Evidence links are SpecificResource bodies with purpose `linking`: the model forbids a
purpose on a bare web resource.

Read offline: the model requires the context by its IRI, so a bundle ships a copy of it
(contexts/anno.jsonld) for a reader to serve in its place. W3C has published several versions of that
document, and what is written here expands the same under each: the added terms are full IRIs, relying
on no prefix of it, and the one motivation some versions lack is written as a prefixed name.
"""

import json
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from claims.exports import jsonld
from claims.exports.context import ExportContext
from claims.models import EvidenceLink

EXTENSION = "jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PAGE_SIZE = 100  # annotations per AnnotationPage

ANNO = "http://www.w3.org/ns/anno.jsonld"
ANNO_COPY = Path(__file__).parent / "contexts/anno.jsonld"  # the Recommendation's, for readers offline
# anno.jsonld as published up to and with the Recommendation (2017) maps "reviewing", the motivation's
# name before the vocabulary renamed it, and not "assessing" (W3C added that term in 2021), so against it
# a bare "assessing" expands to a relative IRI. Every version maps the oa: prefix.
ASSESSING = "oa:assessing"
CITO = "http://purl.org/spar/cito/"
# Each stance read from the claim's side: the claim obtains support from the source, and so on.
STANCES = {
    EvidenceLink.Stance.SUPPORTS: CITO + "obtainsSupportFrom",
    EvidenceLink.Stance.CONTRADICTS: CITO + "isDisputedBy",
    EvidenceLink.Stance.CONTEXT: CITO + "obtainsBackgroundFrom",
}
CONTEXT = [
    ANNO,
    {
        "stance": {"@id": CITO + "hasCitationCharacterization", "@type": "@vocab"},
        **{str(stance): iri for stance, iri in STANCES.items()},
        "rationale": "http://schema.org/reviewBody",
        "note": "http://www.w3.org/2004/02/skos/core#note",
        "title": "http://purl.org/dc/elements/1.1/title",
        "publisher": "http://purl.org/dc/elements/1.1/publisher",
    },
]


def render(records: Iterable[dict], context: ExportContext) -> Iterator[str]:
    collection = describe_collection(context)
    pages = page_count(context.total)
    records = iter(records)
    yield '{"@context": ' + jsonld.dumps(ANNO) + ', "@graph": [\n' + jsonld.dumps(collection)
    for number in range(1, pages + 1):
        start = (number - 1) * PAGE_SIZE
        yield ",\n" + jsonld.dumps(describe_page(collection, number, pages))[:-1] + ', "items": ['
        separator = "\n"
        # The pages were announced from the count: a claim arriving since has no place in them.
        for record in islice(records, min(PAGE_SIZE, context.total - start)):
            yield separator + jsonld.dumps(annotation(record, context))
            separator = ",\n"
        yield "]}"
    yield "\n]}\n"


def page_count(total: int) -> int:
    return -(-total // PAGE_SIZE)


def describe_collection(context: ExportContext) -> dict:
    pages = page_count(context.total)
    collection = {
        "@context": ANNO,
        "id": collection_id(context),
        "type": "AnnotationCollection",
        "label": _label(context),
        "total": context.total,
    }
    if pages:
        collection["first"] = page_id(collection["id"], 1)
        collection["last"] = page_id(collection["id"], pages)
    organisation = {"type": "Organization", "name": context.organisation_name, "homepage": context.organisation_url}
    return collection | {"creator": _present(organisation), "created": context.exported_at.isoformat()}


def collection_id(context: ExportContext) -> str:
    """The same export described twice gets the same id; the context holds no id of its own."""
    selection = [context.base_url, context.exported_at.isoformat(), context.exported_by, context.claim_set]
    name = json.dumps([*selection, sorted(context.statuses), sorted(context.filters.items())], ensure_ascii=False)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def page_id(collection: str, number: int) -> str:
    return f"{collection}#page-{number}"


def describe_page(collection: dict, number: int, pages: int) -> dict:
    page = {
        "@context": ANNO,
        "id": page_id(collection["id"], number),
        "type": "AnnotationPage",
        "partOf": {key: collection[key] for key in ("id", "type", "label", "total")},
        "startIndex": (number - 1) * PAGE_SIZE,
    }
    if number > 1:
        page["prev"] = page_id(collection["id"], number - 1)
    if number < pages:
        page["next"] = page_id(collection["id"], number + 1)
    return page


def annotation(record: dict, context: ExportContext) -> dict:
    history = record["history"]
    bodies = [
        {"type": "TextualBody", "purpose": "describing", "value": record["wording"], "format": "text/plain"},
        *({"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in record["tags"]),
        _verdict(record["verdict"]),
        *(_evidence(link) for link in record["evidence"]),
    ]
    return _present(
        {
            "@context": CONTEXT,
            # The claim's page is an HTML document; the annotation about it is a resource of its own.
            "id": record["url"] + "#annotation",
            "type": "Annotation",
            "motivation": ASSESSING,
            "created": history["created_at"],
            "modified": history["updated_at"],
            "creator": _person(history["created_by"]),
            "generator": {"id": context.base_url + "/", "type": "Software", "name": "Workbench"},
            "generated": context.exported_at.isoformat(),
            "canonical": f"urn:uuid:{record['uid']}",
            "body": [_present(body) for body in bodies],
            "target": _target(record),
        }
    )


def _target(record: dict) -> dict:
    article, anchor = record["article"], record["anchor"]
    source = {
        "id": article["url"] or article["workbench_url"],
        "type": "Text",
        "title": article["title"],
        "publisher": article["publisher"],
    }
    quote = {"type": "TextQuoteSelector", "exact": anchor["quote"]}
    quote |= {"prefix": anchor["prefix"], "suffix": anchor["suffix"]}
    position = {"type": "TextPositionSelector", "start": anchor["start"], "end": anchor["end"]}
    target = {"type": "SpecificResource", "source": _present(source), "selector": [_present(quote), position]}
    if article["url"]:
        # Offsets count characters of the text as imported, which the workbench keeps: the publisher's
        # page may have changed since, or count its text differently.
        target["state"] = {
            "type": "TimeState",
            "sourceDate": article["imported_at"],
            "cached": article["workbench_url"],
        }
    return target


def _verdict(verdict: dict) -> dict:
    """The claim's status, "open" included, with the reviewer's rationale once there is a verdict."""
    return {
        "type": "TextualBody",
        "purpose": ASSESSING,
        "value": verdict["status"],
        "format": "text/plain",
        "rationale": verdict["rationale"],
        "creator": _person(verdict["reviewed_by"]),
        "created": verdict["reviewed_at"],
    }


def _evidence(link: dict) -> dict:
    source = {"id": link["url"], "type": "Text", "title": link["title"], "publisher": link["publisher"]}
    return {
        "type": "SpecificResource",
        "purpose": "linking",
        "stance": link["stance"],
        "source": _present(source),
        "selector": {"type": "TextQuoteSelector", "exact": link["quote"]} if link["quote"] else None,
        "note": link["note"],
        "creator": _person(link["added_by"]),
        "created": link["added_at"],
    }


def _person(username: str | None) -> dict | None:
    # foaf:nick covers login names; records know users only by them.
    return {"type": "Person", "nickname": username} if username else None


def _label(context: ExportContext) -> str:
    label = f"Claims from {context.organisation_name}"
    if context.claim_set:
        label += f", claim set “{context.claim_set}”"
    return f"{label} ({', '.join(context.statuses)})"


def _present(node: dict) -> dict:
    """Without unknown or empty values: JSON-LD has no use for nulls, and an empty string says nothing."""
    return {key: value for key, value in node.items() if value not in (None, "", [])}
