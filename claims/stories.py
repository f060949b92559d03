"""The story at a glance: a matrix of the claims of a story's articles against its outlets.

Each cell says what the outlet does with the claim: it is where the claim was made, or a passage of it is
linked as evidence (supports, contradicts, context), or the suggestions find an unlinked passage of it that
may bear on the claim, or it is silent. Linked and suggested are told apart in words and symbols, never by
colour alone. A page of rows costs the same queries whatever the story's size: the claims of the page, their
links into the story's articles, and one suggestion query per claim shown.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet

from articles.models import Article
from claims.models import Claim, EvidenceLink, Story
from claims.rules import publisher_key
from claims.suggestions import suggest
from workbench.display import truncated

# Suggestions per claim, for all of the story's outlets together.
SUGGESTIONS_PER_OUTLET = 2
# An unlinked passage scoring less than this is too weak a match to tell.
MIN_SUGGESTION_SCORE = 0.4
LIKE_THESE_FROM_CLAIMS = 20

SOURCE, SUPPORTS, CONTRADICTS, CONTEXT, SUGGESTED, SILENT = (
    "source",
    "supports",
    "contradicts",
    "context",
    "suggested",
    "silent",
)
# (symbol, words) for each kind of cell: the legend and the CSV say the same.
KINDS = {
    SOURCE: ("●", "makes the claim"),
    SUPPORTS: ("✔", "supports (linked)"),
    CONTRADICTS: ("✖", "contradicts (linked)"),
    CONTEXT: ("◐", "context (linked)"),
    SUGGESTED: ("◇", "suggested, not linked"),
    SILENT: ("—", "silent"),
}
HINTS = {"supports": "may support", "contradicts": "may contradict", "unclear": "may bear on it"}
LINKED = {
    EvidenceLink.Stance.SUPPORTS: SUPPORTS,
    EvidenceLink.Stance.CONTRADICTS: CONTRADICTS,
    EvidenceLink.Stance.CONTEXT: CONTEXT,
}


@dataclass(frozen=True)
class Outlet:
    name: str
    article_ids: tuple[int, ...]


@dataclass
class Cell:
    kinds: list[str] = field(default_factory=list)  # what the outlet does with the claim, strongest first
    suggestion: object = None  # the best unlinked suggestion, for SUGGESTED

    @property
    def symbols(self) -> str:
        return " ".join(KINDS[kind][0] for kind in self.kinds)

    @property
    def words(self) -> str:
        words = [KINDS[kind][1] for kind in self.kinds]
        if self.suggestion is not None:
            hint = HINTS.get(self.suggestion.stance_hint, HINTS["unclear"])
            words[-1] = f"suggested, not linked: {hint} (score {self.suggestion.score:.2f})"
        return "; ".join(words)

    @property
    def kind(self) -> str:
        return self.kinds[0]


@dataclass
class Row:
    claim: Claim
    cells: list[Cell]


def outlets(story: Story) -> list[Outlet]:
    """The story's articles by publisher, compared as the two-source rule compares them; an article without
    one is an outlet of its own, named by its site or, without a URL, its number and title. By name."""
    names, grouped = {}, defaultdict(list)
    for pk, title, publisher, url in story.articles.order_by("pk").values_list("pk", "title", "publisher", "url"):
        key = publisher_key(publisher) or f"article:{pk}"
        names.setdefault(key, publisher.strip() or _site(url) or f"#{pk} {truncated(title, 40)}")
        grouped[key].append(pk)
    columns = [Outlet(names[key], tuple(ids)) for key, ids in grouped.items()]
    return sorted(columns, key=lambda outlet: (outlet.name.casefold(), outlet.article_ids))


def _site(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def story_claims(story: Story) -> QuerySet:
    """The claims of the story's articles, article by article in text order (index claim_in_text_order)."""
    return (
        Claim.objects.filter(article__in=story.articles.values("pk"))
        .select_related("article")
        .only("pk", "wording", "quote", "status", "start", "article_id", "article__title", "article__publisher")
        .order_by("article_id", "start", "id")
    )


