import secrets
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connections, models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EqualityIndex, Passage
from workbench.audit import CHANNELS, ChannelHistoricalModel, FeedHistoricalRecords
from workbench.jobs import JobProgress

PREFIX_SUFFIX_LENGTH = 32


class Tag(models.Model):
    name = models.CharField(max_length=50)
    history = FeedHistoricalRecords(bases=[ChannelHistoricalModel])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_unique_name_ignoring_case")]

    def __str__(self) -> str:
        return self.name


# The columns a list of claims shows.
LISTED = (
    "wording",
    "status",
    "needs_review",
    "review_reason",
    "created_at",
    "article__title",
    "article__publisher",
    "created_by__username",
    "reviewed_by__username",
)


class ClaimQuerySet(models.QuerySet):
    def for_list(self):
        """With what a list shows of them (claims.display.claim_rows), and nothing more: no article text or bytes."""
        return self.select_related("article", "created_by", "reviewed_by").only(*LISTED).prefetch_related("tags")

    def contradicted(self, yes: bool = True):
        """Claims with (or, `yes` false, without) a contradicting source."""
        contradicting = Exists(
            EvidenceLink.objects.filter(claim=OuterRef("pk"), stance=EvidenceLink.Stance.CONTRADICTS)
        )
        return self.filter(contradicting if yes else ~contradicting)

    def status_counts(self) -> dict[str, int]:
        counts = dict(self.order_by().values_list("status").annotate(n=Count("id")))
        return {status: counts.get(status, 0) for status in Claim.Status.values}


class ClaimHistoricalModel(ChannelHistoricalModel):
    """A claim's record also says, when it is written, whether it is told with an earlier one: the tags set
    after a save, a bare version bump from linking a source (`claims.history.fold`)."""

    history_folded = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        abstract = True


