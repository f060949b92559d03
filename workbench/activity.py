"""Recent activity across the workbench: one feed over every history table and the import batches.

Each source says how its rows read as the feed's columns. The sources are filtered one by one, joined
with UNION ALL, ordered newest first and cut after a page by the database. A page is found by where it
starts (a `Cursor`: the order key of the row next to it), never by counting the rows before it, and every
part of the union is read from an index in that order (`workbench.audit.FeedHistoricalRecords`), so page 1
and a page deep in the history cost the same. Whether a claim record is told at all is written with the
record (`claims.history.fold`), not worked out here. Only the page's rows are then looked at closer (who,
what changed, whether the object still exists), with a query or two per source and one for the users'
names, never one per row.

Adding a source is a subclass of `Source` with its rows, columns and sentence, appended
to `SOURCES`.
"""

import binascii
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from html import escape

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from articles.models import Article, ImportBatch
from claims.history import BOOKKEEPING
from claims.models import Assignment, Claim, ClaimSet, Comment, EvidenceLink, Export, Publication, Story, Tag
from workbench.audit import CHANNELS
from workbench.display import minute, path_of, truncated
from workbench.prepared import Prepared

# Every source gives exactly these columns, in this order (UNION matches columns by position).
# None is named like a model field: a values() alias may not shadow one (ImportBatch has `channel`).
COLUMNS = ("at", "actor_id", "action", "kind", "object_id", "label", "via", "record_id")
# The feed's order key, read descending (newest first); (at, record_id) is each part's index and `kind` tells
# the parts apart.
ORDER = ("at", "record_id", "kind")

CREATED, CHANGED, DELETED, IMPORTED, EXPORTED = "created", "changed", "deleted", "imported", "exported"
ACTIONS = [
    (CREATED, "created"),
    (CHANGED, "changed"),
    (DELETED, "deleted"),
    (IMPORTED, "imported"),
    (EXPORTED, "exported"),
]
VIA = dict(CHANNELS)
SYSTEM = "system"
SHORT = 60  # a changed value longer than this is named, not shown


@dataclass
class UserRef:
    """A user id in a change, named once the page's users are read."""

    id: int | None


@dataclass
class Change:
    field: str
    old: object = ""
    new: object = ""
    shown: bool = True  # False: the values are too long (or not worth showing), only the field is named


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the order key of the row just before it (for older entries) or just after it
    (for newer ones). Rows written since never move it, so a page reads the same however busy the workbench;
    only an import still running moves, to the time it finishes (its `at`), and may then show on another page."""

    at: datetime
    record_id: int
    kind: str

    @classmethod
    def of(cls, row) -> "Cursor":
        return cls(row.at, row.record_id, row.kind)

    @property
    def token(self) -> str:
        """Opaque in the URL: a page link is the workbench's, not something to type."""
        text = f"{self.at.isoformat()} {self.record_id} {self.kind}"
        return urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> "Cursor":
        """The cursor of a page link; ValueError if the link was not made here (or was cut short)."""
        try:
            at, record_id, kind = urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(" ")
            cursor = cls(datetime.fromisoformat(at), int(record_id), kind)
            cursor.at.astimezone(UTC)  # a time the database can hold (year 1 in a zone east of UTC cannot)
        except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error) as error:
            raise ValueError("This page link is not one the workbench made: it may have been cut short.") from error
        made_here = 0 < cursor.record_id < 2**63 and kind in {source.kind for source in SOURCES}
        if cursor.at.tzinfo is None or not made_here:
            raise ValueError("This page link is not one the workbench made: it may have been cut short.")
        return cursor


@dataclass
class Entry:
    """One row of the feed: the union's columns, then what the page says about it."""

    at: datetime
    actor_id: int | None
    action: str
    kind: str
    object_id: int
    label: str | None
    via: str
    record_id: int
    actor: str = SYSTEM
    verb: str = ""
    noun: str = ""
    url: str = ""  # the object's page, only while it exists
    gone: bool = False  # the object was deleted since
    context: str = ""  # "to claim", "in"
    context_label: str = ""
    context_url: str = ""
    tail: str = ""
    reason: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def via_label(self) -> str:
        return VIA.get(self.via, self.via)

    # What the page writes of it, in Python rather than with a template filter for each of fifty rows.
    @property
    def when(self) -> str:
        return minute(self.at)

    @property
    def when_iso(self) -> str:
        return timezone.localtime(self.at).isoformat()

    @property
    def short_label(self) -> str:
        return truncated(self.label or "", 90)

    @property
    def short_context(self) -> str:
        return truncated(self.context_label, 60)


