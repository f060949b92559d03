"""The reader: an article's text with its claims highlighted, where editors tag claims.

It is claims' tagging UI, so it lives here although it is served at /articles/<id>/ under the name
`articles:detail` (joined to articles' own pages in `workbench/urls.py`): articles never imports claims.
"""

from dataclasses import dataclass
from html import escape

from django.db.models import Aggregate, CharField, Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from articles.history import metadata_edits
from articles.models import Article
from claims import permissions
from claims.anchoring import Item, highlighted_blocks
from claims.candidates import Candidate, marked_candidates
from claims.display import status_badges
from claims.duplicates import existing_claims
from claims.forms import TagClaimForm
from claims.models import Claim, EvidenceLink
from claims.selectors import tag_names
from workbench.display import path_of, truncated


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The versions around this one, without their text: two ahead, so that the notice on an old version
    # names the newest without another query (`Article.newest_version`).
    versions = ("previous_version", "next_version", "next_version__next_version")
    article = get_object_or_404(
        Article.objects.select_related("imported_by", "import_batch__imported_by", *versions).defer(
            "raw", *(f"{version}__{name}" for version in versions for name in ("body", "raw"))
        ),
        pk=pk,
    )
    tag_form = duplicates = None
    if quote := request.GET.get("quote", "").strip():
        # A candidate's "tag it" link without a script: the words-tagging form, filled in, with the claims
        # that may already say it.
        tag_form = TagClaimForm(initial={"quote": quote, "wording": quote}, article=article)
        duplicates = existing_claims(article=article, quote=quote, wording=quote)
    return render_reader(request, article, tag_form=tag_form, duplicates=duplicates)


def render_reader(
    request: HttpRequest, article: Article, *, tag_form=None, duplicates=None, status: int = 200
) -> HttpResponse:
    """The reader: the body with its claims highlighted, the claims panel, and the tag form; with
    ?candidates=1, the sentences worth checking marked too. `duplicates`: the claims that may already say
    what the tag form holds, when it was checked."""
    claims = list(
        article.claims.select_related("created_by")
        .only("pk", "article_id", "start", "end", "status", "wording", "quote", "created_by__username")
        .annotate(**panel_annotations())
        .order_by("start", "end", "pk")
    )
    may_tag = permissions.can_tag(request.user)
    # A superseded version takes no new claims (services.claim_create refuses them): one tagged here
    # would never follow the text to later versions. Its claims stay readable; the notice leads on.
    newest = article.newest_version()
    superseded = newest.pk != article.pk
    can_tag = may_tag and not superseded
    shown = shown_claims(claims)
    show_candidates = request.GET.get("candidates") == "1"
    found = marked_candidates(article.body) if show_candidates else []
    context = {
        "article": article,
        "body": marked_body(article.body, claims, shown, found, tag_links=can_tag),
        "show_candidates": show_candidates,
        "candidate_count": len(found),
        "duplicates": duplicates,
        "claims": list(shown.values()),
        "can_tag": can_tag,
        "tagging_closed": may_tag and not can_tag,
        "newest": newest if superseded else None,
        "tag_form": tag_form or TagClaimForm(article=article),
        "tag_names": tag_names() if can_tag else [],
        "metadata_edits": metadata_edits(article.pk),
    }
    return render(request, "claims/reader.html", context, status=status)


