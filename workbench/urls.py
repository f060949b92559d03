from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from workbench import views as workbench_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="articles:list"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("articles/", include("articles.urls")),
    path("claims/", include("claims.urls")),
    path("activity/", workbench_views.activity, name="activity"),
    path("admin/", admin.site.urls),
]
