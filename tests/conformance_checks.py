"""The checks the export tests share: schema.org's SHACL shapes and Google's fields for ClaimReview, the
W3C annotation-model MUSTs, and a bundle checked file by file. Each returns what is wrong, so that a
test asserts an empty result and a failure says what broke.

The validators are the vendored suites in tests/conformance/, loaded from their files (not a package).
"""

import codecs
import csv
import importlib.util
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from rdflib.namespace import SH

from claims.exports import bundle
from claims.exports.records import SCHEMA_VERSION

SUITES = Path(__file__).parent / "conformance"
MUSTS = {
    "annotation": SUITES / "w3c-web-annotation/annotations/annotationMusts.test",
    "collection": SUITES / "w3c-web-annotation/collections/collectionMusts.test",
    "page": SUITES / "w3c-web-annotation/collections/pages/pageMusts.test",
}
SCHEMA_ORG = "http://schema.org/"


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_shacl = _load(SUITES / "schemaorg/validate_claimreview_shacl.py")
_musts = _load(SUITES / "w3c-web-annotation/run_musts.py")


# schema.org ClaimReview


def empty_values(node) -> list:
    """Every null, empty string, empty list or empty object anywhere in a JSON document."""
    found = [node] if node in (None, "", [], {}) else []
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found += empty_values(child)
    return found


def shacl_violations(document: str | list | dict) -> list[str]:
    """What schema.org's SHACL shapes find wrong in a JSON-LD document (text or parsed), one line each."""
    conforms, results, text = _shacl.validate(json.loads(document) if isinstance(document, str) else document)
    found = []
    for result in results.objects(None, SH.result):  # the report's results, not their nested details
        path = str(results.value(result, SH.resultPath)).replace(SCHEMA_ORG, "schema:")
        severity = str(results.value(result, SH.resultSeverity)).removeprefix(str(SH))
        found.append(f"{path}: {results.value(result, SH.resultMessage)} ({severity})")
    return sorted(found) if found or conforms else [text]


def _has(review: dict, check) -> bool:
    try:
        return bool(check(review))
    except (AttributeError, KeyError, TypeError, ValueError):
        return False


def _open(review: dict) -> bool:
    """An open claim's review is not published yet, so it has no date (Google recommends one, not requires)."""
    return review["reviewRating"]["alternateName"] == "Open"


def _in_scale(rating: dict) -> bool:
    return "ratingValue" not in rating or rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]


# Google requires claimReviewed, reviewRating.alternateName and url; the rest it recommends, and we write.
GOOGLE_FIELDS = {
    "claimReviewed": lambda review: review["claimReviewed"],
    "url (absolute)": lambda review: review["url"].startswith("http"),
    "reviewRating.alternateName": lambda review: review["reviewRating"]["alternateName"],
    "reviewRating within its scale": lambda review: _in_scale(review["reviewRating"]),
    "author (an Organization with a name)": lambda review: (
        review["author"]["@type"] == "Organization" and review["author"]["name"]
    ),
    "datePublished (with a time zone)": lambda review: (
        datetime.fromisoformat(review["datePublished"]).tzinfo if "datePublished" in review else _open(review)
    ),
    "itemReviewed.appearance (an Article)": lambda review: review["itemReviewed"]["appearance"]["@type"] == "Article",
}


def google_fields_missing(reviews: list[dict]) -> list[str]:
    """The fields Google reads that a review lacks (the shapes check kinds of values, not presence)."""
    return [
        f"review {number} ({review.get('url', 'no url')}): {field}"
        for number, review in enumerate(reviews)
        for field, check in GOOGLE_FIELDS.items()
        if not _has(review, check)
    ]


def claimreview_problems(text: str, claim_count: int) -> list[str]:
    reviews = json.loads(text)
    if not isinstance(reviews, list):
        return ["not a JSON array of ClaimReviews"]
    counted = [] if len(reviews) == claim_count else [f"{len(reviews)} reviews for {claim_count} claims"]
    return shacl_violations(reviews) + google_fields_missing(reviews) + counted


# W3C Web Annotation


def collection_of(document: dict) -> dict:
    [collection] = [node for node in document["@graph"] if node["type"] == "AnnotationCollection"]
    return collection


def pages_of(document: dict) -> list[dict]:
    return [node for node in document["@graph"] if node["type"] == "AnnotationPage"]


def annotations_of(document: dict) -> list[dict]:
    return [item for page in pages_of(document) for item in page["items"]]


def must_count(part: str) -> int:
    return len(json.loads(MUSTS[part].read_text())["assertions"])


def must_failures(part: str, instance: dict) -> tuple[int, list[str]]:
    """How many of a part's MUSTs ran on `instance`, and those it fails: "<assertion file>: <message>"."""
    results = _musts.run(MUSTS[part], instance)
    return len(results), [f"{rel}: {message or status}" for status, _, rel, message in results if status != "PASS"]


