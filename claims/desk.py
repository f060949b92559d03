"""My desk, the home page: what waits for the person looking, what changed for them since they last looked,
and a board of the newsroom's claims by stage. Every list is bounded, so the page costs the same however many
claims, people and tags there are.

The stages of a claim on the board:
- to source: open, without the sources a verdict needs (claims.rules.has_sources_for_a_verdict), and no flag;
- to review: open, with them, and no flag;
- needs review: a suspended verdict, or a flag to check (an anchor found again only approximately);
- decided: verified or disputed, the latest verdicts first.
Telling "to source" from "to review" takes each claim's sources through the rules, which no index can answer:
the board sorts the WINDOW open claims worked on last (a source linked moves a claim to the front), newest
change first. Each column shows its first COLUMN claims and links to the claim list filtered the same way.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from claims import permissions, rules
from claims.assignments import assigned_to
from claims.comments import mentions_of
from claims.display import tag_names_of
from claims.filters import AssigneeFilter, ClaimFilter
from claims.models import Assignment, Claim, DeskVisit, EvidenceLink, Mention, Tag
from workbench.widgets import Completion

WINDOW = 200  # open claims sorted into "to source" and "to review"
COLUMN = 20  # claims a board column shows
FOR_ME = 20  # rows of each list of mine
FIRST_LOOK = timedelta(days=7)  # what "since I last looked" covers on a first visit
COUNT_SHOWN = 99  # the navigation counts this many at most ("99+")

# What a card on the desk shows of its claim, read as plain values.
CARD = (
    "pk",
    "wording",
    "status",
    "needs_review",
    "review_reason",
    "created_by_id",
    "updated_at",
    "reviewed_at",
    "article__title",
    "created_by__username",
    "reviewed_by__username",
)


class DeskFilter(django_filters.FilterSet):
    """The board's filters: the claim list's own tag and "Assigned to" boxes, so that a column's "more" link
    shows the same claims. Both suggest as one types; neither lists every tag or person."""

    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        label="Tag",
        queryset=Tag.objects.all(),
        to_field_name="name",
        widget=Completion("claims:tags", attrs={"placeholder": "tag"}),
    )
    assigned = AssigneeFilter(
        method="assigned_to", label="Assigned to", help_text="Whose hands the claims are in: a username, or “me”."
    )

    assigned_to = ClaimFilter.assigned_to

    class Meta:
        model = Claim
        fields = []

    def narrows(self) -> bool:
        """Whether a filter is in force (one the form could read)."""
        self.form.is_valid()
        return any(value not in (None, "") for value in self.form.cleaned_data.values())

    def list_query(self, **more) -> str:
        """The claim list's query for these filters and `more`."""
        query = QueryDict(mutable=True)
        self.form.is_valid()
        for name, value in [*self.form.cleaned_data.items(), *more.items()]:
            if isinstance(value, Tag):
                query[name] = value.name
            elif hasattr(value, "get_username"):
                query[name] = value.get_username()
            elif value not in (None, ""):
                query[name] = str(value)
        return query.urlencode()


@dataclass
class Column:
    name: str
    title: str
    help: str
    cards: list
    more: list[tuple[str, str]] = field(default_factory=list)  # (words, claim list URL)


def _cards(ids: list[int]) -> dict[int, object]:
    rows = Claim.objects.filter(pk__in=ids).values_list(*CARD, named=True)
    tags = tag_names_of(ids)
    return {row.pk: _Card(row, tags.get(row.pk, [])) for row in rows}


@dataclass
class _Card:
    row: object
    tags: list[str]

    def __getattr__(self, name):
        return getattr(self.row, name)

    @property
    def status_label(self) -> str:
        return Claim.Status(self.row.status).label


