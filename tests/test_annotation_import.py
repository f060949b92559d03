"""Annotations made elsewhere become claims here: the W3C model's own examples, Hypothesis's annotations
and the workbench's own annotations.jsonld, each record reported, nothing half-written."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from claims.anchoring import anchor_at
from claims.exports import annotation
from claims.exports.annotation_import import import_annotations, import_document
from claims.exports.context import build_context
from claims.exports.importing import ImportRefused
from claims.exports.records import claim_records
from claims.models import Claim
from claims.services import claim_create, claim_update
from tests.factories import ArticleFactory, PassageEvidenceFactory

SAMPLES = Path(__file__).parent / "conformance/w3c-web-annotation/tools/samples/correct"
PAGE1 = (
    "Some words first: this is an anotation that has some misspelt words. Then the fifth paragraph, with "
    "text before the Selected Text and text after it, ends the page."
)


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text())


def hypothesis_annotation(article, quote: str, **fields) -> dict:
    """An annotation as Hypothesis's API returns it (GET /api/annotations/{id}), its fields as documented."""
    start = article.body.index(quote)
    return {
        "id": "Ab12Cd34Ef",
        "created": "2026-11-20T09:14:03.511233+00:00",
        "updated": "2026-11-20T09:14:03.511233+00:00",
        "user": "acct:desk_editor@hypothes.is",
        "uri": article.url,
        "text": "The paper gives this figure without a source.",
        "tags": ["figures", "needs source"],
        "group": "__world__",
        "permissions": {"read": ["group:__world__"], "admin": ["acct:desk_editor@hypothes.is"]},
        "target": [
            {
                "source": article.url,
                "selector": [
                    {"type": "RangeSelector", "endOffset": 42, "startOffset": 0, "endContainer": "/main[1]/p[3]"},
                    {"type": "TextPositionSelector", "start": start + 120, "end": start + 120 + len(quote)},
                    {
                        "type": "TextQuoteSelector",
                        "exact": quote,
                        "prefix": article.body[max(0, start - 32) : start],
                        "suffix": article.body[start + len(quote) : start + len(quote) + 32],
                    },
                ],
            }
        ],
        "document": {"title": [article.title]},
        "links": {"html": "https://hypothes.is/a/Ab12Cd34Ef", "incontext": "https://hyp.is/Ab12Cd34Ef/x"},
        "flagged": False,
        "hidden": False,
        **fields,
    }


@pytest.fixture
def example_pages(db):
    return {
        "page1": ArticleFactory(url="http://example.org/page1", body=PAGE1),
        "ebook1": ArticleFactory(url="http://example.org/ebook1", body="An e-book. " + "Its long text goes on. " * 60),
    }


def test_the_w3c_examples_become_claims_where_their_text_is_here_and_say_why_not_elsewhere(example_pages, editor):
    outcome = import_annotations(sample("collection1.json"), user=editor, origin="collection1.json")
    assert outcome.claims_created == 3 and outcome.claims_present == 0 and len(outcome.rejected) == 38
    page1, ebook1 = example_pages["page1"], example_pages["ebook1"]
    quotes = set(Claim.objects.values_list("article_id", "quote"))
    assert (page1.pk, "anotation") in quotes and (page1.pk, "Selected Text") in quotes  # a quote within a fragment
    [by_position] = Claim.objects.filter(article=ebook1)
    assert (by_position.start, by_position.end, by_position.quote) == (412, 795, ebook1.body[412:795])
    reasons = dict(line.split(": ", 1) for line in outcome.rejected)
    assert reasons["annotation http://example.org/anno1"].startswith("its article (http://example.com/page1) is not")
    assert reasons["annotation http://example.org/anno36"].startswith("it annotates the whole of http://example.org/")
    assert all(claim.status == Claim.Status.OPEN and claim.created_by == editor for claim in Claim.objects.all())


def test_single_w3c_annotations_are_read_too(example_pages, editor):
    assert import_annotations(sample("anno26.json"), user=editor, origin="anno26.json").claims_created == 1
    assert (
        import_annotations([sample("anno32.json"), sample("anno27.json")], user=editor, origin="x").claims_created == 2
    )


