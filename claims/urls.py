from django.urls import path

from claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("new/", views.claim_create, name="create"),
    path("deleted/", views.deleted_claims, name="deleted"),
    path("deleted/<int:pk>/restore/", views.claim_restore, name="restore"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/edit/", views.claim_edit, name="edit"),
    path("<int:pk>/delete/", views.claim_delete, name="delete"),
    path("<int:pk>/verdict/", views.claim_verdict, name="verdict"),
    path("<int:pk>/rollback/", views.claim_rollback, name="rollback"),
    path("<int:pk>/reviewed/", views.claim_reviewed, name="reviewed"),
    path("<int:pk>/evidence/passage/", views.evidence_add_passage, name="link-passage"),
    path("<int:pk>/evidence/external/", views.evidence_add_external, name="link-external"),
    path("<int:pk>/evidence/<int:link_pk>/remove/", views.evidence_remove, name="unlink"),
]
