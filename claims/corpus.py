"""A realistic corpus in the database, the same for the same seed and sizes: what `generate_corpus` makes.

A newsroom's few years of work, written in batches: users in their roles, articles imported batch by
batch (with their provenance and report), their passages, claims anchored in them (most articles few,
some hundreds), tags, evidence links (mostly passages of other articles, some external pages), verdicts
under the workbench's own rules with their basis, claims that need review since, claim sets, and the
history of all of it as the services would have written it, dated in order over the years.

Articles are made and written CHUNK at a time, and each chunk's claims only link to articles already
written, so memory stays flat however large the corpus. Every history record goes through one function,
`write_history`, so that a change to what the history holds is made in one place.
"""

import json
import random
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from itertools import islice
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.db.models import Count, F, Subquery
from django.db.models.functions import Abs, Length

from articles import corpus as article_corpus
from articles.importers.base import build_draft
from articles.models import Article, ImportBatch, ImportReportPart, Passage
from articles.passages import ensure_passages
from articles.reports import NEW, record_row
from articles.services import article_from_draft
from articles.text import content_hash
from claims import basis
from claims.anchoring import anchor_at
from claims.history import fold
from claims.models import Claim, ClaimSet, EvidenceLink, Tag
from claims.rules import JUDGED, verdict_blockers
from workbench import roles
from workbench.audit import ADMIN, COMMAND, IMPORT, WEB

TICK = timedelta(milliseconds=40)  # between two writes of one request
CHUNK = 500  # articles per import batch and per round of writes
BATCH = 1000  # rows per INSERT
START = datetime(2022, 1, 3, 8, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)  # the articles' publication dates; the work on them follows

MANY, FEW = 200, 10  # claims on the reader benchmark's two articles, the first two of the corpus
MANY_LINKS, FEW_LINKS = 20, 2  # evidence links of the claim page benchmark's two claims, the first of article 2
HEAVY_PER_CLAIMS = 20_000  # one more long article with 201-400 claims per so many claims
CLAIMED = 0.3  # share of the other articles that get claims
EXTRA_SOURCES = 0.1  # share of articles without claims that are linked to as sources all the same

EDITORS = [f"corpus-editor-{n}" for n in range(1, 9)]
REVIEWERS = [f"corpus-reviewer-{n}" for n in range(1, 5)]
ADMIN_NAME = "corpus-admin"
TAGS = [
    "health",
    "economy",
    "elections",
    "migration",
    "climate",
    "crime",
    "education",
    "housing",
    "energy",
    "transport",
    "budget",
    "human rights",
    "courts",
    "police",
    "statistics",
    "quotes",
    "casualties",
    "funding",
    "detentions",
    "evacuations",
    "diplomacy",
    "protests",
    "employment",
    "prices",
    "public safety",
    "local government",
    "science",
    "technology",
    "media",
    "sport",
]
EXTERNAL = [  # (publisher, host) of sources outside the corpus
    ("Reuters", "reuters.example.org"),
    ("Associated Press", "apnews.example.org"),
    ("BBC News", "bbc.example.org"),
    ("Agence France-Presse", "afp.example.org"),
    ("Office for National Statistics", "ons.example.org"),
    ("World Health Organization", "who.example.org"),
    ("Human Rights Watch", "hrw.example.org"),
    ("Amnesty International", "amnesty.example.org"),
]
RATIONALES = {
    Claim.Status.VERIFIED: [
        "Two independent outlets report the same figure, from different sources.",
        "Confirmed by the official record and by a second, independent report.",
        "The numbers match the published statistics and a separate account.",
    ],
    Claim.Status.DISPUTED: [
        "A later report gives a different account of the same events.",
        "The official record contradicts the figure quoted here.",
        "Other sources describe the events differently; the claim does not hold as stated.",
    ],
}
WORDINGS = ["{}", "{}", "The article says: {}", "Reported: {}"]
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Sizes:
    articles: int
    claims: int
    seed: int = 2017


@dataclass
class Change:
    """One history record to write: the object's tracked values at that moment, and who changed it, when, how."""

    values: dict
    type: str  # "+", "~" or "-", as django-simple-history writes them
    at: datetime
    user_id: int | None
    channel: str
    reason: str | None = None
    m2m: dict[str, list[dict]] = field(default_factory=dict)  # many-to-many field -> its through rows then