def activity_rows(entries: list[Entry]) -> list[SafeString]:
    """The feed's rows, each a whole `<tr>`, written here rather than by a template that fills in some thirty
    values for each of fifty rows (it cost more than reading and describing them)."""
    who = reverse("activity")
    return [_row(entry, who) for entry in entries]


def _row(entry: Entry, who: str) -> SafeString:
    actor = escape(entry.actor)
    if entry.actor_id:
        what = f'<a class="activity__who" href="{who}?user={entry.actor_id}" title="Everything {actor} did">{actor}</a>'
    else:
        what = f'<span class="activity__who">{actor}</span>'
    what += f" {escape(entry.verb)} {escape(entry.noun)}"
    if entry.label:
        label = f"“{escape(entry.short_label)}”"
        if entry.url:
            what += f' <a class="activity__object" href="{escape(entry.url)}">{label}</a>'
        else:
            what += f' <span class="activity__object">{label}</span>'
    if entry.gone:
        what += ' <span class="muted small">(deleted since)</span>'
    if entry.context_label:
        context = f"“{escape(entry.short_context)}”"
        if entry.context_url:
            context = f'<a href="{escape(entry.context_url)}">{context}</a>'
        what += f" {escape(entry.context)} {context}"
    if entry.tail:
        what += f" {escape(entry.tail)}"
    if entry.changes:
        what += ": " + ", ".join(_change(change) for change in entry.changes)
    if entry.reason:
        what += f' <span class="activity__reason">— {escape(entry.reason)}</span>'
    return SafeString(
        f'<tr class="activity__entry activity__entry--{escape(entry.action)}">'
        f'<td class="nowrap" data-label="When"><time datetime="{entry.when_iso}">{entry.when}</time></td>'
        f'<td class="activity__what" data-label="What happened">{what}</td>'
        f'<td class="nowrap" data-label="Through"><span class="badge">{escape(entry.via_label)}</span></td></tr>'
    )


def _change(change: Change) -> str:
    shown = ""
    if change.shown:
        shown = (
            f' <span class="activity__old">{escape(str(change.old))}</span>'
            f' → <span class="activity__new">{escape(str(change.new))}</span>'
        )
    return f'<span class="activity__change">{escape(change.field)}{shown}</span>'