class Claim(models.Model):
    """A statement an article makes, anchored to a span of its body (W3C text quote + position)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"
        # A verdict whose basis changed since: suspended until a reviewer confirms or changes it.
        REVIEW = "review", "Needs review"

    # Names the claim across workbenches: an exported claim imported twice is recognised.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    # TextQuoteSelector (quote with prefix and suffix) and TextPositionSelector (start, end).
    quote = models.TextField()
    prefix = models.CharField(max_length=PREFIX_SUFFIX_LENGTH, blank=True)
    suffix = models.CharField(max_length=PREFIX_SUFFIX_LENGTH, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    wording = models.TextField(help_text="The claim in the editor's own words.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The current verdict (or the reason it was reopened); earlier ones are in the history.
    verdict_rationale = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A default, not auto_now_add: a restored claim keeps the time it was first tagged.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every change, so a save based on what someone saw earlier is refused, not applied.
    version = models.PositiveIntegerField(default=1)
    # How sure the anchor is: 1.0 when tagged; lower after being re-anchored in a new article version.
    anchor_confidence = models.FloatField(default=1.0)
    needs_review = models.BooleanField(default=False)
    review_reason = models.TextField(blank=True)
    # What the current verdict judged (claims.basis): the wording, the anchor and the sources that counted.
    verdict_basis = models.JSONField(null=True, blank=True, editable=False)

    history = FeedHistoricalRecords(m2m_fields=[tags], bases=[ClaimHistoricalModel], shown=Q(history_folded=False))
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # One for each order the claim list offers (claims.filters.SORTS) and its status tabs; the wording is
        # sorted without one, since a btree cannot hold every long text.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="claim_newest_first"),
            models.Index(fields=["status", "-created_at", "-id"], name="claim_status_newest_first"),
            models.Index(fields=["-reviewed_at", "-id"], name="claim_reviewed_newest_first"),
            models.Index(
                fields=["-created_at", "-id"], condition=Q(needs_review=True), name="claim_flagged_newest_first"
            ),
            # The claims of some articles in text order: a story's matrix (claims.stories).
            models.Index(fields=["article", "start", "id"], name="claim_in_text_order"),
            # The desk (claims.desk): the open claims worked on last, and one person's claims changed since a time.
            models.Index(fields=["status", "-updated_at", "-id"], name="claim_status_updated_last"),
            models.Index(fields=["created_by", "-updated_at", "-id"], name="claim_author_updated_last"),
            # "Already tagged?" looks a quote up in every article (claims.duplicates).
            EqualityIndex(fields=["quote"], name="claim_quote_lookup"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="claim_nonempty_anchor"),
        ]
        permissions = [
            ("change_any_claim", "Can edit claims created by others"),
            ("delete_any_claim", "Can delete any claim, whatever its status"),
            ("set_verdict", "Can set the verdict on a claim"),
            ("restore_claim", "Can restore deleted claims and roll claims back to earlier versions"),
        ]

    def __str__(self) -> str:
        return self.wording[:80]

    def get_absolute_url(self) -> str:
        return reverse("claims:detail", args=[self.pk])


# PostgreSQL's triggers that keep StatusCount, deferred to the commit (claims/migrations/0015_status_counts.py).
COUNT_TRIGGERS = "claims_count_status, claims_count_status_change"


class StatusCountQuerySet(models.QuerySet):
    def by_status(self) -> dict[str, int]:
        """Every status with its number of claims, exact. PostgreSQL counts a transaction's changes when it
        commits: inside one, they are counted first, so that it reads its own writes."""
        connection = connections[self.db]
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            return self._read()
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {COUNT_TRIGGERS} IMMEDIATE")
            try:
                return self._read()
            finally:
                cursor.execute(f"SET CONSTRAINTS {COUNT_TRIGGERS} DEFERRED")

    def _read(self) -> dict[str, int]:
        counts = dict(self.values_list("status", "claims"))
        return {status: counts.get(status, 0) for status in Claim.Status.values}


class StatusCount(models.Model):
    """How many claims have a status, kept by the database itself: triggers on the claims table (migration
    0014) add and take one in the transaction that inserts, deletes or changes the status of a claim, from
    whichever door (services, the admin, imports, a rollback, a bulk insert). The claim list's tabs read
    these rows instead of counting 100,000 claims (claims.filters.ClaimFilter.counted)."""

    status = models.CharField(max_length=10, primary_key=True, choices=Claim.Status.choices)
    claims = models.BigIntegerField()

    objects = StatusCountQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.status}: {self.claims}"


class EvidenceLink(models.Model):
    """A source a claim is checked against: a passage of another article, or an external URL."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    note = models.TextField(blank=True)
    passage = models.ForeignKey(Passage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    url = models.URLField(max_length=2000, blank=True, validators=[URLValidator(schemes=["http", "https"])])
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    quote = models.TextField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)  # kept when a link is restored with its claim

    history = FeedHistoricalRecords(bases=[ChannelHistoricalModel])

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(passage__isnull=False) & Q(url="")) | (Q(passage__isnull=True) & ~Q(url="")),
                name="evidence_is_passage_or_url",
            ),
            models.UniqueConstraint(fields=["claim", "passage"], name="evidence_passage_once_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source_label}"

    @property
    def source_label(self) -> str:
        if self.passage_id:
            return self.passage.article.title
        return self.title or self.url

    @property
    def source_publisher(self) -> str:
        if self.passage_id:
            return self.passage.article.publisher
        return self.publisher or (urlsplit(self.url).hostname or "").removeprefix("www.")


class ClaimSet(models.Model):
    """A named selection of claims to export: a saved filter of the claim list, or claims picked by hand."""

    class Selection(models.TextChoices):
        FILTER = "filter", "Saved filter"
        PICKED = "picked", "Picked claims"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_sets")
    selection = models.CharField(max_length=10, choices=Selection.choices, default=Selection.PICKED)
    # The claim list's query string (e.g. "tag=health&publisher=Reuters"), evaluated at export.
    query = models.CharField(max_length=2000, blank=True)
    claims = models.ManyToManyField(Claim, blank=True, related_name="claim_sets")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = FeedHistoricalRecords(m2m_fields=[claims], bases=[ChannelHistoricalModel])

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="claimset_unique_name_ignoring_case",
                violation_error_message="There is already a claim set with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:set-detail", args=[self.pk])


class Export(JobProgress):
    """One export, as it was asked for and what came out: who, what, when, and the file's checksum."""

    class Format(models.TextChoices):
        BUNDLE = "bundle", "Bundle (zip of every format, with a manifest)"
        CSV = "csv", "CSV"
        JSON = "json", "JSON"
        JSONL = "jsonl", "JSON Lines"
        CLAIMREVIEW = "claimreview", "schema.org ClaimReview (JSON-LD)"
        ANNOTATION = "annotation", "W3C Web Annotation (JSON-LD)"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    format = models.CharField(max_length=12, choices=Format.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=CHANNELS)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    claim_set = models.ForeignKey(ClaimSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="exports")
    claim_set_name = models.CharField(max_length=200, blank=True, help_text="The set's name when exported.")
    filters = models.JSONField(default=dict, blank=True, help_text="The claim list's filters, as a query.")
    statuses = models.JSONField(default=list)
    base_url = models.URLField(max_length=500, blank=True, help_text="Where the export's links point.")
    claim_count = models.PositiveIntegerField(default=0)
    # Claims of the selection judged with one of the statuses that need review since: left out, and said so.
    withheld = models.PositiveIntegerField(default=0)
    claims_done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    failure = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # Only exports run in the background keep their file; streamed ones went straight to the user.
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)

    done_field, total_field = "claims_done", "claim_count"
    working_statuses = frozenset({Status.RUNNING})

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [  # for the activity feed, as the history tables have (workbench.audit.FeedHistoricalRecords)
            models.Index(fields=["created_at", "id"], name="export_feed_newest"),
            models.Index(fields=["created_by", "created_at", "id"], name="export_feed_by_user"),
            # The sweep for abandoned jobs (workbench.leases) reads the running ones every few seconds.
            models.Index(fields=["status"], condition=models.Q(status="running"), name="export_running"),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.get_format_display()})"

    def get_absolute_url(self) -> str:
        return reverse("claims:export-detail", args=[self.pk])