@dataclass
class Source:
    """An article already written that claims may cite: what a link to one of its passages needs."""

    article: Article  # pk, title and publisher only
    passages: list[int]


@dataclass
class Counts:
    by_table: dict[str, int] = field(default_factory=dict)
    targets: dict[str, int | None] = field(default_factory=dict)


def refusal() -> str | None:
    """Why the corpus cannot be generated here; None when the database is empty enough."""
    articles, claims = Article.objects.count(), Claim.objects.count()
    if articles or claims:
        return (
            f"The database already holds {articles:,} articles and {claims:,} claims. generate_corpus fills an "
            "empty database (run it on a fresh one, e.g. another DATABASE_URL, after migrate)."
        )
    taken = get_user_model().objects.filter(username__in=[ADMIN_NAME, *EDITORS, *REVIEWERS])
    if taken.exists():
        return f"The corpus's users already exist ({', '.join(taken.values_list('username', flat=True))})."
    return None


def generate(sizes: Sizes, *, progress=None) -> Counts:
    """Write the whole corpus into an empty database (see `refusal`); says how many rows each table got.
    `progress(done, total)` hears of each chunk of articles written."""
    if sizes.articles < 2 or sizes.claims < 0:
        raise ValueError("A corpus needs --articles 2 or more and --claims 0 or more.")
    rng = random.Random(f"corpus-{sizes.seed}")  # noqa: S311 - repeatable test data, not secrets
    # One transaction: a run that stops half way leaves the database empty, ready for another.
    with transaction.atomic(), _dated_as_given(Article, ImportBatch, Claim, ClaimSet):
        people = _people()
        tags = _tags(people)
        writer = _Writer(sizes, rng, people, tags)
        for number, chunk in enumerate(writer.chunks()):
            writer.write_chunk(number, chunk)
            if progress:
                progress(min((number + 1) * CHUNK, sizes.articles), sizes.articles)
        _claim_sets(rng, people, sizes)
    # What autovacuum would do minutes later (if it is on): until then PostgreSQL plans blind, the passage
    # search cannot tell common words (articles.search reads pg_stats) and index-only scans read the table.
    # VACUUM cannot run in a transaction (a test's): ANALYZE alone then.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return Counts(by_table=table_counts(), targets=benchmark_targets())


# --- Users and tags ----------------------------------------------------------------------------


@dataclass
class People:
    admin: object
    editors: list
    reviewers: list

    @property
    def taggers(self) -> list:
        return self.editors + self.reviewers


def _people() -> People:
    """The admin (made with createsuperuser), then editors and reviewers the admin added in the admin site."""
    User = get_user_model()
    joined = START - timedelta(days=30)
    names = (
        [(ADMIN_NAME, roles.ADMIN)] + [(n, roles.EDITOR) for n in EDITORS] + [(n, roles.REVIEWER) for n in REVIEWERS]
    )
    users = []
    for index, (name, _) in enumerate(names):
        user = User(username=name, email=f"{name}@newsroom.example", date_joined=joined + timedelta(hours=index))
        user.is_staff = user.is_superuser = name == ADMIN_NAME
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    Membership = User.groups.through
    memberships = Membership.objects.bulk_create(
        Membership(user_id=user.pk, group_id=groups[role].pk) for user, (_, role) in zip(users, names, strict=True)
    )
    admin = users[0]
    changes = []
    for user, membership in zip(users, memberships, strict=True):
        by, via = (None, COMMAND) if user is admin else (admin.pk, ADMIN)
        values = _tracked(User, user)
        changes.append(Change(values, "+", user.date_joined, by, via))
        row = {"id": membership.pk, "user_id": user.pk, "group_id": membership.group_id}
        changes.append(Change(values, "~", user.date_joined + timedelta(seconds=20), by, via, m2m={"groups": [row]}))
    write_history(User, changes)
    return People(admin=admin, editors=users[1 : 1 + len(EDITORS)], reviewers=users[1 + len(EDITORS) :])