class _Names(Aggregate):
    """Names joined by commas, which no tag name holds (services.parse_tags splits on them)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def panel_annotations() -> dict:
    """What the claims panel says of each claim beyond its own columns, in the claims' one query: its tags
    and how many sources it has of each stance (a prefetch would be a query more)."""
    tags = Claim.tags.through.objects.filter(claim_id=OuterRef("pk")).order_by().values("claim_id")
    return {
        "tag_list": Subquery(tags.annotate(names=_Names("tag__name")).values("names")[:1]),
        **{
            f"{stance}_count": Count("evidence", filter=Q(evidence__stance=stance))
            for stance in EvidenceLink.Stance.values
        },
    }


def _sources(claim) -> str:
    """ "2 supporting, 1 contradicting" """
    counts = [(getattr(claim, f"{stance}_count"), word) for stance, word in SOURCE_WORDS.items()]
    said = [f"{count} {word}" for count, word in counts if count]
    return ", ".join(said) if said else "no sources yet"


SOURCE_WORDS = {"supports": "supporting", "contradicts": "contradicting", "context": "context"}


@dataclass(frozen=True)
class Shown:
    """A claim as the reader shows it, worked out once however many pieces of text it covers."""

    pk: int
    status: str
    url: str
    suggestions_url: str  # the suggestions panel, fetched when the claim's suggestions are opened
    badge: SafeString
    wording: str  # as the claims panel shortens it
    title: str  # what a mark says of it
    kind: str  # what a mark is, at the start of its accessible name: "Open claim"
    by: str
    quote: str  # as the panel shortens it; "" when the wording is the quote
    tags: tuple[str, ...]
    sources: str  # "2 supporting, 1 contradicting"

    @property
    def panel_item(self) -> SafeString:
        """Its item in the claims panel (written here: a template filling in each of 200 claims cost as much
        as the rest of the reader)."""
        url = escape(self.url)
        quote = f'<blockquote class="claim-item__quote">{escape(self.quote)}</blockquote>' if self.quote else ""
        tags = "".join(f' <span class="tag">{escape(tag)}</span>' for tag in self.tags)
        return SafeString(
            f'<li id="claim-item-{self.pk}">{self.badge} <a href="{url}">{escape(self.wording)}</a>{quote}'
            f'<p class="claim-item__meta muted small">by {escape(self.by)} · {self.sources}{tags}</p>'
            f' <details class="claim-suggestions" data-url="{escape(self.suggestions_url)}">'
            "<summary>Suggested sources</summary>"
            f'<div class="claim-suggestions__body"><p class="small"><a href="{url}?suggestions=1#suggestions">'
            "See them on the claim page</a></p></div></details></li>"
        )


def shown_claims(claims: list) -> dict[int, Shown]:
    badges, url, labels = status_badges(), path_of("claims:detail"), dict(Claim.Status.choices)
    suggestions_url = path_of("claims:suggestions")
    return {
        claim.pk: Shown(
            pk=claim.pk,
            status=claim.status,
            url=url(claim.pk),
            suggestions_url=suggestions_url(claim.pk),
            badge=badges[claim.status],
            wording=truncated(claim.wording, 140),
            title=f"{labels[claim.status]} claim: {truncated(claim.wording, 120)}",
            kind=f"{labels[claim.status]} claim",
            by=claim.created_by.get_username(),
            quote="" if claim.quote.split() == claim.wording.split() else truncated(claim.quote, 200),
            tags=tuple(sorted(claim.tag_list.split(",") if claim.tag_list else (), key=str.casefold)),
            sources=_sources(claim),
        )
        for claim in claims
    }


def marked_body(
    body: str, claims: list, shown: dict[int, Shown], candidates: list[Candidate] = (), *, tag_links: bool = False
) -> SafeString:
    """The reader's text as HTML: paragraphs, subheadings and lists, each item with a link for every claim in
    it, its offset in the body for the script that tags a selection and, when asked, the claim candidates
    marked. One walk along the text and the candidates in order, written here rather than by a template
    looping over the items, which cost more than the rest of the page."""
    cut = _CandidateCutter(candidates, tag_links=tag_links)
    html = []
    for kind, items in highlighted_blocks(body, claims):
        if kind == "ul":
            listed = "".join(f'<li data-start="{item.start}">{_marked(item, shown, cut)}</li>' for item in items)
            html.append(f"<ul>{listed}</ul>")
        else:
            tag = "h2" if kind == "h" else "p"
            html.append(f'<{tag} data-start="{items[0].start}">{_marked(items[0], shown, cut)}</{tag}>')
    return SafeString("\n".join(html))


def _marked(item: Item, shown: dict[int, Shown], cut: "_CandidateCutter") -> SafeString:
    pieces, offset = [], item.start
    for segment in item.segments:
        for text, marker, candidate in cut(offset, segment.text):
            pieces.append((marker, _segment(segment, text, shown, candidate)))
        offset += len(segment.text)
    return format_html_join("", "{}{}", pieces)


def _segment(segment, text: str, shown: dict[int, Shown], candidate: Candidate | None) -> SafeString:
    words = text
    if candidate:
        text = format_html('<span class="candidate-text" data-candidate="{}">{}</span>', candidate.start, text)
    if not segment.claims:
        return conditional_escape(text)
    claim = shown[segment.claim.pk]
    more = len(segment.claims) - 1
    # The status leads the mark's name: a title is no name for a link with words, and is not always read.
    return format_html(
        '<a class="claim-mark claim-mark--{}{}" href="{}" data-claims="{}" title="{}{}" aria-label="{}{}: {}">{}</a>',
        claim.status,
        " claim-mark--overlap" if more else "",
        claim.url,
        "".join(f"{c.pk} " for c in segment.claims),
        claim.title,
        f" (+{more} overlapping)" if more else "",
        claim.kind,
        f" and {more} overlapping" if more else "",
        words,
        text,
    )


class _CandidateCutter:
    """Cuts the text the reader writes, piece by piece in body order, at the candidates' edges: each piece
    lies in one candidate or none, and the piece a candidate starts with is preceded by its marker.

    The marker writes its symbol and score from CSS and says what it is in its label, so it adds no text to
    the block: the reader's script turns selections into offsets by counting the block's text."""

    def __init__(self, candidates: list[Candidate], *, tag_links: bool):
        self.candidates, self.next, self.tag_links = candidates, 0, tag_links

    def __call__(self, start: int, text: str):
        end = start + len(text)
        while start < end:
            while self.next < len(self.candidates) and self.candidates[self.next].end <= start:
                self.next += 1
            candidate = self.candidates[self.next] if self.next < len(self.candidates) else None
            if candidate is None or candidate.start >= end:
                yield text, "", None
                return
            if candidate.start > start:  # plain text before the candidate
                cut = candidate.start - start
                yield text[:cut], "", None
                start, text = candidate.start, text[cut:]
            cut = min(candidate.end, end) - start
            marker = self._marker(candidate) if start == candidate.start else ""
            yield text[:cut], marker, candidate
            start, text = start + cut, text[cut:]

    def _marker(self, candidate: Candidate) -> SafeString:
        label = f"Claim candidate, score {candidate.score:.2f}: {'; '.join(candidate.reasons)}."
        if not self.tag_links:
            return format_html(
                '<span class="candidate-marker" role="img" aria-label="{}" title="{}" data-score="{}"></span>',
                label,
                label,
                f"{candidate.score:.2f}",
            )
        return format_html(
            '<a class="candidate-marker" href="?{}#tag-by-quote" aria-label="{} Tag it." title="{}" '
            'data-score="{}" data-start="{}" data-end="{}"></a>',
            urlencode({"candidates": "1", "quote": candidate.text}),
            label,
            label,
            f"{candidate.score:.2f}",
            candidate.start,
            candidate.end,
        )
