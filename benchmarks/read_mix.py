"""CPU per request of the load test's read mix against the login page's, in the same run: what bounds the
read throughput of `make load` (read throughput / login page's, target 0.25) on a machine whose cores
are busy with other work, where timing the server itself says little.

The mix is the load test's (benchmarks/load/locustfile.py): per 20 reads, the claim list's page 1 four
times, a filtered page ("q=the" and a status) twice, a deep page twice, four claim pages and the suggested
sources each page's script then fetches, three readers and the activity feed. Each is asked for in process through Django's test client, signed in as an editor; the
CPU is this process's (Django) plus that of its PostgreSQL backend (read from /proc, so PostgreSQL on this
machine only), per request. The ratio is the login page's CPU over the mix's: throughput at saturation
goes as its inverse.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/read_mix.py [--rounds 12] [--by-page]

`--by-page` also prints each kind of read's CPU per request, to see where the mix's cost is.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to the PostgreSQL database that holds the corpus (make bench does).")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "false"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from claims.models import Claim  # noqa: E402

TARGET = 0.25
LOGINS = 400


def mix(rounds: int) -> list[str]:
    rnd = random.Random(7)  # noqa: S311 - the same mix on every run
    claims = list(Claim.objects.order_by("pk").values_list("pk", flat=True)[:5000:7])
    articles = list(Article.objects.current().order_by("pk").values_list("pk", flat=True)[:5000:7])
    pages = max(2, Claim.objects.count() // 50)
    urls = []
    for _ in range(rounds):
        urls += ["/claims/"] * 4
        urls += [f"/claims/?status={rnd.choice(['open', 'verified', 'disputed'])}&q=the" for _ in range(2)]
        urls += [f"/claims/?page={rnd.randint(2, pages)}" for _ in range(2)]
        for pk in rnd.choices(claims, k=4):
            urls += [f"/claims/{pk}/", f"/claims/{pk}/suggestions/"]
        urls += [f"/articles/{rnd.choice(articles)}/" for _ in range(3)]
        urls += ["/activity/"]
    return urls


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_per_request(client: Client, urls: list[str], pid: int, by_page: dict | None = None) -> tuple[float, float]:
    """The mean CPU of a request to `urls`, in Django and in PostgreSQL; `by_page` collects each kind's."""
    python, postgres = time.process_time(), backend_cpu(pid)
    for url in urls:
        before = (time.process_time(), backend_cpu(pid)) if by_page is not None else None
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if before:
            spent = by_page.setdefault(kind(url), [0, 0.0, 0.0])
            spent[0] += 1
            spent[1] += time.process_time() - before[0]
            spent[2] += backend_cpu(pid) - before[1]
    return (time.process_time() - python) / len(urls), (backend_cpu(pid) - postgres) / len(urls)


def kind(url: str) -> str:
    if url.endswith("/suggestions/"):
        return "suggestions"
    if url.startswith("/claims/?page="):
        return "claim list, deep page"
    if url.startswith("/claims/?"):
        return "claim list, filtered"
    if url == "/claims/":
        return "claim list, page 1"
    return {"claims": "claim page", "articles": "reader"}.get(url.split("/")[1], url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=12, help="rounds of 20 reads")
    parser.add_argument("--by-page", action="store_true", help="print each kind of read's CPU too")
    args = parser.parse_args()
    editor = get_user_model().objects.filter(groups__name="editor", is_active=True).first()
    if editor is None:
        sys.exit("No editor in this database: make a corpus first (manage.py generate_corpus).")
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(editor)
    urls = mix(args.rounds)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    for url in urls[:20]:  # warm: templates compiled, caches filled, as on a server that has been up
        signed_in.get(url)
    anonymous.get("/accounts/login/")
    login = sum(cpu_per_request(anonymous, ["/accounts/login/"] * LOGINS, pid))
    by_page = {} if args.by_page else None
    python, postgres = cpu_per_request(signed_in, urls, pid, by_page)
    for name, (n, in_python, in_postgres) in sorted((by_page or {}).items()):
        print(f"  {name}: {in_python / n * 1000:.1f} + {in_postgres / n * 1000:.1f} ms ({n} reads)")
    ratio = login / (python + postgres)
    print(f"login page: {login * 1000:.1f} ms CPU per request")
    print(f"read mix ({len(urls)} reads): {python * 1000:.1f} ms in Django + {postgres * 1000:.1f} ms in PostgreSQL")
    print(f"ratio (login CPU / read CPU): {ratio:.3f} (target >= {TARGET}) {'PASS' if ratio >= TARGET else 'MISS'}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
