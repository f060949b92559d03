"""CSV and JSON exports, read back the way other tools read them."""

import csv
import io
import json

import pytest

from claims.exports import csv as csv_format
from claims.exports import json as json_format
from claims.exports.context import DEFAULT_BASE_URL, build_context
from claims.exports.records import SCHEMA_VERSION, claim_records, csv_records
from claims.models import Claim

pytestmark = pytest.mark.django_db


def render(module_render, claims=None):
    claims = claims if claims is not None else Claim.objects.all()
    context = build_context(claims, base_url=DEFAULT_BASE_URL, statuses=list(Claim.Status.values))
    return "".join(module_render(claim_records(claims, base_url=DEFAULT_BASE_URL), context))


def test_csv_has_one_row_per_claim_with_its_cells(every_kind_of_claim):
    text = render(csv_format.render)
    assert text.startswith("\ufeff")  # spreadsheets open it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row["status"] for row in rows] == ["verified", "disputed", "open"]
    verified, disputed, open_claim = rows
    assert verified["quote"] == "The ministry said hospital waiting times fell by 12% in 2024."
    assert verified["article_title"] == "Waiting times “fell”, ministry says"
    assert verified["article_url"] == "https://news.example/health/waiting-times"
    assert verified["article_publisher"] == "Example News"
    assert verified["article_published_at"] == "2025-03-04T08:30:00+00:00"
    assert verified["reviewed_by"] == "export-reviewer"
    assert verified["verdict_rationale"] == "Two independent reports confirm the 12% figure."
    assert verified["tags"] in ("budget, health", "health, budget")
    assert verified["supports_count"] == "2"
    assert "https://stats.example.org/waiting-times-2024" in verified["supports_urls"].split(" ")
    assert verified["context_count"] == "1"
    assert disputed["contradicts_count"] == "2"
    assert disputed["contradicts_urls"].split(" ") == ["https://stats.example.org/annex", "https://other.example/annex"]
    assert open_claim["wording"] == "Café prices rose 5% — officials blame energy"
    assert open_claim["supports_count"] == "0" and open_claim["reviewed_by"] == ""


def test_csv_cells_cannot_run_as_spreadsheet_formulas(every_kind_of_claim):
    claim = every_kind_of_claim["open"]
    claim.wording, claim.verdict_rationale = "+1 more", "@SUM(A1)"
    claim.save()
    rows = list(csv.DictReader(io.StringIO(render(csv_format.render).removeprefix("\ufeff"))))
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[every_kind_of_claim["verified"].pk]["wording"] == "'=SUM(A1:A2) hospital waiting times fell by 12%"
    assert by_id[claim.pk]["wording"] == "'+1 more"
    assert by_id[claim.pk]["verdict_rationale"] == "'@SUM(A1)"
    assert by_id[claim.pk]["id"] == str(claim.pk)


def test_json_is_one_document_with_the_claims_and_their_articles(every_kind_of_claim):
    document = json.loads(render(json_format.render))
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["claim_count"] == 3
    assert document["selection"]["statuses"] == ["open", "verified", "disputed", "review"]
    verified = next(c for c in document["claims"] if c["status"] == "verified")
    assert verified["anchor"]["quote"] == "The ministry said hospital waiting times fell by 12% in 2024."
    assert verified["anchor"]["start"] == 0
    assert sorted(verified["tags"]) == ["budget", "health"]
    assert [link["stance"] for link in verified["evidence"]] == ["supports", "supports", "context"]
    assert verified["evidence"][1]["quote"] == "Median waits fell 12%."
    assert verified["verdict"]["reviewed_by"] == "export-reviewer"
    assert verified["history"]["created_by"] == "export-editor"
    # Every article a claim or its evidence comes from travels with its text.
    hashes = {a["content_hash"] for a in document["articles"]}
    wanted = {c["article"]["content_hash"] for c in document["claims"]} | {
        link["passage"]["content_hash"] for c in document["claims"] for link in c["evidence"] if link["passage"]
    }
    assert hashes == wanted and len(document["articles"]) == len(hashes)


def test_json_of_no_claims_is_still_a_document(db):
    document = json.loads(render(json_format.render))
    assert document["claims"] == [] and document["articles"] == [] and document["claim_count"] == 0


def test_jsonl_has_one_versioned_claim_a_line(every_kind_of_claim):
    lines = render(json_format.render_lines).splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["status"] for r in records] == ["verified", "disputed", "open"]
    assert all(r["schema_version"] == SCHEMA_VERSION for r in records)
    assert records[0]["article"]["title"] == "Waiting times “fell”, ministry says"


def test_records_cost_the_same_queries_for_many_claims(every_kind_of_claim, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert len(list(claim_records(Claim.objects.all(), base_url=DEFAULT_BASE_URL))) == 3


@pytest.mark.parametrize("chunk_size", [1, 2, 500])
def test_the_csv_export_reads_only_its_columns_and_writes_what_the_full_records_would(every_kind_of_claim, chunk_size):
    claims = Claim.objects.all()
    lean = csv_records(claims, base_url=DEFAULT_BASE_URL, chunk_size=chunk_size)
    assert "".join(csv_format.render(lean, None)) == render(csv_format.render)


@pytest.mark.parametrize("chunk_size", [1, 2, 500])
@pytest.mark.parametrize("left_out", ["verified", "disputed", "open"])
def test_the_csv_of_some_claims_gives_them_their_own_tags_and_sources_only(every_kind_of_claim, chunk_size, left_out):
    """A chunk's tags and sources are read by its range of ids: a claim in that range that is not exported
    must lend it none of its own."""
    claims = Claim.objects.exclude(status=left_out)
    lean = csv_records(claims, base_url=DEFAULT_BASE_URL, chunk_size=chunk_size)
    assert "".join(csv_format.render(lean, None)) == render(csv_format.render, claims)


def test_the_csv_export_costs_three_queries_a_chunk(every_kind_of_claim, django_assert_num_queries):
    with django_assert_num_queries(1 + 2 * 2):  # the claims, then their tags and sources for each of 2 chunks
        assert len(list(csv_records(Claim.objects.all(), base_url=DEFAULT_BASE_URL, chunk_size=2))) == 3