class Source:
    """One kind of thing the feed tells about."""

    kind = ""  # in the URL and the union
    name = ""  # in the type filter
    actions: dict[str, Q] = {}  # the rows of each action this source has

    def rows(self) -> QuerySet:
        raise NotImplementedError

    def columns(self) -> dict:
        """Expressions over rows() for every column but `kind`."""
        raise NotImplementedError

    def describe(self, entries: list[Entry]) -> None:
        """Fill in the page's entries of this kind: words, links, changes. A fixed number of queries."""
        raise NotImplementedError

    def part(
        self, *, actor_id=None, action=None, since=None, until=None, older=None, newer=None, limit=None
    ) -> QuerySet | None:
        """This source's rows as the feed's columns, filtered; with a `limit`, only the first rows of the
        feed's order (newest first, oldest first with `newer`), for the union to order a few pages at most."""
        if action and action not in self.actions:
            return None
        rows = self._shaped(action)
        if actor_id:
            rows = rows.filter(actor_id=actor_id)
        if since:
            rows = rows.filter(at__gte=since)
        if until:
            rows = rows.filter(at__lte=until)
        if older:
            rows = rows.filter(self._beyond(older, "lt"))
        if newer:
            rows = rows.filter(self._beyond(newer, "gt"))
        if limit is None:
            return rows
        # Read from the part's index in the feed's order, and no further than the page. SQLite takes no ORDER
        # BY or LIMIT in a part of a UNION, but does in a subquery: there the part is the rows it names.
        first = rows.order_by(*(("at", "record_id") if newer else ("-at", "-record_id")))[:limit]
        if connection.features.supports_slicing_ordering_in_compound:
            return first
        return self._shaped(None).filter(pk__in=first.values("record_id"))

    def _shaped(self, action: str | None) -> QuerySet:
        """rows() as the feed's columns, of one action or all, built once per process: building them (each
        expression resolved) cost more than running the query. Every page filters a copy of its own."""
        if action not in self._shaped_rows:
            rows = self.rows().order_by()
            if action:
                rows = rows.filter(self.actions[action])
            columns = {**self.columns(), "kind": Value(self.kind)}
            self._shaped_rows[action] = rows.values(**{name: columns[name] for name in COLUMNS})
        return self._shaped_rows[action]

    @cached_property
    def _shaped_rows(self) -> dict[str | None, QuerySet]:
        return {}

    def _beyond(self, cursor: Cursor, side: str) -> Q:
        """This part's rows before ("lt") or after ("gt") the cursor in the feed's order, (at, record_id,
        kind) compared as a tuple. The kind is this part's own, so it only settles a tie of the other two;
        `at` alone is also bounded, for the database to start the part's index scan at the cursor."""
        kind_passes = self.kind < cursor.kind if side == "lt" else self.kind > cursor.kind
        tie = f"{side}e" if kind_passes else side
        return Q(**{f"at__{side}e": cursor.at}) & (
            Q(**{f"at__{side}": cursor.at}) | Q(at=cursor.at, **{f"record_id__{tie}": cursor.record_id})
        )


