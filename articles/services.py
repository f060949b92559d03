"""Writes for articles: importing files, streaming and in batches, into articles with their provenance,
history and versions, and the job that writes their passages (`articles.passages`)."""

import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from articles.history import METADATA
from articles.importers import ArticleDraft, Limits, Rejected, Source, records
from articles.models import Article, ImportBatch, UploadedFile
from articles.passages import write_passages
from articles.reports import DUPLICATE, NEW, REJECTED, ImportReport, record_row
from articles.signals import metadata_changed, version_created
from articles.text import content_hash
from workbench import leases
from workbench.audit import IMPORT, audit_channel, bulk_create_with_history, current_channel

logger = logging.getLogger(__name__)

CHUNK = 500  # records written per transaction: large enough to be fast, small enough to show progress


def import_files(*, files: list[tuple[str, bytes]], user) -> ImportReport:
    """Import (name, bytes) pairs as one batch."""
    return import_sources(sources=[Source.from_bytes(name, data) for name, data in files], user=user)


def import_sources(
    *,
    sources: Iterable[Source],
    user,
    batch: ImportBatch | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import every record of every source; a bad record is reported and never stops the others.

    Records stream from the files and are written CHUNK at a time, each chunk in one transaction with
    its part of the report and the batch's counts, so the counts always match what was committed. A
    dry run writes no articles and says what would happen to each record; its report goes to the batch
    when one is given (the admin's preview) and nowhere else otherwise.

    The batch is this process's job (`workbench.leases`) and beats as records are read. An import given
    a batch with chunks already committed (resumed after its process vanished) goes on after them.
    """
    sources = list(sources)
    if batch is None and not dry_run:
        batch = ImportBatch.objects.create(
            imported_by=user,
            channel=current_channel(),
            files=[s.name for s in sources],
            runner=leases.runner_id(),
            heartbeat_at=timezone.now(),
        )
    resumed = bool(batch and not dry_run and batch.chunks_committed)
    report = ImportReport(batch=batch, resumed=resumed)
    try:
        if batch and not resumed:
            batch.report_parts.all().delete()  # an import replaces the rows of its preview
        items = records(sources, limits=Limits.from_settings())
        heartbeat = leases.Heartbeat(batch) if batch else None
        with audit_channel(IMPORT):
            chunks = _chunks(heartbeat.beating(items) if heartbeat else items, CHUNK)
            for chunk in islice(chunks, batch.chunks_committed if resumed else 0, None):
                _store(chunk, user=user, batch=batch, report=report, dry_run=dry_run)
                if heartbeat and dry_run:
                    heartbeat(**tallies(report.counts))  # the preview's counts so far
    except BaseException as exc:  # Ctrl-C included
        if batch and not dry_run:
            _stopped(batch, exc)
        raise
    if batch and not dry_run:
        leases.finish(batch, status=ImportBatch.Status.DONE, finished_at=timezone.now())
    return report


def tallies(counts: dict[str, int]) -> dict[str, int]:
    """A batch's count fields for a report's counts."""
    return {
        "records_done": sum(counts.values()),
        "imported": counts[NEW],
        "duplicates": counts[DUPLICATE],
        "rejected": counts[REJECTED],
    }


def _stopped(batch: ImportBatch, exc: BaseException) -> None:
    """What was written stays, with its report and counts; the batch says the import stopped, unless
    another process took it over. If even that fails (the database is gone), the sweep of abandoned
    jobs will."""
    if isinstance(exc, leases.JobLost):
        return
    try:
        if isinstance(exc, DatabaseError):  # a lost connection: open another to say so
            connection.close_if_unusable_or_obsolete()
        if not isinstance(exc, Exception) and batch.uploads.exists():
            # The worker was stopped (a second Ctrl-C, SIGTERM), not the import: the next worker goes on.
            leases.finish(batch, status=ImportBatch.Status.QUEUED)
            return
        leases.finish(
            batch,
            status=ImportBatch.Status.FAILED,
            finished_at=timezone.now(),
            failure=f"The import stopped after {batch.records_done:,} records: {str(exc) or type(exc).__name__}",
        )
    except Exception:
        logger.exception("Could not record that import #%s stopped", batch.pk)


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _store(chunk: list[ArticleDraft | Rejected], *, user, batch, report: ImportReport, dry_run: bool) -> None:
    """Decide each record's fate with a fixed number of queries, then write the new ones and their report."""
    drafts = [item for item in chunk if isinstance(item, ArticleDraft)]
    hashes = {id(draft): content_hash(draft.body) for draft in drafts}
    known = dict(Article.objects.filter(content_hash__in=hashes.values()).values_list("content_hash", "pk"))
    urls = {draft.url for draft in drafts if draft.url}
    latest = {a.url: a for a in Article.objects.current().filter(url__in=urls).order_by().only("pk", "url", "version")}

    rows: list[dict] = []
    new: list[tuple[dict, Article]] = []
    repeats: list[tuple[dict, Article]] = []  # rows repeating a new article of this chunk, and that article
    seen: dict[str, Article] = {}
    for item in chunk:
        if isinstance(item, Rejected):
            rows.append(
                record_row(file=item.file, record=item.record, line=item.line, outcome=REJECTED, detail=item.error)
            )
            continue
        digest = hashes[id(item)]
        row = record_row(
            file=item.origin_file,
            record=item.origin_record,
            outcome=NEW,
            title=item.title,
            length=len(item.body),
            published=item.published_at.isoformat() if item.published_at else None,
            warnings=item.warnings,
        )
        rows.append(row)
        if digest in known:
            row["outcome"], row["article_id"] = DUPLICATE, known[digest]
            row["detail"] = _of(known[digest], "duplicate")
        elif digest in seen:
            row["outcome"], row["detail"] = DUPLICATE, _of(None, "duplicate")
            repeats.append((row, seen[digest]))
        else:
            article = article_from_draft(item, digest, user=user, batch=batch, previous=latest.get(item.url))
            if item.url:
                latest[item.url] = article  # a second changed copy in the same import is the version after
            seen[digest] = article
            new.append((row, article))
            row["detail"] = _of(article.previous_version.pk, "new version") if article.previous_version else ""

    if dry_run:
        report.keep(rows)
        report.counts = report.counted(rows)
        return
    with transaction.atomic():
        if batch:
            leases.hold(batch)
        try:
            with transaction.atomic():
                _write([article for _, article in new], user)
        except IntegrityError:
            _write_one_by_one([article for _, article in new], user)
        for row, article in new + repeats:
            if article.pk:
                row["article_id"] = article.pk
            else:
                row["outcome"] = DUPLICATE
                row["article_id"] = (
                    Article.objects.filter(content_hash=article.content_hash).values_list("pk", flat=True).first()
                )
            if row["outcome"] == DUPLICATE:
                row["detail"] = _of(row["article_id"], "duplicate")
        report.keep(rows)
        counts = report.counted(rows)
        if batch:
            committed = {**tallies(counts), "chunks_committed": batch.chunks_committed + 1}
            ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now(), **committed)
    report.counts = counts  # once committed: the counts never include a chunk that was rolled back
    if batch:
        for name, value in committed.items():
            setattr(batch, name, value)


def article_from_draft(draft: ArticleDraft, digest: str, *, user, batch, previous: Article | None) -> Article:
    """The article an import writes for a draft (unsaved): its text, provenance and place among versions."""
    return Article(
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
        previous_version=previous,
        version=previous.version + 1 if previous else 1,
    )


def _write(articles: list[Article], user) -> None:
    # Versions must point at articles already written: write them in order of their version chains.
    for generation in _generations(articles):
        bulk_create_with_history(generation, Article, user=user)
    # In the chunk's transaction: the job is there exactly when the articles are.
    write_passages.enqueue([article.pk for article in articles])
    _announce_versions(articles)


def _generations(articles: list[Article]) -> list[list[Article]]:
    """Write order: a new version comes after the one it follows when both are in this import."""
    pending, generations = list(articles), []
    while pending:
        waiting = {id(article) for article in pending}
        ready = [article for article in pending if id(article.previous_version) not in waiting]
        generations.append(ready)
        written = {id(article) for article in ready}
        pending = [article for article in pending if id(article) not in written]
    return generations


def _write_one_by_one(articles: list[Article], user) -> None:
    """Another import stored some of the same texts meanwhile: write them one at a time, in the order
    of the records, each new version after the current version of its URL as it now stands."""
    for article in articles:
        article.pk, article._state.adding = None, True
        if article.url:
            previous = Article.objects.current().filter(url=article.url).order_by().only("pk", "version").first()
            article.previous_version, article.version = previous, previous.version + 1 if previous else 1
        try:
            with transaction.atomic():
                _write([article], user)
        except IntegrityError:
            article.pk = None  # the same text was stored by someone else meanwhile: a duplicate after all


def _announce_versions(articles: list[Article]) -> None:
    # Inside the chunk's transaction: what listeners write (claims re-anchored) commits with the articles.
    for article in articles:
        if article.previous_version_id:
            version_created.send(sender=Article, old=article.previous_version, new=article)


def _of(article_id: int | None, what: str) -> str:
    return f"{what} of #{article_id}" if article_id else f"{what} of an earlier record in this import"


def article_save_metadata(*, article: Article, user) -> list[str]:
    """Save an edit of an article's metadata (never its body) and announce the fields that really changed,
    in the same transaction: a publisher decides which sources count as independent."""
    with transaction.atomic():
        before = Article.objects.values(*METADATA).get(pk=article.pk)
        article._history_user = user
        article.save()
        changed = [name for name in METADATA if before[name] != getattr(article, name)]
        if changed:
            metadata_changed.send(sender=Article, article=article, fields=changed, user=user)
    return changed


def collect_files(paths: list[Path]) -> list[Source]:
    """Files named, and every non-hidden file below folders named, in a stable order.

    Each is named as the importer would recognise it, "seeds/001.txt", never by a server-side path.
    """
    sources = []
    for path in paths:
        if path.is_dir():
            for member in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = member.relative_to(path)
                if not any(part.startswith(".") for part in relative.parts):
                    sources.append(Source.from_path(member, (Path(path.resolve().name) / relative).as_posix()))
        else:
            sources.append(Source.from_path(path, path.name))
    return sources


# --- Imports uploaded through the admin, run as background jobs ---------------------------------


def import_batch_upload(*, files, user) -> ImportBatch:
    """Keep uploaded files with a new batch, refusing an upload over the limit before storing anything."""
    total = sum(upload.size for upload in files)
    limit = settings.WORKBENCH_IMPORT_MAX_UPLOAD_BYTES
    if total > limit:
        raise ValidationError(f"The upload is {total:,} bytes; the limit is {limit:,} bytes.")
    if not files:
        raise ValidationError("Choose at least one file.")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            imported_by=user,
            channel=current_channel(),
            files=[upload.name for upload in files],
            status=ImportBatch.Status.UPLOADED,
        )
        for upload in files:
            UploadedFile.objects.create(batch=batch, name=upload.name, size=upload.size, file=upload)
    return batch


