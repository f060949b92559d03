from django.urls import path

from claims import bulk_views, comment_views, confirm_views, published_views, reader, set_views, story_views, views
from claims.exports import views as export_views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("bulk/", bulk_views.claims_bulk, name="bulk"),
    path("new/", views.claim_create, name="create"),
    path("new/already-tagged/", views.claim_duplicates, name="duplicates"),
    path("tags/", views.tag_choices, name="tags"),
    path("deleted/", views.deleted_claims, name="deleted"),
    path("deleted/<int:pk>/restore/", views.claim_restore, name="restore"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/edit/", views.claim_edit, name="edit"),
    path("<int:pk>/delete/", confirm_views.claim_delete, name="delete"),
    path("<int:pk>/verdict/", views.claim_verdict, name="verdict"),
    path("<int:pk>/rollback/", confirm_views.claim_rollback, name="rollback"),
    path("<int:pk>/reviewed/", views.claim_reviewed, name="reviewed"),
    path("<int:pk>/suggestions/", views.claim_suggestions, name="suggestions"),
    path("<int:pk>/evidence/passage/", views.evidence_add_passage, name="link-passage"),
    path("<int:pk>/evidence/external/", views.evidence_add_external, name="link-external"),
    path("<int:pk>/evidence/<int:link_pk>/remove/", confirm_views.evidence_remove, name="unlink"),
    path("<int:pk>/evidence/<int:link_pk>/undo/", confirm_views.evidence_undo_remove, name="unlink-undo"),
    path("<int:pk>/comments/", comment_views.comment_post, name="comment"),
    path("<int:pk>/comments/<int:comment_pk>/edit/", comment_views.comment_edit, name="comment-edit"),
    path("<int:pk>/comments/<int:comment_pk>/delete/", comment_views.comment_delete, name="comment-delete"),
    path("<int:pk>/assign/", comment_views.claim_assign, name="assign"),
    path("<int:pk>/unassign/", comment_views.claim_unassign, name="unassign"),
    path("assignees/<str:task>/", comment_views.assignee_choices, name="assignees"),
    path("export/", export_views.export_claims, name="export"),
    path("exports/<int:pk>/", export_views.export_detail, name="export-detail"),
    path("exports/<int:pk>/status/", export_views.export_status, name="export-status"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export-download"),
    path("sets/", set_views.set_list, name="sets"),
    path("sets/new/", set_views.set_create, name="set-create"),
    path("sets/add/", set_views.set_add, name="set-add"),
    path("sets/<int:pk>/", set_views.set_detail, name="set-detail"),
    path("sets/<int:pk>/edit/", set_views.set_edit, name="set-edit"),
    path("sets/<int:pk>/delete/", set_views.set_delete, name="set-delete"),
    path("sets/<int:pk>/remove/<int:claim_pk>/", set_views.set_remove, name="set-remove"),
    path("sets/<int:pk>/publish/", set_views.set_publish, name="set-publish"),
    path("stories/", story_views.story_list, name="stories"),
    path("stories/new/", story_views.story_create, name="story-create"),
    path("stories/<int:pk>/", story_views.story_detail, name="story"),
    path("stories/<int:pk>/edit/", story_views.story_edit, name="story-edit"),
    path("stories/<int:pk>/delete/", story_views.story_delete, name="story-delete"),
    path("stories/<int:pk>/articles/", story_views.story_add_article, name="story-add-article"),
    path(
        "stories/<int:pk>/articles/<int:article_pk>/remove/",
        story_views.story_remove_article,
        name="story-remove-article",
    ),
    path("stories/<int:pk>/matrix.csv", story_views.story_csv, name="story-csv"),
]

# The reader, served under articles' namespace at /articles/<id>/ (see workbench/urls.py): it is where
# claims are tagged, and every link to an article ("articles:detail") leads to it.
reader_urlpatterns = [
    path("<int:pk>/", reader.article_detail, name="detail"),
]

# Published claim sets, served at /published/ (see workbench/urls.py) to anyone, without signing in.
published_app_name = "published"
published_urlpatterns = [
    path("<slug:slug>/", published_views.published_current, name="current"),
    path("<slug:slug>/embed/", published_views.published_current, {"snippet": True}, name="current-snippet"),
    path("<slug:slug>/v<int:version>/", published_views.published_version, name="version"),
    path("<slug:slug>/v<int:version>/embed/", published_views.published_version, {"snippet": True}, name="snippet"),
]
