"""The W3C Web Annotation export: the annotation-model test suite's MUSTs, and what a user checks."""

import json
from datetime import datetime

import pytest

from claims.exports import annotation
from claims.exports.context import DEFAULT_BASE_URL, build_context
from claims.exports.records import claim_records
from claims.models import Claim
from tests.conformance_checks import (
    annotation_must_failures,
    annotations_of,
    collection_of,
    empty_values,
    must_count,
    must_failures,
    pages_of,
)
from tests.factories import ArticleFactory, ClaimFactory
from tests.jsonld_offline import ANNO_VERSIONS, expand_annotations, iris, keys_in, keys_out, prefixes, values

STATUSES = Claim.Status.values


@pytest.fixture
def claims(every_kind_of_claim):
    """Also a claim mid-sentence (with a prefix and a suffix) on an article known only to the workbench."""
    article = ArticleFactory(url="", publisher="", published_at=None)
    start, end = article.body.index("says"), len(article.body) - 1
    bare = ClaimFactory(article=article, start=start, end=end, prefix=article.body[:start], suffix=".")
    return {**every_kind_of_claim, "bare": bare}


@pytest.fixture(params=[annotation.PAGE_SIZE, 1], ids=["one-page", "a-page-per-claim"])
def document(request, claims, monkeypatch):
    monkeypatch.setattr(annotation, "PAGE_SIZE", request.param)
    return render()


def render(claims=None) -> dict:
    claims = Claim.objects.all() if claims is None else claims
    text = "".join(
        annotation.render(
            claim_records(claims, base_url=DEFAULT_BASE_URL),
            build_context(claims, base_url=DEFAULT_BASE_URL, statuses=STATUSES),
        )
    )
    return json.loads(text)


def annotation_of(document: dict, claim: Claim) -> dict:
    [found] = [item for item in annotations_of(document) if item["canonical"] == f"urn:uuid:{claim.uid}"]
    return found


def bodies(annotation_: dict, purpose: str) -> list[dict]:
    return [body for body in annotation_["body"] if body["purpose"] == purpose]


def test_every_annotation_passes_the_54_annotation_musts(document, claims):
    report = annotation_must_failures(document)["annotation"]
    assert must_count("annotation") == 54
    assert (report["checked"], report["assertions"]) == (len(claims), 54 * len(claims))
    assert report["failures"] == []


def test_the_collection_passes_the_collection_musts(document):
    report = annotation_must_failures(document)["collection"]
    assert report["checked"] == 1 and report["assertions"] == must_count("collection") > 0
    assert report["failures"] == []


def test_every_page_passes_the_page_musts(document):
    report = annotation_must_failures(document)["page"]
    assert report["checked"] == len(pages_of(document)) >= 1
    assert report["assertions"] == report["checked"] * must_count("page") > 0
    assert report["failures"] == []


def test_the_musts_catch_a_broken_annotation(claims):
    broken = annotations_of(render())[0]
    broken["body"].append({"type": "Text", "id": "https://stats.example.org/annex", "purpose": "linking"})
    run, failed = must_failures("annotation", broken)
    assert run == 54
    assert [failure.split(": ")[0] for failure in failed] == ["annotations/bodiesTargets/3.3.5-bodyEWRNoPurpose.json"]


