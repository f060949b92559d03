"""Workbench settings: one file, every knob read from the environment.

With nothing set, the workbench runs in production mode and its server refuses to start without a
SECRET_KEY (see workbench/startup.py);
`make run` sets DEBUG=1 for local use, which also brings a development key and a SQLite file
under var/ "so one can just check out the code and it works".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.getenv(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")

# Without a key and with DEBUG off, tooling (migrate, makemigrations, check) still runs, but the server
# refuses to start (workbench/wsgi.py, asgi.py) and Django refuses anything that would sign with it.
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "django_tasks",
    "workbench",  # before django_tasks_db: its db_worker command adds the recovery of abandoned jobs
    "django_tasks_db",
    "csp",  # for its system checks: a setting in django-csp 3's format would otherwise be silently ignored
    "axes",
    "ninja",  # its documentation page's scripts and styles, served from here (never from its CDN)
    "articles",
    "claims",
    "workbench.api",
]

MIDDLEWARE = [
    "workbench.middleware.ClientGoneMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files (an SVG can carry a script) have the policies too.
    "csp.middleware.CSPMiddleware",
    "workbench.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "workbench.sessions.IdleExpiryMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "workbench.audit.AuditChannelMiddleware",
    "workbench.middleware.StatementTimeoutMiddleware",
    "workbench.middleware.NotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a login refused for too many failures into our lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default, in var/ (git-ignored). DATABASE_URL=postgres://... switches to PostgreSQL.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'workbench.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# PostgreSQL cancels a statement that runs longer than this, so a runaway query cannot hold a web worker
# (the page answers 503: workbench/middleware.py). manage.py makes 0, no limit, the default for every
# command: migrations, imports, exports and the db_worker's jobs may rightly run long.
WORKBENCH_STATEMENT_TIMEOUT_MS = envint("WORKBENCH_STATEMENT_TIMEOUT_MS", "5000")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and WORKBENCH_STATEMENT_TIMEOUT_MS > 0:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # Beside any options DATABASE_URL gave (?options=-c search_path=...), not instead of them.
    _options["options"] = f"{_options.get('options', '')} -c statement_timeout={WORKBENCH_STATEMENT_TIMEOUT_MS}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# --- Logins: failed logins throttled (django-axes), sessions ended when idle and after a day ------------
# Axes' backend comes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Failures counted by username at one address, and by address for all usernames together: an office shares
# one address, so its limit is higher. workbench.logins.LoginThrottle applies both.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = envint("WORKBENCH_LOGIN_FAILURES_PER_USER", "5")
WORKBENCH_LOGIN_FAILURES_PER_ADDRESS = envint("WORKBENCH_LOGIN_FAILURES_PER_ADDRESS", "20")
AXES_HANDLER = "workbench.logins.LoginThrottle"
# A lock-out lasts this long after the last failure; failures while locked out do not extend it, so the
# time the lock-out page gives is the time it ends.
AXES_COOLOFF_TIME = timedelta(seconds=envint("WORKBENCH_LOGIN_COOLOFF_SECONDS", "900"))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "workbench.logins.locked_out"
# The client's address is REMOTE_ADDR, unless it is one of these proxies: then the address the nearest
# untrusted hop gave in X-Forwarded-For (workbench.logins.client_address). Unset, the header is ignored.
WORKBENCH_TRUSTED_PROXIES = envlist("WORKBENCH_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "workbench.logins.client_address"
AXES_VERBOSE = False
# Who a locked-out user is told to ask.
WORKBENCH_LOGIN_HELP = os.getenv("WORKBENCH_LOGIN_HELP", "an admin of this workbench")

# A session ends after this long without a request, and in any case this long after its login. The idle
# expiry is the session's own (cookie and stored row), pushed forward by workbench.sessions at most once
# every WORKBENCH_SESSION_REFRESH_SECONDS, so a page view does not write the session each time.
SESSION_COOKIE_AGE = envint("WORKBENCH_SESSION_IDLE_SECONDS", str(8 * 3600))
WORKBENCH_SESSION_MAX_SECONDS = envint("WORKBENCH_SESSION_MAX_SECONDS", str(24 * 3600))
WORKBENCH_SESSION_REFRESH_SECONDS = envint("WORKBENCH_SESSION_REFRESH_SECONDS", "300")

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files the workbench writes (exports run in the background). Several app servers need a shared
# storage here (a shared volume, or an object store through django-storages).
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Production hardening: on unless DEBUG, each overridable for a deployment behind a TLS proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY") else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(not DEBUG))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from our own origin, nothing inline, never framed. Pages
# and the admin have no inline script, style or event handler (tests/test_security_headers.py reads them,
# the browser tests fail on any violation); the README's "Production" says how to extend the policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (workbench/middleware.py): browser features the workbench never uses, off for every
# page and anything it could embed, interest groups for advertising included. Only names chromium knows
# (tests/e2e/test_security_policies.py): it warns of any other, "bluetooth" for one.
WORKBENCH_PERMISSIONS_POLICY_OFF = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}

# Background jobs (long imports, big exports) are rows in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# History is append-only: the admin shows it but offers no "revert to this version" button.
SIMPLE_HISTORY_REVERT_DISABLED = True
# The history tables' indexes are workbench.audit.FeedHistoricalRecords': each leads with what it is read by
# and ends (history_date, history_id). A lone history_date index would only tempt the planner away from them.
SIMPLE_HISTORY_DATE_INDEX = False

# Workbench's own settings.
WORKBENCH_ARTICLES_PER_PAGE = envint("WORKBENCH_ARTICLES_PER_PAGE", "25")
WORKBENCH_CLAIMS_PER_PAGE = envint("WORKBENCH_CLAIMS_PER_PAGE", "50")
# Requests one API token may make (workbench.api.auth): "<number>/<s, min, hour or day>", counted in the cache.
WORKBENCH_API_RATE = os.getenv("WORKBENCH_API_RATE", "600/min")
# Seconds a webhook's receiver has to answer each delivery (claims.webhooks).
WORKBENCH_WEBHOOK_TIMEOUT = envint("WORKBENCH_WEBHOOK_TIMEOUT", "10")
# Whether a webhook may be sent inside the workbench's own network (loopback, private, link-local addresses:
# its database, a cloud's metadata service). Off: anyone who may add a webhook could otherwise probe them.
WORKBENCH_WEBHOOK_LOCAL_ADDRESSES = envbool("WORKBENCH_WEBHOOK_LOCAL_ADDRESSES")
# Import limits: a bigger file, article, archive or upload is rejected before it is read.
WORKBENCH_IMPORT_MAX_FILE_BYTES = envint("WORKBENCH_IMPORT_MAX_FILE_BYTES", str(50 * 2**20))
WORKBENCH_IMPORT_MAX_ARTICLE_BYTES = envint("WORKBENCH_IMPORT_MAX_ARTICLE_BYTES", str(2**20))
# A saved web page is mostly markup around its article: the page may be this big, its article's text the above.
WORKBENCH_IMPORT_MAX_RAW_PAGE_BYTES = envint("WORKBENCH_IMPORT_MAX_RAW_PAGE_BYTES", str(10 * 2**20))
WORKBENCH_IMPORT_MAX_ARCHIVE_BYTES = envint("WORKBENCH_IMPORT_MAX_ARCHIVE_BYTES", str(500 * 2**20))
WORKBENCH_IMPORT_MAX_ARCHIVE_MEMBERS = envint("WORKBENCH_IMPORT_MAX_ARCHIVE_MEMBERS", "10000")
WORKBENCH_IMPORT_MAX_UPLOAD_BYTES = envint("WORKBENCH_IMPORT_MAX_UPLOAD_BYTES", str(200 * 2**20))
# An upload previewed but not confirmed (or an import failed and not resumed) for this long is deleted.
WORKBENCH_IMPORT_UPLOAD_EXPIRY_HOURS = envint("WORKBENCH_IMPORT_UPLOAD_EXPIRY_HOURS", "72")
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 2**20))
# A reviewer may not set the verdict on a claim they tagged themselves.
WORKBENCH_FOUR_EYES = envbool("WORKBENCH_FOUR_EYES", "True")
# The two-source rule: independent supporting sources a claim needs to be verified.
WORKBENCH_MIN_SUPPORTING_SOURCES = envint("WORKBENCH_MIN_SUPPORTING_SOURCES", "2")
# What sources of unknown publisher count as: "each" (each article or site on its own), "together" (all of
# them as one source) or "none" (not at all). claims/rules.py reads it.
WORKBENCH_UNKNOWN_PUBLISHERS = os.getenv("WORKBENCH_UNKNOWN_PUBLISHERS", "each")
# A claim is disputed only with a contradicting source linked; off, a written rationale is enough.
WORKBENCH_DISPUTED_NEEDS_CONTRADICTING = envbool("WORKBENCH_DISPUTED_NEEDS_CONTRADICTING", "True")
# Exports: who publishes the reviews, where claim pages live (exports link to them), and how many
# claims the browser downloads at once before an export becomes a background job. Unset, the base URL
# is the address the page that started the export was served on (http://127.0.0.1:8000 for the command
# line), and the organisation's URL is the base URL.
WORKBENCH_ORGANISATION_NAME = os.getenv("WORKBENCH_ORGANISATION_NAME", "Workbench newsroom")
WORKBENCH_ORGANISATION_URL = os.getenv("WORKBENCH_ORGANISATION_URL", "")
WORKBENCH_BASE_URL = os.getenv("WORKBENCH_BASE_URL", "").rstrip("/")
WORKBENCH_EXPORT_STREAM_MAX_CLAIMS = envint("WORKBENCH_EXPORT_STREAM_MAX_CLAIMS", "5000")

# Jobs that end (workbench/leases.py): a running import or export shows it is alive at least every
# LEASE / 9 seconds; one silent for longer, or whose process is gone from this machine, is resumed by
# the next worker (at most MAX_ATTEMPTS runs in all) or marked failed. Background tasks without a job of
# their own (passages, embeddings) are run again when their worker is gone or after TASK_TIMEOUT.
WORKBENCH_JOB_LEASE_SECONDS = envint("WORKBENCH_JOB_LEASE_SECONDS", "45")
WORKBENCH_JOB_MAX_ATTEMPTS = envint("WORKBENCH_JOB_MAX_ATTEMPTS", "3")
WORKBENCH_TASK_TIMEOUT_SECONDS = envint("WORKBENCH_TASK_TIMEOUT_SECONDS", "3600")
# A finished background task's row is deleted after this many days (the sweep, hourly): the jobs keep their
# own record (an import batch and its report, an export), so the table stays the size of recent work.
WORKBENCH_TASK_RESULTS_DAYS = envint("WORKBENCH_TASK_RESULTS_DAYS", "14")

# E-mail, for notifications (claims/notifications.py, sent by the background worker): SMTP once EMAIL_HOST is
# set, else printed by the console backend (development; the tests use Django's locmem outbox).
if os.getenv("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10  # seconds: a mail server that hangs fails the try, which is tried again later
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Workbench <workbench@localhost>")

# Threads the semantic model computes with in each process (claims/semantic.py). One: the web workers and
# the background worker already keep every core busy, and a second thread each made a claim's embedding
# 15-40 times slower under load (250-770 ms instead of 16-34 ms) as the threads waited on each other.
WORKBENCH_EMBEDDING_THREADS = envint("WORKBENCH_EMBEDDING_THREADS", "1")

# --- More than one server: shared cache and sessions, object storage, a read replica -------------
# Each is off until its variable is set; with none set the workbench keeps its state on one machine.

# Redis for the cache and the sessions. cached_db writes each session through to the database and
# reads it from Redis, so a Redis restart or eviction logs nobody out; pure cache sessions would.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "workbench"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Uploads for imports and background exports in an S3-compatible bucket (django-storages). Credentials
# come the way boto3 finds them (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a role).
WORKBENCH_S3_BUCKET = os.getenv("WORKBENCH_S3_BUCKET", "")
if WORKBENCH_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": WORKBENCH_S3_BUCKET,
            "endpoint_url": os.getenv("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("AWS_S3_REGION_NAME") or None,
            "location": os.getenv("WORKBENCH_S3_PREFIX", ""),
            "file_overwrite": False,
            # The bucket stays private: downloads go through the workbench, which checks who asks.
            "default_acl": None,
            "querystring_auth": True,
            # A file read back (an upload being imported) spills to a temporary file past 8 MiB.
            "max_memory_size": 8 * 2**20,
        },
    }

# A read replica: reads go there, writes, transactions and background jobs to the primary, and a
# browser that wrote reads from the primary for DATABASE_REPLICA_PIN_SECONDS after (workbench/routers.py).
DATABASE_REPLICA_URL = os.getenv("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_PIN_SECONDS = envint("DATABASE_REPLICA_PIN_SECONDS", "10")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "0"), conn_health_checks=True
    )
    # A copy of the primary, read with the same options (a statement timeout among them).
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # A test run against a replicated setup reads the test database through both names.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["workbench.routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "workbench.routers.PrimaryAfterWriteMiddleware",
    )
