"""A deterministic corpus of realistic articles for benchmarks: the seeds' sentences, reshuffled.

Two shapes: articles of about 3 KB each (the import benchmark's JSONL file), or varied ones as a newsroom
holds them (`varied=True`, what `generate_corpus` puts in the database): mostly 1-12 KB, one in
LONG_EVERY long, and some of unknown publisher.
"""

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from articles.importers.base import build_draft
from articles.text import split_passages

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PUBLISHERS = [
    "Metro Daily",
    "The Evening Wire",
    "Northern Ledger",
    "Capital Courier",
    "Harbour Times",
    "Valley Post",
    "The Observer Desk",
    "Coastal Herald",
    "City Bulletin",
    "Plains Gazette",
    "Riverside Record",
    "Summit News",
]
ARTICLE_CHARS = 3000
LONG_EVERY = 50  # in a varied corpus the first article and every 50th after it is long: 24-64 KB
LONG_CHARS = (24_000, 64_000)
SHORT_CHARS = (1_000, 12_000, 3_000)  # low, high, most common
UNKNOWN_PUBLISHER = 0.05  # share of a varied corpus's articles that name no publisher
START = datetime(2017, 4, 1, 8, tzinfo=UTC)


def _sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text(encoding="utf-8")
        record = json.loads(text) if text.lstrip().startswith("{") else {"text": text}
        draft = build_draft(
            text=record["text"], title=record.get("title", ""), raw=b"", origin_file="", origin_record=1
        )
        sentences.extend(s for _, _, s in split_passages(draft.body) if len(s.split()) > 5)
    return sentences


def article_lengths(count: int, *, seed: int = 2017) -> list[int]:
    """How long each article of a varied corpus is meant to be, in characters: known before any is written,
    so that a plan can put the most claims on the long ones."""
    rng = random.Random(f"lengths-{seed}")  # noqa: S311 - repeatable test data, not secrets
    lengths = [
        rng.randint(*LONG_CHARS) if number % LONG_EVERY == 0 else int(rng.triangular(*SHORT_CHARS))
        for number in range(count)
    ]
    # The first two are as long as each other: a benchmark can then compare pages of the same length of text
    # with many and with few claims on it.
    return lengths[:1] * min(count, 2) + lengths[2:]


def articles(
    count: int,
    *,
    seed: int = 2017,
    varied: bool = False,
    start: datetime = START,
    every: timedelta = timedelta(minutes=37),
) -> Iterator[dict]:
    """`count` articles, published `every` apart from `start`, the same for the same seed, each with a unique
    text: of about 3 KB, or of the lengths `article_lengths` gives when varied."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    pool = _sentences()
    lengths = article_lengths(count, seed=seed) if varied else [ARTICLE_CHARS] * count
    for number, target in enumerate(lengths, 1):
        paragraphs, length = [], 0
        while length < target:
            paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        publisher = rng.choice(PUBLISHERS)
        if varied and rng.random() < UNKNOWN_PUBLISHER:
            publisher = ""
        site = publisher.lower().replace(" ", "") or f"news{number % 9}"
        yield {
            "title": f"{rng.choice(pool)[:90].rstrip(' ,;:')} ({number})",
            "url": f"https://{site}.example/news/{number}",
            "publisher": publisher,
            "published": (start + every * number).isoformat(),
            "text": f"Corpus article {number}.\n\n" + "\n\n".join(paragraphs),
        }


def write_jsonl(path: Path, count: int, *, seed: int = 2017) -> int:
    with path.open("w", encoding="utf-8") as out:
        for article in articles(count, seed=seed):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path.stat().st_size