def annotation_must_failures(document: dict) -> dict[str, dict]:
    """Every annotation, the collection and every page of an export against their MUSTs:
    {"annotation" | "collection" | "page": {"checked": nodes, "assertions": run, "failures": [...]}}."""
    collection, pages = collection_of(document), pages_of(document)
    parts = {"annotation": annotations_of(document), "collection": [collection], "page": pages}
    report = {}
    for part, nodes in parts.items():
        report[part] = {"checked": len(nodes), "assertions": 0, "failures": []}
        for node in nodes:
            run, failed = must_failures(part, node)
            report[part]["assertions"] += run
            report[part]["failures"] += [f"{node.get('id')}: {failure}" for failure in failed]
    return report


def annotation_problems(text: str, claim_count: int) -> list[str]:
    report = annotation_must_failures(json.loads(text))
    problems = [failure for part in report.values() for failure in part["failures"]]
    if report["annotation"]["checked"] != claim_count:
        problems.append(f"{report['annotation']['checked']} annotations for {claim_count} claims")
    if claim_count and not report["page"]["checked"]:
        problems.append("no pages")
    return problems


# The bundle


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _csv_uids(data: bytes) -> list[str]:
    header, *rows = _csv_rows(data)
    return [row[header.index("uid")] for row in rows]


def _jsonl_records(data: bytes) -> list:
    return [json.loads(line) for line in data.decode().splitlines()]


def csv_problems(data: bytes, claim_count: int) -> list[str]:
    header, *rows = _csv_rows(data)
    problems = [] if data.startswith(codecs.BOM_UTF8) else ["no byte order mark: spreadsheets would not read UTF-8"]
    if len(rows) != claim_count:
        problems.append(f"{len(rows)} rows for {claim_count} claims")
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            problems.append(f"row {number} has {len(row)} cells for {len(header)} columns")
    return problems


def json_problems(data: bytes, claim_count: int) -> list[str]:
    document = json.loads(data)
    problems = [] if document["schema_version"] == SCHEMA_VERSION else [f"schema_version is not {SCHEMA_VERSION}"]
    if len(document["claims"]) != claim_count or document["claim_count"] != claim_count:
        problems.append(f"{len(document['claims'])} claims (claim_count {document['claim_count']}) for {claim_count}")
    return problems


def jsonl_problems(data: bytes, claim_count: int) -> list[str]:
    records = _jsonl_records(data)
    problems = [] if len(records) == claim_count else [f"{len(records)} lines for {claim_count} claims"]
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or record.get("schema_version") != SCHEMA_VERSION:
            problems.append(f"line {number} is not a JSON object with schema_version {SCHEMA_VERSION}")
    return problems


def anno_context_problems(data: bytes, claim_count: int) -> list[str]:
    terms = json.loads(data).get("@context", {})
    if terms.get("oa") != "http://www.w3.org/ns/oa#" or terms.get("Annotation") != "oa:Annotation":
        return ["not the W3C Web Annotation context"]
    return []


BUNDLE_CHECKS = {
    "claims.csv": csv_problems,
    "claims.json": json_problems,
    "claims.jsonl": jsonl_problems,
    "claimreview.jsonld": lambda data, claim_count: claimreview_problems(data.decode(), claim_count),
    "annotations.jsonld": lambda data, claim_count: annotation_problems(data.decode(), claim_count),
    bundle.ANNO_CONTEXT: anno_context_problems,
}
# The claims each file holds, by uid: every file of a bundle that holds claims holds the same.
BUNDLE_UIDS = {
    "claims.csv": _csv_uids,
    "claims.json": lambda data: [claim["uid"] for claim in json.loads(data)["claims"]],
    "claims.jsonl": lambda data: [record["uid"] for record in _jsonl_records(data)],
    "claimreview.jsonld": lambda data: [review["itemReviewed"]["identifier"] for review in json.loads(data)],
    "annotations.jsonld": lambda data: [
        item["canonical"].removeprefix("urn:uuid:") for item in annotations_of(json.loads(data))
    ],
}
UNREADABLE = (UnicodeDecodeError, ValueError, csv.Error, KeyError, TypeError, AttributeError, IndexError)


def bundle_problems(content: bytes) -> dict[str, list[str]]:
    """Every file of a bundle checked by its validator, and the manifest's checksums by `bundle.verify`:
    {file name: problems}. A file without a validator is a problem: nothing in a bundle goes unchecked."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    claim_count = json.loads(archive.read(bundle.MANIFEST))["claim_count"]
    problems = {bundle.MANIFEST: bundle.verify(io.BytesIO(content))}
    problems |= {name: ["missing"] for name in BUNDLE_CHECKS}
    uids = {}
    for name in set(archive.namelist()) - {bundle.MANIFEST}:
        if name not in BUNDLE_CHECKS:
            problems[name] = ["no validator for this file"]
            continue
        data = archive.read(name)
        try:
            problems[name] = BUNDLE_CHECKS[name](data, claim_count)
            if not problems[name] and name in BUNDLE_UIDS:
                uids[name] = sorted(BUNDLE_UIDS[name](data))
        except UNREADABLE as error:
            problems[name] = [f"unreadable ({type(error).__name__}: {error})"]
    for name, found in uids.items():
        if found != uids.get("claims.json", found):
            problems[name].append("holds other claims than claims.json")
    return problems
