"""Annotations made elsewhere, taken in as claims: W3C Web Annotations (one annotation, a page, a
collection with its first page embedded, or a JSON-LD graph of them, as the workbench's own
annotations.jsonld is) and Hypothesis's annotation JSON (one annotation, a list, or an API search result).

Each annotation becomes an open claim on the newest version of the article it targets, found by the
article's URL (or, for the workbench's own export, by the address of its page here), anchored the way
claims follow an article's new version (`claims.reanchor`): the TextPositionSelector when it still slices
the article to the quote, else the TextQuoteSelector and its context. Its words (a describing or
commenting body, Hypothesis's text) become the claim's wording, its tagging bodies or tags its tags.
A verdict it carries is not taken: verdicts are given here, by a reviewer, under the workbench's rules.

Every annotation gets a line in the report: created, already here (the same passage of the same article
is a claim already, so importing twice changes nothing) or rejected with the reason; each claim is written
whole through `claims.services.claim_create` or not at all, and the others go on.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article
from claims import permissions
from claims.anchoring import AnchorError, anchor_at
from claims.exports.importing import ClaimsImported, ImportRefused, import_claims
from claims.models import Claim
from claims.reanchor import reanchor
from claims.services import claim_create
from workbench.audit import IMPORT, audit_channel

WORDING_BODIES = {None, "describing", "commenting"}  # a body with one of these purposes says the claim
TAGGING = "tagging"
VERDICTS = {"verified", "disputed"}  # what the workbench's own assessing body holds once judged
# An address of an article's page here: what the workbench's own export names when an article has no URL.
OWN_ARTICLE_PATH = re.compile(r"^/articles/(\d+)/?$")


@dataclass
class Annotation:
    """What a claim needs from an annotation, whatever format it came in."""

    label: str  # how the report names it: its id, else its place in the file
    sources: list[str] = field(default_factory=list)  # addresses of the document annotated
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    wording: str = ""
    tags: list[str] = field(default_factory=list)
    verdict: str = ""  # a verdict it carries, which is not taken


def import_document(document, *, user, origin: str) -> ClaimsImported:
    """A Workbench JSON export (an object with a list of claims), else annotations."""
    if isinstance(document, dict) and isinstance(document.get("claims"), list):
        return import_claims(document, user=user, origin=origin)
    return import_annotations(document, user=user, origin=origin)


def read(document) -> list[Annotation]:
    return [_w3c(node, number) for number, node in enumerate(_w3c_nodes(document), 1)] or [
        _hypothesis(row, number) for number, row in enumerate(_hypothesis_rows(document), 1)
    ]


def import_annotations(document, *, user, origin: str) -> ClaimsImported:
    if user is None or not permissions.can_tag(user):
        raise ImportRefused("annotations become claims tagged by the importer, who must be allowed to tag claims")
    annotations = read(document)
    if not annotations:
        raise ImportRefused(
            "neither Web Annotations (an Annotation, AnnotationPage or AnnotationCollection) nor Hypothesis "
            "annotations (objects with a uri and a target)"
        )
    outcome = ClaimsImported()
    articles = _articles({source for annotation in annotations for source in annotation.sources})
    with audit_channel(IMPORT):
        for annotation in annotations:
            try:
                created = _claim(annotation, articles=articles, user=user)
            except (AnchorError, ValidationError, PermissionDenied, ValueError) as error:
                outcome.rejected.append(f"annotation {annotation.label}: {_reason(error)}")
                continue
            if created:
                outcome.claims_created += 1
                if annotation.verdict:
                    outcome.notes.append(
                        f"annotation {annotation.label}: its verdict ({annotation.verdict}) was not taken: "
                        "the claim is open until a reviewer here judges it"
                    )
            else:
                outcome.claims_present += 1
    return outcome


def _claim(annotation: Annotation, *, articles: dict[str, Article], user) -> bool:
    """Creates the annotation's claim; False when that passage of the article is a claim already."""
    if not annotation.sources:
        raise ValueError("it names no document it annotates")
    article = next((articles[s] for s in map(_address, annotation.sources) if s in articles), None)
    if article is None:
        raise ValueError(f"its article ({annotation.sources[0]}) is not in the workbench: import the article first")
    if not annotation.quote and annotation.start is None:
        raise ValueError(
            f"it annotates the whole of {annotation.sources[0]}, not a passage: a claim needs a quote "
            "(TextQuoteSelector) or a position (TextPositionSelector)"
        )
    anchor = _anchor(article.body, annotation)
    if Claim.objects.filter(article=article, start=anchor.start, end=anchor.end).exists():
        return False
    claim_create(article=article, user=user, anchor=anchor, wording=annotation.wording, tags=", ".join(annotation.tags))
    return True


def _anchor(body: str, annotation: Annotation):
    """The position when it still slices the article to the quote (or there is no quote), else where the
    quote and its context are found in the text."""
    start, end = annotation.start, annotation.end
    if start is not None and end is not None and 0 <= start < end <= len(body):
        if not annotation.quote or body[start:end] == annotation.quote:
            return anchor_at(body, start, end)
    if not annotation.quote:
        raise AnchorError(f"its position {start}-{end} is outside the article's text (0-{len(body)})")
    found = reanchor(body, quote=annotation.quote, prefix=annotation.prefix, suffix=annotation.suffix, start=start or 0)
    if found.anchor is None:
        shown = annotation.quote if len(annotation.quote) <= 80 else annotation.quote[:77] + "…"
        raise AnchorError(f"its quote “{shown}” is not in the article's text")
    return found.anchor