def _tags(people: People) -> list[Tag]:
    """The newsroom's tags, set up by the admin in the admin site before the work began."""
    tags = Tag.objects.bulk_create(Tag(name=name) for name in TAGS)
    at = START - timedelta(days=7)
    write_history(
        Tag,
        [
            Change(_tracked(Tag, tag), "+", at + timedelta(minutes=i), people.admin.pk, ADMIN)
            for i, tag in enumerate(tags)
        ],
    )
    return tags


# --- Articles, claims and their sources, a chunk at a time ----------------------------------------


@dataclass
class _Story:
    """One claim and what happened to it, in order: tagged, sources linked, judged, questioned since."""

    claim: Claim
    tag_ids: list[int]
    links: list[EvidenceLink]  # in the order they were added
    judged: int  # how many of the links were there when the verdict was given
    first_wording: str
    verdict: str | None = None  # what the reviewer decided, whatever happened since
    events: list[tuple[str, datetime, int]] = field(default_factory=list)  # (what, when, who), in order


class _Writer:
    def __init__(self, sizes: Sizes, rng: random.Random, people: People, tags: list[Tag]):
        self.sizes, self.rng, self.people, self.tags = sizes, rng, people, tags
        self.lengths = article_corpus.article_lengths(sizes.articles, seed=sizes.seed)
        self.counts = claim_counts(sizes, self.lengths, rng)
        unclaimed = [index for index, count in enumerate(self.counts) if not count]
        extra = set(rng.sample(unclaimed, int(len(unclaimed) * EXTRA_SOURCES)))
        self.cited = [bool(count) or index in extra for index, count in enumerate(self.counts)]
        self.sources: list[Source] = []
        self.by_publisher: dict[str, list[Source]] = {}
        self.required = settings.WORKBENCH_MIN_SUPPORTING_SOURCES
        if self.required > len(EXTERNAL):
            raise ValueError(f"WORKBENCH_MIN_SUPPORTING_SOURCES is {self.required}; the corpus has {len(EXTERNAL)}.")
        self.tag_weights = [1 / (rank + 1) for rank in range(len(tags))]

    def chunks(self) -> Iterator[list[dict]]:
        every = SPAN / self.sizes.articles
        records = article_corpus.articles(
            self.sizes.articles, seed=self.sizes.seed, varied=True, start=START, every=every
        )
        while chunk := list(islice(records, CHUNK)):
            yield chunk

    def write_chunk(self, number: int, records: list[dict]) -> None:
        offset = number * CHUNK
        articles, batch = self._import(number, records)
        ensure_passages(articles)  # as an import writes them: every article can be suggested
        cited = [article for index, article in enumerate(articles) if self.cited[offset + index]]
        spans: dict[int, list[tuple[int, int, int]]] = {article.pk: [] for article in cited}
        rows = Passage.objects.filter(article_id__in=spans).order_by("article_id", "index")
        for article_id, pk, start, end in rows.values_list("article_id", "pk", "start", "end"):
            spans[article_id].append((pk, start, end))
        for article in cited:
            stub = Article(pk=article.pk, title=article.title, publisher=article.publisher)
            source = Source(stub, [pk for pk, _, _ in spans[article.pk]])
            self.sources.append(source)
            if article.publisher:
                self.by_publisher.setdefault(article.publisher, []).append(source)
        stories = []
        for index, article in enumerate(articles):
            for claim_number in range(self.counts[offset + index]):
                stories.append(self._story(article, spans[article.pk], batch.started_at, offset + index, claim_number))
        self._write_claims(stories)

    def _import(self, number: int, records: list[dict]) -> tuple[list[Article], ImportBatch]:
        """The chunk as one import batch the admin uploaded: articles, their provenance and the report."""
        name = f"corpus-{self.sizes.seed}-{number + 1:04d}.jsonl"
        last = datetime.fromisoformat(records[-1]["published"])
        started = last + timedelta(hours=3)
        batch = ImportBatch.objects.create(
            status=ImportBatch.Status.DONE,
            records_total=len(records),
            records_done=len(records),
            imported=len(records),
            imported_by=self.people.admin,
            channel=ADMIN,
            started_at=started,
            finished_at=started + timedelta(seconds=len(records) / 2800),
            files=[name],
        )
        articles = []
        for line_number, record in enumerate(records, 1):
            line = json.dumps(record, ensure_ascii=False).encode()
            draft = build_draft(
                text=record["text"],
                title=record["title"],
                url=record["url"],
                publisher=record["publisher"],
                published=record["published"],
                raw=line,
                origin_file=name,
                origin_record=line_number,
            )
            article = article_from_draft(
                draft, content_hash(draft.body), user=self.people.admin, batch=batch, previous=None
            )
            article.imported_at = started
            articles.append(article)
        Article.objects.bulk_create(articles, batch_size=BATCH)
        write_history(
            Article,
            [Change(_tracked(Article, article), "+", started, self.people.admin.pk, IMPORT) for article in articles],
        )
        report = [
            record_row(
                file=name,
                record=article.origin_record,
                outcome=NEW,
                article_id=article.pk,
                title=article.title,
                length=len(article.body),
                published=article.published_at.isoformat(),
            )
            for article in articles
        ]
        ImportReportPart.objects.create(batch=batch, index=0, rows=report)
        return articles, batch

    def _story(self, article: Article, spans: list, imported: datetime, index: int, number: int) -> _Story:
        rng = self.rng
        _, start, end = rng.choice(spans)
        # Words, not the bullets or dashes a line may start with: what an editor selects.
        words = [match.span() for match in WORD.finditer(article.body, start, end) if _wordy(match.group())]
        start = words[0][0] if words else start
        if len(words) > 8 and rng.random() < 0.6:  # a clause of the sentence rather than all of it
            length = rng.randint(6, min(20, len(words) - 1))
            first = rng.randint(0, len(words) - length)
            start, end = words[first][0], words[first + length - 1][1]
        anchor = anchor_at(article.body, start, end)
        tagger = rng.choice(self.people.taggers)
        created = imported + timedelta(minutes=10) + timedelta(days=min(rng.expovariate(1 / 5), 120))
        wording = rng.choice(WORDINGS).format(anchor.quote.rstrip(".;:,"))
        claim = Claim(
            uid=uuid.UUID(int=rng.getrandbits(128), version=4),
            article_id=article.pk,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            start=anchor.start,
            end=anchor.end,
            wording=wording,
            created_by=tagger,
            created_at=created,
            updated_at=created,
        )
        tag_ids = sorted(
            {tag.pk for tag in rng.choices(self.tags, self.tag_weights, k=rng.choice((0, 1, 1, 1, 2, 2, 3)))}
        )
        verdict, questioned, wanted = self._plan(index, number)
        links = self._links(claim, verdict, wanted, created)
        story = _Story(claim, tag_ids, links, judged=len(links), first_wording=claim.wording, verdict=verdict)
        story.events.append(("+", created, tagger.pk))
        if tag_ids:  # claim_create sets the tags after the save: the same version, recorded again
            story.events.append(("tags", created + TICK, tagger.pk))
        story.events += [("link", link.added_at + TICK, link.added_by_id) for link in links]
        if verdict:
            at = story.events[-1][1] + timedelta(hours=rng.uniform(1, 240))
            reviewer = rng.choice([person for person in self.people.reviewers if person.pk != tagger.pk])
            rationale = rng.choice(RATIONALES[verdict])
            blockers = verdict_blockers(claim=claim, links=links, user=reviewer, status=verdict, rationale=rationale)
            if blockers:  # the plan always meets the rules: this is a bug in it
                raise RuntimeError(f"The corpus broke the verdict rules: {' '.join(blockers)}")
            claim.status, claim.verdict_rationale = verdict, rationale
            claim.reviewed_by, claim.reviewed_at = reviewer, at
            story.events.append(("verdict", at, reviewer.pk))
        if questioned:
            at = claim.reviewed_at + timedelta(days=rng.uniform(1, 90))
            if rng.random() < 0.5:  # a source against the verdict was linked since
                links.append(self._link(claim, basis.OPPOSING[verdict], created=at, taken=links))
                story.events.append(("review", at + TICK, links[-1].added_by_id))
            else:  # the editor reworded the claim since
                claim.wording = f"{claim.wording} (as reported)"
                story.events.append(("review", at, tagger.pk))
            claim.status, claim.needs_review = Claim.Status.REVIEW, True
        claim.version = sum(kind not in ("+", "tags") for kind, _, _ in story.events) + 1
        claim.updated_at = story.events[-1][1]
        return story

    def _plan(self, index: int, number: int) -> tuple[str | None, bool, int]:
        """The verdict the claim gets (None: it stays a draft), whether it is questioned since, and how many
        sources it has by the time of the verdict."""
        rng = self.rng
        if index == 1 and number < 2:  # the claim page benchmark's two claims
            return Claim.Status.VERIFIED, False, (MANY_LINKS, FEW_LINKS)[number]
        if rng.random() < 0.002:
            wanted = rng.randint(20, 30)
        else:
            wanted = rng.choices(range(7), weights=(18, 26, 30, 14, 7, 3, 2))[0]
        status = rng.choices(Claim.Status.values, weights=(50, 25, 12, 13))[0]
        questioned = status == Claim.Status.REVIEW
        if questioned:
            status = Claim.Status.VERIFIED if rng.random() < 0.8 else Claim.Status.DISPUTED
        if status == Claim.Status.VERIFIED:
            wanted = max(wanted, self.required)
        elif status == Claim.Status.DISPUTED:
            wanted = max(wanted, 1)
        return (status if status in JUDGED else None), questioned, wanted

    def _links(self, claim: Claim, status: str | None, wanted: int, created: datetime) -> list[EvidenceLink]:
        rng, links, at = self.rng, [], created
        counted = self.required if status == Claim.Status.VERIFIED else 0
        for number in range(wanted):
            at += timedelta(minutes=rng.uniform(3, 2880))
            if number < counted:
                stance = EvidenceLink.Stance.SUPPORTS
            elif status == Claim.Status.DISPUTED and number == 0:
                stance = EvidenceLink.Stance.CONTRADICTS
            else:
                weights = {Claim.Status.VERIFIED: (50, 10, 40), Claim.Status.DISPUTED: (20, 40, 40)}.get(
                    status, (45, 20, 35)
                )
                stance = rng.choices(EvidenceLink.Stance.values, weights=weights)[0]
            links.append(self._link(claim, stance, created=at, taken=links, distinct=number < counted))
        return links

    def _link(
        self, claim: Claim, stance: str, *, created: datetime, taken: list, distinct: bool = False
    ) -> EvidenceLink:
        """A link to a passage of another article already written, or (one in five, or when none fits) an external page.
        `distinct`: its publisher must be known and differ from the publishers of the links `taken` so far."""
        rng = self.rng
        used = {link.source_publisher for link in taken}
        passages = {link.passage_id for link in taken if link.passage_id}
        adder = claim.created_by if rng.random() < 0.8 else rng.choice(self.people.editors)
        link = EvidenceLink(claim=claim, stance=stance, added_by=adder, added_at=created)
        if rng.random() < 0.15:
            link.note = rng.choice(
                ("Same figure, different source.", "Check the date of this one.", "Official record.")
            )
        if rng.random() >= 0.2:
            publishers = sorted(set(self.by_publisher) - used) if distinct else None
            for _ in range(8):
                if distinct:
                    if not publishers:
                        break
                    source = rng.choice(self.by_publisher[rng.choice(publishers)])
                else:
                    source = rng.choice(self.sources)
                passage = rng.choice(source.passages)
                if source.article.pk != claim.article_id and passage not in passages:
                    link.passage = Passage(pk=passage, article=source.article)
                    return link
        outlets = [outlet for outlet in EXTERNAL if outlet[0] not in used] if distinct else EXTERNAL
        publisher, host = rng.choice(outlets)
        number = rng.randint(1000, 99999)
        link.url = f"https://{host}/{created.year}/report-{number}"
        link.title, link.publisher, link.accessed_on = f"{publisher} report {number}", publisher, created.date()
        link.quote = claim.quote if rng.random() < 0.3 else ""
        return link

    def _write_claims(self, stories: list[_Story]) -> None:
        """The chunk's claims, tags, links and history. The links' ids are taken first, so that each verdict's
        basis (which names them) is in its claim's row when that row is written: no update afterwards."""
        links = [link for story in stories for link in story.links]
        for link, pk in zip(links, _reserve_ids(EvidenceLink, len(links)), strict=True):
            link.pk = pk
        for story in stories:
            if story.verdict:
                self._judge(story)
        claims = [story.claim for story in stories]
        for claim, pk in zip(claims, _insert(Claim, [_row(claim) for claim in claims], returning=True), strict=True):
            claim.pk = pk
        for link in links:
            link.claim_id = link.claim.pk
        _insert(EvidenceLink, [_row(link, with_pk=True) for link in links])
        taggings = [{"claim_id": story.claim.pk, "tag_id": tag} for story in stories for tag in story.tag_ids]
        tag_rows: dict[int, list[dict]] = {}
        for tagging, pk in zip(taggings, _insert(Claim.tags.through, taggings, returning=True), strict=True):
            tag_rows.setdefault(tagging["claim_id"], []).append({"id": pk, **tagging})
        claim_changes, link_changes = [], []
        for story in stories:
            claim_changes += _claim_changes(story, tag_rows.get(story.claim.pk, []))
            link_changes += [
                Change(_tracked(EvidenceLink, link), "+", link.added_at, link.added_by_id, WEB) for link in story.links
            ]
        write_history(Claim, claim_changes)
        write_history(EvidenceLink, link_changes)

    def _judge(self, story: _Story) -> None:
        """The verdict's basis as the reviewer saw it, and, for a claim questioned since, why it needs review."""
        claim = story.claim
        final = (claim.status, claim.wording)
        claim.status, claim.wording = story.verdict, story.first_wording
        claim.verdict_basis = basis.basis_of(claim, story.links[: story.judged])
        claim.status, claim.wording = final
        if claim.status == Claim.Status.REVIEW:
            found = basis.drifts(claim.verdict_basis, claim, story.links)
            if not found:
                raise RuntimeError(f"Claim {claim.pk} needs review but differs in nothing from what was judged.")
            claim.review_reason = basis.reasons(found)


