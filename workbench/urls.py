from django.contrib import admin
from django.urls import include, path

from articles import urls as article_urls
from claims import desk_views, notification_views, search_views, webhook_views
from claims import urls as claim_urls
from claims.api.main import urlpatterns as api_urlpatterns
from workbench import views as workbench_views
from workbench.api import views as api_views

# /articles/ is one namespace served by two apps: articles' own pages (the list, the raw input) and the
# reader, which is claims' tagging UI. Joining them here keeps `articles:detail` for every link to an
# article while articles never imports claims.
article_pages = ([*article_urls.urlpatterns, *claim_urls.reader_urlpatterns], article_urls.app_name)

urlpatterns = [
    path("", desk_views.my_desk, name="home"),
    path("desk/count/", desk_views.desk_count, name="desk-count"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("articles/", include(article_pages)),
    path("claims/", include("claims.urls")),
    path("search/", search_views.everywhere, name="search"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_read, name="notifications-read"),
    path("notifications/unread/", notification_views.notification_unread, name="notifications-unread"),
    path("notifications/settings/", notification_views.notification_settings, name="notification-settings"),
    path("account/tokens/", api_views.token_list, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", api_views.token_revoke, name="api-token-revoke"),
    path("account/webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("account/webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook"),
    path("account/webhooks/<int:pk>/test/", webhook_views.webhook_test, name="webhook-test"),
    path("account/webhooks/<int:pk>/delete/", webhook_views.webhook_delete, name="webhook-delete"),
    path("api/v1/", api_urlpatterns()),
    path("published/", include((claim_urls.published_urlpatterns, claim_urls.published_app_name))),
    path("activity/", workbench_views.activity, name="activity"),
    path("people/", workbench_views.people, name="people"),
    path("admin/", admin.site.urls),
]