def _articles(sources: set[str]) -> dict[str, Article]:
    """The newest version of each article an annotation may target, by its address as `_address` writes it."""
    addresses = {_address(source) for source in sources}
    found = {}
    own = {int(m[1]): a for a in addresses if (m := OWN_ARTICLE_PATH.match(_own_path(a) or ""))}
    for article in Article.objects.current().filter(pk__in=own).defer("raw"):
        found[own[article.pk]] = article
    urls = {variant for address in addresses for variant in (address, address + "/")}
    for article in Article.objects.current().filter(url__in=urls).defer("raw").order_by("pk"):
        found.setdefault(_address(article.url), article)
    return found


def _address(url: str) -> str:
    """A document's address as compared: without its fragment or a trailing slash."""
    parts = urlsplit(url.strip())
    return urlunsplit(parts._replace(fragment="", path=parts.path.rstrip("/") or "/"))


def _own_path(address: str) -> str | None:
    """The path of an address of this workbench's own pages, None for anyone else's."""
    base = settings.WORKBENCH_BASE_URL
    if base and address.startswith(base + "/"):
        return address[len(base) :]
    return None


# W3C Web Annotations ---------------------------------------------------------------------------------


def _types(node: dict) -> set[str]:
    found = node.get("type", node.get("@type", []))
    return {t.split(":")[-1] for t in ([found] if isinstance(found, str) else found) if isinstance(t, str)}


def _w3c_nodes(document):
    """The annotations of a document, in order, each once: in a graph, pages, collections or lists."""
    seen, stack = set(), [document]
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack[:0] = node
            continue
        if not isinstance(node, dict):
            continue
        types = _types(node)
        if "Annotation" in types:
            key = node.get("id") or id(node)
            if key not in seen:
                seen.add(key)
                yield node
        elif "AnnotationPage" in types:
            stack[:0] = node.get("items") or []
        elif "AnnotationCollection" in types:
            stack[:0] = [node.get("first")] if isinstance(node.get("first"), dict) else []
        elif "@graph" in node:
            stack[:0] = node["@graph"] if isinstance(node["@graph"], list) else [node["@graph"]]


def _w3c(node: dict, number: int) -> Annotation:
    annotation = Annotation(label=str(node.get("id") or f"#{number}"))
    bodies = node.get("body", [])
    for body in [bodies] if not isinstance(bodies, list) else bodies:
        if isinstance(body, dict) and "TextualBody" in _types(body) and isinstance(body.get("value"), str):
            purpose = body.get("purpose")
            if purpose == TAGGING:
                annotation.tags.append(body["value"])
            elif purpose in WORDING_BODIES and not annotation.wording:
                annotation.wording = body["value"]
            elif body["value"] in VERDICTS:
                annotation.verdict = body["value"]
    if isinstance(node.get("bodyValue"), str) and not annotation.wording:
        annotation.wording = node["bodyValue"]
    targets = node.get("target", [])
    for target in [targets] if not isinstance(targets, list) else targets:
        if isinstance(target, str):
            annotation.sources.append(target)
        elif isinstance(target, dict):
            _w3c_target(target, annotation)
    return annotation


def _w3c_target(target: dict, annotation: Annotation) -> None:
    source = target.get("source", target.get("id"))
    for address in [source.get("id") if isinstance(source, dict) else source, _cached(target)]:
        if isinstance(address, str) and address not in annotation.sources:
            annotation.sources.append(address)
    selectors = target.get("selector", [])
    for selector in [selectors] if not isinstance(selectors, list) else selectors:
        if isinstance(selector, dict):
            _select(selector, annotation)


def _cached(target: dict) -> str | None:
    """The copy a TimeState names: the workbench's own export points there at its article's page."""
    state = target.get("state")
    return state.get("cached") if isinstance(state, dict) and isinstance(state.get("cached"), str) else None


def _select(selector: dict, annotation: Annotation) -> None:
    kind = _types(selector)
    if "TextQuoteSelector" in kind and isinstance(selector.get("exact"), str) and not annotation.quote:
        annotation.quote = selector["exact"]
        annotation.prefix = selector.get("prefix") if isinstance(selector.get("prefix"), str) else ""
        annotation.suffix = selector.get("suffix") if isinstance(selector.get("suffix"), str) else ""
    elif "TextPositionSelector" in kind and annotation.start is None:
        start, end = selector.get("start"), selector.get("end")
        if isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool):
            annotation.start, annotation.end = start, end
    if isinstance(selector.get("refinedBy"), dict):  # e.g. a quote within a fragment of the page
        _select(selector["refinedBy"], annotation)


# Hypothesis ------------------------------------------------------------------------------------------


def _hypothesis_rows(document) -> list[dict]:
    rows = document.get("rows") if isinstance(document, dict) and "rows" in document else document
    rows = rows if isinstance(rows, list) else [rows]
    return [row for row in rows if isinstance(row, dict) and "uri" in row and isinstance(row.get("target"), list)]


def _hypothesis(row: dict, number: int) -> Annotation:
    annotation = Annotation(label=str(row.get("id") or f"#{number}"))
    annotation.wording = row["text"] if isinstance(row.get("text"), str) else ""
    annotation.tags = [tag for tag in row.get("tags") or [] if isinstance(tag, str)]
    for target in row["target"]:
        if isinstance(target, dict):
            _w3c_target(target, annotation)  # Hypothesis's targets are the W3C model's
    if isinstance(row.get("uri"), str) and row["uri"] not in annotation.sources:
        annotation.sources.append(row["uri"])
    return annotation


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
