"""The login page asked once every INTERVAL seconds for SECONDS, from its own process: how long it took.

    python benchmarks/load/probe.py URL --seconds 63 --interval 1

Prints one JSON line: probes, failed, the first, the slowest, and how many took longer than a second.
A separate process, so that the load generator's own busy loop does not slow the probe's clock.
"""

import argparse
import json
import time
import urllib.request

LIMIT_SECONDS = 1.0


def probe(url: str) -> float | None:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a loopback http URL we were given
            response.read()
            ok = response.status == 200
    except OSError:
        ok = False
    return time.perf_counter() - started if ok else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    took, failed, first = [], 0, "unset"
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        started = time.monotonic()
        seconds = probe(args.url)
        if first == "unset":
            first = seconds
        if seconds is None:
            failed += 1
        else:
            took.append(seconds)
        time.sleep(max(0.0, args.interval - (time.monotonic() - started)))
    print(
        json.dumps(
            {
                "probes": len(took) + failed,
                "failed": failed,
                "first_ms": round(first * 1000) if isinstance(first, float) else None,
                "max_ms": round(max(took) * 1000) if took else None,
                "over_1s": sum(seconds > LIMIT_SECONDS for seconds in took),
            }
        )
    )


if __name__ == "__main__":
    main()