class HistorySource(Source):
    """Creations, changes and deletions of a model that django-simple-history records."""

    model: type[models.Model]
    noun = ""  # in sentences, when it differs from the name
    verbs = {CREATED: "created", CHANGED: "changed", DELETED: "deleted"}
    actions = {CREATED: Q(history_type="+"), CHANGED: Q(history_type="~"), DELETED: Q(history_type="-")}
    quiet_fields: tuple[str, ...] = ()  # bookkeeping that moves with every save: not news
    field_labels: dict[str, str] = {}
    m2m_values: dict[str, str] = {}  # many-to-many field -> what to show of each related row

    @cached_property  # simple-history builds a manager class on each `Model.history`
    def history(self) -> type[models.Model]:
        return self.model.history.model

    def label(self):
        raise NotImplementedError

    def change_end(self) -> Subquery | None:
        """The last record of the change a record starts, when one change writes several records."""
        return None

    def same_change(self, first, later) -> bool:
        return False

    def annotations(self) -> dict:
        return {}

    def url(self, record) -> str:
        return ""

    def finish(self, entry: Entry, record) -> None:
        pass

    def rows(self) -> QuerySet:
        rows = self.history._default_manager.all()
        shown = self.history.feed_shown  # the condition of the table's feed indexes, so the scan uses them
        return rows.filter(shown) if shown is not None else rows

    def columns(self) -> dict:
        return {
            "at": F("history_date"),
            "actor_id": F("history_user_id"),
            "action": Case(
                When(history_type="+", then=Value(CREATED)),
                When(history_type="-", then=Value(DELETED)),
                default=Value(CHANGED),
                output_field=CharField(),
            ),
            "object_id": F("id"),
            "label": self.label(),
            "via": F("history_channel"),
            "record_id": F("history_id"),
        }

    def describe(self, entries: list[Entry]) -> None:
        records = self._records([entry.record_id for entry in entries])
        m2m = self._m2m(records[entry.record_id] for entry in entries if entry.action == CHANGED)
        for entry in entries:
            record = records[entry.record_id]
            entry.verb, entry.noun = self.verbs[entry.action], self.noun or self.name
            entry.reason = record.history_change_reason or ""
            if entry.action == CREATED and record.activity_prev is not None:
                entry.verb = "restored"
            if record.live:
                entry.url = self.url(record)
            else:
                entry.gone = entry.action != DELETED
            if entry.action == CHANGED and record.activity_prev is not None:
                entry.changes = self.changes(record.activity_prev, record.activity_last, m2m)
                if not entry.changes:
                    entry.verb, entry.tail = "saved", "without changes"
            self.finish(entry, record)

    def _records(self, ids: list[int]) -> dict[int, models.Model]:
        """The page's records, each with `activity_prev` (the record before it) and `activity_last` (the
        last record of its change). Named so as not to shadow a tracked field (claims have `end`).

        One query: the page's records, the records just before them and the ends of their changes.
        Sorted per object, the record before a page record is its previous one: that one was fetched,
        and none lies between.
        """
        fetched = self._records_query.raw((), ids=ids)
        chains = defaultdict(list)
        for record in sorted(fetched, key=lambda r: (r.history_date, r.history_id)):
            chains[record.id].append(record)
        records = {}
        for chain in chains.values():
            for index, record in enumerate(chain):
                record.activity_prev = chain[index - 1] if index else None
                record.activity_last = record
                for later in chain[index + 1 :]:
                    if self.same_change(record, later):
                        record.activity_last = later
                records[record.history_id] = record
        return records

    @cached_property
    def _records_query(self) -> Prepared:
        # Compiled once for each number of ids (fifty at most): padding the list to fewer lengths made
        # PostgreSQL expect more rows and read the whole table.
        return Prepared(self._records_of, ids=list)

    def _records_of(self, ids: list[int]) -> QuerySet:
        history = self.history._default_manager
        before = Q(history_date__lt=OuterRef("history_date")) | Q(
            history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
        )
        previous = history.filter(before, id=OuterRef("id")).order_by("-history_date", "-history_id")
        page = history.filter(history_id__in=ids).order_by()
        # One IN over a union, not an OR of INs: the database then looks the few ids up by key instead of
        # testing every row of the table against each list.
        wanted = [page.values("history_id"), page.annotate(other=Subquery(previous.values("history_id")[:1]))]
        end = self.change_end()
        if end is not None:
            wanted.append(page.filter(history_type="~").annotate(other=end))
        first, *others = [wanted[0], *(query.values("other") for query in wanted[1:])]
        live = Exists(self.model._default_manager.filter(pk=OuterRef("id")))
        return history.filter(history_id__in=first.union(*others)).annotate(live=live, **self.annotations())

    def _m2m(self, records) -> dict[str, dict[int, list[str]]]:
        """Related names before and after each change, one query per many-to-many field."""
        ids = {
            r.history_id for record in records for r in (record.activity_prev, record.activity_last) if r is not None
        }
        values = {name: defaultdict(list) for name in self.m2m_values}
        if not ids:
            return values
        for name, shown in self.m2m_values.items():
            through = getattr(self.history, name).model
            for history_id, value in through._default_manager.filter(history_id__in=ids).values_list("history", shown):
                values[name][history_id].append(str(value))
        return values

    def changes(self, before, after, m2m) -> list[Change]:
        delta = after.diff_against(before, excluded_fields=[*self.m2m_values, *self.quiet_fields])
        changes = [(change.field, self._change(change.field, change.old, change.new)) for change in delta.changes]
        for name in self.m2m_values:
            old, new = sorted(m2m[name][before.history_id]), sorted(m2m[name][after.history_id])
            if old != new:
                changes.append((name, Change(self._label(name), ", ".join(old) or "none", ", ".join(new) or "none")))
        # In the model's own order (wording before status), not diff_against's alphabetical one.
        meta = self.model._meta
        order = {f.name: index for index, f in enumerate([*meta.concrete_fields, *meta.many_to_many])}
        return [change for name, change in sorted(changes, key=lambda pair: order.get(pair[0], len(order)))]

    def _label(self, name: str) -> str:
        return self.field_labels.get(name) or str(self.model._meta.get_field(name).verbose_name)

    def _change(self, name: str, old, new) -> Change:
        model_field = self.model._meta.get_field(name)
        label = self._label(name)
        if model_field.is_relation:
            if model_field.related_model is get_user_model():
                return Change(label, UserRef(old), UserRef(new))
            return Change(label, shown=False)
        if isinstance(model_field, models.TextField):
            return Change(label, shown=False)
        old, new = _shown(model_field, old), _shown(model_field, new)
        if max(len(old), len(new)) > SHORT:
            return Change(label, shown=False)
        return Change(label, old, new)


