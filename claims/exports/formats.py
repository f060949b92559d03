"""The export formats: how each is written, named and served."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from claims.exports import annotation, claimreview, csv, json
from claims.exports.context import ExportContext
from claims.exports.records import claim_records, csv_records
from claims.models import Export


@dataclass(frozen=True)
class TextFormat:
    filename: str  # in a bundle, and the stem of a download's name
    media_type: str
    render: Callable[[Iterable[dict], ExportContext], Iterator[str]]
    records: Callable[..., Iterator[dict]] = claim_records  # what it is written from, when on its own


def claim_records_with_history(claims, **kwargs) -> Iterator[dict]:
    return claim_records(claims, with_history=True, **kwargs)


TEXT_FORMATS = {
    Export.Format.CSV: TextFormat(f"claims.{csv.EXTENSION}", csv.MEDIA_TYPE, csv.render, csv_records),
    # The JSON is what another workbench imports: with each claim's history and its sources'.
    Export.Format.JSON: TextFormat(
        f"claims.{json.EXTENSION}", json.MEDIA_TYPE, json.render, claim_records_with_history
    ),
    Export.Format.JSONL: TextFormat(f"claims.{json.LINES_EXTENSION}", json.LINES_MEDIA_TYPE, json.render_lines),
    Export.Format.CLAIMREVIEW: TextFormat(
        f"claimreview.{claimreview.EXTENSION}", claimreview.MEDIA_TYPE, claimreview.render
    ),
    Export.Format.ANNOTATION: TextFormat(
        f"annotations.{annotation.EXTENSION}", annotation.MEDIA_TYPE, annotation.render
    ),
}
