"""What every URL pattern gives each role, by GET and by POST. tests/test_authorisation_matrix.py asks them all
and compares; a pattern with no line here fails it.

A line: `Case(pattern, objects, GET, POST)`, e.g. `Case("claims:edit", "claim", "login 405 405 405 405", ...)`.
- pattern: its name, with its namespace (its route when it has none);
- objects: those that fill the URL's parameters, in order, by their names in the test's `make_world`. `own_claim`,
  `own_set` and `own_export` are the asking user's own; every other belongs to another editor;
- GET, POST: what anonymous, viewer, editor, reviewer and admin get, in that order:
      ok     2xx, or a redirect to a page other than the login page
      no     the same, but nothing is written: the page says no (a message, a form's error)
      login  sent to log in (the site's login page; the admin's, for anyone who is not staff)
      400    the form's errors (most POSTs here are empty)
      403    forbidden
      404    not found
      405    method not allowed
      401    the API without its token: a session opens no API call (tests/test_api_permissions.py asks
             each role again with a token of its own)
  Anything but ok must write nothing to the database;
- data (optional): fields sent in the URL's query and, for a POST, in its body too ("article={article}": an
  object of the world, as above).
The pages of a model in the admin come from its one line in ADMIN.
"""

from dataclasses import dataclass

ROLES = ("anonymous", "viewer", "editor", "reviewer", "admin")


@dataclass(frozen=True)
class Case:
    pattern: str
    objects: str
    get: str
    post: str
    data: str = ""


READ = ("login ok ok ok ok", "login 405 405 405 405")  # a page every signed-in user reads
PUBLIC = ("ok ok ok ok ok", "ok ok ok ok ok")  # the login page and its like
WRITE = "login 405 405 405 405"  # the GET of what only takes a POST
# The API's addresses, asked with a session: what each method gets without a token.
NONE, UNAUTHORISED = "405 405 405 405 405", "401 401 401 401 401"
API_READ = (UNAUTHORISED, NONE)  # GET only
API_WRITE = (NONE, UNAUTHORISED)  # POST only
API_BOTH = (UNAUTHORISED, UNAUTHORISED)
API_NONE = ("404 404 404 404 404", "404 404 404 404 404")
API_ONLY = ("ok ok ok ok ok", NONE)


def admin_only(get: str, post: str) -> tuple[str, str]:
    """What the admin gets from a page of the admin site: everyone else is sent to its login page."""
    return f"login login login login {get}", f"login login login login {post}"