def _wordy(token: str) -> bool:
    return any(character.isalnum() for character in token)


def _claim_changes(story: _Story, tags: list[dict]) -> list[Change]:
    """The claim's history as the services write it: created, its tags set (the same version again), a
    version per source linked, the verdict, and the change that questioned it."""
    claim = story.claim
    state = _tracked(Claim, claim) | {
        "status": Claim.Status.OPEN,
        "verdict_rationale": "",
        "reviewed_by_id": None,
        "reviewed_at": None,
        "verdict_basis": None,
        "needs_review": False,
        "review_reason": "",
        "wording": story.first_wording,
        "version": 1,
        "updated_at": claim.created_at,
    }
    changes = []
    for kind, at, user in story.events:
        if kind == "+":
            changes.append(Change(dict(state), "+", at, user, WEB))
            continue
        if kind != "tags":
            state["version"] += 1
        if kind == "verdict":
            state |= {
                "status": story.verdict,
                "verdict_rationale": claim.verdict_rationale,
                "reviewed_by_id": claim.reviewed_by_id,
                "reviewed_at": claim.reviewed_at,
                "verdict_basis": claim.verdict_basis,
            }
        elif kind == "review":
            state |= {"status": claim.status, "needs_review": True, "review_reason": claim.review_reason}
            state["wording"] = claim.wording
        state["updated_at"] = at
        changes.append(Change(dict(state), "~", at, user, WEB, m2m={"tags": tags}))
    return changes


