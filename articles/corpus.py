"""A deterministic corpus of realistic articles for benchmarks: the seeds' sentences, reshuffled."""

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


def articles(count: int, *, seed: int = 2017) -> Iterator[dict]:
    """`count` articles of about 3 KB, the same for the same seed, each with a unique text."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    pool = _sentences()
    start = datetime(2017, 4, 1, 8, tzinfo=UTC)
    for number in range(1, count + 1):
        paragraphs, length = [], 0
        while length < ARTICLE_CHARS:
            paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        publisher = rng.choice(PUBLISHERS)
        yield {
            "title": f"{rng.choice(pool)[:90].rstrip(' ,;:')} ({number})",
            "url": f"https://{publisher.lower().replace(' ', '')}.example/news/{number}",
            "publisher": publisher,
            "published": (start + timedelta(minutes=37 * number)).isoformat(),
            "text": f"Corpus article {number}.\n\n" + "\n\n".join(paragraphs),
        }


def write_jsonl(path: Path, count: int, *, seed: int = 2017) -> int:
    with path.open("w", encoding="utf-8") as out:
        for article in articles(count, seed=seed):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path.stat().st_size