def test_importing_the_same_annotations_twice_changes_nothing(example_pages, editor):
    import_annotations(sample("collection1.json"), user=editor, origin="collection1.json")
    again = import_annotations(sample("collection1.json"), user=editor, origin="collection1.json")
    assert (again.claims_created, again.claims_present) == (0, 3)
    assert Claim.objects.count() == 3


def test_a_hypothesis_annotation_becomes_a_claim_with_its_text_and_tags(seeded, editor):
    article = seeded["000"]
    quote = "raised $93,499 in just six days"
    # Its position counts another rendering of the page: the quote and its context find the passage.
    outcome = import_document(hypothesis_annotation(article, quote), user=editor, origin="hypothesis.json")
    assert outcome.claims_created == 1 and not outcome.rejected
    claim = Claim.objects.get()
    assert claim.article == article and claim.quote == quote
    assert article.body[claim.start : claim.end] == quote
    assert claim.wording == "The paper gives this figure without a source."
    assert sorted(claim.tags.values_list("name", flat=True)) == ["figures", "needs source"]
    assert claim.history.first().history_user == editor


def test_a_hypothesis_search_result_is_read_row_by_row(seeded, editor):
    article = seeded["000"]
    rows = [
        hypothesis_annotation(article, "raised $93,499 in just six days", id="one"),
        hypothesis_annotation(article, "Another raised more than $20,000 in five days", id="two", text=""),
        hypothesis_annotation(article, "raised $93,499", id="three", uri="https://elsewhere.example/story"),
    ]
    rows[2]["target"][0]["source"] = "https://elsewhere.example/story"
    outcome = import_document({"total": 3, "rows": rows}, user=editor, origin="search.json")
    assert outcome.claims_created == 2
    assert outcome.rejected == [
        "annotation three: its article (https://elsewhere.example/story) is not in the workbench: "
        "import the article first"
    ]
    no_text = Claim.objects.get(quote__startswith="Another")
    assert no_text.wording == no_text.quote  # an annotation without words says the claim by its quote


def test_a_quote_that_is_not_in_the_article_is_rejected_and_the_others_go_on(seeded, editor):
    article = seeded["000"]
    missing = hypothesis_annotation(article, "raised $93,499 in just six days", id="gone")
    for selector in missing["target"][0]["selector"]:
        if selector["type"] == "TextQuoteSelector":
            selector["exact"] = "an entirely different sentence that no outlet wrote"
        if selector["type"] == "TextPositionSelector":
            selector["start"], selector["end"] = 10**6, 10**6 + 5
    kept = hypothesis_annotation(article, "Another raised more than $20,000 in five days", id="kept")
    outcome = import_document([missing, kept], user=editor, origin="two.json")
    assert outcome.claims_created == 1
    assert outcome.rejected == [
        "annotation gone: its quote “an entirely different sentence that no outlet wrote” is not in the article's text"
    ]
    assert Claim.objects.get().quote.startswith("Another raised")


def test_a_position_that_still_slices_to_the_quote_is_taken_as_it_is(seeded, editor):
    article = seeded["000"]
    quote = "Two online fundraisers"
    record = hypothesis_annotation(article, quote)
    start = article.body.index(quote)
    record["target"][0]["selector"][1] |= {"start": start, "end": start + len(quote)}
    import_document(record, user=editor, origin="h.json")
    assert Claim.objects.get().start == start


