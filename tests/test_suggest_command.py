"""manage.py suggest_sources: the suggestions for a statement, as JSON or as lines."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article


def run(*args: str) -> str:
    out = StringIO()
    call_command("suggest_sources", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_prints_the_json_list_best_first_with_offsets_into_each_body(seeded):
    own = seeded["000"]
    found = json.loads(
        run("--text", "three confirmed deaths", "--exclude-article", str(own.pk), "--limit", "4", "--json")
    )
    assert 1 <= len(found) <= 4
    assert [item["score"] for item in found] == sorted((item["score"] for item in found), reverse=True)
    for item in found:
        assert set(item) == {"article", "start", "end", "quote", "score", "stance_hint"}
        assert set(item["article"]) == {"id", "title", "url", "origin"}
        article = Article.objects.get(pk=item["article"]["id"])
        assert item["article"]["origin"] == article.origin_file and item["article"]["origin"].startswith("seeds/")
        assert (item["article"]["title"], item["article"]["url"]) == (article.title, article.url)
        assert article.body[item["start"] : item["end"]] == item["quote"]
        assert item["stance_hint"] in {"supports", "contradicts", "unclear"}
        assert item["article"]["id"] != own.pk
    assert "three" in found[0]["quote"]


def test_it_lists_lines_of_text_without_json(seeded):
    out = run("--text", "Rainbow Railroad helped LGBTI people reach safety", "--limit", "2")
    assert out.startswith("1. ") and "\n2. " in out and "Rainbow Railroad" in out


def test_it_prints_an_empty_list_when_nothing_matches(seeded):
    assert json.loads(run("--text", "zzzz qqqq", "--json")) == []


def test_it_refuses_an_empty_text(db):
    with pytest.raises(CommandError, match="empty"):
        run("--text", "  ")
