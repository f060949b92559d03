"""Audit plumbing: every historical record says through which channel the change came.

The channel lives in a context variable: requests set it (web or admin), imports and commands
wrap their work in `audit_channel(...)`, and anything else is a management command.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

WEB, ADMIN, IMPORT, COMMAND, API = "web", "admin", "import", "command", "api"
CHANNELS = [(WEB, "web"), (ADMIN, "admin site"), (IMPORT, "import"), (COMMAND, "command"), (API, "API")]

HISTORY_BATCH = 500  # row ids per statement, well below every database's limit on parameters

_channel: ContextVar[str] = ContextVar("audit_channel", default=COMMAND)


def current_channel() -> str:
    return _channel.get()


@contextmanager
def audit_channel(name: str) -> Iterator[None]:
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)


class AuditChannelMiddleware:
    """Changes made through a request are from the admin site or the web pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = ADMIN if request.path.startswith("/admin/") else API if request.path.startswith("/api/") else WEB
        with audit_channel(channel):
            return self.get_response(request)


class ChannelHistoricalModel(models.Model):
    """Base for django-simple-history's historical models: adds the channel of each change."""

    history_channel = models.CharField(max_length=10, choices=CHANNELS, default=current_channel)

    class Meta:
        abstract = True


class FeedHistoricalRecords(HistoricalRecords):
    """django-simple-history's records, with the indexes their readers need, each in (history_date,
    history_id) order: an object's records (its story, the record before a change), and for the activity
    feed everyone's, one person's and one action's, newest first. A page is then read from an index and
    stops after it, however long the history. `shown`: the records the feed tells, when not all of them
    (the feed's indexes hold only those)."""

    FEED_ORDERS = {"newest": (), "by_user": ("history_user",), "by_action": ("history_type",)}

    def __init__(self, *args, shown: Q | None = None, **kwargs):
        self.shown = shown
        super().__init__(*args, no_db_index=["id"], **kwargs)  # the object's index leads with it

    def create_history_model(self, model, inherited):
        history = super().create_history_model(model, inherited)
        history.feed_shown = self.shown
        return history

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        name = model._meta.model_name
        order = ["history_date", "history_id"]
        options["indexes"] = [
            *options.get("indexes", ()),
            models.Index(fields=["id", *order], name=f"{name}_hist_object"),
            *(
                models.Index(fields=[*lead, *order], name=f"{name}_hist_{feed}", condition=self.shown)
                for feed, lead in self.FEED_ORDERS.items()
            ),
        ]
        return options


def bulk_create_with_history(objs: list[models.Model], model: type[models.Model], *, user) -> None:
    """bulk_create, then the "created" history of the new rows, copied from them inside the database.

    The records simple-history's own bulk_create_with_history writes (with the user given and one
    time for the lot), as one INSERT ... SELECT per HISTORY_BATCH rows: building and compiling a
    historical object per row in Python cost as much as inserting the rows themselves.
    """
    pks = [obj.pk for obj in model._default_manager.bulk_create(objs)]
    if not pks:
        return
    history = model.history.model
    quote = connection.ops.quote_name
    copied = [quote(field.column) for field in history.tracked_fields]
    stamped = {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": "+",
        "history_user": user.pk if user else None,
        "history_channel": current_channel(),
    }
    fields = [history._meta.get_field(name) for name in stamped]
    values = [field.get_db_prep_save(value, connection) for field, value in zip(fields, stamped.values(), strict=True)]
    table, source, pk = quote(history._meta.db_table), quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = ", ".join(copied + [quote(field.column) for field in fields])
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        for start in range(0, len(pks), HISTORY_BATCH):
            batch = pks[start : start + HISTORY_BATCH]
            # Table and column names come from the models, quoted; every value is a bound parameter.
            sql = (
                f"INSERT INTO {table} ({columns}) SELECT {', '.join(copied)}, {placeholders} FROM {source} "  # noqa: S608
                f"WHERE {pk} IN ({', '.join(['%s'] * len(batch))})"
            )
            cursor.execute(sql, [*values, *batch])
