"""Extraction quality on real news pages: title, publication date and publisher right, and bodies with
page furniture (share, related, newsletter, paywall blocks) left in them.

benchmarks/real_pages/ holds 47 saved article pages from public HTML-extraction test corpora (their
origins and licences in its README) and what each page says, read from the page by hand
(expected.json): its headline, its publication date with the time of day and zone where the page gives
them, its publisher, sentences the body must keep and furniture it must not. Every page goes through the
importer as an upload would (`articles.importers.records`: detection, limits, extraction, cleaning).
Targets: title and date right for at least 95% of the pages, at most 10% of bodies with furniture left;
the e-mail and the feeds in not_articles/ are rejected, saying what they are.

    .venv/bin/python benchmarks/extraction_quality.py [--verbose]

Parsing only: no database is touched. tests/test_extraction_quality.py asserts the same targets.
"""

import argparse
import gzip
import json
import os
import re
import sys
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from articles.importers import Limits, Rejected, Source, records  # noqa: E402

PAGES = ROOT / "benchmarks" / "real_pages"
TARGETS = {"title": 0.95, "date": 0.95, "boilerplate": 0.10}
NOT_ARTICLES = {
    "press-release.eml": "this is an e-mail message (RFC 822)",
    "feed.rss": "this is an RSS feed",
    "feed.atom": "this is an Atom feed",
}
QUOTES = str.maketrans({"’": "'", "‘": "'", "′": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def expected_pages() -> list[dict]:
    return json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))["pages"]


def imported(path: Path):
    """The page as the importer makes it: an ArticleDraft, or the Rejected saying why not."""
    data = path.read_bytes()
    name = path.name
    if name.endswith(".gz"):
        data, name = gzip.decompress(data), name.removesuffix(".gz")
    [result] = records([Source.from_bytes(name, data)], limits=Limits.from_settings())
    return result


def same_text(found: str, wanted: list[str]) -> bool:
    return _plain(found) in {_plain(text) for text in wanted}


def same_date(found: datetime | None, wanted: str | None) -> bool:
    """Right to the second: the instant when the page gives a zone, the wall time when it gives none,
    the day when it gives only a day."""
    if found is None or wanted is None:
        return found is None and wanted is None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", wanted):
        return found.date() == date.fromisoformat(wanted)
    expected = datetime.fromisoformat(wanted)
    if expected.tzinfo is None:
        found = found.astimezone(UTC).replace(tzinfo=None)
    return found.replace(microsecond=0) == expected.replace(microsecond=0)


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(QUOTES).casefold().split())


def measure(*, verbose: bool = False) -> dict:
    """Each measure's share of the pages, and what went wrong where."""
    counts = {"title": 0, "date": 0, "publisher": 0, "boilerplate": 0, "text kept": 0}
    problems = []
    pages = expected_pages()
    for page in pages:
        result = imported(PAGES / page["file"])
        if isinstance(result, Rejected):
            problems.append(f"{page['file']}: rejected ({result.error})")
            continue
        checks = {
            "title": same_text(result.title, [page["title"], *page["other_titles"]]),
            "date": same_date(result.published_at, page["published"]),
            "publisher": same_text(result.publisher, [page["publisher"], *page["other_publishers"]]),
            "text kept": all(_plain(text) in _plain(result.body) for text in page["body_has"]),
        }
        left = [text for text in page["boilerplate"] if _plain(text) in _plain(result.body)]
        counts["boilerplate"] += bool(left)
        for name, right in checks.items():
            counts[name] += right
        wrong = [name for name, right in checks.items() if not right] + (["boilerplate"] if left else [])
        if wrong:
            problems.append(
                f"{page['file']}: {', '.join(wrong)} (title {result.title!r}, date "
                f"{result.published_at and result.published_at.isoformat()}, publisher {result.publisher!r}"
                + (f", left {left}" if left else "")
                + ")"
            )
    rejections = {}
    for name, wanted in NOT_ARTICLES.items():
        result = imported(PAGES / "not_articles" / name)
        rejections[name] = isinstance(result, Rejected) and result.error.startswith(wanted)
        if not rejections[name]:
            problems.append(f"not_articles/{name}: not rejected as {wanted!r}")
    if verbose:
        for problem in problems:
            print("  " + problem)
    return {"pages": len(pages), **{name: count / len(pages) for name, count in counts.items()}} | {
        "rejections": rejections,
        "problems": problems,
    }


def missed(results: dict) -> list[str]:
    misses = [name for name in ("title", "date") if results[name] < TARGETS[name]]
    if results["boilerplate"] > TARGETS["boilerplate"]:
        misses.append("boilerplate")
    return misses + [name for name, right in results["rejections"].items() if not right]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="say what is wrong on each page")
    results = measure(verbose=parser.parse_args().verbose)
    print(f"== extraction quality on {results['pages']} real pages")
    print(f"title right       {results['title']:.2f}  (target ≥ {TARGETS['title']})")
    print(f"date right        {results['date']:.2f}  (target ≥ {TARGETS['date']}; with time and zone where given)")
    print(f"publisher right   {results['publisher']:.2f}")
    print(f"main text kept    {results['text kept']:.2f}")
    print(f"boilerplate left  {results['boilerplate']:.2f}  (target ≤ {TARGETS['boilerplate']})")
    for name, right in results["rejections"].items():
        print(f"{name:<17} {'rejected, saying what it is' if right else 'NOT rejected as what it is'}")
    misses = missed(results)
    if misses:
        print("missed: " + ", ".join(misses))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
