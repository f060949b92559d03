import io
import json
import os
import sys
import threading
import types
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django_tasks import default_task_backend

from articles.importers import Limits, records
from articles.models import Passage
from articles.services import collect_files
from articles.text import split_passages
from claims import semantic
from claims.models import PassageEmbedding
from tests.conftest import SEEDS_DIR
from tests.factories import ArticleFactory

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


@pytest.fixture
def model():
    """The semantic extra, loaded (the suite runs with it: `dev` includes it)."""
    if not semantic.installed():
        pytest.skip("the [semantic] extra is not installed")
    return semantic._model()


@pytest.fixture
def without_semantic(monkeypatch):
    """The workbench as installed without the extra: the model's package cannot be imported."""
    monkeypatch.setattr(semantic, "MODEL_PACKAGE", "gt_no_such_model_package")
    semantic._load.cache_clear()
    yield
    semantic._load.cache_clear()


@pytest.fixture
def embedded(model, request, django_capture_on_commit_callbacks):
    """The seeds imported, their passages written and, once that commits, embedded by the (immediate) worker."""
    with django_capture_on_commit_callbacks(execute=True):
        return request.getfixturevalue("seeded")


def seed_passage(seeded, key: str, start: str) -> Passage:
    return Passage.objects.get(article=seeded[key], text__startswith=start)


def test_the_workbench_says_it_reads_meaning_when_the_extra_is_installed(model):
    assert semantic.mode() == "semantic"


def test_the_model_computes_with_the_threads_the_settings_give_it(model, settings):
    # One by default: each web worker and the background worker already has a core to keep busy.
    import torch

    assert settings.WORKBENCH_EMBEDDING_THREADS == 1
    assert torch.get_num_threads() == 1


def test_the_model_is_loaded_with_the_hub_switched_off(model):
    import huggingface_hub.constants

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"
    assert huggingface_hub.constants.HF_HUB_OFFLINE


def test_a_paraphrase_is_closer_to_what_it_paraphrases_than_to_another_sentence_of_the_story(model):
    detained = "over 100 gay men were detained and tortured"
    fundraiser = "Another raised more than $20,000 in five days."
    claim = "Police rounded up and abused about a hundred gay men."
    assert semantic.text_similarity(claim, detained) > semantic.text_similarity(claim, fundraiser) + 0.2
    assert semantic.text_similarity(claim, claim) == pytest.approx(1.0, abs=1e-5)


def test_a_query_s_embedding_is_kept_in_the_shared_cache_for_every_process(model, monkeypatch):
    text = "Police rounded up and abused about a hundred gay men."
    expected = semantic._vectors(model, [text])[0]
    semantic.forget()
    semantic.text_similarity(text, "Another sentence.")
    semantic.forget()  # another process: nothing in its own memory, the cache holds the vector

    def no_model(*args, **kwargs):
        raise AssertionError("the model was asked again")

    monkeypatch.setattr(model, "encode", no_model)
    assert np.allclose(semantic._vectors(model, [text], shared=True)[0], expected)
    semantic.forget(text)
    monkeypatch.undo()
    assert np.allclose(semantic._vectors(model, [text], shared=True)[0], expected, atol=1e-5)


