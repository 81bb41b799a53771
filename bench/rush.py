"""The "rush" scenario's command line: ``load`` (no Django) and ``report`` (Django, the DB check).

  python -m bench.rush load --base http://127.0.0.1:PORT --users var/bench/users.json \
      --sessions var/bench/sessions-rush.json --attempts 5000 --concurrency 100 \
      [--readers 100] --out var/bench/load-rush.json
  python -m bench.rush report --load … --sessions … [--pgbench …] [--cpu …] --out rush.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bench.load import Conn, run_load, summarise


async def warm_up(base: str, session_id: int, n: int = 40) -> None:
    """Touch every worker's code path (routing, token check, the session read) before the clock
    runs. The booking attempts carry a token that matches no user (401): a real user's token
    would spend that user's per-account attempts before the rush."""
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


def cmd_load(args) -> None:
    users = json.loads(Path(args.users).read_text())
    sess = json.loads(Path(args.sessions).read_text())
    tokens = users["tokens"][args.token_offset : args.token_offset + args.attempts]
    browse = []
    if args.readers:
        browse = ["/tours/", f"/tours/{sess['experiences'][0]}/"]
    asyncio.run(warm_up(args.base, sess["sessions"][0]))
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
    for name in ("pgbench", "cpu", "meta"):
        path = getattr(args, name)
        if path and Path(path).exists():
            report[name] = json.loads(Path(path).read_text())
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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.rush")
    sub = ap.add_subparsers(dest="cmd", required=True)
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
    rp.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    {"load": cmd_load, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
