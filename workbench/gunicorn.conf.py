"""gunicorn's settings: `gunicorn -c workbench/gunicorn.conf.py workbench.wsgi` (`make serve` runs it).

Sync workers, 2 x cores + 1 by default (gunicorn's own advice: while one waits on PostgreSQL another
renders), or WEB_CONCURRENCY. Each request is bounded three times over: PostgreSQL cancels a statement
after WORKBENCH_STATEMENT_TIMEOUT_MS (the page answers 503), gunicorn kills a worker silent for longer
than `timeout`, and a restarted worker finishes its request within `graceful_timeout`.
"""

import multiprocessing
import os

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
# Longer than the statement timeout (5 s by default), so a slow query ends as a clean 503 page first.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Workers are replaced now and then, at different times, so a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# gunicorn 27's control socket is one path per user: unused here, and two servers on a machine would share it.
control_socket_disable = True