@pytest.mark.parametrize("page_size", [1, 3])
def test_pages_link_up_when_the_claims_span_several(claims, monkeypatch, page_size):
    monkeypatch.setattr(annotation, "PAGE_SIZE", page_size)
    document = render()
    collection, pages = collection_of(document), pages_of(document)
    assert document["@graph"] == [collection, *pages]
    assert collection["total"] == len(claims) == 4
    assert len(pages) == -(-4 // page_size) >= 2
    ids = [page["id"] for page in pages]
    assert (collection["first"], collection["last"]) == (ids[0], ids[-1])
    for number, page in enumerate(pages):
        assert page["startIndex"] == number * page_size
        assert len(page["items"]) == min(page_size, 4 - page["startIndex"])
        assert page.get("prev") == (ids[number - 1] if number > 0 else None)
        assert page.get("next") == (ids[number + 1] if number < len(pages) - 1 else None)
        assert page["partOf"] == {key: collection[key] for key in ("id", "type", "label", "total")}
    in_order = sorted(claims.values(), key=lambda claim: claim.pk)
    assert [item["canonical"] for item in annotations_of(document)] == [f"urn:uuid:{c.uid}" for c in in_order]


def test_an_empty_export_is_a_collection_without_pages(db):
    document = render(Claim.objects.none())
    [collection] = document["@graph"]
    assert collection["total"] == 0 and "first" not in collection and "last" not in collection
    assert must_failures("collection", collection) == (must_count("collection"), [])


def test_a_claim_is_an_assessing_annotation_of_its_words_in_the_article(claims):
    claim = claims["verified"]
    found = annotation_of(render(), claim)
    assert found["id"] == f"http://127.0.0.1:8000/claims/{claim.pk}/#annotation"
    assert found["motivation"] == "oa:assessing"
    assert found["creator"] == {"type": "Person", "nickname": "export-editor"}
    assert found["target"]["source"]["id"] == "https://news.example/health/waiting-times"
    assert found["target"]["source"]["title"] == "Waiting times “fell”, ministry says"
    assert found["target"]["state"]["cached"] == f"http://127.0.0.1:8000{claim.article.get_absolute_url()}"
    moments = [found["created"], found["modified"], found["generated"], found["target"]["state"]["sourceDate"]]
    assert all(datetime.fromisoformat(moment).tzinfo is not None for moment in moments)


def test_the_selectors_are_the_claims_anchor(claims):
    document = render()
    for claim in claims.values():
        selectors = annotation_of(document, claim)["target"]["selector"]
        [quote] = [selector for selector in selectors if selector["type"] == "TextQuoteSelector"]
        [position] = [selector for selector in selectors if selector["type"] == "TextPositionSelector"]
        assert quote["exact"] == claim.quote == claim.article.body[position["start"] : position["end"]]
        assert (quote.get("prefix", ""), quote.get("suffix", "")) == (claim.prefix, claim.suffix)
        assert (position["start"], position["end"]) == (claim.start, claim.end)
    assert quote["prefix"].startswith("This is article") and quote["suffix"] == "."  # the mid-sentence claim


def test_wording_tags_and_verdict_are_bodies(claims):
    found = annotation_of(render(), claims["verified"])
    [wording] = bodies(found, "describing")
    assert wording["value"] == "=SUM(A1:A2) hospital waiting times fell by 12%"
    assert sorted(body["value"] for body in bodies(found, "tagging")) == ["budget", "health"]
    assert all(body["type"] == "TextualBody" for body in found["body"] if body["purpose"] != "linking")
    [verdict] = bodies(found, "oa:assessing")
    assert verdict["value"] == "verified"
    assert verdict["rationale"] == "Two independent reports confirm the 12% figure."
    assert verdict["creator"] == {"type": "Person", "nickname": "export-reviewer"}
    assert verdict["created"] == "2025-03-06T12:00:00+00:00"


def test_each_evidence_link_is_a_linking_body_with_its_stance(claims):
    document = render()
    for claim in (claims["verified"], claims["disputed"]):
        links = bodies(annotation_of(document, claim), "linking")
        expected = [(link.stance, source_url(link)) for link in claim.evidence.order_by("added_at", "id")]
        assert [(body["stance"], body["source"]["id"]) for body in links] == expected
        assert all(body["type"] == "SpecificResource" for body in links)
    verified = bodies(annotation_of(document, claims["verified"]), "linking")
    [web] = [body for body in verified if body["source"]["id"] == "https://stats.example.org/waiting-times-2024"]
    assert web["selector"] == {"type": "TextQuoteSelector", "exact": "Median waits fell 12%."}
    assert (web["source"]["title"], web["source"]["publisher"]) == ("Waiting times 2024", "Statistics Office")
    assert [body["note"] for body in verified if "note" in body] == ["Background on the method."]
    passage = claims["disputed"].evidence.get(passage__isnull=False).passage
    [quoted] = [body for body in bodies(annotation_of(document, claims["disputed"]), "linking") if "selector" in body]
    assert (quoted["stance"], quoted["selector"]["exact"]) == ("contradicts", passage.text)
    assert quoted["source"]["id"] == "https://other.example/annex"


def source_url(link) -> str:
    if link.passage is None:
        return link.url
    return link.passage.article.url or f"http://127.0.0.1:8000{link.passage.article.get_absolute_url()}"


def test_an_open_claim_says_open_without_a_reviewer(claims):
    [verdict] = bodies(annotation_of(render(), claims["open"]), "oa:assessing")
    assert verdict == {"type": "TextualBody", "purpose": "oa:assessing", "value": "open", "format": "text/plain"}


def test_an_article_without_a_url_is_targeted_on_the_workbench(claims):
    claim = claims["bare"]
    target = annotation_of(render(), claim)["target"]
    assert target["source"]["id"] == f"http://127.0.0.1:8000{claim.article.get_absolute_url()}"
    assert "state" not in target and "publisher" not in target["source"]


OA = "http://www.w3.org/ns/oa#"
CITO = "http://purl.org/spar/cito/"


def test_it_expands_offline_the_same_with_every_published_version_of_the_anno_context(document):
    expanded = {version: expand_annotations(document, version) for version in ANNO_VERSIONS}
    recommendation = expanded["2016-11-23, Recommendation"]
    assert recommendation and all(found == recommendation for found in expanded.values())


def test_every_term_expands_to_the_vocabularies_the_annotation_model_uses_and_none_is_dropped(document):
    expanded = expand_annotations(document)
    namespaces = (*prefixes(annotation.ANNO_COPY).values(), CITO)
    assert [iri for iri in iris(expanded) if not iri.startswith(namespaces)] == []
    assert keys_out(expanded) == keys_in(document)
    assert {
        "http://www.w3.org/ns/oa#hasBody",
        "http://www.w3.org/ns/oa#hasTarget",
        "http://www.w3.org/ns/oa#hasSelector",
        "http://purl.org/spar/cito/hasCitationCharacterization",
        "http://schema.org/reviewBody",
        "http://www.w3.org/2004/02/skos/core#note",
        "http://purl.org/dc/elements/1.1/title",
        "http://purl.org/dc/elements/1.1/publisher",
    } <= iris(expanded)


def test_motivations_and_purposes_expand_to_the_oa_namespace_and_stances_to_cito(document):
    expanded = expand_annotations(document)
    motivations = {value["@id"] for value in values(expanded, OA + "motivatedBy")}
    purposes = {value["@id"] for value in values(expanded, OA + "hasPurpose")}
    stances = {value["@id"] for value in values(expanded, CITO + "hasCitationCharacterization")}
    assert motivations == {OA + "assessing"}
    assert purposes == {OA + "describing", OA + "tagging", OA + "assessing", OA + "linking"}
    assert stances == {CITO + "obtainsSupportFrom", CITO + "isDisputedBy", CITO + "obtainsBackgroundFrom"}


def test_a_bare_assessing_is_a_relative_iri_against_the_recommendations_context(db):
    node = {"@context": annotation.ANNO, "id": "urn:x:1", "type": "Annotation", "motivation": "assessing"}
    motivation = {version: values(expand_annotations(node, version), OA + "motivatedBy") for version in ANNO_VERSIONS}
    # Resolved against wherever the document is read from: pyld's stand-in address when it has none.
    assert motivation["2016-11-23, Recommendation"] == [{"@id": "http://example.org/base/assessing"}]
    assert motivation["2021-07, reconstructed"] == [{"@id": OA + "assessing"}]


def test_a_claim_cannot_close_the_script_element_a_page_embeds_its_annotation_in(db):
    article = ArticleFactory(body="It read </script><script>alert(1)</script> & more. The end.")
    claim = ClaimFactory(article=article, wording="</script><script>alert(1)</script>")
    text = "".join(
        annotation.render(
            claim_records(Claim.objects.all(), base_url=DEFAULT_BASE_URL),
            build_context(Claim.objects.all(), base_url=DEFAULT_BASE_URL, statuses=STATUSES),
        )
    )
    assert "<" not in text and ">" not in text and "&" not in text
    found = annotation_of(json.loads(text), claim)
    assert bodies(found, "describing")[0]["value"] == "</script><script>alert(1)</script>"
    assert found["target"]["selector"][0]["exact"] == "It read </script><script>alert(1)</script> & more."


def test_it_writes_no_nulls_or_empty_strings(claims):
    assert empty_values(render()) == []


def test_it_streams_a_chunk_per_claim(claims):
    claims_ = Claim.objects.all()
    read = []

    def records():
        for record in claim_records(claims_, base_url=DEFAULT_BASE_URL):
            read.append(record["id"])
            yield record

    chunks = annotation.render(records(), build_context(claims_, base_url=DEFAULT_BASE_URL, statuses=STATUSES))
    while not read:
        next(chunks)
    assert len(read) == 1
    assert len(list(chunks)) == len(claims) - 1 + 2  # the other claims, then the page's end and the document's