def claim_counts(sizes: Sizes, lengths: list[int], rng: random.Random) -> list[int]:
    """How many claims each article gets: MANY on the first, FEW on the second, 201-400 on a few more long
    articles, and the rest over about a third of the others, most getting few and some dozens."""
    counts = [0] * sizes.articles
    left = sizes.claims
    for index, wanted in ((1, FEW), (0, MANY)):
        counts[index] = min(wanted, left)
        left -= counts[index]
    long_ones = [index for index in range(2, sizes.articles) if lengths[index] >= article_corpus.LONG_CHARS[0]]
    for index in rng.sample(long_ones, min(len(long_ones), sizes.claims // HEAVY_PER_CLAIMS)):
        counts[index] = min(rng.randint(MANY + 1, 2 * MANY), left)
        left -= counts[index]
    others = [index for index in range(2, sizes.articles) if not counts[index]]
    claimed = rng.sample(others, max(1, int(len(others) * CLAIMED))) if others else [0]
    weights = [min(rng.paretovariate(1.2), 12) * min(lengths[index], 12_000) for index in claimed]
    for index in rng.choices(claimed, weights, k=left):
        counts[index] += 1
    return counts


# --- Claim sets --------------------------------------------------------------------------------


def _claim_sets(rng: random.Random, people: People, sizes: Sizes) -> None:
    """Sets of verified claims picked by hand over a few sittings, and a couple of saved filters."""
    verified = list(Claim.objects.filter(status=Claim.Status.VERIFIED).order_by("pk").values_list("pk", "reviewed_at"))
    sets, sittings = [], []
    for number in range(max(3, sizes.claims // 5000)):
        picked = sorted(rng.sample(verified, min(len(verified), rng.randint(5, 120))))
        made = max((at for _, at in picked), default=START) + timedelta(days=rng.uniform(1, 30))
        topic = TAGS[number % len(TAGS)]
        owner = rng.choice(people.taggers)
        sets.append(ClaimSet(name=f"{topic.capitalize()} desk, selection {number + 1}", owner=owner, created_at=made))
        steps = sorted(rng.sample(range(1, len(picked)), min(2, len(picked) - 1))) if len(picked) > 1 else []
        sittings.append([picked[a:b] for a, b in zip([0, *steps], [*steps, len(picked)], strict=True) if b > a])
    for topic, status in (("health", "verified"), ("elections", "disputed")):
        query = f"status={status}&tag={topic}"
        owner = rng.choice(people.taggers)
        sets.append(
            ClaimSet(name=f"All {status} {topic} claims", owner=owner, selection=ClaimSet.Selection.FILTER, query=query)
        )
        sets[-1].created_at = START + SPAN / 2
        sittings.append([])
    for claim_set, parts in zip(sets, sittings, strict=True):
        claim_set.updated_at = claim_set.created_at + timedelta(hours=len(parts))
    ClaimSet.objects.bulk_create(sets)
    Member = ClaimSet.claims.through
    members = Member.objects.bulk_create(
        [
            Member(claimset_id=s.pk, claim_id=pk)
            for s, parts in zip(sets, sittings, strict=True)
            for part in parts
            for pk, _ in part
        ],
        batch_size=BATCH,
    )
    rows = iter({"id": m.pk, "claimset_id": m.claimset_id, "claim_id": m.claim_id} for m in members)
    changes = []
    for claim_set, parts in zip(sets, sittings, strict=True):
        values = _tracked(ClaimSet, claim_set) | {"updated_at": claim_set.created_at}
        changes.append(Change(dict(values), "+", claim_set.created_at, claim_set.owner_id, WEB))
        held = []
        for hour, part in enumerate(parts, 1):
            held += list(islice(rows, len(part)))
            at = claim_set.created_at + timedelta(hours=hour)
            values["updated_at"] = at
            changes.append(Change(dict(values), "~", at, claim_set.owner_id, WEB, m2m={"claims": list(held)}))
    write_history(ClaimSet, changes)


# --- Writing history -----------------------------------------------------------------------------


def write_history(model: type[models.Model], changes: list[Change]) -> None:
    """Every history record the corpus writes, of any tracked model, as django-simple-history would have
    written it: the record, then (for its many-to-many fields) the related rows as they were at that moment."""
    history = model.history.model
    rows = [
        {
            **change.values,
            "history_date": change.at,
            "history_type": change.type,
            "history_user_id": change.user_id,
            "history_channel": change.channel,
            "history_change_reason": change.reason,
        }
        for change in changes
    ]
    if model is Claim:
        _fold(changes, rows)
    ids = _insert(history, rows, returning=True)
    for name in sorted({name for change in changes for name in change.m2m}):
        through = getattr(history, name).model
        _insert(
            through,
            [
                {**row, "history_id": history_id}
                for history_id, change in zip(ids, changes, strict=True)
                for row in change.m2m.get(name, ())
            ],
        )


def _fold(changes: list[Change], rows: list[dict]) -> None:
    """Which claim records the activity feed tells with an earlier one, set as `claims.history.fold` sets it
    on each record the services write (a bulk insert sends no signal). Each claim's records come in order."""
    records: dict[int, list[SimpleNamespace]] = {}
    for change, row in zip(changes, rows, strict=True):
        records.setdefault(change.values["id"], []).append(
            SimpleNamespace(row=row, history_type=change.type, **change.values)
        )
    for claim_records in records.values():
        fold(claim_records)
        for record in claim_records:
            record.row["history_folded"] = record.history_folded


# --- Writing rows fast ----------------------------------------------------------------------------

# Values the database drivers take as they are; other fields (dates, JSON, UUIDs) are prepared by Django.
AS_THEY_ARE = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "TextField",
}


def _insert(model: type[models.Model], rows: list[dict], *, returning: bool = False) -> list[int]:
    """INSERT rows (attname -> value, the same keys in each) in multi-row statements; the new ids if asked.

    What bulk_create does without its per-value compiling, which cost more than the database's own work
    for the corpus's millions of rows. Only for rows whose values are final: no defaults, no auto_now.
    """
    if not rows:
        return []
    fields = {field.attname: field for field in model._meta.concrete_fields}
    names = list(rows[0])
    prepare = [_preparer(fields[name]) for name in names]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = ", ".join(quote(fields[name].column) for name in names)
    per_statement = min(BATCH, (connection.features.max_query_params or BATCH * len(names)) // len(names))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            values = []
            for row in batch:
                for name, prep in zip(names, prepare, strict=True):
                    value = row[name]
                    values.append(value if prep is None or value is None else prep(value))
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(names)) + ")"] * len(batch))
            # Table and column names come from the models, quoted; every value is a bound parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES {placeholders}"  # noqa: S608
            cursor.execute(sql + (f" RETURNING {pk}" if returning else ""), values)
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids


def _preparer(field: models.Field):
    kind = field.get_internal_type()
    if kind in AS_THEY_ARE:
        return None
    if kind == "DateTimeField":  # the corpus's times are all aware: straight to the driver's form
        return connection.ops.adapt_datetimefield_value
    return partial(field.get_db_prep_save, connection=connection)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids for rows about to be written with them, taken as the database would give them."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock, so the ids after the largest stay free until it ends.
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        first = (cursor.fetchone()[0] or 0) + 1
        return list(range(first, first + count))


def _row(obj: models.Model, *, with_pk: bool = False) -> dict:
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if with_pk or not field.primary_key
    }


