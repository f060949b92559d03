"""gunicorn's settings: `gunicorn -c workbench/gunicorn.conf.py workbench.wsgi` (`make serve` runs it).

Threaded workers: 2 x cores + 1 processes (WEB_CONCURRENCY), GUNICORN_THREADS threads each. Every request
is taken by a thread at once and shares the CPU with the others, rather than waiting in the socket's queue
for a worker: with sync workers, a login page (2 ms of CPU) queued behind heavy pages waited seconds while
50 editors kept every worker busy; shared, it takes a few slices of the CPU, so a cheap request is answered
soon however busy the server is (heavy ones take as long as before: the CPU is what it is). Enough threads
for the people working at once; each keeps its database connection for DB_CONN_MAX_AGE.

Each request is bounded three times over: PostgreSQL cancels a statement after
WORKBENCH_STATEMENT_TIMEOUT_MS (the page answers 503), gunicorn kills a worker silent for longer than
`timeout`, and a restarted worker finishes its requests within `graceful_timeout`.
"""

import multiprocessing
import os

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "gthread"
threads = int(os.getenv("GUNICORN_THREADS", "12"))
# Longer than the statement timeout (5 s by default), so a slow query ends as a clean 503 page first.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Workers are replaced now and then, at different times, so a slow leak cannot grow for ever; rarely, since
# a new worker loads the embedding model again on its first suggestions (seconds of CPU): at the login
# page's 500 requests a second, 2,000 replaced a worker every few seconds.
max_requests = 50_000
max_requests_jitter = 5_000
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# gunicorn 27's control socket is one path per user: unused here, and two servers on a machine would share it.
control_socket_disable = True


def post_worker_init(worker):
    """Each app's `warm_up()` as the worker starts, before it takes a request: the claims app loads the
    embedding model (claims.apps). Loaded by the first request for suggestions, it was imported while a
    dozen threads kept the interpreter busy, and every suggestion waited for it for half a minute."""
    from django.apps import apps

    for app in apps.get_app_configs():
        if hasattr(app, "warm_up"):
            app.warm_up()
