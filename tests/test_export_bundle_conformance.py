"""Issue 6's "done when": export the bundle, and every file in it passes its validator."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from claims.exports.bundle import MANIFEST, verify
from tests.conformance_checks import BUNDLE_CHECKS, bundle_problems
from tests.jsonld_offline import expand, expand_annotations

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(client, viewer, every_kind_of_claim) -> bytes:
    client.force_login(viewer)
    statuses = ["verified", "disputed", "open"]
    response = client.post(reverse("claims:export") + "?tag=health", {"format": "bundle", "statuses": statuses})
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content)


def with_one_byte_changed(content: bytes, name: str) -> bytes:
    """The bundle rewritten with one byte of one member changed, the zip itself well-formed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.namelist():
            data = bytearray(source.read(member))
            if member == name:
                data[data.index(b'"Annotation"') + 1] = ord("a")
            target.writestr(member, bytes(data))
    return out.getvalue()


def test_every_file_of_an_exported_bundle_passes_its_validator(exported):
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(exported)).read(MANIFEST))
    assert manifest["claim_count"] == 2  # tagged health: the verified claim and the disputed one
    assert manifest["selection"]["statuses"] == [
        "open",
        "verified",
        "disputed",
    ]  # in the order the workbench lists them
    assert {entry["name"] for entry in manifest["files"]} == set(BUNDLE_CHECKS)
    assert bundle_problems(exported) == {MANIFEST: [], **{name: [] for name in BUNDLE_CHECKS}}


def test_a_changed_byte_is_named_by_verify_and_by_the_checks(exported):
    altered = with_one_byte_changed(exported, "annotations.jsonld")
    [problem] = verify(io.BytesIO(altered))
    assert problem.startswith("annotations.jsonld: altered")
    problems = bundle_problems(altered)
    assert problems[MANIFEST] == [problem]
    assert problems["annotations.jsonld"]  # an annotation's type is "Annotation", not "annotation"
    assert [name for name, found in problems.items() if found] == [MANIFEST, "annotations.jsonld"]


def test_a_reader_with_no_network_expands_the_annotations_with_the_context_the_bundle_carries(exported, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(exported))
    [context] = [entry for entry in json.loads(archive.read(MANIFEST))["files"] if entry["format"] == "jsonld-context"]
    assert context["copy_of"] == "http://www.w3.org/ns/anno.jsonld" and "W3C" in context["licence"]
    copy = tmp_path / "anno.jsonld"
    copy.write_bytes(archive.read(context["name"]))
    annotations = json.loads(archive.read("annotations.jsonld"))

    expanded = expand(annotations, {context["copy_of"]: copy})

    assert expanded and expanded == expand_annotations(annotations)
