"""Stories: named groups of articles on one story, and the matrix of their claims against their outlets."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from claims import permissions, services, stories
from claims.exports.csv import Echo, spreadsheet_safe
from claims.forms import StoryArticleForm, StoryForm
from claims.models import Story
from workbench.pages import Paginator

STORIES_PER_PAGE = 25
# Each row asks the suggestions once (about seven queries since the search reads texts and embeddings apart):
# a page of ten keeps the page to some eighty queries, the same whatever the story's size.
ROWS_PER_PAGE = 10


@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    return _list(request, StoryForm())


def _list(request: HttpRequest, form: StoryForm, *, status: int = 200) -> HttpResponse:
    page = Paginator(Story.objects.select_related("created_by"), STORIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "can_create": permissions.can_create_story(request.user)}
    return render(request, "claims/stories.html", context, status=status)


@require_POST
def story_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_story(request.user):
        raise PermissionDenied
    form = StoryForm(request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    first = form.cleaned_data.get("article")
    story = services.story_save(story=form.save(commit=False), user=request.user, articles=[first] if first else [])
    messages.success(request, f"Story “{story.name}” created.")
    return redirect(story)


def _get_story(pk: int) -> Story:
    return get_object_or_404(Story.objects.select_related("created_by"), pk=pk)


def _detail(request: HttpRequest, story: Story, *, status: int = 200, **forms) -> HttpResponse:
    columns = stories.outlets(story)
    page = Paginator(stories.story_claims(story), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    can_edit = permissions.can_edit_story(request.user)
    context = {
        "story": story,
        "outlets": columns,
        "articles": story.articles.only("pk", "title", "publisher", "published_at").order_by("publisher", "pk"),
        "page": page,
        "rows": stories.rows(list(page.object_list), columns),
        "legend": list(stories.KINDS.values()),
        "like_these": stories.articles_like(story) if request.GET.get("like") == "1" and can_edit else None,
        "can_edit": can_edit,
        "can_delete": permissions.can_delete_story(request.user),
        "edit_form": forms.get("edit_form") or StoryForm(instance=story),
        "article_form": forms.get("article_form") or StoryArticleForm(),
    }
    return render(request, "claims/story.html", context, status=status)


@require_GET
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_story(pk))


@require_POST
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _get_story(pk)
    if not permissions.can_edit_story(request.user):
        raise PermissionDenied
    form = StoryForm(request.POST, instance=story)
    if not form.is_valid():
        return _detail(request, _get_story(pk), edit_form=form, status=400)
    services.story_save(story=form.save(commit=False), user=request.user)
    messages.success(request, "Story saved.")
    return redirect(story)


@require_POST
def story_add_article(request: HttpRequest, pk: int) -> HttpResponse:
    story = _get_story(pk)
    if not permissions.can_edit_story(request.user):
        raise PermissionDenied
    form = StoryArticleForm(request.POST)
    if not form.is_valid():
        return _detail(request, story, article_form=form, status=400)
    article = form.cleaned_data["article"]
    added = services.story_add_articles(story=story, user=request.user, articles=[article])
    messages.success(request, f"Added “{article.title}”." if added else f"“{article.title}” was in the story already.")
    return redirect(story)


@require_POST
def story_remove_article(request: HttpRequest, pk: int, article_pk: int) -> HttpResponse:
    story = _get_story(pk)
    article = get_object_or_404(Article.objects.only("pk", "title"), pk=article_pk)
    services.story_remove_article(story=story, user=request.user, article=article)
    messages.success(request, f"Removed “{article.title}” from the story; the article and its claims stay.")
    return redirect(story)


@require_POST
def story_delete(request: HttpRequest, pk: int) -> HttpResponse:
    story = _get_story(pk)
    services.story_delete(story=story, user=request.user)
    messages.success(request, f"Story “{story.name}” deleted. Its articles and claims stay.")
    return redirect("claims:stories")


@require_GET
def story_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The whole matrix, streamed: every claim of the story, not only a page."""
    story = _get_story(pk)
    writer = csv.writer(Echo(), lineterminator="\r\n")
    lines = (writer.writerow([spreadsheet_safe(value) for value in row]) for row in stories.csv_rows(story))
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    name = f"story-{story.pk}-{slugify(story.name)[:60] or 'matrix'}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _with_bom(lines):
    yield "\ufeff"  # so that spreadsheets open it as UTF-8, as the claim export does
    yield from lines
