"""Pages: login everywhere, the article list, the reader with its provenance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ArticleFactory, ClaimFactory


@pytest.fixture
def article(db):
    return ArticleFactory(title="Council passes budget", body="First paragraph.\n\n• one\n• two\n\nLast one.")


@pytest.mark.parametrize("name", ["articles:list", "articles:detail", "articles:raw", "home"])
def test_every_page_sends_an_anonymous_visitor_to_login(client, article, name):
    url = reverse(name, args=[article.pk] if name in ("articles:detail", "articles:raw") else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_logs_an_editor_in(client, editor):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b'name="password"' in page.content
    response = client.post(reverse("login"), {"username": editor.username, "password": "correct horse battery staple"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_wrong_password_shows_an_error(client, editor):
    response = client.post(reverse("login"), {"username": editor.username, "password": "nope"})
    assert b"Please enter a correct username and password" in response.content


def test_logout_is_a_post_and_ends_the_session(editor_client):
    assert editor_client.get(reverse("logout")).status_code == 405
    editor_client.post(reverse("logout"))
    assert editor_client.get(reverse("articles:list")).status_code == 302


def test_the_list_shows_title_publisher_date_and_claim_count(editor_client, seeded):
    response = editor_client.get(reverse("articles:list"))
    content = response.content.decode()
    assert "5 articles" in content
    assert "Facebook Groups Raise Over $100,000 to Help Gay Men in Chechnya" in content
    assert "NBC News" in content and "28 Apr 2017" in content
    assert "inferred title" in content


def test_the_list_searches_titles(editor_client, seeded):
    content = editor_client.get(reverse("articles:list"), {"q": "rainbow railroad"}).content.decode()
    assert "1 article matching" in content
    assert "Rainbow Railroad’ Is Helping" in content and "Facebook Groups" not in content


def test_the_list_paginates_and_keeps_the_search(editor_client, settings, db):
    settings.WORKBENCH_ARTICLES_PER_PAGE = 2
    for n in range(5):
        ArticleFactory(title=f"Budget story {n}")
    content = editor_client.get(reverse("articles:list"), {"q": "budget"}).content.decode()
    assert "Page 1 of 3" in content and "?q=budget&amp;page=2" in content


def test_the_list_runs_a_constant_number_of_queries(editor_client, db, django_assert_max_num_queries):
    for _ in range(30):
        ArticleFactory()
    with django_assert_max_num_queries(5):  # session, user, count, page, its claim counts
        editor_client.get(reverse("articles:list"))


def test_the_reader_renders_paragraphs_lists_and_provenance(editor_client, seeded):
    article = seeded["004"]
    content = editor_client.get(article.get_absolute_url()).content.decode()
    assert '<p data-start="0">A Canadian charity ‘Rainbow Railroad’ helping gay men' in content
    assert "legal assistance.</li>" in content
    assert article.content_hash in content
    assert "seeds/004_8a22aefb1f4567f5.txt, record 1" in content
    assert "The Rainbow Railroad</h2>" in content
    assert "QN Magazine" in content


def test_the_reader_escapes_imported_text(editor_client, db):
    article = ArticleFactory(title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)> text.")
    content = editor_client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content and "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_the_raw_input_downloads_byte_for_byte(editor_client, seeded):
    response = editor_client.get(reverse("articles:raw", args=[seeded["001"].pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == bytes(seeded["001"].raw)


def test_an_unknown_article_is_404(editor_client):
    assert editor_client.get(reverse("articles:detail", args=[999999])).status_code == 404


def test_every_reader_block_holds_exactly_its_slice_of_the_body(editor_client, seeded):
    """The browser turns a selection into offsets by trusting this; stray markup would shift every claim."""
    import re
    from html import unescape

    article = seeded["004"]
    content = editor_client.get(article.get_absolute_url()).content.decode()
    blocks = re.findall(r'<(?:p|h2|li) data-start="(\d+)">(.*?)</(?:p|h2|li)>', content, re.S)
    assert len(blocks) > 20
    for start, inner in blocks:
        text = unescape(re.sub(r"<[^>]+>", "", inner))
        assert article.body[int(start) : int(start) + len(text)] == text


def test_the_reader_shows_the_import_batch_and_metadata_edits(editor_client, seeded, admin_user):
    article = seeded["003"]
    article.publisher, article._history_user = "Gay Star News", admin_user
    article.save()
    content = editor_client.get(article.get_absolute_url()).content.decode()
    assert f"#{article.import_batch_id} via command: 5 imported, 0 duplicates, 0 rejected, from 5 files" in content
    assert "admin-user changed publisher" in content
    assert "<del>—</del></td><td><ins>Gay Star News</ins>" in content


def test_the_article_list_counts_claims_only_for_the_articles_it_shows(editor_client, editor):
    shown = ArticleFactory()
    ClaimFactory(article=shown, created_by=editor)
    ClaimFactory(article=shown, created_by=editor)
    with CaptureQueriesContext(connection) as captured:
        response = editor_client.get(reverse("articles:list"), {"q": shown.title})
    assert [article.claim_count for article in response.context["page"]] == [2]
    grouped = [query["sql"] for query in captured if "GROUP BY" in query["sql"]]
    assert grouped and all(" IN (" in sql for sql in grouped)  # the page's articles only
