"""Property tests of passages and the reader's blocks: their offsets always slice the body to their text."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.passages import ensure_passages
from articles.text import blocks, clean_article, split_passages

# Article text as imports leave it, from text with the sentence ends, abbreviations, quotes and breaks
# that splitting looks at; and any text at all.
PIECES = st.sampled_from(
    ["The mayor", " said", " Dr. Smith", " U.S.", " J. R.", " “quoted.”", " 3.5", " etc.", "!", "?", ".", "…",
     " ", "  ", "\n", "\n\n", "\t", "- ", "• ", "# ", "\u00a0", "e.g.", " (see p. 4).", "’"]
)  # fmt: skip
SHAPED = st.lists(PIECES | st.text(max_size=12), max_size=60).map("".join)
BODIES = SHAPED.map(lambda text: clean_article(text).body) | SHAPED | st.text()


@given(body=BODIES)
def test_every_passage_is_the_body_between_its_offsets(body):
    passages = split_passages(body)
    for start, end, text in passages:
        assert body[start:end] == text
        assert text and text == text.strip() and "\n" not in text
    ends = [0] + [end for _, end, _ in passages]
    starts = [start for start, _, _ in passages]
    assert all(before <= start for before, start in zip(ends, starts, strict=False)), "in order, never overlapping"


@given(body=BODIES)
def test_every_block_item_of_the_reader_is_the_body_at_its_offset(body):
    for _kind, items in blocks(body):
        for offset, text in items:
            assert body[offset : offset + len(text)] == text


@settings(
    max_examples=max(10, settings.default.max_examples // 5),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=SHAPED)
@pytest.mark.django_db
def test_stored_passages_slice_the_stored_body_to_their_text(text):
    # Each example writes an article of its own, so the examples share the test's database safely.
    body = clean_article(text).body
    article = Article.objects.create(title="Report", body=body, raw=text.encode(), content_hash=uuid.uuid4().hex)
    ensure_passages([article])
    stored = Article.objects.get(pk=article.pk)
    rows = list(stored.passages.order_by("index").values_list("start", "end", "text"))
    assert rows == split_passages(body)
    assert all(stored.body[start:end] == text for start, end, text in rows)
