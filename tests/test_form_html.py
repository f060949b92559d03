"""Busy pages keep a form's HTML when it cannot differ (workbench/templatetags/form_html.py): what they show
must be what rendering it afresh would show, errors and edited titles included."""

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from claims.filters import ClaimFilter
from claims.forms import ExternalLinkForm
from claims.models import Claim, Tag
from tests.factories import ArticleFactory, ClaimFactory
from workbench.templatetags.form_html import blank_form_fields, filter_form

QUERIES = ["", "status=verified&sort=-created", "q=aid+convoy&created_after=2026-01-01&created_before=2026-02-01"]


def fresh(query: str, open_=True) -> str:
    form = ClaimFilter(QueryDict(query), queryset=Claim.objects.all()).form
    return render_to_string("partials/filters.html", {"form": form, "open": open_, "clear_url": "/claims/"})


def kept(query: str, open_=True) -> str:
    return filter_form(ClaimFilter(QueryDict(query), queryset=Claim.objects.all()).form, open_, "/claims/")


def test_a_kept_filter_box_is_the_box_rendered_afresh(db):
    for query in QUERIES:
        assert kept(query) == kept(query) == fresh(query)
        assert kept(query, open_=False) == fresh(query, open_=False)
    assert kept("status=open") != kept("status=verified")


def test_a_filter_box_in_error_is_rendered_each_time(editor_client, db):
    page = editor_client.get(reverse("claims:list"), {"tag": "later"}).content.decode()
    assert "Select a valid choice" in page
    Tag.objects.create(name="later")
    assert "Select a valid choice" not in editor_client.get(reverse("claims:list"), {"tag": "later"}).content.decode()


def test_the_filter_box_names_a_chosen_article_as_it_is_titled_now(editor_client, editor):
    claim = ClaimFactory(created_by=editor, article=ArticleFactory(title="Budget vote delayed", publisher="Gazette"))
    assert (
        "Budget vote delayed"
        in editor_client.get(reverse("claims:list"), {"article": claim.article_id}).content.decode()
    )
    claim.article.title = "Budget vote put off"
    claim.article.save()
    page = editor_client.get(reverse("claims:list"), {"article": claim.article_id}).content.decode()
    assert "Budget vote put off (Gazette)" in page and "Budget vote delayed" not in page.split("Filters")[1][:3000]


def test_a_blank_form_is_kept_and_a_filled_one_is_not(db):
    blank = render_to_string("partials/form_fields.html", {"form": ExternalLinkForm()})
    assert blank_form_fields(ExternalLinkForm()) == blank_form_fields(ExternalLinkForm()) == blank
    filled = ExternalLinkForm({"url": "not a url", "stance": "supports"})
    assert "Enter a valid URL." in blank_form_fields(filled) and blank_form_fields(filled) != blank
