"""Suggested sources for a claim: passages of other articles that likely support or contradict it.

Candidates come from the database's own full-text search (`articles.search`: stemmed, ranked, the
same on PostgreSQL and SQLite). Each is scored here, the same way on both databases, from
- how much of the claim's wording it holds, each word weighed by how rare it is among all passages;
- the database's rank of it (words close together, repeated);
- whether it gives one of the claim's figures, in whatever form ("three" for "3");
- and, when the semantic extra is installed, how close its meaning is (`claims.semantic`).
A passage on the claim's subject with a different figure gets a "possible conflict" hint.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Passage
from articles.search import WORD, search, terms
from claims import numbers, semantic

CANDIDATES = 100  # passages the database ranks for each suggestion list, scored here
# In semantic mode, every passage of the articles holding the best NEAR matches (NEIGHBOUR_ARTICLES of
# them at most) is compared by meaning too, NEIGHBOURS passages at most.
NEAR, NEIGHBOUR_ARTICLES, NEIGHBOURS = 10, 5, 200
PARAPHRASE = 0.5  # the meaning score from which a passage sharing no word is offered
# How the signals add up, tuned on benchmarks/suggestions/labelled.json (benchmarks/suggestion_quality.py).
COVERAGE, RANK, FIGURES = 0.7, 0.2, 0.1
TEXT_WEIGHT_WITH_MEANING = 0.45  # the text score's part when the semantic similarity is known
MEANING_FLOOR, MEANING_SPAN = 0.15, 0.5
ON_SUBJECT = 0.35  # the text coverage above which a passage counts as on the claim's subject
SUPPORTS = 0.5  # the score above which a passage that agrees is hinted as supporting
# Words that turn a statement around: a passage saying one where the claim says none, or the other way.
DENIALS = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|refut\w*|dismiss\w*|reject\w*|false|untrue|fake|no evidence|not true|"
    r"never|nobody|no one|none|doesn[’']t exist|did not|didn[’']t|has not|hasn[’']t|have not|haven[’']t)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Suggestion:
    passage: Passage  # with its article (body and raw bytes deferred)
    score: float  # 0..1, higher is better; comparable within one result list
    snippet: SafeString  # the passage's text, escaped, with the matching words in <mark>…</mark>
    stance_hint: str  # "supports" | "contradicts" | "unclear"
    conflict: str  # "" or a short human text, e.g. 'different figure: 30 here, 40 in the claim'
    by_meaning: bool = False  # whether its meaning counted (semantic mode, and its embedding is stored)


def suggest(
    text: str,
    *,
    exclude_article_ids: Iterable[int] = (),
    exclude_passage_ids: Iterable[int] = (),
    limit: int = 10,
    articles: Iterable[int] | None = None,
    meaning_of: Sequence[str] = (),
    paraphrases: bool = True,
) -> list[Suggestion]:
    """Passages of the current versions of articles that likely corroborate or contradict `text`, best first;
    `articles` (ids) keeps to those articles. The semantic similarity is that of `text`, or the mean of
    those of `meaning_of` when given (a claim's quote and its wording each say what it means). In semantic
    mode, and unless `paraphrases` is false, passages close in meaning that share no word are offered too."""
    excluded = [int(pk) for pk in exclude_passage_ids]
    found = search(
        _search_terms(text),
        misspelt=terms(text),  # not the figures' words it adds
        limit=max(CANDIDATES, limit),
        exclude_article_ids=exclude_article_ids,
        exclude_passage_ids=excluded,
        articles=None if articles is None else list(articles),
    )
    if not found.matches:
        return []
    ranks = {match.passage_id: (match.terms, match.rank) for match in found.matches}
    beside = []
    if paraphrases and semantic.mode() == "semantic":  # a paraphrase may share no word: look beside the matches
        beside = _neighbours(found.matches, excluded=[*excluded, *ranks])
        ranks.update(dict.fromkeys(beside, (frozenset(), 0.0)))
    texts = dict(Passage.objects.filter(pk__in=list(ranks)).values_list("pk", "text"))
    meaning = _meaning(list(meaning_of) or [text], list(texts))
    for pk in beside:  # kept only when close in meaning
        if meaning.get(pk, 0.0) < PARAPHRASE:
            del ranks[pk]
    claim_figures = numbers.figures(text)
    claim_denies = bool(DENIALS.search(text))
    total_weight = sum(found.weights) or 1.0
    top_rank = max(match.rank for match in found.matches) or 1.0
    scored = []
    for pk, (terms_held, rank) in ranks.items():
        coverage = sum(found.weights[i] for i in terms_held) / total_weight
        passage_figures = numbers.figures(texts[pk]) if claim_figures else []
        agrees = numbers.agree(claim_figures, passage_figures)
        score = COVERAGE * coverage + RANK * rank / top_rank + FIGURES * agrees
        if pk in meaning:
            score = TEXT_WEIGHT_WITH_MEANING * score + (1 - TEXT_WEIGHT_WITH_MEANING) * meaning[pk]
        on_subject = coverage >= ON_SUBJECT or meaning.get(pk, 0) >= ON_SUBJECT
        conflict = numbers.conflict(claim_figures, passage_figures) if on_subject and not agrees else ""
        scored.append((score, pk, conflict, on_subject, pk in meaning))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[:limit]
    passages = (
        Passage.objects.select_related("article")
        .defer("article__body", "article__raw")
        .in_bulk([pk for _, pk, *_ in best])
    )
    return [
        Suggestion(
            passage=passages[pk],
            score=round(min(1.0, score), 4),
            snippet=snippet(texts[pk], found.terms, claim_figures),
            stance_hint=_stance(score, conflict, on_subject, claim_denies, bool(DENIALS.search(texts[pk]))),
            conflict=conflict,
            by_meaning=by_meaning,
        )
        for score, pk, conflict, on_subject, by_meaning in best
    ]


def _neighbours(matches, *, excluded: list[int]) -> list[int]:
    """The other passages of the articles whose passages match best: the same story, told in other words."""
    articles = list(
        dict.fromkeys(
            Passage.objects.filter(pk__in=[m.passage_id for m in matches[:NEAR]]).values_list("article_id", flat=True)
        )
    )
    return list(
        Passage.objects.filter(article_id__in=articles[:NEIGHBOUR_ARTICLES])
        .exclude(pk__in=excluded)
        .order_by("article_id", "index")
        .values_list("pk", flat=True)[:NEIGHBOURS]
    )


def suggestions_for_claim(claim, *, limit: int = 10) -> list[Suggestion]:
    """Suggestions for a claim from its quote and wording, leaving out the passages already linked to it and
    its own article in every version."""
    return suggest(
        _claim_text(claim),
        meaning_of=list(dict.fromkeys([claim.quote, claim.wording.strip() or claim.quote])),
        exclude_article_ids=_own_versions(claim),
        exclude_passage_ids=claim.evidence.exclude(passage=None).values_list("passage_id", flat=True),
        limit=limit,
    )


def search_passages(*, claim, text: str, limit: int = 20, articles: Iterable[int] | None = None) -> list[Suggestion]:
    """The claim page's search for passages to link: the words typed, ranked and stemmed as suggestions are,
    outside the claim's own article (already linked passages are shown, as they are linked)."""
    return suggest(text, exclude_article_ids=_own_versions(claim), limit=limit, articles=articles, paraphrases=False)


def _claim_text(claim) -> str:
    wording = claim.wording.strip()
    return claim.quote if wording in claim.quote else f"{claim.quote}\n{wording}"


def _own_versions(claim) -> list[int]:
    # Older versions are never suggested (only current ones are searched): the newest is the one to leave out.
    return sorted({claim.article_id, claim.article.newest_version().pk})


def _search_terms(text: str) -> list[str]:
    """The claim's words, and its small figures in words and digits both ("three" finds "3" and "three")."""
    words = terms(text)
    for figure in numbers.figures(text):
        if figure.kind == "count" and figure.value == int(figure.value) and 1 < figure.value < 20:
            words += [str(int(figure.value)), numbers.WORDS_BY_VALUE[int(figure.value)]]
    return list(dict.fromkeys(words))


def _meaning(texts: list[str], passage_ids: list[int]) -> dict[int, float]:
    """The mean similarity of `texts` with each passage that has one; {} in text mode."""
    return {pk: _calibrated(cosine) for pk, cosine in semantic.mean_similarities(texts, passage_ids).items()}


def _calibrated(cosine: float) -> float:
    """A cosine similarity as a 0..1 score: unrelated sentences sit near MEANING_FLOOR, paraphrases above
    MEANING_FLOOR + MEANING_SPAN (as all-MiniLM-L6-v2 spreads them)."""
    return min(1.0, max(0.0, (cosine - MEANING_FLOOR) / MEANING_SPAN))


def _stance(score: float, conflict: str, on_subject: bool, claim_denies: bool, passage_denies: bool) -> str:
    if conflict or (on_subject and claim_denies != passage_denies):
        return "contradicts"
    if on_subject and score >= SUPPORTS:
        return "supports"
    return "unclear"


def light_stem(word: str) -> str:
    """A word's rough stem, for marking the words a passage shares with a search ("raised", "raising")."""
    word = word.lower()
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def snippet(text: str, words: Iterable[str], figures: list[numbers.Figure] = ()) -> SafeString:
    """`text` escaped, with the words it shares with the search and the claim's figures in <mark>."""
    stems = {light_stem(word) for word in words}
    spans = [(m.start(), m.end()) for m in WORD.finditer(text) if light_stem(m.group()) in stems]
    spans += [(f.start, f.end) for f in numbers.figures(text) if any(f.same_as(ours) for ours in figures)]
    parts, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        parts += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts).replace("</mark> <mark>", " "))  # noqa: S308 - every piece of text is escaped