def _sourced(ids: list[int]) -> set[int]:
    """Which of the claims numbered `ids` have the sources a verdict needs, by the rules (one query)."""
    links: dict[int, list[EvidenceLink]] = {pk: [] for pk in ids}
    found = (
        EvidenceLink.objects.filter(claim_id__in=ids)
        .exclude(stance=EvidenceLink.Stance.CONTEXT)
        .select_related("passage__article")
        .only(
            "claim_id", "stance", "url", "publisher", "passage_id", "passage__article_id", "passage__article__publisher"
        )
        .order_by()
    )
    for link in found:
        links[link.claim_id].append(link)
    return {pk for pk, claim_links in links.items() if rules.has_sources_for_a_verdict(claim_links)}


@dataclass
class _Stages:
    """The open claims worked on last, which of them have their sources, and those needing review: their ids,
    with what the reviewer's lists ask of them (who tagged each, its status)."""

    window: list[int]
    sourced: set[int]
    flagged: list[int]
    facts: dict[int, Claim]  # unsaved claims holding only their author and status, for the rules to read

    @classmethod
    def of(cls, claims: QuerySet) -> "_Stages":
        window = claims.filter(status=Claim.Status.OPEN, needs_review=False).order_by("-updated_at", "-id")
        window = list(window.values_list("pk", "created_by_id", "status")[:WINDOW])
        flagged = claims.filter(needs_review=True).order_by("-created_at", "-id")
        flagged = list(flagged.values_list("pk", "created_by_id", "status")[: max(COLUMN, 2 * FOR_ME)])
        facts = {pk: Claim(pk=pk, created_by_id=author, status=status) for pk, author, status in window + flagged}
        ids = [pk for pk, _, _ in window]
        return cls(ids, _sourced(ids), [pk for pk, _, _ in flagged], facts)

    @property
    def to_source(self) -> list[int]:
        return [pk for pk in self.window if pk not in self.sourced]

    @property
    def to_review(self) -> list[int]:
        return [pk for pk in self.window if pk in self.sourced]


def _decided(claims: QuerySet, limit: int) -> list[int]:
    judged = claims.filter(status__in=rules.JUDGED).order_by("-reviewed_at", "-id")
    return list(judged.values_list("pk", flat=True)[:limit])


def board_stages(filters: DeskFilter, found: _Stages) -> dict[str, list[int]]:
    """The ids each column shows of the filters' claims (`found` among them): its first COLUMN, newest first."""
    return {
        "source": found.to_source[:COLUMN],
        "review": found.to_review[:COLUMN],
        "flagged": found.flagged[:COLUMN],
        "decided": _decided(filters.qs.order_by(), COLUMN),
    }


def columns(filters: DeskFilter, stages: dict[str, list[int]], cards: dict) -> list[Column]:
    shown = {stage: [cards[pk] for pk in ids if pk in cards] for stage, ids in stages.items()}
    claim_list = reverse("claims:list")

    def more(words: str, **query) -> tuple[str, str]:
        return words, f"{claim_list}?{filters.list_query(**query)}"

    return [
        Column(
            "source",
            "To source",
            "Open claims still without the sources a verdict needs.",
            shown["source"],
            [more("Every open claim", status=Claim.Status.OPEN)],
        ),
        Column(
            "review",
            "To review",
            "Open claims with the sources a verdict needs, waiting for a reviewer.",
            shown["review"],
            [more("Every open claim", status=Claim.Status.OPEN)],
        ),
        Column(
            "flagged",
            "Needs review",
            "Verdicts suspended since what they judged changed, and claims flagged to check.",
            shown["flagged"],
            [more("Every claim that needs review", needs_review="true")],
        ),
        Column(
            "decided",
            "Decided",
            "Verified and disputed, the latest verdicts first.",
            shown["decided"],
            [
                more("Every verified claim", status=Claim.Status.VERIFIED, sort="-reviewed"),
                more("Every disputed claim", status=Claim.Status.DISPUTED, sort="-reviewed"),
            ],
        ),
    ]