def _uploaded_sources(batch: ImportBatch) -> list[Source]:
    # Each opening is a stream of its own from the storage: a local file, or an object read in chunks.
    def opener(stored: str):
        return lambda: default_storage.open(stored, "rb")

    return [
        Source(name, size, opener(stored)) for name, size, stored in batch.uploads.values_list("name", "size", "file")
    ]


def _set_status(batch: ImportBatch, status: str, **fields) -> None:
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.status = status
    batch.save(update_fields=["status", *fields])


NO_COUNTS = dict.fromkeys(["records_done", "imported", "duplicates", "rejected", "chunks_committed"], 0)


def import_batch_preview(*, batch_id: int) -> ImportBatch:
    """Dry-run an uploaded batch: what would become of each record, written nowhere but the batch."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.UPLOADED:  # previewed already: a task run twice
        return batch
    leases.take(batch, status=ImportBatch.Status.PREVIEWING, **NO_COUNTS)
    try:
        report = import_sources(sources=_uploaded_sources(batch), user=batch.imported_by, batch=batch, dry_run=True)
    except leases.JobLost:
        raise
    except Exception as exc:
        leases.finish(batch, status=ImportBatch.Status.FAILED, failure=f"The preview failed: {exc}")
        raise
    leases.finish(
        batch, status=ImportBatch.Status.PREVIEWED, records_total=report.records_seen, **tallies(report.counts)
    )
    return batch


def import_batch_resumable(batch: ImportBatch) -> bool:
    """A confirmed import that failed can be run again: it goes on after its last committed chunk."""
    return batch.status == ImportBatch.Status.FAILED and batch.records_total is not None and batch.uploads.exists()


def import_batch_confirm(*, batch: ImportBatch, user) -> ImportBatch:
    if batch.status == ImportBatch.Status.PREVIEWED:
        _set_status(batch, ImportBatch.Status.QUEUED, imported_by=user, records_done=0)
    elif import_batch_resumable(batch):
        _set_status(batch, ImportBatch.Status.QUEUED, failure="", finished_at=None, runner="")
    else:
        raise ValidationError(
            f"This import is {batch.get_status_display().lower()}; only a previewed one can be confirmed."
        )
    return batch


def import_batch_run(*, batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.QUEUED:  # run already: a task run twice
        return batch
    fresh = {} if batch.chunks_committed else {**NO_COUNTS, "started_at": timezone.now()}
    leases.take(batch, status=ImportBatch.Status.RUNNING, **fresh)
    import_sources(sources=_uploaded_sources(batch), user=batch.imported_by, batch=batch)
    return batch