def test_threads_embedding_at_once_each_get_their_own_texts_vectors(model):
    """Under gunicorn's threads several requests embed at once: each gets its texts' vectors, none fails."""
    texts = [f"Report number {n} on the flooded district." for n in range(8)]
    expected = {text: semantic._vectors(model, [text])[0] for text in texts}
    semantic.forget()
    got, failed = {}, []

    def embed(text):
        try:
            got[text] = semantic._vectors(model, [text, "A sentence all of them share."], shared=True)[0]
        except Exception as error:  # noqa: BLE001 - the test names it
            failed.append(error)

    threads = [threading.Thread(target=embed, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failed == [] and all(np.allclose(got[text], expected[text], atol=1e-5) for text in texts)


def test_passages_written_are_embedded_in_the_background_and_stored(embedded):
    stored = PassageEmbedding.objects.filter(model=semantic.MODEL_NAME)
    assert stored.count() == Passage.objects.count() > 100
    vector = np.frombuffer(stored.first().vector, dtype=np.float32)
    assert vector.shape == (384,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_writing_passages_only_enqueues_their_embedding_once_they_are_committed(
    model, settings, db, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks() as callbacks:
        article = ArticleFactory(body="One sentence here. Another one there.")
    assert not default_task_backend.results
    callbacks[0]()
    assert not PassageEmbedding.objects.exists()
    [queued] = default_task_backend.results
    assert queued.task.name == "embed_passages"
    assert queued.args == [[article.pk]]


def test_the_most_similar_passage_to_a_paraphrase_is_the_one_it_paraphrases(embedded):
    seeded = embedded
    candidates = list(Passage.objects.exclude(article=seeded["001"]).values_list("pk", flat=True))
    scores = semantic.similarities(
        "Kadyrov's spokesman said there was nobody to persecute because no gay people live in Chechnya.", candidates
    )
    assert max(scores, key=scores.get) == seed_passage(seeded, "002", "For instance, the spokesman").pk
    assert set(scores) == set(candidates)


def test_similarities_read_the_stored_embeddings(model, embedded):
    seeded = embedded
    passage = seed_passage(seeded, "003", "The woman’s name")
    query = "A sentence about something else entirely."
    PassageEmbedding.objects.filter(passage=passage).update(vector=semantic._vectors(model, [query])[0].tobytes())
    assert semantic.similarities(query, [passage.pk])[passage.pk] == pytest.approx(1.0, abs=1e-5)


def test_each_similarity_is_the_passages_own_with_the_text(embedded):
    passages = list(embedded["004"].passages.all()[:6])
    scores = semantic.similarities("three confirmed deaths", [passage.pk for passage in passages])
    for passage in passages:
        expected = semantic.text_similarity("three confirmed deaths", passage.text)
        assert scores[passage.pk] == pytest.approx(expected, abs=1e-4)
    assert len(set(round(score, 4) for score in scores.values())) == len(passages)


def test_passages_not_embedded_yet_are_left_to_the_worker_not_embedded_during_the_request(embedded):
    ids = list(embedded["003"].passages.values_list("pk", flat=True))
    PassageEmbedding.objects.filter(passage_id__in=ids[:3]).delete()
    assert set(semantic.similarities("men fled Chechnya", ids)) == set(ids[3:])
    assert not PassageEmbedding.objects.filter(passage_id__in=ids[:3]).exists()


def test_the_command_backfills_missing_embeddings_and_redoes_another_models(embedded):
    seeded = embedded
    PassageEmbedding.objects.filter(passage__article=seeded["000"]).delete()
    PassageEmbedding.objects.filter(passage__article=seeded["001"]).update(model="an-older-model")
    out = io.StringIO()
    call_command("embed_passages", stdout=out)
    count = seeded["000"].passages.count() + seeded["001"].passages.count()
    assert out.getvalue().strip() == f"Embedded {count} passages with all-MiniLM-L6-v2."
    assert PassageEmbedding.objects.filter(model=semantic.MODEL_NAME).count() == Passage.objects.count()


def test_older_versions_of_an_article_are_not_embedded(model, db):
    old = ArticleFactory(body="The first version says one thing.")
    new = ArticleFactory(body="The second version says another thing.")
    new.previous_version = old
    new.save()
    assert sum(semantic.embed_passages(articles=[old.pk, new.pk])) == 1
    assert list(PassageEmbedding.objects.values_list("passage__article", flat=True)) == [new.pk]


def test_without_the_extra_the_workbench_works_on_text_search_alone(
    without_semantic, seeded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        ArticleFactory(body="Men fled the region. They were helped.")
    assert callbacks == []
    assert semantic.mode() == "text"
    assert not semantic.installed()
    assert semantic.similarities("men fled", list(Passage.objects.values_list("pk", flat=True))) == {}
    assert semantic.text_similarity("men fled", "men escaped") is None
    assert not PassageEmbedding.objects.exists()
    with pytest.raises(CommandError, match="not installed"):
        call_command("embed_passages")


def test_a_model_that_fails_to_load_leaves_the_workbench_on_text_search(monkeypatch, caplog):
    broken = types.ModuleType("gt_broken_model")
    broken.load_model = lambda device: 1 / 0
    monkeypatch.setitem(sys.modules, "gt_broken_model", broken)
    monkeypatch.setattr(semantic, "MODEL_PACKAGE", "gt_broken_model")
    semantic._load.cache_clear()
    try:
        assert semantic.mode() == "text"
    finally:
        semantic._load.cache_clear()
    assert "did not load" in caplog.text