CASES = [
    Case("home", "", *READ),
    Case("desk-count", "", *READ),
    Case("login", "", *PUBLIC),
    Case("logout", "", WRITE, "login ok ok ok ok"),
    Case("password_change", "", "login ok ok ok ok", "login ok ok ok ok"),
    Case("password_change_done", "", *READ),
    Case("password_reset", "", *PUBLIC),
    Case("password_reset_done", "", "ok ok ok ok ok", "405 405 405 405 405"),
    Case("password_reset_confirm", "uid token", *PUBLIC),
    Case("password_reset_complete", "", "ok ok ok ok ok", "405 405 405 405 405"),
    Case("api-tokens", "", "login ok ok ok ok", "login 400 400 400 400"),
    Case("api-token-revoke", "api_token", WRITE, "login 404 404 404 404"),
    Case("api-token-revoke", "own_api_token", WRITE, "login ok ok ok ok"),
    # Webhooks: everyone who reads claims has their own; another's are only the admin's to open
    Case("webhooks", "", "login ok ok ok ok", "login 400 400 400 400"),
    Case("webhook", "webhook", "login 403 403 403 ok", "login 403 403 403 400"),
    Case("webhook", "own_webhook", "login ok ok ok ok", "login 400 400 400 400"),
    Case("webhook-test", "webhook", WRITE, "login 403 403 403 ok"),
    Case("webhook-test", "own_webhook", WRITE, "login ok ok ok ok"),
    Case("webhook-delete", "webhook", WRITE, "login 403 403 403 ok"),
    Case("webhook-delete", "own_webhook", WRITE, "login ok ok ok ok"),
    # The API: a session is not a token, whoever holds it
    Case("api:openapi-json", "", "ok ok ok ok ok", *API_ONLY[1:]),
    Case("api:openapi-view", "", "login ok ok ok ok", "login 405 405 405 405"),
    Case("api:api-root", "", *API_NONE),
    Case("api:nowhere", "", *API_NONE),
    Case("api:articles", "", *API_READ),
    Case("api:article", "article", *API_READ),
    Case("api:claims", "", *API_BOTH),
    Case("api:claim-create", "", *API_BOTH),
    Case("api:claim", "claim", *API_READ),
    Case("api:claim-update", "claim", *API_READ),
    Case("api:evidence", "claim", *API_READ),
    Case("api:tags", "", *API_READ),
    Case("api:claim-sets", "", *API_READ),
    Case("api:claim-set", "set", *API_READ),
    Case("api:claim-set-claims", "set", *API_READ),
    Case("api:claim-verdict", "claim", *API_WRITE),
    Case("api:claim-reviewed", "claim", *API_WRITE),
    Case("api:link-passage", "claim", *API_WRITE),
    Case("api:link-external", "claim", *API_WRITE),
    Case("api:unlink", "claim link", NONE, NONE),  # DELETE only
    Case("api:comments", "claim", *API_BOTH),
    Case("api:comment-post", "claim", *API_BOTH),
    Case("api:comment", "claim comment", NONE, NONE),  # PATCH and DELETE only
    Case("api:comment-delete", "claim comment", NONE, NONE),
    Case("api:assignments", "claim", *API_READ),
    Case("api:assignment", "claim assignment_task", NONE, NONE),  # PUT and DELETE only
    Case("api:unassign", "claim assignment_task", NONE, NONE),
    Case("api:exports", "", *API_WRITE),
    Case("api:export", "export", *API_READ),
    Case("api:export-download", "export", *API_READ),
    Case("api:imports", "", *API_WRITE),
    Case("api:import-articles", "", *API_WRITE),
    Case("api:import", "batch", *API_READ),
    Case("api:import-confirm", "batch", *API_WRITE),
    Case("api:import-records", "batch", *API_READ),
    Case("api:import-report", "batch", *API_READ),
    Case("activity", "", *READ),
    Case("people", "", *READ),
    Case("search", "", *READ, data="q=council"),
    Case("notifications", "", *READ),
    Case("notifications-read", "", WRITE, "login ok ok ok ok"),
    Case("notifications-unread", "", *READ),
    Case("notification-settings", "", "login ok ok ok ok", "login 400 400 400 400"),
    # Articles and the reader
    Case("articles:list", "", *READ),
    Case("articles:raw", "article", *READ),
    Case("articles:choices", "", *READ),
    Case("articles:detail", "article", *READ),
    # Claims: those of another editor, then the asker's own. Deleting, unlinking and rolling back ask first (GET)
    Case("claims:list", "", *READ),
    Case("claims:tags", "", *READ),
    # Bulk actions on the list: each claim is then held to its own rule (a viewer's own claim gives no rights)
    Case("claims:bulk", "", WRITE, "login 400 400 400 400"),
    Case(
        "claims:bulk", "", WRITE, "login 403 ok ok ok", data="bulk-action=tag bulk-tag=bulk bulk-claims={own_claim}:1"
    ),
    Case("claims:bulk", "", WRITE, "login 403 no no no", data="bulk-action=delete bulk-claims={own_claim}:1"),
    Case(
        "claims:bulk",
        "",
        WRITE,
        "login 403 ok ok ok",
        data="bulk-action=delete confirmed=yes bulk-claims={own_claim}:1",
    ),
    Case(
        "claims:bulk",
        "",
        WRITE,
        "login 403 403 ok ok",
        data="bulk-action=assign bulk-task=source bulk-assignee=matrix-other bulk-claims={own_claim}:1",
    ),
    Case(
        "claims:bulk",
        "",
        WRITE,
        "login ok ok ok ok",
        data="bulk-action=set bulk-claim_set={own_set} bulk-claims={claim}:1",
    ),
    Case(
        "claims:bulk",
        "",
        WRITE,
        "login 400 400 400 ok",
        data="bulk-action=set bulk-claim_set={set} bulk-claims={claim}:1",
    ),
    Case("claims:create", "", WRITE, "login 403 400 400 400", data="article={article}"),
    Case("claims:duplicates", "", WRITE, "login 403 ok ok ok", data="article={article}"),
    Case("claims:detail", "claim", *READ),
    Case("claims:suggestions", "claim", *READ),
    Case("claims:edit", "claim", WRITE, "login 403 403 400 400"),
    Case("claims:edit", "own_claim", WRITE, "login 403 400 400 400"),
    Case("claims:delete", "claim", "login 403 403 403 ok", "login 403 403 403 ok"),
    Case("claims:delete", "own_claim", "login 403 ok ok ok", "login 403 ok ok ok"),
    Case("claims:reviewed", "claim", WRITE, "login 403 403 ok ok"),
    Case("claims:reviewed", "own_claim", WRITE, "login 403 ok ok ok"),
    Case("claims:verdict", "claim", WRITE, "login 403 403 400 400"),
    Case("claims:link-passage", "claim", WRITE, "login 403 ok ok ok"),
    Case("claims:link-external", "claim", WRITE, "login 403 400 400 400"),
    Case("claims:unlink", "claim link", "login 403 403 ok ok", "login 403 403 ok ok"),
    # Undo a removal: the link here is not removed, so there is nothing to undo
    Case("claims:unlink-undo", "claim link", WRITE, "login 403 no no no"),
    Case("claims:rollback", "claim", "login 403 403 403 ok", "login 403 403 403 ok"),
    # The discussion: editors, reviewers and admins post; only the author edits; the author or an admin deletes
    Case("claims:comment", "claim", WRITE, "login 403 400 400 400"),
    Case("claims:comment-edit", "claim comment", WRITE, "login 403 403 403 403"),
    Case("claims:comment-edit", "claim own_comment", WRITE, "login 403 400 400 400"),
    Case("claims:comment-delete", "claim comment", WRITE, "login 403 403 403 ok"),
    Case("claims:comment-delete", "claim own_comment", WRITE, "login 403 ok ok ok"),
    # Assignments: desk heads (reviewers, admins) assign; the boxes suggest people to everyone signed in
    Case("claims:assign", "claim", WRITE, "login 403 403 400 400", data="task=source"),
    Case("claims:unassign", "claim", WRITE, "login 403 403 ok ok", data="task=source"),
    Case("claims:assignees", "assignment_task", *READ),
    Case("claims:deleted", "", "login 403 403 403 ok", "login 405 405 405 405"),
    Case("claims:restore", "deleted_claim", WRITE, "login 403 403 403 ok"),
    # Claim sets and exports: another editor's are only the admin's to open; the asker's own are theirs
    Case("claims:sets", "", *READ),
    Case("claims:set-create", "", WRITE, "login 400 400 400 400"),
    Case("claims:set-add", "", WRITE, "login no no no ok", data="claim_set={set} claims={own_claim}"),
    Case("claims:set-add", "", WRITE, "login ok ok ok ok", data="claim_set={own_set} claims={own_claim}"),
    Case("claims:set-detail", "set", "login 403 403 403 ok", "login 405 405 405 405"),
    Case("claims:set-detail", "own_set", *READ),
    Case("claims:set-edit", "set", WRITE, "login 403 403 403 400"),
    Case("claims:set-edit", "own_set", WRITE, "login 400 400 400 400"),
    Case("claims:set-remove", "set claim", WRITE, "login 403 403 403 ok"),
    Case("claims:set-remove", "own_set claim", WRITE, "login ok ok ok ok"),
    Case("claims:set-delete", "set", WRITE, "login 403 403 403 ok"),
    Case("claims:set-delete", "own_set", WRITE, "login ok ok ok ok"),
    # Publishing a set takes who may export it and who signs off verdicts; what is published anyone reads
    Case("claims:set-publish", "set", WRITE, "login 403 403 403 ok"),
    Case("claims:set-publish", "own_set", WRITE, "login 403 403 ok ok"),
    Case("published:current", "publication", "ok ok ok ok ok", "405 405 405 405 405"),
    Case("published:current-snippet", "publication", "ok ok ok ok ok", "405 405 405 405 405"),
    Case("published:version", "publication publication_version", "ok ok ok ok ok", "405 405 405 405 405"),
    Case("published:snippet", "publication publication_version", "ok ok ok ok ok", "405 405 405 405 405"),
    Case("published:version", "publication nowhere_version", "404 404 404 404 404", "405 405 405 405 405"),
    Case("claims:export", "", "login ok ok ok ok", "login ok ok ok ok"),
    Case("claims:export", "", "login 403 403 403 ok", "login 403 403 403 400", data="set={set}"),
    Case("claims:export", "", "login ok ok ok ok", "login 400 400 400 400", data="set={own_set}"),
    Case("claims:export-detail", "export", "login 403 403 403 ok", "login 405 405 405 405"),
    Case("claims:export-detail", "own_export", *READ),
    Case("claims:export-status", "export", "login 403 403 403 ok", "login 405 405 405 405"),
    Case("claims:export-status", "own_export", *READ),
    Case("claims:export-download", "export", "login 403 403 403 ok", "login 405 405 405 405"),
    Case("claims:export-download", "own_export", *READ),
    # Stories: shared, made and changed by editors, deleted by admins
    Case("claims:stories", "", *READ),
    Case("claims:story", "story", *READ),
    Case("claims:story-csv", "story", *READ),
    Case("claims:story-create", "", WRITE, "login 403 400 400 400"),
    Case("claims:story-edit", "story", WRITE, "login 403 400 400 400"),
    Case("claims:story-add-article", "story", WRITE, "login 403 400 400 400"),
    Case("claims:story-remove-article", "story article", WRITE, "login 403 ok ok ok"),
    Case("claims:story-delete", "story", WRITE, "login 403 403 403 ok"),
    # The admin site's own pages; only staff get past its login page
    Case("admin:login", "", *PUBLIC),
    Case("admin:logout", "", *admin_only("405", "ok")),
    Case("admin:index", "", *admin_only("ok", "ok")),
    Case("admin:app_list", "app", *admin_only("ok", "ok")),
    Case("admin:password_change", "", *admin_only("ok", "ok")),
    Case("admin:password_change_done", "", *admin_only("ok", "405")),
    Case("admin:jsi18n", "", *admin_only("ok", "405")),
    Case("admin:autocomplete", "", *admin_only("ok", "405"), data="app_label=claims model_name=claim field_name=tags"),
    Case("admin:view_on_site", "claim_type claim", *admin_only("ok", "ok")),
    Case("admin/(?P<url>.*)$", "nowhere", *admin_only("404", "404")),
    Case("admin:auth_user_password_change", "user", *admin_only("ok", "ok")),
    # The admin's import pages (the admin's article pages are in ADMIN below)
    Case("admin:articles_article_import", "", *admin_only("ok", "ok")),
    Case("admin:claims_claim_import", "", *admin_only("ok", "no")),
    Case("admin:articles_article_import_batch", "batch", *admin_only("ok", "ok")),
    Case("admin:articles_article_import_confirm", "batch", *admin_only("405", "ok")),
    Case("admin:articles_article_import_status", "batch", *admin_only("ok", "ok")),
    Case("admin:articles_article_import_report", "batch", *admin_only("ok", "ok")),
]