def _shown(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value)).lower()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


class ClaimHistory(HistorySource):
    """A claim's records folded into an earlier change are no rows here, as on the claim page's timeline: the
    tags set after a save are told with it, a bare bump from linking a source by the link's own entry. Each
    record says so since it was written (`history_folded`, by `claims.history.fold`)."""

    kind = name = "claim"
    model = Claim
    verbs = {CREATED: "tagged", CHANGED: "changed", DELETED: "deleted"}
    quiet_fields = BOOKKEEPING
    field_labels = {"verdict_rationale": "rationale", "reviewed_by": "reviewer"}  # as the claim's timeline says
    m2m_values = {"tags": "tag__name"}

    def label(self):
        return F("wording")

    def change_end(self) -> Subquery:
        same_version = self.history._default_manager.filter(id=OuterRef("id"), version=OuterRef("version"))
        return Subquery(same_version.order_by("-history_date", "-history_id").values("history_id")[:1])

    def same_change(self, first, later) -> bool:
        return first.history_type != "-" and later.history_type == "~" and later.version == first.version

    def annotations(self) -> dict:
        return {"article_title": F("article__title")}

    def url(self, record) -> str:
        return path_of("claims:detail")(record.id)

    def finish(self, entry: Entry, record) -> None:
        if entry.action == CREATED and record.article_title:
            entry.context, entry.context_label = "in", record.article_title
            entry.context_url = path_of("articles:detail")(record.article_id)


class EvidenceHistory(HistorySource):
    kind, name, noun = "evidence", "evidence link", "source"
    model = EvidenceLink
    verbs = {CREATED: "linked", CHANGED: "changed", DELETED: "unlinked"}
    CONTEXT = {CREATED: "to claim", CHANGED: "of claim", DELETED: "from claim"}

    def label(self):
        return Coalesce(NullIf(F("title"), Value("")), F("passage__article__title"), F("url"), output_field=CharField())

    def annotations(self) -> dict:
        # The claim as it read when the link changed: a deleted claim has its wording only in its history.
        claim = Claim.history.filter(id=OuterRef("claim_id"), history_date__lte=OuterRef("history_date"))
        claim = claim.order_by("-history_date", "-history_id")
        return {
            "claim_wording": Subquery(claim.values("wording")[:1]),
            "claim_live": Exists(Claim.objects.filter(pk=OuterRef("claim_id"))),
        }

    def url(self, record) -> str:
        return path_of("claims:detail")(record.claim_id) + "#evidence" if record.claim_live else ""

    def finish(self, entry: Entry, record) -> None:
        entry.context = self.CONTEXT[entry.action]
        entry.context_label = record.claim_wording or f"#{record.claim_id}"
        if record.claim_live:
            entry.context_url = path_of("claims:detail")(record.claim_id)
        entry.tail = f"({record.get_stance_display().lower()})"


def _claim_then():
    """The wording of a record's claim as it read at the record's time (a deleted claim has it only in its
    history), and whether the claim still exists: the context of a comment or an assignment."""
    claim = Claim.history.filter(id=OuterRef("claim_id"), history_date__lte=OuterRef("history_date"))
    claim = claim.order_by("-history_date", "-history_id")
    return {
        "claim_wording": Subquery(claim.values("wording")[:1]),
        "claim_live": Exists(Claim.objects.filter(pk=OuterRef("claim_id"))),
    }