def for_reviewer(user, found: _Stages) -> dict[str, list[int]]:
    """For someone who gives verdicts: the open claims with their sources that they may judge (not their own,
    under the four-eyes rule), and the claims needing review that are theirs to answer (`found` among every
    claim). Empty for anyone else."""
    if not permissions.can_set_verdict(user):
        return {}

    def may_judge(claim: Claim) -> bool:
        return not rules.reviewer_blockers(claim=claim, user=user)

    def may_answer(claim: Claim) -> bool:
        if claim.status == Claim.Status.REVIEW:  # a suspended verdict: a verdict answers it
            return may_judge(claim)
        return permissions.can_clear_flag(user, claim)

    return {
        "ready": [pk for pk in found.to_review if may_judge(found.facts[pk])][:FOR_ME],
        "to_answer": [pk for pk in found.flagged if may_answer(found.facts[pk])][:FOR_ME],
    }


def last_looked(user) -> datetime | None:
    return DeskVisit.objects.filter(user=user).values_list("last_looked_at", flat=True).first()


def record_look(user) -> None:
    """The user looked at their desk now: what changes after this is new at their next look. One statement,
    whether or not they looked before, and two tabs opening the desk at once do not collide."""
    DeskVisit.objects.bulk_create(
        [DeskVisit(user=user, last_looked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_looked_at"],
    )


def changed_since(user, since) -> list[int]:
    """The user's own claims judged or reopened by someone else since `since`, or flagged and changed since,
    latest change first. Any of those changes saves the claim, so the claims changed since then are all there
    is to read (from the author's index, by time)."""
    mine = Claim.objects.filter(created_by=user, updated_at__gt=since)
    judged = Q(reviewed_at__gt=since) & ~Q(reviewed_by=user)
    found = mine.filter(judged | Q(needs_review=True)).order_by("-updated_at", "-id")
    return list(found.values_list("pk", flat=True)[:FOR_ME])


def my_desk(user, filters: DeskFilter) -> dict:
    """Everything the desk shows `user`; records that they looked. The claims of every list are read at once."""
    on_board = _Stages.of(filters.qs.order_by())
    everything = on_board if not filters.narrows() else _Stages.of(Claim.objects.all())
    before = last_looked(user)
    since = before or timezone.now() - FIRST_LOOK
    assignments = list(
        assigned_to(user)
        .select_related("assigned_by")
        .defer("claim__verdict_basis", "claim__quote", "claim__prefix", "claim__suffix")
        .filter(claim__status__in=[Claim.Status.OPEN, Claim.Status.REVIEW])[: FOR_ME + 1]
    )
    mentions = list(mentions_of(user)[:FOR_ME])
    for mention in mentions:
        mention.is_new = mention.created_at > since
    changed = changed_since(user, since)
    stages = board_stages(filters, on_board)
    reviewing = for_reviewer(user, everything)
    cards = _cards(list({pk for ids in [changed, *stages.values(), *reviewing.values()] for pk in ids}))
    context = {
        "since": since,
        "first_look": before is None,
        "assignments": assignments[:FOR_ME],
        "more_assignments": len(assignments) > FOR_ME,
        "mentions": mentions,
        "changed": [cards[pk] for pk in changed if pk in cards],
        "columns": columns(filters, stages, cards),
        **{name: [cards[pk] for pk in ids if pk in cards] for name, ids in reviewing.items()},
    }
    record_look(user)
    return context


def waiting_count(user) -> int:
    """What the navigation counts on the desk, up to COUNT_SHOWN + 1: the claims in the user's hands not yet
    decided, and the mentions of them since they last looked. Three small indexed queries."""
    limit = COUNT_SHOWN + 1
    held = Assignment.objects.filter(assignee=user, claim__status__in=[Claim.Status.OPEN, Claim.Status.REVIEW])
    count = held.order_by()[:limit].count()
    since = last_looked(user) or timezone.now() - FIRST_LOOK
    if count < limit:
        count += Mention.objects.filter(user=user, created_at__gt=since).order_by()[: limit - count].count()
    return count
