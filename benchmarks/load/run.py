"""The load test: simulated editors against a running `make serve`, as ratios against its login page.

    make serve &                # in another terminal; then
    make load                   # or: python benchmarks/load/run.py --host http://127.0.0.1:8000 [--users 20 50]

For each number of users, two bounded runs of --seconds each (after a few seconds' warm-up that is not
counted), on loopback only:
1. the baseline: as many users asking for the login page alone, as fast as it answers;
2. editors reading and writing (locustfile.py), with the login page probed once a second from another
   process, and again right after the editors stop (the old failure: workers still rendering for
   clients that had gone, so the login page got no answer for 30 s).
Then every write the server acknowledged is looked up in the database (accounts.py; DATABASE_URL must
be the server's). Prints the figures and each target: 0 errors, 0 lost writes, read throughput at least
0.25 x the login page's, p95 under 1 s, the login page answering within 1 s during and after.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUN = uuid.uuid4().hex[:8]
WRITES = Path(f"/tmp/workbench-load-{RUN}.jsonl")  # noqa: S108 - a benchmark's output, outside the repository
os.environ["LOAD_RUN"] = RUN
os.environ["LOAD_WRITES"] = str(WRITES)

import gevent  # noqa: E402
import locust  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.stats import StatsEntry  # noqa: E402

sys.path.insert(0, str(HERE))
import locustfile  # noqa: E402

READ_RATIO_TARGET = 0.25
P95_TARGET_MS = 1000
PROBE_TARGET_MS = 1000
WRITES_NAMES = {"tag a claim", "link a source", "edit a claim"}
LOGIN_NAMES = {"login form", "log in"}
LOGIN_LIMIT_SECONDS = 120


def _python(script: str, *args: str, wait: bool = True):
    command = [sys.executable, str(HERE / script), *args]
    if not wait:
        return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own scripts
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)  # noqa: S603


def _merged(env: Environment, names) -> StatsEntry:
    merged = StatsEntry(env.stats, "merged", "", use_response_times_cache=False)
    for entry in env.stats.entries.values():
        if entry.name in names:
            merged.extend(entry)
    return merged


def _figures(entry: StatsEntry, seconds: float) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "per_second": round(entry.num_requests / seconds, 1),
        "median_ms": entry.get_response_time_percentile(0.5) if entry.num_requests else None,
        "p95_ms": entry.get_response_time_percentile(0.95) if entry.num_requests else None,
    }


def _run(host: str, user_class, users: int, warmup: float, seconds: float, think: float):
    """Start the users, let them log in and warm up, count `seconds` of requests, stop them."""
    user_class.wait_time = locust.between(0, 2 * think) if think else locust.constant(0)
    env = Environment(user_classes=[user_class], host=host, events=locust.events)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    # Logging in hashes a password, deliberately slow: 50 at once keep the server busy for a while.
    locustfile.SIGNED_IN.clear()
    deadline = time.monotonic() + LOGIN_LIMIT_SECONDS
    while user_class is locustfile.Editor and len(locustfile.SIGNED_IN) < users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    gevent.sleep(warmup)
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    measured = time.monotonic() - started
    runner.quit()
    return env, measured


def _settle(login_url: str, limit_seconds: float = 120) -> float:
    """Wait until the server is idle again (the login page answers at once), so runs do not overlap."""
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        asked = time.monotonic()
        try:
            urllib.request.urlopen(login_url, timeout=10).close()  # noqa: S310 - loopback
        except OSError:
            pass
        if time.monotonic() - asked < 0.1:
            break
        gevent.sleep(0.5)
    return round(time.monotonic() - started, 1)


def one_size(host: str, users: int, warmup: float, seconds: float, think: float) -> dict:
    login_url = f"{host}/accounts/login/"
    _settle(login_url)
    baseline_env, baseline_seconds = _run(host, locustfile.LoginPage, users, warmup, seconds, 0)
    baseline = _figures(baseline_env.stats.total, baseline_seconds)

    locustfile.ACKNOWLEDGED.clear()
    locustfile.REFUSED.clear()
    during = _python("probe.py", login_url, "--seconds", str(warmup + seconds), wait=False)
    env, measured = _run(host, locustfile.Editor, users, warmup, seconds, think)
    after = _python("probe.py", login_url, "--seconds", "3", "--interval", "0.25")
    during = json.loads(during.communicate()[0])
    drained = _settle(login_url)
    every_name = {entry.name for entry in env.stats.entries.values()}
    reads = _figures(_merged(env, every_name - WRITES_NAMES - LOGIN_NAMES), measured)
    writes = _figures(_merged(env, WRITES_NAMES), measured)
    pages = {
        entry.name: _figures(entry, measured) for entry in sorted(env.stats.entries.values(), key=lambda e: e.name)
    }
    errors = {f"{error.method} {error.name}: {error.error}": error.occurrences for error in env.stats.errors.values()}
    counted = _python("accounts.py", "count", str(WRITES), "--run", RUN)
    return {
        "users": users,
        "seconds": round(measured, 1),
        "think_seconds": think,
        "login_baseline": baseline,
        "reads": reads,
        "writes": writes,
        "all": _figures(env.stats.total, measured),
        "pages": pages,
        "errors": errors,
        "refused_stale": len(locustfile.REFUSED),
        "writes_counted": counted,
        "probe_during": during,
        "probe_after": after,
        "idle_again_after_seconds": drained,
    }


def verdicts(result: dict) -> list[tuple[str, str, bool]]:
    ratio = result["reads"]["per_second"] / max(result["login_baseline"]["per_second"], 0.1)
    p95 = result["all"]["p95_ms"] or 0
    during, after = result["probe_during"], result["probe_after"]
    return [
        ("errors", f"{result['all']['failures']} (target 0)", result["all"]["failures"] == 0),
        ("lost writes", f"{result['writes_counted']['lost']} (target 0)", result["writes_counted"]["lost"] == 0),
        (
            "read throughput / login page",
            f"{result['reads']['per_second']} / {result['login_baseline']['per_second']} req/s = {ratio:.2f}"
            f" (target >= {READ_RATIO_TARGET})",
            ratio >= READ_RATIO_TARGET,
        ),
        ("p95, every request", f"{p95} ms (target < {P95_TARGET_MS})", p95 < P95_TARGET_MS),
        (
            "login page during the run",
            f"slowest {during['max_ms']} ms of {during['probes']}, {during['failed']} failed"
            f" (target < {PROBE_TARGET_MS})",
            during["failed"] == 0 and during["over_1s"] == 0,
        ),
        (
            "login page right after",
            f"first {after['first_ms']} ms, slowest {after['max_ms']} ms (target < {PROBE_TARGET_MS})",
            after["failed"] == 0 and after["over_1s"] == 0,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--think", type=float, default=0, help="mean pause between an editor's requests")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    if not args.host.startswith(("http://127.", "http://localhost", "http://[::1]")):
        parser.error("the load test only targets a server on this machine's loopback")
    try:
        urllib.request.urlopen(f"{args.host}/accounts/login/", timeout=5).close()  # noqa: S310 - loopback
    except OSError as error:
        parser.error(f"no server answers at {args.host} ({error}): start `make serve` first")
    print(json.dumps(_python("accounts.py", "prepare", "--users", str(max(args.users)))))

    results, passed = [], True
    for users in args.users:
        result = one_size(args.host, users, args.warmup, args.seconds, args.think)
        results.append(result)
        print(f"\n{users} users, {result['seconds']} s, run {RUN}")
        for name, figures in result["pages"].items():
            print(
                f"  {name:24} {figures['per_second']:7} req/s  median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms"
            )
        print(f"  writes counted: {json.dumps(result['writes_counted'])}; refused as stale: {result['refused_stale']}")
        print(f"  idle again {result['idle_again_after_seconds']} s after the probe that followed the run")
        for error, occurrences in result["errors"].items():
            print(f"  error x{occurrences}: {error}")
        for name, figure, ok in verdicts(result):
            passed &= ok
            print(f"  {'PASS' if ok else 'FAIL'}  {name}: {figure}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
