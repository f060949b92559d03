"""The bundle: a zip of every format plus manifest.json, which names the export and the SHA-256 of
every file, so that anyone can check that nothing was altered (`manage.py verify_export`).

It also holds a copy of the JSON-LD context the annotations name (contexts/anno.jsonld, listed with the
IRI it stands for), so that a reader with no network expands them: the ClaimReviews carry their own.

The zip is written as it streams (zipfile writes to an unseekable stream with data descriptors),
each format reading the claims afresh, so memory does not grow with the number of claims.
"""

import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import version
from typing import BinaryIO

from claims.exports import annotation
from claims.exports.context import ExportContext
from claims.exports.formats import TEXT_FORMATS
from claims.exports.json import describe
from claims.exports.records import SCHEMA_VERSION

EXTENSION = "zip"
MEDIA_TYPE = "application/zip"
MANIFEST = "manifest.json"
ANNO_CONTEXT = "contexts/anno.jsonld"
# The notice W3C's licence asks a copy to carry; the file itself, copied unchanged, has none.
W3C_NOTICE = (
    "Copyright © 2016 W3C® (MIT, ERCIM, Keio, Beihang). Copied unchanged from the Web Annotation Vocabulary, "
    "https://www.w3.org/TR/annotation-vocab/ (Appendix A), under the W3C Software and Document License, "
    "https://www.w3.org/Consortium/Legal/2015/copyright-software-and-document"
)


def render(records: Callable[..., Iterable[dict]], context: ExportContext) -> Iterator[bytes]:
    """The zip's bytes; `records(read)` gives a fresh iterator of the claim records each format is written from."""
    sink = _Sink()
    files = []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for export_format, text_format in TEXT_FORMATS.items():
            digest, size = hashlib.sha256(), 0
            with archive.open(text_format.filename, "w") as member:
                for chunk in text_format.render(records(text_format.records), context):
                    data = chunk.encode()
                    digest.update(data)
                    size += len(data)
                    member.write(data)
                    yield from sink.take()
            files.append(
                {"name": text_format.filename, "format": export_format, "size": size, "sha256": digest.hexdigest()}
            )
        files.append(_anno_context(archive))
        archive.writestr(MANIFEST, manifest(context, files))
    yield from sink.take()


def _anno_context(archive: zipfile.ZipFile) -> dict:
    data = annotation.ANNO_COPY.read_bytes()
    archive.writestr(ANNO_CONTEXT, data)
    return {
        "name": ANNO_CONTEXT,
        "format": "jsonld-context",
        "copy_of": annotation.ANNO,
        "licence": W3C_NOTICE,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def manifest(context: ExportContext, files: list[dict]) -> str:
    software = {"name": "workbench", "version": version("workbench")}
    body = {"schema_version": SCHEMA_VERSION, "software": software, **describe(context), "files": files}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def verify(file: BinaryIO) -> list[str]:
    """What is wrong with a bundle, file by file; an empty list when every checksum matches."""
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        return ["not a zip archive (the bundle itself is damaged or is not a bundle)"]
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            return [f"{MANIFEST} is missing: nothing to check the files against"]
        try:
            listed = {entry["name"]: entry["sha256"] for entry in json.loads(archive.read(MANIFEST))["files"]}
        except (ValueError, KeyError, TypeError) as error:
            return [f"{MANIFEST} is unreadable ({error}): it was altered"]
        problems = []
        for name, expected in listed.items():
            if name not in names:
                problems.append(f"{name}: missing")
                continue
            try:
                found = _sha256(archive, name)
            except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as error:
                problems.append(f"{name}: damaged ({error})")
                continue
            if found != expected:
                problems.append(f"{name}: altered (SHA-256 is {found}, the manifest says {expected})")
        problems += [f"{name}: not in the manifest" for name in sorted(names - set(listed) - {MANIFEST})]
        return problems


def _sha256(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as member:
        while chunk := member.read(2**16):
            digest.update(chunk)
    return digest.hexdigest()


class _Sink:
    """A write-only stream whose bytes are taken as they come."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> Iterator[bytes]:
        if self._parts:
            data, self._parts = b"".join(self._parts), []
            yield data
