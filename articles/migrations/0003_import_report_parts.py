import django.db.models.deletion
from django.db import migrations, models

PART = 500


def move_reports_into_parts(apps, schema_editor):
    """Earlier batches kept their report, or before it ran their preview, in one JSON field each."""
    ImportBatch = apps.get_model("articles", "ImportBatch")
    ImportReportPart = apps.get_model("articles", "ImportReportPart")
    for batch in ImportBatch.objects.iterator():
        if any(batch.report.get(kind) for kind in KINDS):
            rows = _rows(batch.report, batch.files)
        else:
            rows = [_row(**row) for row in batch.preview]
            # A preview's counts were not kept on the batch: the page and its Confirm button read them now.
            batch.imported, batch.duplicates, batch.rejected = (
                sum(row["outcome"] == outcome for row in rows) for outcome in ("new", "duplicate", "rejected")
            )
            batch.save(update_fields=["imported", "duplicates", "rejected"])
        ImportReportPart.objects.bulk_create(
            ImportReportPart(batch=batch, index=n, rows=rows[start : start + PART])
            for n, start in enumerate(range(0, len(rows), PART))
        )


def move_parts_back(apps, schema_editor):
    ImportBatch = apps.get_model("articles", "ImportBatch")
    ImportReportPart = apps.get_model("articles", "ImportReportPart")
    for batch in ImportBatch.objects.iterator():
        rows = [row for part in ImportReportPart.objects.filter(batch=batch).order_by("index") for row in part.rows]
        if batch.status in ("uploaded", "previewing", "previewed", "queued"):
            batch.preview = [{key: row[key] for key in PREVIEW_KEYS} for row in rows]
        else:
            batch.report = _report(rows)
        batch.save(update_fields=["preview", "report"])


def mark_finished_imports_done(apps, schema_editor):
    """Command-line imports used to stay "running" after they had finished."""
    ImportBatch = apps.get_model("articles", "ImportBatch")
    ImportBatch.objects.filter(status="running", finished_at__isnull=False).update(status="done")


# The row and report shapes of articles.reports, copied: a migration must not change when the app does.
KINDS = ("imported", "duplicates", "rejected", "warnings")
PREVIEW_KEYS = ("file", "record", "line", "title", "published", "length", "outcome", "detail")


def _rows(report: dict, files: list[str]) -> list[dict]:
    """The report's entries as one row per record, in the order of the files and their records."""
    rows = []
    for kind, outcome in (("imported", "new"), ("duplicates", "duplicate"), ("rejected", "rejected")):
        for entry in report.get(kind, []):
            detail = entry.get("error") or (f"duplicate of #{entry['article_id']}" if outcome == "duplicate" else "")
            rows.append(_row(outcome=outcome, detail=detail, **entry))
    by_place = {(row["file"], row["record"]): row for row in rows}
    for entry in report.get("warnings", []):
        if row := by_place.get((entry["file"], entry["record"])):
            row["warnings"].append(entry["warning"])
    order = {name: position for position, name in enumerate(files)}
    return sorted(rows, key=lambda row: (_file_rank(row["file"], order), row["file"], row["record"] or 0))


def _file_rank(file: str, order: dict[str, int]) -> int:
    """Where the file came in the batch; a member of an archive ("a.zip/x.json") with its archive."""
    while file not in order and "/" in file:
        file = file.rsplit("/", 1)[0]
    return order.get(file, len(order))


def _report(rows: list[dict]) -> dict:
    report = {kind: [] for kind in KINDS}
    for row in rows:
        place = {"file": row["file"], "record": row["record"]}
        if row["outcome"] == "new":
            report["imported"].append({**place, "article_id": row["article_id"], "title": row["title"]})
        elif row["outcome"] == "duplicate":
            report["duplicates"].append({**place, "article_id": row["article_id"], "title": row["title"]})
        else:
            report["rejected"].append({**place, "line": row["line"], "error": row["detail"]})
        report["warnings"] += [{**place, "warning": warning} for warning in row["warnings"]]
    return report


def _row(
    *, file, record, outcome, line=None, article_id=None, title="", published=None, length=None, detail="", **rest
):
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
        "warnings": [],
    }


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_url_lookup"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportReportPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("index", models.PositiveIntegerField()),
                (
                    "rows",
                    models.JSONField(
                        help_text="One row per record: place, outcome, article, title, date, detail, warnings."
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_parts",
                        to="articles.importbatch",
                    ),
                ),
            ],
            options={
                "ordering": ["batch", "index"],
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "index"), name="import_report_part_unique_index")
                ],
            },
        ),
        migrations.RunPython(move_reports_into_parts, move_parts_back),
        migrations.RunPython(mark_finished_imports_done, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importbatch", name="preview"),
        migrations.RemoveField(model_name="importbatch", name="report"),
    ]