class Publication(models.Model):
    """One published version of a claim set: a static page and an embeddable snippet in the default storage,
    answering at /published/<slug>/v<version>/ for good; the newest also at /published/<slug>/ (claims.publishing).
    Rows are never changed nor deleted: nothing published is lost."""

    claim_set = models.ForeignKey(ClaimSet, null=True, on_delete=models.SET_NULL, related_name="publications")
    # The set's name and public address when published: the address stays when the set is renamed or deleted.
    claim_set_name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    page_path = models.CharField(max_length=300, help_text="The page's file in the default storage.")
    snippet_path = models.CharField(max_length=300, help_text="The embeddable snippet's file in the default storage.")
    claim_count = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, help_text="The page's checksum.")

    history = FeedHistoricalRecords(bases=[ChannelHistoricalModel])

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="publication_unique_version")]

    def __str__(self) -> str:
        return f"{self.claim_set_name}, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("published:version", args=[self.slug, self.version])


class PassageEmbedding(models.Model):
    """A passage's sentence embedding (claims.semantic): L2-normalised float32 bytes, computed once in the
    background and reused by every suggestion. `model` says which model made it: another model's is redone."""

    passage = models.OneToOneField(Passage, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    model = models.CharField(max_length=100)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return f"Embedding of passage {self.passage_id} ({self.model})"


class Story(models.Model):
    """A named group of articles on one story, chosen by an editor: the matrix page shows which of their
    outlets supports, contradicts or is silent on each of their claims (claims.stories)."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    articles = models.ManyToManyField(Article, blank=True, related_name="stories")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = FeedHistoricalRecords(m2m_fields=[articles], bases=[ChannelHistoricalModel])

    class Meta:
        ordering = [Lower("name")]
        verbose_name_plural = "stories"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="story_unique_name_ignoring_case",
                violation_error_message="There is already a story with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:story", args=[self.pk])


# --- Discussion and assignments (claims.comments, claims.assignments) ------------------------------------

COMMENT_MAX_LENGTH = 5000


class Comment(models.Model):
    """One message in a claim's discussion; a reply has a parent (one level: a reply to a reply joins its
    thread). Deleting one is soft: the row stays, without its text, and the text stays in its history."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = FeedHistoricalRecords(bases=[ChannelHistoricalModel])

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at", "id"], name="comment_thread_order")]
        permissions = [("delete_any_comment", "Can delete anyone's comment")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on claim {self.claim_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('claims:detail', args=[self.claim_id])}#comment-{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Mention(models.Model):
    """`@username` in a comment, one row per person and comment: "mentions of me" is a look-up by user.
    Worked out from the comment's text on every write (claims.comments), so it has no history of its own."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="mention_once_per_comment")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="mention_of_user_newest")]

    def __str__(self) -> str:
        return f"@{self.user_id} in comment {self.comment_id}"


class Assignment(models.Model):
    """A claim in someone's hands: an editor to find sources, or a reviewer to judge. One of each task per
    claim at most; reassigning changes the row, unassigning deletes it (both in its history)."""

    class Task(models.TextChoices):
        SOURCE = "source", "Find sources"
        REVIEW = "review", "Judge"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assignments")
    task = models.CharField(max_length=10, choices=Task.choices)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    due = models.DateField(null=True, blank=True)
    note = models.TextField(max_length=1000, blank=True)

    history = FeedHistoricalRecords(bases=[ChannelHistoricalModel])

    class Meta:
        ordering = ["task"]
        constraints = [models.UniqueConstraint(fields=["claim", "task"], name="assignment_one_per_task")]
        indexes = [models.Index(fields=["assignee", "-assigned_at", "-id"], name="assignment_of_user_newest")]

    def __str__(self) -> str:
        return f"{self.get_task_display()}: claim {self.claim_id}"


class Notification(models.Model):
    """Something that happened to a user's work, told to them in the workbench and, as they chose, by e-mail
    (claims.notifications): written with the change that caused it, e-mailed by the background worker."""

    class Kind(models.TextChoices):
        MENTION = "mention", "Someone mentions me"
        ASSIGNMENT = "assignment", "A claim is assigned to me"
        REPLY = "reply", "A reply to my comment"
        VERDICT = "verdict", "A verdict on my claim"
        REVIEW = "review", "My claim needs review"
        REOPENED = "reopened", "My claim was reopened"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    claim = models.ForeignKey(Claim, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=400)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    shown = models.BooleanField(default=True)  # in the workbench's list, as the recipient chose for its kind
    emailed = models.CharField(max_length=10, choices=[("", "no"), ("now", "at once"), ("digest", "in the digest")])
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True, shown=True), name="notification_unread"
            ),
            models.Index(
                fields=["emailed", "recipient"],
                condition=Q(emailed_at__isnull=True) & ~Q(emailed=""),
                name="notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationPreferences(models.Model):
    """How a user hears of each kind of notification: in the workbench, by e-mail, or both; e-mails at once or
    in one daily digest. A kind with no choice is told in the workbench only."""

    WEB, EMAIL, BOTH = "web", "email", "both"
    CHANNELS = [(WEB, "In the workbench"), (EMAIL, "By e-mail"), (BOTH, "Both")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channels = models.JSONField(default=dict)  # kind -> one of CHANNELS
    daily_digest = models.BooleanField(default=False)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Notification preferences of user #{self.user_id}"

    def channel(self, kind: str) -> str:
        return self.channels.get(kind, self.WEB)


class DeskVisit(models.Model):
    """When a user last looked at their desk (claims.desk): what changed since is marked new there. Not history:
    it is only where the user's eyes were, rewritten on every look."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_looked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Desk of user #{self.user_id}, last looked at {self.last_looked_at:%Y-%m-%d %H:%M}"


def webhook_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def http_address(url: str) -> None:
    """A webhook is sent over HTTP(S) only: no file:, ftp: or other scheme a client library might open."""
    URLValidator(schemes=["http", "https"], message="Enter an http:// or https:// address.")(url)


def known_events(events) -> None:
    if not isinstance(events, list) or not events:
        raise ValidationError("Choose at least one event.")
    unknown = set(events) - set(WebhookSubscription.Event.values)
    if unknown:
        raise ValidationError(f"No such event: {', '.join(sorted(map(str, unknown)))}.")


class WebhookSubscription(models.Model):
    """Where a user's (or an admin's) webhooks go, and for which events (claims.webhooks): a claim's new status,
    an export that finished. Only events its owner may see are sent to it."""

    class Event(models.TextChoices):
        VERIFIED = "claim.verified", "A claim is verified"
        DISPUTED = "claim.disputed", "A claim is disputed"
        REOPENED = "claim.reopened", "A judged claim is reopened"
        NEEDS_REVIEW = "claim.needs_review", "A verdict needs review"
        EXPORT_FINISHED = "export.finished", "An export finished"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “CMS sync”.")
    url = models.URLField(
        "Address", max_length=500, validators=[http_address], help_text="Where each event is POSTed (http or https)."
    )
    # Kept as it is, since every delivery is signed with it (HMAC); shown to the subscription's owner.
    secret = models.CharField(max_length=80, default=webhook_secret, editable=False)
    events = models.JSONField(default=list, validators=[known_events], help_text="The events sent to it.")
    claim_set = models.ForeignKey(
        ClaimSet,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        help_text="Only events of this set's claims (and its exports); empty: every claim.",
    )
    active = models.BooleanField(default=True, help_text="A paused subscription is sent nothing.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="webhook_of_owner_newest")]

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"

    def get_absolute_url(self) -> str:
        return reverse("webhook", args=[self.pk])

    def event_labels(self) -> list[str]:
        return [self.Event(event).label for event in self.Event.values if event in self.events]

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one subscription: tried until the receiver answers 2xx or the retries
    run out. `uid` stays the same on every attempt, so a receiver that gets it twice knows."""

    PING = "ping"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it is (next) due; None once delivered or given up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_log"),
            # The sweep (claims.webhooks.retry_due) reads the waiting ones every few seconds.
            models.Index(
                fields=["next_attempt_at"], condition=Q(next_attempt_at__isnull=False), name="webhook_delivery_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription_id} ({self.state})"

    @property
    def state(self) -> str:
        if self.delivered_at:
            return "delivered"
        return "failed" if self.failed_at else "waiting"
