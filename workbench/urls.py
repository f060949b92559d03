from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from articles import urls as article_urls
from claims import search_views
from claims import urls as claim_urls
from workbench import views as workbench_views

# /articles/ is one namespace served by two apps: articles' own pages (the list, the raw input) and the
# reader, which is claims' tagging UI. Joining them here keeps `articles:detail` for every link to an
# article while articles never imports claims.
article_pages = ([*article_urls.urlpatterns, *claim_urls.reader_urlpatterns], article_urls.app_name)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="articles:list"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("articles/", include(article_pages)),
    path("claims/", include("claims.urls")),
    path("search/", search_views.everywhere, name="search"),
    path("activity/", workbench_views.activity, name="activity"),
    path("people/", workbench_views.people, name="people"),
    path("admin/", admin.site.urls),
]
