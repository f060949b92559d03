"""A real JSON-LD processor (pyld) reading the exports as a stranger with no network would: the contexts
they name are served from local copies, and any other fetch fails."""

import json
from pathlib import Path

from pyld import jsonld

from claims.exports.annotation import ANNO, ANNO_COPY

SUITES = Path(__file__).parent / "conformance"
SCHEMA_ORG_CONTEXT = SUITES / "schemaorg/schemaorgcontext.jsonld"  # schema.org's published context, 30.0
SCHEMA_ORG_URLS = ("https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/")
# Every version of http://www.w3.org/ns/anno.jsonld that W3C published, as far as we know (see the
# folder's README): the one the Recommendation gives is the copy bundles ship.
ANNO_VERSIONS = {
    "2016-06-13, Candidate Recommendation": SUITES / "w3c-anno-contexts/anno-2016-06-13.jsonld",
    "2016-10-01": SUITES / "w3c-anno-contexts/anno-2016-10-01.jsonld",
    "2016-11-11": SUITES / "w3c-anno-contexts/anno-2016-11-11.jsonld",
    "2016-11-23, Recommendation": ANNO_COPY,
    "2021-07, reconstructed": SUITES / "w3c-anno-contexts/anno-2021-07-reconstructed.jsonld",
}


def offline_loader(copies: dict[str, Path]):
    """A pyld document loader that serves only `copies` ({URL: local file}) and refuses everything else."""

    def load(url: str, options: dict) -> dict:
        if url not in copies:
            raise jsonld.JsonLdError(f"Offline: no local copy of {url}", "jsonld.LoadDocumentError", {"url": url})
        return {"contextUrl": None, "documentUrl": url, "document": json.loads(copies[url].read_text())}

    return load


def expand(document, copies: dict[str, Path] | None = None) -> list:
    return jsonld.expand(document, {"documentLoader": offline_loader(copies or {})})


def with_published_schema_org_context(document):
    """The document with its own context replaced by the name of schema.org's, which the loader serves."""
    if isinstance(document, list):
        return [with_published_schema_org_context(node) for node in document]
    return {**document, "@context": SCHEMA_ORG_URLS[0]}


def expand_with_published_schema_org_context(document) -> list:
    copies = dict.fromkeys(SCHEMA_ORG_URLS, SCHEMA_ORG_CONTEXT)
    return expand(with_published_schema_org_context(document), copies)


def expand_annotations(document, version: str = "2016-11-23, Recommendation") -> list:
    return expand(document, {ANNO: ANNO_VERSIONS[version]})


def prefixes(context: Path) -> dict[str, str]:
    """The namespaces a context document names: {prefix: IRI}."""
    terms = json.loads(context.read_text())["@context"]
    return {term: iri for term, iri in terms.items() if isinstance(iri, str) and iri.endswith(("#", "/"))}


def values(expanded, prop: str) -> list:
    """Every value of a property, anywhere in an expanded document."""
    if isinstance(expanded, list):
        return [value for item in expanded for value in values(item, prop)]
    if not isinstance(expanded, dict):
        return []
    return list(expanded.get(prop, [])) + [value for item in expanded.values() for value in values(item, prop)]


def iris(expanded) -> set[str]:
    """Every property and type an expanded document uses."""
    found = set()
    if isinstance(expanded, list):
        for item in expanded:
            found |= iris(item)
    elif isinstance(expanded, dict) and "@value" not in expanded:
        types = expanded.get("@type", [])
        found |= set(types if isinstance(types, list) else [types])
        for key, value in expanded.items():
            if not key.startswith("@"):
                found.add(key)
            found |= iris(value)
    return found


def keys_in(document) -> int:
    """How many JSON keys a compacted document holds (its contexts aside): what expansion must keep."""
    if isinstance(document, list):
        return sum(keys_in(item) for item in document)
    if not isinstance(document, dict):
        return 0
    keys = [key for key in document if key not in ("@context", "@graph")]
    counted = 0 if keys in (["id"], ["@id"]) else len(keys)  # a bare reference expands as a linked string does
    return counted + sum(keys_in(value) for key, value in document.items() if key != "@context")


def keys_out(expanded) -> int:
    """How many of those keys came out of expansion: a value's own keys (@value, @type, @list) aside."""
    if isinstance(expanded, list):
        return sum(keys_out(item) for item in expanded)
    if not isinstance(expanded, dict):
        return 0
    if "@value" in expanded:
        return 0
    if "@list" in expanded:
        return keys_out(expanded["@list"])
    keys = [key for key in expanded if key != "@graph"]
    counted = 0 if keys == ["@id"] else len(keys)
    return counted + sum(keys_out(value) for value in expanded.values())
