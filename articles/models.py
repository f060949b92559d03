from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from workbench.audit import CHANNELS, ChannelHistoricalModel, FeedHistoricalRecords
from workbench.jobs import JobProgress

http_url = URLValidator(schemes=["http", "https"])


class EqualityIndex(models.Index):
    """An index for equality lookups on long text: a hash index on PostgreSQL, whose btree entries
    are capped at about 2.7 kB (a 2,000-character URL can take 8 kB), and a plain one elsewhere."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            using = " USING hash"
        return super().create_sql(model, schema_editor, using=using, **kwargs)


NEWEST_FIRST = (models.F("published_at").desc(nulls_last=True), "-imported_at", "-id")


class ImportBatch(JobProgress):
    """One run of an import: who brought which files in, through which channel, and what became of each record."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWING = "previewing", "Preparing the preview"
        PREVIEWED = "previewed", "Ready to confirm"
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    records_total = models.PositiveIntegerField(null=True, blank=True, help_text="Known once a preview has run.")
    records_done = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=CHANNELS)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    files = models.JSONField(default=list, help_text="Names of the files imported.")
    # Counts of the batch's report parts: what its preview found until the import has run.
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Chunks of the import committed, each with its report part and the counts above: where a resumed
    # import goes on from.
    chunks_committed = models.PositiveIntegerField(default=0)

    done_field, total_field = "records_done", "records_total"
    working_statuses = frozenset({Status.UPLOADED, Status.PREVIEWING, Status.QUEUED, Status.RUNNING})

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "import batches"
        # The activity feed tells a batch at its end (its start while it runs), newest first.
        indexes = [
            models.Index(Coalesce("finished_at", "started_at"), F("id"), name="importbatch_feed_newest"),
            models.Index(
                F("imported_by"), Coalesce("finished_at", "started_at"), F("id"), name="importbatch_feed_by_user"
            ),
            # The sweep for abandoned jobs (workbench.leases) reads the few batches in hand, and expiry the previewed.
            models.Index(
                fields=["status"],
                condition=~models.Q(status__in=["done", "expired"]),
                name="importbatch_not_ended",
            ),
        ]

    def __str__(self) -> str:
        if self.status != self.Status.DONE:
            return f"Import #{self.pk} ({self.get_status_display().lower()})"
        return f"Import #{self.pk}: {self.imported} imported, {self.duplicates} duplicates, {self.rejected} rejected"


class ImportReportPart(models.Model):
    """What became of up to one chunk of a batch's records (`articles.reports`), written with them."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="report_parts")
    index = models.PositiveIntegerField()
    rows = models.JSONField(help_text="One row per record: place, outcome, article, title, date, detail, warnings.")

    class Meta:
        ordering = ["batch", "index"]
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="import_report_part_unique_index")]

    def __str__(self) -> str:
        return f"Part {self.index + 1} of import #{self.batch_id}"


class UploadedFile(models.Model):
    """A file uploaded for an import, kept in the default storage (a shared volume or an object store
    with several servers) so any app server or worker can read it."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="uploads")
    name = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField()
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=255)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def current(self):
        """Latest versions only: an article re-imported with changed text lives on as its newest version."""
        return self.filter(next_version__isnull=True)

    def claim_counts(self, articles: list) -> dict[int, int]:
        """How many claims each of `articles` (a page) has, counted for them alone, not grouped over all."""
        ids = [article.pk for article in articles]
        return dict(self.filter(pk__in=ids).order_by().values_list("pk").annotate(n=Count("claims")))


class Article(models.Model):
    """An imported document. Its body is what claims anchor into, so it never changes in place."""

    title = models.CharField(max_length=500)
    title_inferred = models.BooleanField(
        default=False, help_text="The source had no headline; the title was taken from the text."
    )
    url = models.URLField(max_length=2000, blank=True, validators=[http_url])
    publisher = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField(help_text="Cleaned text that editors read and claims anchor into.")

    # Provenance: what was received, from where, by whom, when.
    raw = models.BinaryField(help_text="The bytes exactly as received.")
    raw_encoding = models.CharField(max_length=40, default="utf-8")
    content_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the whitespace-normalised body.")
    origin_file = models.CharField(max_length=500)
    origin_record = models.PositiveIntegerField(default=1, help_text="1-based record number in the file.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A default, not auto_now_add: an article taken in from another workbench's export keeps its import time.
    imported_at = models.DateTimeField(default=timezone.now)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    # A changed re-import of the same URL is a new version; the old one stays, unchanged.
    previous_version = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ArticleQuerySet.as_manager()
    # Metadata edits; the body never changes and the raw bytes are kept once, on the article itself.
    history = FeedHistoricalRecords(bases=[ChannelHistoricalModel], excluded_fields=["body", "raw"])

    class Meta:
        ordering = NEWEST_FIRST
        indexes = [
            models.Index(fields=["title"]),
            models.Index(fields=["publisher"]),
            # Each import batch looks up the current version of every URL it brings.
            EqualityIndex(fields=["url"], name="article_url_lookup"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])

    @property
    def raw_text(self) -> str:
        return bytes(self.raw).decode(self.raw_encoding, errors="replace")

    @property
    def origin(self) -> str:
        return f"{self.origin_file} (record {self.origin_record})"

    @property
    def choice_label(self) -> str:
        """How a box that chose this article names it."""
        return f"#{self.pk} {self.title}" + (f" ({self.publisher})" if self.publisher else "")

    @classmethod
    def label_for(cls, value: str) -> str:
        """The choice label of the article numbered `value`; empty when there is none."""
        article = (
            cls.objects.only("pk", "title", "publisher").filter(pk=int(value)).first() if value.isdigit() else None
        )
        return article.choice_label if article else ""

    def is_superseded(self) -> bool:
        """A newer version of this article exists."""
        return Article.objects.filter(previous_version=self).exists()

    def newest_version(self) -> "Article":
        """The newest version of this article, itself when current, for showing the way to it (the rule
        that an old version takes no claims asks `is_superseded`, from the database). Versions already
        loaded with `select_related("next_version__next_version")` cost nothing; each one after them
        costs a small query (pk and version only). Chains are short: one version per changed re-import."""
        newest = self
        while Article.next_version.is_cached(newest):
            if not hasattr(newest, "next_version"):  # cached as missing: a reverse one-to-one raises
                return newest
            newest = newest.next_version
        while later := Article.objects.filter(previous_version=newest).only("pk", "version").first():
            newest = later
        return newest


class Passage(models.Model):
    """A sentence-sized span of an article's body: the unit that suggestions and evidence point at."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passages")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["article", "index"]
        constraints = [
            models.UniqueConstraint(fields=["article", "index"], name="passage_unique_index"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="passage_nonempty"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class PassagesRevision(models.Model):
    """One number that the database moves on whenever what a search of passages can find changes: a passage
    written or deleted, an article added, deleted or given a new version (triggers of migration 0010), or a
    passage's stored embedding written (claims' migration 0015 adds that trigger). What is worked out from
    the passages is kept under the number it was read with, and worked out again under the next one
    (claims.suggestions). A single row; a number read before a change committed is never read after."""

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"passages revision {self.number}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.values_list("number", flat=True).first() or 0
