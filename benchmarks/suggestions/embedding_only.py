"""Embedding alone on the labelled set: passage-level recall@5 and MRR of the semantic model, no text search.

Each claim is matched against every passage of the other four seeds (as an import cuts them), by cosine
similarity of embeddings only: the figure the re-ranking starts from, and how packaged models were compared
(README, "Meaning: semantic re-ranking"). Two queries per claim: the editor's wording alone, and the tagged
quote with the wording, as `suggestions_for_claim` reads a claim.

    .venv/bin/python benchmarks/suggestions/embedding_only.py

Needs the [semantic] extra; no database.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from articles.importers import Limits, records  # noqa: E402
from articles.services import collect_files  # noqa: E402
from articles.text import split_passages  # noqa: E402
from claims import semantic  # noqa: E402

LABELLED = json.loads((Path(__file__).with_name("labelled.json")).read_text(encoding="utf-8"))


def main() -> None:
    model = semantic._model()
    if model is None:
        sys.exit("The [semantic] extra is not installed.")
    passages = [
        (Path(draft.origin_file).name, text)
        for draft in records(collect_files([ROOT / "seeds"]), limits=Limits())
        for _, _, text in split_passages(draft.body)
    ]
    vectors = semantic._vectors(model, [text for _, text in passages])
    for query in ("wording", "quote + wording"):
        recalls, reciprocal_ranks = [], []
        for claim in LABELLED["claims"]:
            text = claim["claim"] if query == "wording" else f"{claim['quote']} {claim['claim']}"
            scores = vectors @ semantic._vectors(model, [text])[0]
            ranked = [passages[i] for i in np.argsort(-scores) if passages[i][0] != claim["seed"]]
            wanted = {(p["seed"], p["text"]) for p in claim["passages"]}
            recalls.append(len(wanted & set(ranked[:5])) / len(wanted))
            first = next(rank for rank, passage in enumerate(ranked, 1) if passage in wanted)
            reciprocal_ranks.append(1 / first)
        print(
            f"{semantic.MODEL_NAME}, {query}: recall@5 {np.mean(recalls):.3f}, MRR {np.mean(reciprocal_ranks):.3f}"
            f" ({len(recalls)} claims)"
        )


if __name__ == "__main__":
    main()
