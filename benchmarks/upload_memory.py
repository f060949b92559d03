"""Peak memory of an admin upload, its preview and its import, for a small and a large upload.

Each size runs in a fresh process, from the request body on: Django parses a multipart body read from
a file on disk (as a server reads it from the socket), the upload is stored, previewed and imported
into a throwaway SQLite database, and the process's peak resident memory is what it reports. The
baseline is the same for a 2 MiB upload. Target: 100 MiB within 1.5x of 2 MiB's peak, whatever the
format (JSON Lines, a JSON array, CSV).

    .venv/bin/python benchmarks/upload_memory.py [--large-mib 100] [--formats jsonl,json,csv]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_MIB, TARGET = 2, 1.5
BOUNDARY = "workbench-benchmark-boundary"


def body(path: Path, size: int, kind: str) -> int:
    """A multipart body with one file of about `size` bytes of generated articles; its length."""
    with path.open("wb") as out:
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="feed.{kind}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        written, n = 0, 0
        if kind == "json":
            written += out.write(b"[")
        elif kind == "csv":
            written += out.write(b"title,url,text\r\n")
        while written < size:
            text = f"Report {n} from the wire. " + " ".join(
                f"Sentence {n}.{i} says something checkable." for i in range(60)
            )
            item = {"title": f"Report {n}", "url": f"https://wire.example/{n}", "text": text}
            if kind == "jsonl":
                line = json.dumps(item) + "\n"
            elif kind == "json":
                line = ("," if n else "") + json.dumps(item)
            else:
                line = f'"Report {n}",https://wire.example/{n},"{text}"\r\n'
            written += out.write(line.encode())
            n += 1
        if kind == "json":
            out.write(b"]")
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path.stat().st_size


def child(size: int, kind: str) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="workbench-upload-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="workbench.settings",
        SECRET_KEY="benchmark-only",  # noqa: S106 - a throwaway database's
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        # The passages and embeddings jobs run elsewhere (a db_worker); this measures the upload's own.
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        WORKBENCH_IMPORT_MAX_FILE_BYTES=str(400 * 2**20),
        WORKBENCH_IMPORT_MAX_UPLOAD_BYTES=str(400 * 2**20),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIRequest
    from django.core.management import call_command

    from articles import services

    call_command("migrate", verbosity=0)
    admin = get_user_model().objects.create_superuser("bench", password="x")  # noqa: S106
    length = body(workdir / "body", size, kind)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with (workdir / "body").open("rb") as stream:
        request = WSGIRequest(
            {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": "/admin/articles/article/import/",
                "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
                "CONTENT_LENGTH": str(length),
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "80",
                "wsgi.input": stream,
                "wsgi.url_scheme": "http",
            }
        )
        files = request.FILES.getlist("files")
        batch = services.import_batch_upload(files=files, user=admin)
    services.import_batch_preview(batch_id=batch.pk)
    batch.refresh_from_db()
    services.import_batch_confirm(batch=batch, user=admin)
    services.import_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_kib": peak, "setup_kib": before, "records": batch.records_done, "status": batch.status}))


def measure(size_mib: int, kind: str) -> dict:
    output = subprocess.run(  # noqa: S603 - this script, in a fresh process
        [sys.executable, __file__, "--child", str(size_mib * 2**20), kind], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-mib", type=int, default=100)
    parser.add_argument("--formats", default="jsonl,json,csv")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1])
        return 0
    missed = False
    print(f"Peak memory of upload, preview and import: {args.large_mib} MiB against {SMALL_MIB} MiB (target {TARGET}x)")
    for kind in args.formats.split(","):
        small, large = measure(SMALL_MIB, kind), measure(args.large_mib, kind)
        assert small["status"] == large["status"] == "done", (small, large)
        ratio = large["peak_kib"] / small["peak_kib"]
        missed |= ratio > TARGET
        print(
            f"  {kind:6} {SMALL_MIB} MiB: {small['peak_kib'] / 1024:6.0f} MiB peak ({small['records']:,} records)   "
            f"{args.large_mib} MiB: {large['peak_kib'] / 1024:6.0f} MiB peak ({large['records']:,} records)   "
            f"ratio {ratio:.2f} {'ok' if ratio <= TARGET else 'MISSED'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