class CommentHistory(HistorySource):
    """Comments: posted, edited, deleted (soft, so a change whose record has `deleted_at`). A comment deleted
    since is told without its words: they stay in its history, not in the feed."""

    kind, name = "comment", "comment"
    model = Comment
    deleting = Q(history_type="~", deleted_at__isnull=False)
    actions = {
        CREATED: Q(history_type="+"),
        CHANGED: Q(history_type="~", deleted_at__isnull=True),
        DELETED: Q(history_type="-") | deleting,
    }

    def label(self):
        return F("body")

    def columns(self) -> dict:
        columns = super().columns()
        columns["action"] = Case(
            When(history_type="+", then=Value(CREATED)),
            When(Q(history_type="-") | self.deleting, then=Value(DELETED)),
            default=Value(CHANGED),
            output_field=CharField(),
        )
        return columns

    def annotations(self) -> dict:
        return {
            **_claim_then(),
            "now_deleted": Exists(Comment.objects.filter(pk=OuterRef("id"), deleted_at__isnull=False)),
        }

    def url(self, record) -> str:
        return f"{path_of('claims:detail')(record.claim_id)}#comment-{record.id}" if record.claim_live else ""

    def finish(self, entry: Entry, record) -> None:
        entry.changes, entry.tail = [], ""
        if entry.action == CREATED and record.activity_prev is not None:  # back with its restored claim
            entry.verb, entry.noun, entry.label = "restored", "a comment", ""
        elif entry.action == CREATED:
            entry.verb, entry.noun = ("replied", "") if record.parent_id else ("commented", "")
            if record.now_deleted:
                entry.noun, entry.label = "(the comment was deleted since)", ""
        elif entry.action == CHANGED:
            entry.verb, entry.noun, entry.label = "edited", "a comment", ""
        else:
            entry.verb, entry.noun, entry.label = "deleted", "a comment", ""
            entry.gone = False
        entry.context = "on claim"
        entry.context_label = record.claim_wording or f"#{record.claim_id}"
        if record.claim_live:
            entry.context_url = path_of("claims:detail")(record.claim_id) + "#discussion"


class AssignmentHistory(HistorySource):
    """Who was handed which claim, by whom; reassigned and unassigned."""

    kind, name = "assignment", "assignment"
    model = Assignment
    verbs = {CREATED: "assigned", CHANGED: "reassigned", DELETED: "unassigned"}
    quiet_fields = ("assigned_at", "assigned_by")
    field_labels = {"assignee": "to", "due": "due"}

    def label(self):
        return F("assignee__username")

    def annotations(self) -> dict:
        return _claim_then()

    def url(self, record) -> str:
        return f"{path_of('claims:detail')(record.claim_id)}#assignments" if record.claim_live else ""

    def finish(self, entry: Entry, record) -> None:
        entry.noun = ""
        entry.context = "from claim" if entry.action == DELETED else "to claim"
        entry.context_label = record.claim_wording or f"#{record.claim_id}"
        if record.claim_live:
            entry.context_url = path_of("claims:detail")(record.claim_id)
        entry.tail = (
            f"(to {record.get_task_display().lower()}{', due ' + _shown_date(record.due) if record.due else ''})"
        )
        entry.gone = False  # an assignment is told by its claim


def _shown_date(value) -> str:
    return formats.date_format(value, "j M Y")


class TagHistory(HistorySource):
    kind = name = "tag"
    model = Tag

    def label(self):
        return F("name")

    def annotations(self) -> dict:
        return {"current_name": Subquery(Tag.objects.filter(pk=OuterRef("id")).values("name")[:1])}

    def url(self, record) -> str:
        return f"{reverse('claims:list')}?{urlencode({'tag': record.current_name})}"


class ArticleHistory(HistorySource):
    kind = name = "article"
    model = Article
    verbs = {CREATED: "added", CHANGED: "changed", DELETED: "deleted"}

    def label(self):
        return F("title")

    def url(self, record) -> str:
        return path_of("articles:detail")(record.id)


class UserHistory(HistorySource):
    kind = name = "user"
    model = get_user_model()
    field_labels = {"groups": "roles"}
    m2m_values = {"groups": "group__name"}

    def label(self):
        return F(self.model.USERNAME_FIELD)

    def url(self, record) -> str:
        return f"{reverse('activity')}?{urlencode({'user': record.id})}"


class ClaimSetHistory(HistorySource):
    kind, name = "claimset", "claim set"
    model = ClaimSet
    m2m_values = {"claims": "claim__wording"}

    def label(self):
        return F("name")

    def url(self, record) -> str:
        return path_of("claims:set-detail")(record.id)