def admin_pages(model: str, obj: str, changelist: str, add: str, change: str, delete: str, history: str, version=""):
    """The pages of one model in the admin, from what the admin gets from each ("GET POST"). `version`: a past
    version's page, for a model with a history."""
    app_label, model_name = model.split(".")
    pages = {"changelist": ("", changelist), "add": ("", add), "change": (obj, change), "delete": (obj, delete)}
    pages |= {"history": (obj, history)} | ({"simple_history": (f"{obj} {obj}_version", version)} if version else {})
    cases = [
        Case(f"admin:{app_label}_{model_name}_{kind}", objects, *admin_only(*outcomes.split()))
        for kind, (objects, outcomes) in pages.items()
    ]
    # The object's own address leads to its change page, whatever the method.
    viewed = change.split()[0]
    return [*cases, Case(f"admin/{app_label}/{model_name}/<path:object_id>/", obj, *admin_only(viewed, viewed))]


ADMIN = [
    # model, its object: then what the admin gets (GET POST) from changelist, add, change, delete, history, version
    *admin_pages("auth.user", "user", "ok ok", "ok ok", "ok ok", "ok ok", "ok ok", "ok 403"),
    *admin_pages("auth.group", "group", "ok ok", "ok ok", "ok ok", "ok ok", "ok ok"),
    *admin_pages("articles.article", "article", "ok ok", "403 403", "ok ok", "ok ok", "ok ok", "ok 403"),
    *admin_pages("articles.importbatch", "batch", "ok ok", "403 403", "ok 403", "ok ok", "ok ok"),
    *admin_pages("claims.claim", "claim", "ok ok", "403 403", "ok ok", "ok ok", "ok ok", "ok 403"),
    *admin_pages("claims.evidencelink", "link", "ok ok", "403 403", "ok ok", "ok ok", "ok ok", "ok 403"),
    # A tag used by a claim is taken off its claims on their pages, not deleted here.
    *admin_pages("claims.tag", "tag", "ok ok", "ok ok", "ok ok", "403 403", "ok ok", "ok 403"),
    *admin_pages("claims.claimset", "set", "ok ok", "403 403", "ok ok", "ok ok", "ok ok", "ok 403"),
    *admin_pages("claims.story", "story", "ok ok", "ok ok", "ok ok", "ok ok", "ok ok", "ok 403"),
    *admin_pages("claims.export", "export", "ok ok", "403 403", "ok 403", "403 403", "ok ok"),
    # Another editor's comment: the admin reads and deletes it (moderation), only its author rewords it.
    *admin_pages("claims.comment", "comment", "ok ok", "403 403", "ok 403", "ok ok", "ok ok", "ok 403"),
    *admin_pages("claims.assignment", "assignment", "ok ok", "403 403", "ok ok", "ok ok", "ok ok", "ok 403"),
    # API tokens: read and revoked (an action of the list), never made, edited or deleted here.
    *admin_pages("api.apitoken", "api_token", "ok ok", "403 403", "ok 403", "403 403", "ok ok"),
    # Every user's webhooks: an empty form is shown again with its errors; they have no history of their own.
    *admin_pages("claims.webhooksubscription", "webhook", "ok ok", "ok ok", "ok ok", "ok ok", "ok ok"),
    # Failed logins (django-axes): the admin role sees them all and unlocks by deleting an attempt.
    *admin_pages("axes.accessattempt", "attempt", "ok ok", "403 403", "ok 403", "ok ok", "ok ok"),
    *admin_pages("axes.accesslog", "access_log", "ok ok", "403 403", "ok 403", "403 403", "ok ok"),
    *admin_pages("axes.accessfailurelog", "failure_log", "ok ok", "403 403", "ok 403", "403 403", "ok ok"),
    # The background jobs' own records: the admin role is not given their permissions.
    *admin_pages("django_tasks_database.dbtaskresult", "task", *["403 403"] * 5),
]


def cases_for(pattern: str) -> list[Case]:
    return [case for case in CASES + ADMIN if case.pattern == pattern]


def patterns() -> set[str]:
    return {case.pattern for case in CASES + ADMIN}