def test_the_workbench_s_own_annotations_come_back_as_open_claims_in_a_second_workbench(seeded, reviewer, editor):
    article = seeded["000"]
    quote = "raised $93,499 in just six days"
    start = article.body.index(quote)
    claim = claim_create(
        article=article, user=editor, anchor=anchor_at(article.body, start, start + len(quote)), tags="money"
    )
    claim = claim_update(
        claim=claim, user=editor, expected_version=claim.version, wording="A fundraiser's take", tags="money, figures"
    )
    PassageEvidenceFactory(claim=claim)
    exported = json.loads(
        "".join(
            annotation.render(
                claim_records(Claim.objects.all(), base_url="http://first.example"),
                build_context(Claim.objects.all(), base_url="http://first.example", statuses=Claim.Status.values),
            )
        )
    )
    claim.delete()  # the second workbench has the seeds, not the claim
    outcome = import_document(exported, user=reviewer, origin="annotations.jsonld")
    assert outcome.claims_created == 1 and not outcome.rejected
    again = Claim.objects.get()
    assert (again.article_id, again.start, again.end, again.quote) == (article.pk, start, start + len(quote), quote)
    assert again.wording == "A fundraiser's take" and again.status == Claim.Status.OPEN
    assert sorted(again.tags.values_list("name", flat=True)) == ["figures", "money"]
    assert import_document(exported, user=reviewer, origin="annotations.jsonld").claims_present == 1


def test_a_verdict_an_annotation_carries_is_not_taken_and_the_report_says_so(example_pages, editor):
    record = sample("anno26.json") | {
        "body": [
            {"type": "TextualBody", "purpose": "describing", "value": "A typo in the page"},
            {"type": "TextualBody", "purpose": "oa:assessing", "value": "verified"},
        ]
    }
    outcome = import_annotations(record, user=editor, origin="anno26.json")
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.OPEN and claim.wording == "A typo in the page"
    assert outcome.notes == [
        "annotation http://example.org/anno26: its verdict (verified) was not taken: "
        "the claim is open until a reviewer here judges it"
    ]


@pytest.mark.parametrize(
    "document", [{"foo": 1}, [], "annotations", {"rows": []}, {"@graph": []}, {"type": "AnnotationPage"}]
)
def test_a_document_that_holds_no_annotation_is_refused_whole(document, editor):
    with pytest.raises(ImportRefused, match="neither Web Annotations"):
        import_annotations(document, user=editor, origin="x.json")


def test_someone_who_may_not_tag_cannot_import_annotations(example_pages, viewer):
    with pytest.raises(ImportRefused, match="allowed to tag"):
        import_annotations(sample("anno26.json"), user=viewer, origin="anno26.json")
    assert not Claim.objects.exists()


def test_the_command_imports_annotations_and_reports_each_record(example_pages, editor, tmp_path):
    path = tmp_path / "collection1.json"
    path.write_text((SAMPLES / "collection1.json").read_text())
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_claims", str(path), "--user", editor.username, stdout=out, stderr=err)
    assert raised.value.returncode == 1  # rejections: the others are imported
    assert "3 claim(s) created, 0 already here, 38 rejected" in out.getvalue()
    assert "rejected  annotation http://example.org/anno28: its article (http://example.org/diskimg1)" in err.getvalue()
    assert Claim.objects.count() == 3


def test_the_command_needs_someone_to_tag_the_annotations(example_pages, tmp_path):
    path = tmp_path / "anno26.json"
    path.write_text((SAMPLES / "anno26.json").read_text())
    with pytest.raises(CommandError, match="allowed to tag") as raised:
        call_command("import_claims", str(path))
    assert raised.value.returncode == 2


def test_the_admin_imports_annotations_and_shows_every_record(example_pages, admin_client):
    upload = SimpleUploadedFile("collection1.json", (SAMPLES / "collection1.json").read_bytes())
    response = admin_client.post(reverse("admin:claims_claim_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 claim(s) created, 0 already here, 38 rejected" in page
    assert "annotation http://example.org/anno36: it annotates the whole of http://example.org/ebook1" in page
    assert Claim.objects.count() == 3
    assert (
        reverse("admin:claims_claim_import")
        in admin_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    )


def test_the_admin_says_what_is_wrong_with_a_file_it_cannot_read(admin_client):
    for name, content, error in [
        ("notes.json", b"{not json", "notes.json is not valid JSON"),
        ("other.json", b'{"hello": "world"}', "neither Web Annotations"),
    ]:
        response = admin_client.post(reverse("admin:claims_claim_import"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200 and error in response.content.decode()
    assert not Claim.objects.exists()
