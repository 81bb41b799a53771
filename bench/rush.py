"""The "rush" scenario's command line: ``warm`` and ``load`` (no Django), ``report`` (Django,
the DB check) and ``combine`` (the repeats of a round into one result).

  python -m bench.rush warm --base http://127.0.0.1:PORT --users var/bench/users.json \
      --sessions var/bench/sessions-warm.json --attempts 300 --out var/bench/warm.json
  python -m bench.rush load --base http://127.0.0.1:PORT --users var/bench/users.json \
      --sessions var/bench/sessions-rush-1.json --attempts 5000 --concurrency 100 \
      [--readers 100] --out var/bench/load-rush-1.json
  python -m bench.rush report --load … --sessions … [--pgbench …] [--cpu …] --out rush-1.json
  python -m bench.rush combine --out rush.json rush-1.json rush-2.json …
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bench.load import Conn, run_load, summarise


async def warm_up(base: str, session_id: int, n: int = 40) -> None:
    """Touch every worker's routing, token check and session read before the clock runs. The
    booking attempts carry a token that matches no user (401)."""
    host, _, port = base.removeprefix("http://").partition(":")

    async def one(i: int) -> None:
        conn = Conn(host, int(port))
        if i % 2:
            await conn.request("GET", f"/api/v1/tourism/sessions/{session_id}")
        else:
            await conn.request(
                "POST",
                f"/api/v1/tourism/sessions/{session_id}/bookings",
                {"Authorization": "Bearer mp_warm-up", "Content-Type": "application/json"},
                b'{"participants": [{"full_name": "X"}]}',
            )
        conn.close()

    for start in range(0, n, 10):
        await asyncio.gather(*(one(i) for i in range(start, start + 10)))


def cmd_warm(args) -> None:
    """Before the first round's clock and CPU count: the touch of ``warm_up``, then bookings and
    refusals on a season of their own by users of their own (the file's last ones, never the
    measured ones). A server that has been up for hours when registration opens has run both
    paths in every worker thread and on every database connection — statements compiled and
    prepared, caches filled; a freshly started one has not. What they got is reported, not
    counted."""
    users = json.loads(Path(args.users).read_text())["tokens"]
    sessions = json.loads(Path(args.sessions).read_text())["sessions"]
    asyncio.run(warm_up(args.base, sessions[0]))
    out = {"attempts": 0}
    if args.attempts:
        assert args.attempts <= len(users) - args.keep, "the warm-up needs users of its own"
        run = asyncio.run(
            run_load(
                base=args.base,
                tokens=users[len(users) - args.attempts :],
                sessions=sessions,
                attempts=args.attempts,
                concurrency=args.concurrency,
                deadline_s=120,
                seed=2,
            )
        )
        out = {k: summarise(run)[k] for k in ("attempts", "codes", "server_errors", "wall_s")}
    Path(args.out).write_text(json.dumps(out))
    print(json.dumps({"warm_up": out}))


def cmd_load(args) -> None:
    users = json.loads(Path(args.users).read_text())
    sess = json.loads(Path(args.sessions).read_text())
    tokens = users["tokens"][args.token_offset : args.token_offset + args.attempts]
    browse = []
    if args.readers:
        browse = ["/tours/", f"/tours/{sess['experiences'][0]}/"]
    run = asyncio.run(
        run_load(
            base=args.base,
            tokens=tokens,
            sessions=sess["sessions"],
            attempts=args.attempts,
            concurrency=args.concurrency,
            readers=args.readers,
            browse_paths=browse,
            deadline_s=args.deadline,
        )
    )
    out = summarise(run)
    out.update(concurrency=args.concurrency, readers=args.readers)
    Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print(json.dumps({k: out[k] for k in ("attempts", "confirmed", "confirmed_per_s", "codes")}))


def cmd_report(args) -> None:
    from bench.fixtures import _django, overbooking

    _django()
    load = json.loads(Path(args.load).read_text())
    sess = json.loads(Path(args.sessions).read_text())
    db = overbooking(season_id=sess["season"])
    report = {
        "scenario": args.scenario,
        **{k: v for k, v in load.items() if k != "error_samples"},
        "overbooked": db["overbooked"],
        "db": db,
        "db_consistent_with_201s": db["confirmed_bookings"] == load["confirmed"],
        "error_samples": load.get("error_samples", {}),
    }
    for name in ("pgbench", "cpu", "meta", "warm"):
        path = getattr(args, name)
        if path and Path(path).exists():
            report["warm_up" if name == "warm" else name] = json.loads(Path(path).read_text())
    pg = report.get("pgbench", {}).get("tps")
    if pg and report.get("confirmed_per_s"):
        report["pgbench_ratio"] = round(report["confirmed_per_s"] / pg, 4)
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(
        json.dumps(
            {
                k: report.get(k)
                for k in (
                    "scenario",
                    "confirmed_per_s",
                    "overbooked",
                    "server_errors",
                    "pgbench_ratio",
                )
            }
        )
    )


def combine_rounds(reports: list[dict]) -> dict:
    """One result from the repeats of a round: the repeat with the median ``confirmed_per_s``
    (the lower of the two middle ones for an even count), with every repeat listed beside it.
    A failure is never hidden by the choice: ``overbooked`` and ``server_errors`` are summed over
    every repeat, ``db_consistent_with_201s`` holds only if it holds in each, and
    ``latency_p99_max_ms`` is the worst p99 of any repeat. (``db`` and ``codes`` are the median
    repeat's; each repeat's are in ``repeats``.)"""
    ordered = sorted(reports, key=lambda r: r["confirmed_per_s"] or 0)
    result = dict(ordered[(len(ordered) - 1) // 2])
    median_repeat = result["scenario"]
    rates = [r["confirmed_per_s"] or 0 for r in reports]
    result.update(
        repeats=[
            {
                "confirmed_per_s": r["confirmed_per_s"],
                "attempts_per_s": r["attempts_per_s"],
                "p99_ms": {k: r["latency_ms"][k]["p99"] for k in ("confirmed", "refused")},
                "overbooked": r["overbooked"],
                "server_errors": r["server_errors"],
                "db_consistent_with_201s": r["db_consistent_with_201s"],
                "codes": r["codes"],
                "cpu_seconds": r.get("cpu", {}).get("cpu_seconds"),
                "pgbench_tps": r.get("pgbench", {}).get("tps"),
            }
            for r in reports
        ],
        scenario="rush",
        median_repeat=median_repeat,
        confirmed_per_s_range=[min(rates), max(rates)],
        overbooked=sum(r["overbooked"] for r in reports),
        server_errors=sum(r["server_errors"] for r in reports),
        db_consistent_with_201s=all(r["db_consistent_with_201s"] for r in reports),
        latency_p99_max_ms={
            k: max((r["latency_ms"][k]["p99"] or 0) for r in reports)
            for k in ("confirmed", "refused", "all")
        },
    )
    return result


def cmd_combine(args) -> None:
    result = combine_rounds([json.loads(Path(p).read_text()) for p in args.rounds])
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    keys = ("confirmed_per_s", "confirmed_per_s_range", "overbooked", "server_errors")
    print(json.dumps({k: result[k] for k in keys}))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.rush")
    sub = ap.add_subparsers(dest="cmd", required=True)
    wm = sub.add_parser("warm")
    wm.add_argument("--base", required=True)
    wm.add_argument("--users", required=True)
    wm.add_argument("--sessions", required=True, help="the warm-up season's sessions")
    wm.add_argument("--attempts", type=int, default=300)
    wm.add_argument("--concurrency", type=int, default=20)
    wm.add_argument("--keep", type=int, default=0, help="the first KEEP users are the measured")
    wm.add_argument("--out", required=True)
    ld = sub.add_parser("load")
    ld.add_argument("--base", required=True)
    ld.add_argument("--users", required=True)
    ld.add_argument("--sessions", required=True)
    ld.add_argument("--attempts", type=int, default=5000)
    ld.add_argument("--concurrency", type=int, default=100)
    ld.add_argument("--readers", type=int, default=0)
    ld.add_argument("--token-offset", type=int, default=0)
    ld.add_argument("--deadline", type=float, default=300.0)
    ld.add_argument("--out", required=True)
    rp = sub.add_parser("report")
    rp.add_argument("--scenario", default="rush")
    rp.add_argument("--load", required=True)
    rp.add_argument("--sessions", required=True)
    rp.add_argument("--pgbench")
    rp.add_argument("--cpu")
    rp.add_argument("--meta")
    rp.add_argument("--warm")
    rp.add_argument("--out", required=True)
    cb = sub.add_parser("combine")
    cb.add_argument("--out", required=True)
    cb.add_argument("rounds", nargs="+")
    args = ap.parse_args(argv)
    {"warm": cmd_warm, "load": cmd_load, "report": cmd_report, "combine": cmd_combine}[args.cmd](
        args
    )


if __name__ == "__main__":
    sys.exit(main())