class PublicationHistory(HistorySource):
    kind, name = "publication", "publication"
    model = Publication
    verbs = {CREATED: "published", CHANGED: "changed", DELETED: "deleted"}

    def label(self):
        return F("claim_set_name")

    def url(self, record) -> str:
        return reverse("published:version", args=[record.slug, record.version])


class StoryHistory(HistorySource):
    kind, name = "story", "story"
    model = Story
    m2m_values = {"articles": "article__title"}

    def label(self):
        return F("name")

    def url(self, record) -> str:
        return reverse("claims:story", args=[record.id])


class Imports(Source):
    """Import batches: one entry per run, with what became of its records."""

    kind = name = "import"
    actions = {IMPORTED: Q()}

    def rows(self) -> QuerySet:
        return ImportBatch.objects.all()

    def columns(self) -> dict:
        return {
            "at": Coalesce("finished_at", "started_at"),
            "actor_id": F("imported_by_id"),
            "action": Value(IMPORTED),
            "object_id": F("pk"),
            "label": Value(""),
            "via": F("channel"),
            "record_id": F("pk"),
        }

    def describe(self, entries: list[Entry]) -> None:
        fields = ("files", "imported", "duplicates", "rejected", "finished_at", "status")
        batches = ImportBatch.objects.only(*fields).in_bulk([entry.object_id for entry in entries])
        for entry in entries:
            batch = batches[entry.object_id]
            files = f"“{batch.files[0]}”" if len(batch.files) == 1 else _count(len(batch.files), "file")
            if batch.finished_at is None:
                entry.verb, entry.noun = "started importing", files
                entry.tail = f"({batch.get_status_display().lower()})"
                continue
            entry.verb, entry.noun = "imported", _count(batch.imported, "article")
            skipped = [_count(batch.duplicates, "duplicate")] if batch.duplicates else []
            skipped += [f"{batch.rejected} rejected"] if batch.rejected else []
            entry.tail = (f"({', '.join(skipped)}) " if skipped else "") + f"from {files}"


class Exports(Source):
    """Every export: who took which claims out, in which format."""

    kind = name = "export"
    actions = {EXPORTED: Q()}

    def rows(self) -> QuerySet:
        return Export.objects.all()

    def columns(self) -> dict:
        return {
            "at": F("created_at"),
            "actor_id": F("created_by_id"),
            "action": Value(EXPORTED),
            "object_id": F("pk"),
            "label": Value(""),
            "via": F("channel"),
            "record_id": F("pk"),
        }

    def describe(self, entries: list[Entry]) -> None:
        fields = ("format", "claim_count", "statuses", "status", "claim_set_id", "claim_set_name")
        exports = Export.objects.only(*fields).in_bulk([entry.object_id for entry in entries])
        for entry in entries:
            export = exports[entry.object_id]
            entry.verb, entry.noun = "exported", f"{_count(export.claim_count, 'claim')} ({', '.join(export.statuses)})"
            entry.tail = f"as {export.get_format_display()}"
            if export.status != Export.Status.DONE:
                entry.tail += f" ({export.get_status_display().lower()})"
            if export.claim_set_name:
                entry.context, entry.context_label = "from the set", export.claim_set_name
                if export.claim_set_id:
                    entry.context_url = path_of("claims:set-detail")(export.claim_set_id)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


SOURCES: list[Source] = [
    ClaimHistory(),
    EvidenceHistory(),
    CommentHistory(),
    AssignmentHistory(),
    TagHistory(),
    ClaimSetHistory(),
    PublicationHistory(),
    StoryHistory(),
    ArticleHistory(),
    UserHistory(),
    Imports(),
    Exports(),
]
KINDS = [(source.kind, source.name) for source in SOURCES]


def activity_feed(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    older: Cursor | None = None,
    newer: Cursor | None = None,
    limit: int | None = None,
) -> QuerySet:
    """Every source's rows as one query of COLUMNS dicts, each filter narrowing every part: newest first and
    older than `older` if given, or oldest first from just after `newer` (a page of newer entries, reversed).
    With a `limit`, that many rows at most, and each part reads no more."""
    sources = [source for source in SOURCES if not kind or source.kind == kind]
    criteria = {"actor_id": actor_id, "action": action, "since": since, "until": until}
    parts = [source.part(**criteria, older=older, newer=newer, limit=limit) for source in sources]
    parts = [part for part in parts if part is not None]
    if not parts:
        return SOURCES[0].part().none()
    first, *others = parts
    if not others and first.query.is_sliced:
        return first  # in the feed's order and cut already
    feed = first.union(*others, all=True) if others else first
    feed = feed.order_by(*ORDER) if newer else feed.order_by(*(f"-{name}" for name in ORDER))
    return feed[:limit] if limit else feed


