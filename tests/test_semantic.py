import json
from pathlib import Path

from articles.importers import Limits, records
from articles.services import collect_files
from articles.text import split_passages
from tests.conftest import SEEDS_DIR

LABELLED = Path(__file__).resolve().parent.parent / "benchmarks" / "suggestions" / "labelled.json"


def seed_passages() -> dict[str, set[str]]:
    """Each seed's passages as an import cuts them: the importer's body, split as the workbench splits it."""
    drafts = records(collect_files([SEEDS_DIR]), limits=Limits())
    return {Path(draft.origin_file).name: {text for _, _, text in split_passages(draft.body)} for draft in drafts}


def test_every_passage_the_labelled_set_names_is_a_passage_of_its_seed():
    labelled = json.loads(LABELLED.read_text(encoding="utf-8"))
    passages = seed_passages()
    assert len(labelled["claims"]) >= 24
    for claim in labelled["claims"]:
        assert claim["quote"] in passages[claim["seed"]], claim["id"]
        assert claim["claim"] not in passages[claim["seed"]], f"{claim['id']} copies its article"
        assert claim["passages"], claim["id"]
        for passage in claim["passages"] + claim.get("conflicts", []):
            assert passage["seed"] != claim["seed"], f"{claim['id']} is corroborated by another seed only"
            assert passage["text"] in passages[passage["seed"]], f"{claim['id']}: {passage['text'][:60]}"
