"""What became of each record of an import, kept in parts of one chunk each so that no import, however
large, holds its whole report in memory.

A batch's parts are rows in the database, each written in the same transaction as the articles it
reports on, so the report always matches what was stored. A dry run from the command line writes
nothing to the database: its parts go to a temporary file.

Each record is one row: its place (file, record, line), its outcome (new, duplicate or rejected), the
article it became or duplicates, its title, date and length, a detail (why rejected, which version it
follows) and its warnings. The report that `import_articles --report` writes and the admin downloads
is derived from the rows, one list per kind.
"""

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator

from articles.models import ImportBatch, ImportReportPart

NEW, DUPLICATE, REJECTED = "new", "duplicate", "rejected"
KINDS = ("imported", "duplicates", "rejected", "warnings")


def record_row(
    *,
    file: str,
    record: int | None,
    outcome: str,
    line: int | None = None,
    article_id: int | None = None,
    title: str = "",
    published: str | None = None,
    length: int | None = None,
    detail: str = "",
    warnings: Iterable[str] = (),
) -> dict:
    return {
        "file": file,
        "record": record,
        "line": line,
        "outcome": outcome,
        "article_id": article_id,
        "title": title,
        "published": published,
        "length": length,
        "detail": detail,
        "warnings": list(warnings),
    }


def entries(rows: Iterable[dict], kind: str) -> Iterator[dict]:
    """The report's entries of one kind, in the shape `import_articles --report` documents."""
    for row in rows:
        place = {"file": row["file"], "record": row["record"]}
        if kind == "imported" and row["outcome"] == NEW:
            yield {**place, "article_id": row["article_id"], "title": row["title"]}
        elif kind == "duplicates" and row["outcome"] == DUPLICATE:
            yield {**place, "article_id": row["article_id"], "title": row["title"]}
        elif kind == "rejected" and row["outcome"] == REJECTED:
            yield {**place, "line": row["line"], "error": row["detail"]}
        elif kind == "warnings":
            yield from ({**place, "warning": warning} for warning in row["warnings"])


def report_json(parts: Callable[[], Iterable[list[dict]]]) -> Iterator[str]:
    """The report as indented JSON, a part at a time: one pass over the parts for each kind."""
    yield "{"
    for number, kind in enumerate(KINDS):
        yield f"{',' if number else ''}\n  {json.dumps(kind)}: ["
        first = True
        for part in parts():
            lines = []
            for entry in entries(part, kind):
                lines.append(("\n    " if first else ",\n    ") + json.dumps(entry, ensure_ascii=False))
                first = False
            if lines:
                yield "".join(lines)
        yield "]" if first else "\n  ]"
    yield "\n}\n"


def batch_parts(batch: ImportBatch) -> Iterator[list[dict]]:
    parts = ImportReportPart.objects.filter(batch=batch).order_by("index").values_list("rows", flat=True)
    return parts.iterator(chunk_size=2)  # a part holds a whole chunk of records


class ImportReport:
    """Counts in memory; rows in parts, written as each chunk is decided."""

    def __init__(self, batch: ImportBatch | None = None, *, resumed: bool = False):
        self.batch = batch
        self.counts = {NEW: 0, DUPLICATE: 0, REJECTED: 0}
        self._written = 0
        if resumed:  # an import going on after the chunks its batch has committed
            self.counts = {NEW: batch.imported, DUPLICATE: batch.duplicates, REJECTED: batch.rejected}
            self._written = batch.chunks_committed
        self._spool = None if batch else tempfile.TemporaryFile("w+", encoding="utf-8")

    def keep(self, rows: list[dict]) -> None:
        """Store one chunk's rows: in the transaction that writes its articles, for a batch."""
        if self._spool:
            self._spool.write(json.dumps(rows, ensure_ascii=False) + "\n")
        else:
            ImportReportPart.objects.create(batch=self.batch, index=self._written, rows=rows)
        self._written += 1

    def counted(self, rows: list[dict]) -> dict[str, int]:
        """The counts with `rows` added (kept once the rows are committed)."""
        counts = dict(self.counts)
        for row in rows:
            counts[row["outcome"]] += 1
        return counts

    def parts(self) -> Iterator[list[dict]]:
        if not self._spool:
            yield from batch_parts(self.batch)
            return
        self._spool.seek(0)
        for line in self._spool:
            yield json.loads(line)

    def rows(self) -> Iterator[dict]:
        for part in self.parts():
            yield from part

    @property
    def records_seen(self) -> int:
        return sum(self.counts.values())

    # Whole lists, for small imports (the seeds, tests); large ones read parts() or report_json().
    @property
    def imported(self) -> list[dict]:
        return list(entries(self.rows(), "imported"))

    @property
    def duplicates(self) -> list[dict]:
        return list(entries(self.rows(), "duplicates"))

    @property
    def rejected(self) -> list[dict]:
        return list(entries(self.rows(), "rejected"))

    @property
    def warnings(self) -> list[dict]:
        return list(entries(self.rows(), "warnings"))

    def summary(self, dry_run: bool = False) -> str:
        verb = "would be imported" if dry_run else "imported"
        return (
            f"{self.counts[NEW]} {verb}, {self.counts[DUPLICATE]} duplicates skipped, {self.counts[REJECTED]} rejected"
        )
