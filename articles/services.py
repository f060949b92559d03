"""Writes for articles: importing files into articles with their passages and provenance."""

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.importers import ArticleDraft, RecordError, parser_for
from articles.models import Article, ImportBatch, Passage
from articles.text import content_hash, split_passages
from workbench.audit import IMPORT, audit_channel, current_channel


@dataclass
class ImportReport:
    """Per-record outcomes, in the shape `import_articles --report` writes."""

    batch: ImportBatch
    imported: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        return (
            f"{len(self.imported)} imported, {len(self.duplicates)} duplicates skipped, "
            f"{len(self.rejected)} rejected"
        )


def article_create(
    *, draft: ArticleDraft, user: AbstractBaseUser | None, batch: ImportBatch | None = None
) -> tuple[Article, bool]:
    """Store a draft with its passages, or return the existing article with the same text."""
    digest = content_hash(draft.body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            article = Article(
                title=draft.title,
                title_inferred=draft.title_inferred,
                url=draft.url,
                publisher=draft.publisher,
                published_at=draft.published_at,
                body=draft.body,
                raw=draft.raw,
                raw_encoding=draft.raw_encoding,
                content_hash=digest,
                origin_file=draft.origin_file,
                origin_record=draft.origin_record,
                imported_by=user,
                import_batch=batch,
            )
            article._history_user = user
            article.save()
            Passage.objects.bulk_create(
                Passage(article=article, index=index, start=start, end=end, text=text)
                for index, (start, end, text) in enumerate(split_passages(draft.body))
            )
    except IntegrityError:
        # Another import stored the same text between our check and our insert.
        return Article.objects.get(content_hash=digest), False
    return article, True


def import_files(*, files: list[tuple[str, bytes]], user: AbstractBaseUser | None) -> ImportReport:
    """Import (name, bytes) pairs as one batch. A bad record is reported and never stops the others."""
    batch = ImportBatch.objects.create(
        imported_by=user, channel=current_channel(), files=[name for name, _ in files]
    )
    report = ImportReport(batch=batch)
    with audit_channel(IMPORT):
        for name, data in files:
            try:
                for draft in parser_for(name, data)(name, data):
                    _import_draft(draft, user, report)
            except RecordError as exc:
                report.rejected.append({"file": name, "record": None, "error": str(exc)})
    batch.imported, batch.duplicates = len(report.imported), len(report.duplicates)
    batch.rejected = len(report.rejected)
    batch.report, batch.finished_at = report.as_dict(), timezone.now()
    batch.save()
    return report


def _import_draft(draft: ArticleDraft, user, report: ImportReport) -> None:
    place = {"file": draft.origin_file, "record": draft.origin_record}
    report.warnings.extend({**place, "warning": warning} for warning in draft.warnings)
    article, created = article_create(draft=draft, user=user, batch=report.batch)
    if created:
        report.imported.append({**place, "article_id": article.pk, "title": article.title})
    else:
        report.duplicates.append({**place, "article_id": article.pk, "title": article.title})


def collect_files(paths: list[Path]) -> list[tuple[str, bytes]]:
    """Files named, and every non-hidden file below folders named, in a stable order.

    Each is named as the importer would recognise it, "seeds/001.txt", never by a server-side path.
    """
    files = []
    for path in paths:
        if path.is_dir():
            for member in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = member.relative_to(path)
                if not any(part.startswith(".") for part in relative.parts):
                    files.append(((Path(path.resolve().name) / relative).as_posix(), member.read_bytes()))
        else:
            files.append((path.name, path.read_bytes()))
    return files
