"""A published claim set passes the W3C Nu HTML Checker (vnu.jar, installed by `make vnu` from
tests/conformance/vnu/, run on the system's Java), made of real seed data with hostile text."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from tests.conformance_checks import google_fields_missing, shacl_violations
from tests.published_data import HOSTILE, published_seed_set
from tests.test_publishing import Parts, reviews_in

VNU = (
    Path(__file__).resolve().parent / "conformance" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
HOST_PAGE = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>A host page</title></head><body>\n{}\n</body></html>\n'


def nu_errors(path: Path) -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.fail("The Nu HTML Checker needs Java and vnu.jar: run `make vnu` (make test does).")
    result = subprocess.run(  # noqa: S603 - our own file, checked by a jar we pinned
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{m.get('lastLine')}:{m.get('lastColumn')} {m['type']}: {m['message']} [{m.get('extract', '')}]"
        for m in messages
    ]


@pytest.fixture
def publication(seeded):
    return published_seed_set()


def test_the_published_page_has_no_html_errors(publication, tmp_path):
    page = tmp_path / "index.html"
    page.write_bytes(default_storage.open(publication.page_path).read())
    assert nu_errors(page) == []


def test_the_snippet_in_a_host_page_has_no_html_errors(publication, tmp_path):
    host = tmp_path / "host.html"
    host.write_text(HOST_PAGE.format(default_storage.open(publication.snippet_path).read().decode()))
    assert nu_errors(host) == []


def test_the_seed_page_holds_every_decided_claim_and_its_claimreviews_pass_the_shapes(publication):
    page = default_storage.open(publication.page_path).read().decode()
    reviews = reviews_in(page)
    assert publication.claim_count == len(reviews) == 4  # three demo verdicts and the hostile claim
    assert shacl_violations(reviews) == [] and google_fields_missing(reviews) == []
    assert HOSTILE in [review["claimReviewed"] for review in reviews]
    assert "<script>alert(1)" not in page and len(Parts(page).scripts) == 1


def test_the_page_is_in_english_with_one_top_heading_and_its_claims_below_it(publication):
    page = default_storage.open(publication.page_path).read().decode()
    assert '<html lang="en">' in page and page.count("<h1") == 1
    assert page.count("<h2") == publication.claim_count and page.count('dir="auto"') > publication.claim_count
