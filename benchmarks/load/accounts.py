"""The load test's side of the database: the simulated editors' accounts, and counting their writes after.

    python benchmarks/load/accounts.py prepare --users 50
    python benchmarks/load/accounts.py count WRITES.jsonl --run RUN

It reads DATABASE_URL as `make serve` does, so it sees the database the server writes to.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("WORKBENCH_STATEMENT_TIMEOUT_MS", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402

from claims.models import Claim, EvidenceLink  # noqa: E402
from workbench.roles import EDITOR  # noqa: E402

PREFIX = "load-editor-"
PASSWORD = "load-test-only-password"  # noqa: S105 - accounts for the load test on a local database


def username(index: int) -> str:
    return f"{PREFIX}{index:03d}"


def prepare(users: int) -> None:
    group = Group.objects.get(name=EDITOR)
    made = 0
    for index in range(users):
        user, created = User.objects.get_or_create(username=username(index))
        if created:
            user.set_password(PASSWORD)
            user.save()
            made += 1
        user.groups.add(group)
    print(json.dumps({"accounts": users, "created": made, "claims": Claim.objects.count()}))


def count(log: Path, run: str) -> None:
    """Every write the server acknowledged, looked up in the database: each one must be there.

    Also how many the run saved in all: a write cut off when the run stopped may be saved unacknowledged.
    """
    writes = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    tags = {w["claim"]: w["wording"] for w in writes if w["kind"] == "tag"}
    links = {w["url"] for w in writes if w["kind"] == "link"}
    edits = {(w["claim"], w["wording"]) for w in writes if w["kind"] == "edit"}
    found_tags = {
        pk
        for pk, wording in Claim.history.filter(id__in=tags, history_type="+").values_list("id", "wording")
        if tags[pk] == wording
    }
    found_links = set(EvidenceLink.objects.filter(url__in=links).values_list("url", flat=True))
    edited = {pk for pk, _ in edits}
    found_edits = set(Claim.history.filter(id__in=edited, history_type="~").values_list("id", "wording")) & edits
    history = Claim.history.filter(wording__startswith=f"load {run} ")
    result = {
        "tag": {
            "acknowledged": len(tags),
            "found": len(found_tags),
            "saved": history.filter(history_type="+").count(),
        },
        "link": {
            "acknowledged": len(links),
            "found": len(found_links),
            "saved": EvidenceLink.objects.filter(url__startswith=f"https://example.org/load/{run}/").count(),
        },
        "edit": {
            "acknowledged": len(edits),
            "found": len(found_edits),
            "saved": history.filter(wording__startswith=f"load {run} edit ")
            .order_by()
            .values("wording")
            .distinct()
            .count(),
        },
    }
    result["lost"] = sum(kind["acknowledged"] - kind["found"] for kind in result.values())
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare").add_argument("--users", type=int, required=True)
    counting = commands.add_parser("count")
    counting.add_argument("log", type=Path)
    counting.add_argument("--run", required=True, help="the run's id, in every wording and URL it wrote")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.users)
    else:
        count(args.log, args.run)


if __name__ == "__main__":
    main()
