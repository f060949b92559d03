from django.urls import path

from articles import views

# The reader, /articles/<id>/ named "articles:detail", is claims' tagging UI: `workbench/urls.py` adds it
# to these patterns under the same namespace.
app_name = "articles"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/raw", views.article_raw, name="raw"),
    path("choices/", views.article_choices, name="choices"),
]
