import django.db.models.deletion
from django.db import migrations, models

PART = 500


def move_reports_into_parts(apps, schema_editor):
    """Earlier batches kept their report (and, before confirming, their preview) in one JSON field."""
    ImportBatch = apps.get_model("articles", "ImportBatch")
    ImportReportPart = apps.get_model("articles", "ImportReportPart")
    for batch in ImportBatch.objects.iterator():
        rows = [_row(**row) for row in batch.preview] if batch.status in ("previewed", "queued") else _rows(batch.report)
        ImportReportPart.objects.bulk_create(
            ImportReportPart(batch=batch, index=n, rows=rows[start : start + PART])
            for n, start in enumerate(range(0, len(rows), PART))
        )


def mark_finished_imports_done(apps, schema_editor):
    """Command-line imports used to stay "running" after they had finished."""
    ImportBatch = apps.get_model("articles", "ImportBatch")
    ImportBatch.objects.filter(status="running", finished_at__isnull=False).update(status="done")


def _rows(report: dict) -> list[dict]:
    rows = {}
    for kind, outcome in (("imported", "new"), ("duplicates", "duplicate"), ("rejected", "rejected")):
        for entry in report.get(kind, []):
            detail = entry.get("error", "")
            rows[(entry["file"], entry["record"], len(rows))] = _row(outcome=outcome, detail=detail, **entry)
    by_place = {(row["file"], row["record"]): row for row in rows.values()}
    for entry in report.get("warnings", []):
        if row := by_place.get((entry["file"], entry["record"])):
            row["warnings"].append(entry["warning"])
    return [rows[key] for key in sorted(rows, key=lambda key: (key[0], key[1] or 0, key[2]))]


def _row(*, file, record, outcome, line=None, article_id=None, title="", published=None, length=None, detail="", **rest):
    return {"file": file, "record": record, "line": line, "outcome": outcome, "article_id": article_id,
            "title": title, "published": published, "length": length, "detail": detail, "warnings": []}  # fmt: skip


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
                ("rows", models.JSONField(help_text="One row per record: place, outcome, article, title, date, detail, warnings.")),
                ("batch", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="report_parts", to="articles.importbatch")),
            ],
            options={
                "ordering": ["batch", "index"],
                "constraints": [models.UniqueConstraint(fields=("batch", "index"), name="import_report_part_unique_index")],
            },
        ),
        migrations.RunPython(move_reports_into_parts, migrations.RunPython.noop),
        migrations.RunPython(mark_finished_imports_done, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importbatch", name="preview"),
        migrations.RemoveField(model_name="importbatch", name="report"),
    ]
