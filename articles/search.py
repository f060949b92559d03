"""The database's own full-text search over passages: one interface, two backends.

PostgreSQL reads a stored tsvector (english configuration, GIN-indexed) and ranks with ts_rank;
SQLite reads an FTS5 table (porter stemming) and ranks with bm25. Both stem the same way ("raised"
finds "raise", "fundraising" finds "fund-raising"), both leave out older versions of articles, and
both say which of the searched words each passage holds, so the caller ranks the passages the same
way on either database. PostgreSQL also finds a misspelt word ("Zakarova") through pg_trgm; SQLite
has no such index, so a word nothing holds finds nothing there.

The index itself is kept by the database as passages are written (migration 0006_passage_search).
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router

from articles.models import Passage

WORD = re.compile(r"[^\W_]+")
# Words too common to tell passages apart; the English configuration of PostgreSQL leaves out the same.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own s same she should so some
    such t than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with you your yours
    yourself yourselves said says also would could may might must shall don doesn didn isn aren wasn weren
    hasn haven hadn won wouldn shouldn couldn mustn ll re ve d m o y""".split()
)
COMMON = 2000  # a word in this many passages or more is counted as in this many, and finds no candidates
RANKED = 1000  # passages at most that PostgreSQL ranks for one search: bounds the work of common words
STATISTICS_FROM = 50_000  # passages from which PostgreSQL's statistics say which words are common
LEXEME = re.compile(r"'((?:[^']|'')+)'")
MAX_TERMS = 24
FUZZY_LENGTH = 5
FUZZY_SIMILARITY = "0.5"


@dataclass(frozen=True)
class Match:
    passage_id: int
    rank: float  # the database's own rank: comparable within one search, not across databases
    terms: frozenset[int]  # which of the search's terms the passage holds (indexes into Search.terms)


@dataclass(frozen=True)
class Search:
    terms: tuple[str, ...]
    weights: tuple[float, ...]  # how rare each term is among all passages (inverse document frequency)
    matches: list[Match]  # best first by the database's rank


def terms(text: str) -> list[str]:
    """The words of `text` worth searching for, lower case, each once, in order; a hyphenated word is also
    searched for written as one ("fund-raising", "fundraising")."""
    found = []
    for word in re.findall(r"[^\W_]+(?:-[^\W_]+)+", text):
        found.append(word.replace("-", "").lower())
    found += [word.lower() for word in WORD.findall(text)]
    return list(dict.fromkeys(word for word in found if word not in STOPWORDS))[:MAX_TERMS]


def search(
    words: list[str],
    *,
    limit: int = 100,
    exclude_article_ids: Iterable[int] = (),
    exclude_passage_ids: Iterable[int] = (),
    articles: Iterable[int] | None = None,
    misspelt: bool = True,
) -> Search:
    """Passages of current articles holding any of `words` (as `terms` gives them), best first: two queries.
    With `misspelt`, PostgreSQL also looks for words close to one no passage holds: the trigram search
    that takes reads many passages (0.7 s over 900,000), worth it for a claim, not for a search box."""
    words = tuple(words)
    if not words:
        return Search((), (), [])
    connection = connections[router.db_for_read(Passage)]
    backend = _BACKENDS[connection.vendor]
    with connection.cursor() as cursor:
        total, counts = backend.counts(cursor, words)
        weights = tuple(math.log(1 + (total - n + 0.5) / (n + 0.5)) for n in counts)
        filters, params = _filters(exclude_article_ids, exclude_passage_ids, articles)
        # A word no passage holds may be misspelt: PostgreSQL looks for close ones (long enough to tell).
        unknown = [word for word, n in zip(words, counts, strict=True) if n == 0 and len(word) >= FUZZY_LENGTH]
        unknown = unknown if misspelt else []
        # Very common words would find most passages and rank none: the rarer ones pick the candidates.
        # When every word is common, passages holding them all come first, then those holding any.
        rare = [word for word, n in zip(words, counts, strict=True) if n < COMMON]
        rows = []
        for picking, joined_by in [(rare, "or")] if rare else [(words, "and"), (words, "or")]:
            rows = backend.candidates(cursor, words, picking, joined_by, filters, params, limit, fuzzy=unknown)
            if len(rows) >= limit:
                break
    matches = [
        Match(passage_id=row[0], rank=float(row[1] or 0), terms=frozenset(i for i, held in enumerate(row[2:]) if held))
        for row in rows
    ]
    return Search(words, weights, matches)


def _filters(exclude_article_ids, exclude_passage_ids, articles) -> tuple[str, list]:
    sql = [" AND NOT EXISTS (SELECT 1 FROM articles_article newer WHERE newer.previous_version_id = p.article_id)"]
    params: list = []
    for column, ids, negate in (
        ("p.article_id", exclude_article_ids, True),
        ("p.id", exclude_passage_ids, True),
        ("p.article_id", articles, False),
    ):
        if ids is None:
            continue
        ids = [int(pk) for pk in ids]
        if not ids and negate:
            continue
        if not ids:
            ids = [0]  # no article: nothing is found
        sql.append(f" AND {column} {'NOT IN' if negate else 'IN'} ({', '.join(['%s'] * len(ids))})")
        params += ids
    return "".join(sql), params


