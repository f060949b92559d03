"""JSON and JSON Lines: the claim records as they are (see records.py), with a schema_version.

JSON is one document: the export's description, the claims, and the articles they and their evidence
come from, with their text, so that `import_claims` can recreate everything in another workbench.
JSON Lines is one claim per line, for tools that read a record at a time.
"""

import json
from collections.abc import Iterable, Iterator

from claims.exports.context import WITHHELD_WHY, ExportContext
from claims.exports.records import SCHEMA_VERSION

EXTENSION = "json"
MEDIA_TYPE = "application/json"
LINES_EXTENSION = "jsonl"
LINES_MEDIA_TYPE = "application/jsonl"


def render(records: Iterable[dict], context: ExportContext) -> Iterator[str]:
    head = {"schema_version": SCHEMA_VERSION, **describe(context)}
    yield _dumps(head, indent=2)[:-2] + ',\n  "claims": ['
    yield from _items(records)
    yield '],\n  "articles": ['
    yield from _items(context.articles())
    yield "]\n}\n"


def render_lines(records: Iterable[dict], context: ExportContext) -> Iterator[str]:
    for record in records:
        yield _dumps({"schema_version": SCHEMA_VERSION, **record}) + "\n"


def describe(context: ExportContext) -> dict:
    """The export itself, as JSON and the bundle's manifest tell it."""
    return {
        "exported_at": context.exported_at.isoformat(),
        "exported_by": context.exported_by,
        "organisation": {"name": context.organisation_name, "url": context.organisation_url},
        "selection": {"claim_set": context.claim_set, "filters": context.filters, "statuses": context.statuses},
        "claim_count": context.total,
        "left_out": {"claims": context.withheld, "why": WITHHELD_WHY if context.withheld else None},
    }


def _items(items: Iterable[dict]) -> Iterator[str]:
    separator = "\n    "
    for item in items:
        yield separator + _dumps(item)
        separator = ",\n    "


def _dumps(value, **kwargs) -> str:
    return json.dumps(value, ensure_ascii=False, **kwargs)
