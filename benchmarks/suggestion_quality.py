"""Suggestion quality on the labelled set: passage-level recall@5 and MRR, for text search alone and
with semantic re-ranking (when the semantic extra is installed).

benchmarks/suggestions/labelled.json holds claims written in our own words over the seed articles,
each with the passages of the other seeds that corroborate it. Each claim is asked for as the claim
page asks (`suggestions_for_claim`: the tagged quote and the editor's wording) and, harder, by its
wording alone (`suggest` on the paraphrase, its own seed left out).
Targets: recall@5 at least 0.6 on text search alone, at least 0.85 with re-ranking (claim page).

    .venv/bin/python benchmarks/suggestion_quality.py [--verbose]

It uses a throwaway SQLite database unless DATABASE_URL is set (then that database is used and emptied).
"""

import argparse
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
# The jobs an import enqueues (passages, their embeddings) run at once, as a worker would run them right after.
os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.services import collect_files, import_sources  # noqa: E402
from claims import suggestions  # noqa: E402
from claims.models import Claim  # noqa: E402

LABELLED = ROOT / "benchmarks" / "suggestions" / "labelled.json"
TARGETS = {"text": 0.6, "semantic": 0.85}
K = 5


def seeded() -> dict[str, Article]:
    # Emptied with its ids started again: the search weighs words by the passages' highest id (a count
    # that reads no rows), which passages deleted by an earlier run would inflate.
    call_command("flush", interactive=False, verbosity=0)
    report = import_sources(sources=collect_files([ROOT / "seeds"]), user=None)
    if suggestions.semantic:  # what the background worker does after an import: embed the new passages
        for _ in suggestions.semantic.embed_passages():
            pass
    return {Path(item["file"]).name: Article.objects.get(pk=item["article_id"]) for item in report.imported}


def evaluate(claims: list[dict], seeds: dict[str, Article], *, ask, verbose: bool) -> tuple[float, float]:
    recalls, reciprocal_ranks = [], []
    for labelled in claims:
        relevant = {(seeds[p["seed"]].pk, p["text"]) for p in labelled["passages"]}
        found = [(s.passage.article_id, s.passage.text) for s in ask(labelled, seeds[labelled["seed"]])]
        recalls.append(len(relevant & set(found[:K])) / len(relevant))
        rank = next((n for n, item in enumerate(found, 1) if item in relevant), None)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if verbose:
            print(f"  {labelled['id']}: recall@{K} {recalls[-1]:.2f}, first relevant at {rank}")
    return sum(recalls) / len(recalls), sum(reciprocal_ranks) / len(reciprocal_ranks)


def as_the_claim_page_asks(labelled: dict, article: Article) -> list:
    start = article.body.index(labelled["quote"])
    editor, _ = User.objects.get_or_create(username="suggestion-quality")
    claim = Claim(article=article, quote=labelled["quote"], wording=labelled["claim"], start=start, created_by=editor)
    claim.end = start + len(claim.quote)
    claim.save()
    try:
        return suggestions.suggestions_for_claim(claim, limit=20)
    finally:
        claim.delete()


def by_wording_alone(labelled: dict, article: Article) -> list:
    return suggestions.suggest(labelled["claim"], exclude_article_ids=[article.pk], limit=20)


@contextlib.contextmanager
def text_search_alone():
    """Suggestions as they are without the semantic extra: no similarity is known."""
    kept = suggestions._meaning, suggestions.semantic.mode
    suggestions._meaning, suggestions.semantic.mode = (lambda texts, passage_ids: {}), (lambda: "text")
    try:
        yield
    finally:
        suggestions._meaning, suggestions.semantic.mode = kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true")
    verbose = parser.parse_args().verbose
    call_command("migrate", verbosity=0)
    seeds = seeded()
    claims = json.loads(LABELLED.read_text())["claims"]
    mode = suggestions.semantic.mode()
    print(
        f"labelled set: {len(claims)} claims, {sum(len(c['passages']) for c in claims)} passages; "
        f"database: {django.db.connection.vendor}; mode: {mode}"
    )
    modes = ["text"] + (["semantic"] if mode == "semantic" else [])
    missed = False
    for current in modes:
        with text_search_alone() if current == "text" else contextlib.nullcontext():
            for name, ask in (
                ("claim page (quote and wording)", as_the_claim_page_asks),
                ("wording alone", by_wording_alone),
            ):
                recall, mrr = evaluate(claims, seeds, ask=ask, verbose=verbose)
                target = TARGETS[current]
                verdict = (
                    ("OK" if recall >= target else "UNDER TARGET") if ask is as_the_claim_page_asks else "(no target)"
                )
                missed |= verdict == "UNDER TARGET"
                print(
                    f"{current:8} {name:32} recall@{K} {recall:.2f}  MRR {mrr:.2f}  target recall@{K} >= {target} {verdict}"
                )
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
