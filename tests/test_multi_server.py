"""More than one server: the cache and sessions in Redis, uploads and exports in an object store, a read
replica. Each against the real thing on loopback: the local Redis, moto's S3 server, a second database.

The settings each test applies are the ones workbench/settings.py computes from the environment, read
from a fresh interpreter, so these tests exercise the settings file itself and not a copy of it."""

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from articles.models import Article, UploadedFile
from claims.models import ClaimSet, Export, Publication
from tests.factories import ArticleFactory, UserFactory
from tests.test_admin_import import upload_set
from workbench import routers

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
S3_PORT = 8210
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
MULTI_SERVER_SETTINGS = [
    "CACHES",
    "SESSION_ENGINE",
    "STORAGES",
    "DATABASES",
    "DATABASE_ROUTERS",
    "MIDDLEWARE",
    "DATABASE_REPLICA_PIN_SECONDS",
]


def settings_from(**env: str) -> dict:
    """The multi-server settings as workbench/settings.py computes them with these variables set."""
    code = (
        "import json, django.conf as c; "
        f"print(json.dumps({{n: getattr(c.settings, n) for n in {MULTI_SERVER_SETTINGS!r}}}, default=str))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "workbench.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def login(client, user) -> None:
    """Log in through the login page, as a browser does (the session is written by the request)."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]


# --- Redis: the cache and the sessions -------------------------------------------------------------


@pytest.fixture
def redis_settings(settings):
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"wbtest-{uuid.uuid4().hex[:8]}"
    computed = settings_from(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    settings.CACHES, settings.SESSION_ENGINE = computed["CACHES"], computed["SESSION_ENGINE"]
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_without_redis_url_nothing_changes():
    computed = settings_from(REDIS_URL="", WORKBENCH_S3_BUCKET="", DATABASE_REPLICA_URL="")
    assert computed["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert computed["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert computed["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert list(computed["DATABASES"]) == ["default"] and computed["DATABASE_ROUTERS"] == []
    assert "workbench.routers.PrimaryAfterWriteMiddleware" not in computed["MIDDLEWARE"]


def test_with_redis_url_the_cache_is_redis_and_a_login_is_kept_there(client, editor, redis_settings):
    redis, prefix = redis_settings
    from django.core.cache import caches

    cache = caches["default"]
    assert type(cache).__name__ == "RedisCache"
    cache.set("shared", "seen by every server")
    assert redis.get(f"{prefix}:1:shared") is not None
    login(client, editor)
    assert [key for key in redis.scan_iter(f"{prefix}:*") if b"sessions" in key]
    assert client.get(reverse("articles:list")).status_code == 200


def test_a_login_survives_a_redis_restart(client, editor, redis_settings):
    redis, prefix = redis_settings
    login(client, editor)
    redis.delete(*redis.scan_iter(f"{prefix}:*"))  # what a restart without persistence leaves
    assert client.get(reverse("articles:list")).status_code == 200
    assert [key for key in redis.scan_iter(f"{prefix}:*") if b"sessions" in key], "read back into the cache"


# --- Object storage: exports and admin uploads in an S3-compatible bucket -------------------------


@pytest.fixture(scope="module")
def s3_server():
    server_module = pytest.importorskip("moto.server")
    if reachable("127.0.0.1", S3_PORT):
        pytest.skip(f"port {S3_PORT} is taken")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=S3_PORT, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{S3_PORT}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "moto-test-key",
        "AWS_SECRET_ACCESS_KEY": "moto-test-secret",  # noqa: S105 - moto accepts any key
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    name = f"workbench-{uuid.uuid4().hex[:8]}"
    s3 = boto3.resource("s3", endpoint_url=s3_server, region_name="us-east-1")
    s3.create_bucket(Bucket=name)
    computed = settings_from(WORKBENCH_S3_BUCKET=name, AWS_S3_ENDPOINT_URL=s3_server, AWS_S3_REGION_NAME="us-east-1")
    assert computed["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": computed["STORAGES"]["default"]}
    return s3.Bucket(name)


def stored_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_background_export_is_written_to_the_bucket_and_downloaded_from_it(
    client, viewer, settings, bucket, every_kind_of_claim
):
    settings.WORKBENCH_EXPORT_STREAM_MAX_CLAIMS = 1
    client.force_login(viewer)
    response = client.post(reverse("claims:export"), {"format": "csv", "statuses": ["verified", "disputed", "open"]})
    export = Export.objects.get()
    assert response.status_code == 302 and export.status == Export.Status.DONE
    assert [item.key for item in bucket.objects.all()] == [export.file.name]

    response = client.get(reverse("claims:export-download", args=[export.pk]))
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == export.sha256
    assert content.decode("utf-8-sig").count("\r\n") == 4  # header and three claims
    assert stored_under(Path(settings.MEDIA_ROOT)) == []


def test_a_published_set_is_written_to_the_bucket_and_served_from_it(
    client, reviewer, settings, bucket, every_kind_of_claim
):
    claim_set = ClaimSet.objects.create(name="In the bucket", owner=reviewer)
    claim_set.claims.add(*every_kind_of_claim.values())
    client.force_login(reviewer)
    for _ in range(2):
        assert client.post(reverse("claims:set-publish", args=[claim_set.pk])).status_code == 302
    newest = Publication.objects.get(version=2)
    files = ["index.html", "embed.html", "v1/index.html", "v1/embed.html", "v2/index.html", "v2/embed.html"]
    assert sorted(item.key for item in bucket.objects.all()) == sorted(f"published/{newest.slug}/{f}" for f in files)

    client.logout()
    page = b"".join(client.get(f"/published/{newest.slug}/").streaming_content)
    assert hashlib.sha256(page).hexdigest() == newest.sha256
    assert bucket.Object(f"published/{newest.slug}/index.html").get()["Body"].read() == page
    assert stored_under(Path(settings.MEDIA_ROOT)) == []


def test_an_admin_upload_is_kept_in_the_bucket_previewed_and_imported_from_it(client, admin_user, settings, bucket):
    client.force_login(admin_user)
    response = client.post(reverse("admin:articles_article_import"), {"files": upload_set()})
    assert response.status_code == 302
    uploads = list(UploadedFile.objects.order_by("pk"))
    keys = {item.key: item.size for item in bucket.objects.all()}
    assert keys == {upload.file.name: upload.size for upload in uploads}
    assert [upload.name for upload in uploads] == ["feed.jsonl", "bundle.zip"]
    batch = uploads[0].batch
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.records_total == 5

    client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.rejected) == ("done", 4, 1)
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "A headline inside",
        "Story 0",
        "Story 1",
        "Story 2",
    ]
    assert stored_under(Path(settings.MEDIA_ROOT)) == []


# --- A read replica ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A second, separate database named "replica" (not a test mirror), so where a read went shows.

    On PostgreSQL it is TEST_DATABASE_REPLICA_NAME (default: the primary's name with _replica), with
    test_ in front as for the primary; on SQLite a second in-memory database."""
    primary = django_settings.DATABASES["default"]
    name = os.getenv("TEST_DATABASE_REPLICA_NAME") or f"{primary['NAME']}_replica"
    if primary["ENGINE"] == "django.db.backends.sqlite3":
        name = ""  # Django makes an in-memory database of its own for each alias
    # Tables made from the models: data migrations are the primary's (they are replicated, not rerun).
    replica = {**primary, "NAME": name.removeprefix("test_"), "TEST": {"MIGRATE": False}}
    # Without the web requests' statement timeout: dropping a database waits for a checkpoint, which on a
    # busy machine took longer than five seconds and failed the teardown.
    options = dict(primary.get("OPTIONS", {}))
    if "options" in options:
        options["options"] = re.sub(r"-c statement_timeout=\d+", "", options["options"]).strip()
    replica["OPTIONS"] = options
    # connections.settings is settings.DATABASES itself: one entry adds the alias to both.
    connections.settings["replica"] = connections.configure_settings({"default": {**primary}, "replica": replica})[
        "replica"
    ]
    with django_db_blocker.unblock():
        old_name = connections["replica"].creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    yield
    with django_db_blocker.unblock():
        connections["replica"].creation.destroy_test_db(old_name, verbosity=0)
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


@pytest.fixture
def routed(replica_database, settings):
    computed = settings_from(DATABASE_REPLICA_URL="postgres://replica.invalid/workbench")
    assert computed["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    settings.DATABASE_ROUTERS = computed["DATABASE_ROUTERS"]
    settings.MIDDLEWARE = computed["MIDDLEWARE"]
    settings.DATABASE_REPLICA_PIN_SECONDS = computed["DATABASE_REPLICA_PIN_SECONDS"]


def on_both(*objects) -> None:
    """As replication would copy them: the same rows, same keys, in the replica."""
    for obj in objects:
        obj.save(using="replica")


def titles(client) -> str:
    return client.get(reverse("articles:list")).content.decode()


both = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@both
def test_reads_come_from_the_replica_until_the_user_writes_then_from_the_primary(client, routed):
    editor = UserFactory(username="replica-editor", is_superuser=True)
    article = ArticleFactory(title="As the primary has it")
    on_both(editor)
    Article.objects.using("replica").create(
        **{f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields}
        | {"title": "As the replica has it"}
    )
    client.force_login(editor)  # no request wrote yet
    assert "As the replica has it" in titles(client)

    response = client.post(reverse("claims:create"), {"article": article.pk, "quote": "It says something checkable"})
    assert response.status_code == 302
    assert routers.COOKIE in response.cookies
    page = titles(client)
    assert "As the primary has it" in page and "As the replica has it" not in page

    stranger = Client()
    stranger.force_login(editor)  # another browser of the same user: it has not written
    assert "As the replica has it" in titles(stranger)


@both
def test_the_primary_is_read_after_a_login_for_the_pin_window_and_the_replica_after_it(client, routed, settings):
    user = UserFactory(username="replica-reader", is_superuser=True)
    ArticleFactory(title="Primary copy")
    on_both(user)
    Article.objects.using("replica").create(
        title="Replica copy", body="Replica body.", raw=b"", content_hash="0" * 64, origin_file="r.txt"
    )
    login(client, user)  # writes the session and last_login
    assert client.cookies[routers.COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    assert "Primary copy" in titles(client)

    signer = signing.get_cookie_signer(salt=routers.COOKIE + routers.COOKIE)  # as set_signed_cookie signs
    with pytest.MonkeyPatch.context() as patch:
        then = signing.time.time() - settings.DATABASE_REPLICA_PIN_SECONDS - 1
        patch.setattr(signing.time, "time", lambda: then)
        client.cookies[routers.COOKIE] = signer.sign("1")
    assert "Replica copy" in titles(client)


@both
def test_transactions_background_work_and_sessions_read_from_the_primary(routed):
    ArticleFactory(title="Only on the primary")
    router = routers.PrimaryReplicaRouter()
    assert router.db_for_read(Article) == "default", "outside a request: a command or a background job"

    token = routers._current.set(routers._RequestReads(replica=True))
    try:
        assert router.db_for_read(Article) == "replica"
        assert not Article.objects.exists()  # the replica has none
        with transaction.atomic():
            assert Article.objects.get().title == "Only on the primary"
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) == "default"
        assert router.db_for_write(Article) == "default"
        assert router.db_for_read(Article) == "default", "a request that wrote reads its own writes"
    finally:
        routers._current.reset(token)


def test_migrations_run_on_the_primary_only():
    router = routers.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "claims") and not router.allow_migrate("replica", "claims")
