"""Passages: sentence spans whose offsets slice the body back to their text."""

import pytest

from articles.models import Passage
from articles.text import split_passages


def test_passage_offsets_slice_the_body_for_every_seed(seeded):
    for article in seeded.values():
        passages = list(article.passages.all())
        assert len(passages) > 5
        for passage in passages:
            assert article.body[passage.start : passage.end] == passage.text


def test_passages_cover_the_whole_body_in_order(seeded):
    for article in seeded.values():
        joined = " ".join(p.text for p in article.passages.all())
        assert " ".join(joined.split()) == " ".join(article.body.split())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The U.S. Army left. Then it rained.", ["The U.S. Army left.", "Then it rained."]),
        ("Dr. Smith met Mr. Jones in St. Louis. They talked.", ["Dr. Smith met Mr. Jones in St. Louis.", "They talked."]),
        ('He said "no evidence." Then he left.', ['He said "no evidence."', "Then he left."]),
        ("“It is dangerous,” she said. “We know.”", ["“It is dangerous,” she said.", "“We know.”"]),
        ("Scared … were they? Yes! It was 5.5 percent.", ["Scared … were they?", "Yes!", "It was 5.5 percent."]),
        ("A line without a stop\nNext line.", ["A line without a stop", "Next line."]),
    ],
)
def test_sentences_split_where_a_reader_would(text, expected):
    assert [span[2] for span in split_passages(text)] == expected


def test_passages_are_stored_with_the_article_in_order(seeded):
    article = seeded["004"]
    indexes = list(Passage.objects.filter(article=article).values_list("index", flat=True))
    assert indexes == list(range(len(indexes)))