@cache
def _tracked_names(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model.history.model.tracked_fields]


def _tracked(model: type[models.Model], obj: models.Model) -> dict:
    return {name: getattr(obj, name) for name in _tracked_names(model)}


@contextmanager
def _dated_as_given(*tracked: type[models.Model]) -> Iterator[None]:
    """Rows keep the times the corpus gives them: auto_now fields would stamp years of work with today."""
    fields = [
        f
        for model in tracked
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# --- What was made -------------------------------------------------------------------------------


def benchmark_targets() -> dict[str, int | None]:
    """The pages the benchmarks read, found by what they hold (the lowest id of each), on any corpus."""

    def article_with(claims: int, *, as_long_as: int | None = None) -> int | None:
        found = Article.objects.alias(n=Count("claims")).filter(n=claims).order_by("pk")
        if as_long_as is not None:  # the text as long as another's, so that only the claims differ
            length = Article.objects.filter(pk=as_long_as).values(n=Length("body"))[:1]
            found = found.alias(length=Length("body")).order_by(Abs(F("length") - Subquery(length)), "pk")
        return found.values_list("pk", flat=True).first()

    def claim_with(links: int) -> int | None:
        found = Claim.objects.alias(n=Count("evidence")).filter(n=links).order_by("pk")
        return found.values_list("pk", flat=True).first()

    return {
        f"article with {MANY} claims": (many := article_with(MANY)),
        f"article with {FEW} claims": article_with(FEW, as_long_as=many),
        f"claim with {FEW_LINKS} links": claim_with(FEW_LINKS),
        f"claim with {MANY_LINKS} links": claim_with(MANY_LINKS),
    }


def table_counts() -> dict[str, int]:
    User = get_user_model()
    tables = [User, Article, ImportBatch, ImportReportPart, Passage, Claim, Claim.tags.through, Tag, EvidenceLink]
    tables += [ClaimSet, ClaimSet.claims.through]
    tables += [model.history.model for model in (User, Article, Claim, Tag, EvidenceLink, ClaimSet)]
    tables += [Claim.history.model.tags.model, ClaimSet.history.model.claims.model, User.history.model.groups.model]
    return {model._meta.db_table: model._default_manager.count() for model in tables}