@dataclass
class Page:
    entries: list[Entry]
    newer: Cursor | None = None  # where the page of newer entries starts, if there is one
    older: Cursor | None = None


def activity_page(*, size: int, older: Cursor | None = None, newer: Cursor | None = None, **criteria) -> Page:
    """`size` entries next to a cursor (the newest when there is none), told; with where the pages beside
    start. One row more than the page says whether there is another beyond it; nothing is counted."""
    if newer:
        rows = _feed_rows(criteria, newer=newer, limit=size + 1)
        if len(rows) <= size:  # as new as it gets: the first page, which may have grown since
            return activity_page(size=size, **criteria)
        entries = activity_entries(reversed(rows[:size]))
        return Page(entries, newer=Cursor.of(entries[0]), older=Cursor.of(entries[-1]))
    rows = _feed_rows(criteria, older=older, limit=size + 1)
    entries = activity_entries(rows[:size])
    return Page(
        entries,
        newer=Cursor.of(entries[0]) if older and entries else None,
        older=Cursor.of(entries[-1]) if len(rows) > size else None,
    )


def _feed_of(action, kind, older_kind, newer_kind, limit, *, older_at, older_id, newer_at, newer_id, **criteria):
    older = Cursor(older_at, older_id, older_kind) if older_kind else None
    newer = Cursor(newer_at, newer_id, newer_kind) if newer_kind else None
    return activity_feed(action=action, kind=kind, older=older, newer=newer, limit=limit, **criteria)


# A page's query, compiled once for each combination of filters: compiling it cost more than running it.
_FEED = Prepared(
    _feed_of,
    actor_id=int,
    since=datetime,
    until=datetime,
    older_at=datetime,
    older_id=int,
    newer_at=datetime,
    newer_id=int,
)


def _feed_rows(criteria: dict, *, older: Cursor | None = None, newer: Cursor | None = None, limit: int) -> list[dict]:
    """activity_feed(**criteria, older=older, newer=newer, limit=limit), as dicts."""
    criteria = {"actor_id": None, "action": None, "kind": None, "since": None, "until": None, **criteria}
    shape = (criteria.pop("action"), criteria.pop("kind"), older and older.kind, newer and newer.kind, limit)
    cursors = {
        "older_at": older and older.at,
        "older_id": older and older.record_id,
        "newer_at": newer and newer.at,
        "newer_id": newer and newer.record_id,
    }
    return [dict(zip(COLUMNS, row, strict=True)) for row in _FEED.rows(shape, **criteria, **cursors)]


def activity_entries(rows) -> list[Entry]:
    """A page of the feed as the page tells it."""
    entries = [Entry(**row) for row in rows]
    for source in SOURCES:
        mine = [entry for entry in entries if entry.kind == source.kind]
        if mine:
            source.describe(mine)
    _name_users(entries)
    return entries


def _name_users(entries: list[Entry]) -> None:
    refs = [v for entry in entries for c in entry.changes for v in (c.old, c.new) if isinstance(v, UserRef)]
    ids = {entry.actor_id for entry in entries if entry.actor_id} | {ref.id for ref in refs if ref.id}
    User = get_user_model()
    names = dict(User._default_manager.filter(pk__in=ids).values_list("pk", User.USERNAME_FIELD)) if ids else {}
    for entry in entries:
        if entry.actor_id:
            entry.actor = names.get(entry.actor_id, f"user #{entry.actor_id}")
        for change in entry.changes:
            if isinstance(change.old, UserRef):
                change.old = names.get(change.old.id, "—")
            if isinstance(change.new, UserRef):
                change.new = names.get(change.new.id, "—")