def rows(claims: list[Claim], columns: list[Outlet]) -> list[Row]:
    """The matrix rows for some claims (a page): one query for their links into the story, and one
    suggestion query per claim."""
    outlet_of = {pk: n for n, outlet in enumerate(columns) for pk in outlet.article_ids}
    linked = defaultdict(set)
    links = EvidenceLink.objects.filter(claim__in=[c.pk for c in claims], passage__article__in=list(outlet_of))
    for claim_id, stance, article_id, passage_id in links.values_list(
        "claim_id", "stance", "passage__article_id", "passage_id"
    ):
        linked[claim_id].add((outlet_of[article_id], LINKED[stance], passage_id))
    result = []
    for claim in claims:
        cells = [Cell() for _ in columns]
        if claim.article_id in outlet_of:
            cells[outlet_of[claim.article_id]].kinds.append(SOURCE)
        for n, kind, _ in sorted(linked[claim.pk], key=lambda link: list(KINDS).index(link[1])):
            if kind not in cells[n].kinds:
                cells[n].kinds.append(kind)
        for suggestion in _suggestions(claim, columns, outlet_of, {link[2] for link in linked[claim.pk]}):
            cell = cells[outlet_of[suggestion.passage.article_id]]
            if not cell.kinds:
                cell.kinds.append(SUGGESTED)
                cell.suggestion = suggestion
        for cell in cells:
            if not cell.kinds:
                cell.kinds.append(SILENT)
        result.append(Row(claim, cells))
    return result


def _suggestions(claim: Claim, columns: list[Outlet], outlet_of: dict[int, int], linked_passages: set[int]):
    others = [pk for pk in outlet_of if pk != claim.article_id]
    if not others:
        return []
    found = suggest(
        f"{claim.quote} {claim.wording}",
        exclude_article_ids=[claim.article_id],
        exclude_passage_ids=sorted(linked_passages),
        articles=others,
        limit=SUGGESTIONS_PER_OUTLET * len(columns),
    )
    return [suggestion for suggestion in found if suggestion.score >= MIN_SUGGESTION_SCORE]


def csv_rows(story: Story) -> Iterator[list]:
    """The whole matrix as spreadsheet rows, header first, a chunk of claims at a time."""
    columns = outlets(story)
    yield ["claim_id", "claim_url", "wording", "quote", "status", "article", "outlet", *(o.name for o in columns)]
    claims = story_claims(story)
    chunk, last = 200, None
    while True:
        page = list((claims.filter(_after(last)) if last else claims)[:chunk])
        if not page:
            return
        for row in rows(page, columns):
            claim = row.claim
            yield [
                claim.pk,
                claim.get_absolute_url(),
                claim.wording,
                claim.quote,
                claim.status,
                claim.article.title,
                claim.article.publisher,
                *(f"{cell.symbols} {cell.words}" for cell in row.cells),
            ]
        last = page[-1]


def _after(claim: Claim) -> Q:
    """The claims after `claim` in the matrix's order (a keyset, so a long story is read by its index)."""
    return (
        Q(article_id__gt=claim.article_id)
        | Q(article_id=claim.article_id, start__gt=claim.start)
        | Q(article_id=claim.article_id, start=claim.start, id__gt=claim.pk)
    )


def articles_like(story: Story, *, limit: int = 5) -> list[tuple[Article, int]]:
    """Current articles outside the story that the suggestions match most often for its first claims: the
    ones most likely on the same story, with how many of those claims matched them."""
    inside = set(story.articles.values_list("pk", flat=True))
    tally = Counter()
    for claim in story_claims(story)[:LIKE_THESE_FROM_CLAIMS]:
        matched = {
            suggestion.passage.article_id
            for suggestion in suggest(f"{claim.quote} {claim.wording}", exclude_article_ids=sorted(inside), limit=10)
            if suggestion.score >= MIN_SUGGESTION_SCORE
        }
        tally.update(matched)
    best = [pk for pk, _ in tally.most_common(limit)]
    found = Article.objects.current().filter(pk__in=best).only("pk", "title", "publisher").in_bulk()
    return [(found[pk], tally[pk]) for pk in best if pk in found]