class _PostgreSQL:
    @staticmethod
    def counts(cursor, words) -> tuple[int, list[int]]:
        # Counting the passages of a common word reads its whole posting list: on a large table, the
        # words among the most common ones that ANALYZE keeps are counted from its statistics instead.
        lexemes = ", ".join(["to_tsvector('english', %s)::text"] * len(words))
        sql = (
            "SELECT (SELECT coalesce(max(id), 0) FROM articles_passage), s.most_common_elems::text::text[], "  # noqa: S608
            f"s.most_common_elem_freqs, {lexemes} FROM (SELECT 1) one LEFT JOIN pg_stats s "
            "ON s.schemaname = current_schema() AND s.tablename = 'articles_passage' AND s.attname = 'search'"
        )
        cursor.execute(sql, list(words))
        total, elements, frequencies, *lexemes = cursor.fetchone()
        common = {}
        if elements and total >= STATISTICS_FROM:
            frequency = dict(zip(elements, frequencies, strict=False))  # the frequencies end with three summaries
            for word, vector in zip(words, lexemes, strict=True):
                found = [frequency.get(lexeme, 0) for lexeme in LEXEME.findall(vector)]
                if found and min(found) * total >= COMMON:
                    common[word] = COMMON
        rest = [word for word in words if word not in common]
        if rest:
            capped = (
                "(SELECT count(*) FROM (SELECT 1 FROM articles_passage "
                "WHERE search @@ to_tsquery('english', %s) LIMIT %s) c)"
            )
            cursor.execute(
                "SELECT " + ", ".join([capped] * len(rest)),  # noqa: S608 - placeholders only
                [value for word in rest for value in (word, COMMON)],
            )
            common.update(zip(rest, cursor.fetchone(), strict=True))
        return max(total, 1), [common[word] for word in words]

    @staticmethod
    def candidates(cursor, words, picking, joined_by, filters, params, limit, fuzzy) -> list[tuple]:
        # Which words each passage holds, a misspelt one as a close trigram match of one of its words.
        held = ", ".join(
            "(o.search @@ to_tsquery('english', %s)" + (" OR %s <%% o.text)" if word in fuzzy else ")")
            for word in words
        )
        held_params = [value for word in words for value in ((word, word) if word in fuzzy else (word,))]
        found = "p.search @@ to_tsquery('english', %s)" + "".join(" OR %s <%% p.text" for _ in fuzzy)
        if fuzzy:  # the index answers `<%` for the session's threshold: one letter left out of eight passes
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [FUZZY_SIMILARITY])
        cursor.execute(
            f"SELECT o.id, ts_rank(o.search, to_tsquery('english', %s)), {held} "  # noqa: S608 - placeholders only
            f"FROM articles_passage o WHERE o.id IN (SELECT p.id FROM articles_passage p WHERE ({found}){filters} "
            "LIMIT %s) ORDER BY 2 DESC, o.id LIMIT %s",
            [" | ".join(words), *held_params, f" {'&' if joined_by == 'and' else '|'} ".join(picking), *fuzzy]
            + [*params, RANKED, limit],
        )
        return cursor.fetchall()


class _SQLite:
    @staticmethod
    def counts(cursor, words) -> tuple[int, list[int]]:
        capped = (
            "(SELECT count(*) FROM (SELECT 1 FROM articles_passage_fts WHERE articles_passage_fts MATCH %s LIMIT %s))"
        )
        cursor.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM articles_passage), "  # noqa: S608 - placeholders only
            + ", ".join([capped] * len(words)),
            [value for word in words for value in (_phrase(word), COMMON)],
        )
        total, *counts = cursor.fetchone()
        return max(total, 1), counts

    @staticmethod
    def candidates(cursor, words, picking, joined_by, filters, params, limit, fuzzy) -> list[tuple]:
        held = ", ".join(
            ["p.id IN (SELECT rowid FROM articles_passage_fts WHERE articles_passage_fts MATCH %s)"] * len(words)
        )
        cursor.execute(
            f"SELECT p.id, -bm25(articles_passage_fts), {held} "  # noqa: S608 - placeholders only
            "FROM articles_passage_fts JOIN articles_passage p ON p.id = articles_passage_fts.rowid "
            f"WHERE articles_passage_fts MATCH %s{filters} ORDER BY 2 DESC, p.id LIMIT %s",
            [*map(_phrase, words), f" {joined_by.upper()} ".join(map(_phrase, picking)), *params, limit],
        )
        return cursor.fetchall()


def _phrase(word: str) -> str:
    return f'"{word}"'  # words are letters and digits only (WORD): nothing in them to escape


_BACKENDS = {"postgresql": _PostgreSQL, "sqlite": _SQLite}
