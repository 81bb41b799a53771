"""Bounded load generator: raw HTTP/1.1 over asyncio (keep-alive when the server allows it).

Rush: ``attempts`` POST /api/v1/tourism/sessions/{id}/bookings, one place each, a random
session, each attempt by a different user (its own Bearer token), ``concurrency`` clients in a
closed loop. Browse (optional, at the same time): ``readers`` clients GET the season calendar
and an experience page until the rush ends. Only talks to 127.0.0.1; bounded by count and by a
deadline. No Django import: the load generator's CPU is its own.
"""

from __future__ import annotations

import asyncio
import collections
import json
import random
import time
from dataclasses import dataclass, field

BOOKING_BODY = json.dumps(
    {"participants": [{"full_name": "Иванова Мария Петровна", "birth_date": "1990-05-17"}]}
).encode()


class Conn:
    """One HTTP/1.1 connection to host:port, reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        assert host in ("127.0.0.1", "localhost", "::1"), "loopback only"
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.opened += 1

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, bytes]:
        for attempt in (1, 2):
            reused = self.writer is not None
            if not reused:
                await self._open()
            try:
                return await self._roundtrip(method, path, headers or {}, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if not reused or attempt == 2:  # a fresh connection failing is a real error
                    raise
        raise AssertionError("unreachable")

    async def _roundtrip(self, method, path, headers, body) -> tuple[int, bytes]:
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, status_line.startswith(b"HTTP/1.0")
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection":
                close = value == "close"
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            data = b"".join(parts)
        elif length is not None:
            data = await self.reader.readexactly(length)
        else:
            data = await self.reader.read()
            close = True
        if close:
            self.close()
        return status, data


def pct(sorted_vals: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an already sorted list (seconds in, ms out)."""
    if not sorted_vals:
        return None
    k = min(len(sorted_vals) - 1, max(0, round(p / 100.0 * len(sorted_vals) + 0.5) - 1))
    return round(sorted_vals[k] * 1000, 1)


def lat(vals: list[float]) -> dict:
    s = sorted(vals)
    return {
        "n": len(s),
        "p50": pct(s, 50),
        "p95": pct(s, 95),
        "p99": pct(s, 99),
        "max": round(s[-1] * 1000, 1) if s else None,
    }


@dataclass
class Outcome:
    start: float
    end: float
    kind: str  # "201" or "409/sold_out", "500", "exc/ConnectionResetError" …


@dataclass
class Run:
    rush: list[Outcome] = field(default_factory=list)
    browse: dict[str, list[Outcome]] = field(default_factory=lambda: collections.defaultdict(list))
    samples: dict[str, str] = field(default_factory=dict)
    wall: float = 0.0
    connections: int = 0


def classify(status: int, data: bytes) -> str:
    if status == 201 or status >= 500:
        return str(status)
    try:
        return f"{status}/{json.loads(data).get('code', '')}"
    except (ValueError, AttributeError):
        return str(status)


async def run_load(
    *,
    base: str,
    tokens: list[str],
    sessions: list[int],
    attempts: int,
    concurrency: int,
    readers: int = 0,
    browse_paths: list[str] | None = None,
    deadline_s: float = 300.0,
    timeout_s: float = 60.0,
    seed: int = 1,
) -> Run:
    """Fire the rush (and the readers) and collect every answer's timing and code."""
    host, _, port = base.removeprefix("http://").rstrip("/").partition(":")
    port = int(port or 80)
    assert len(tokens) >= attempts, "one distinct user per attempt"
    rnd = random.Random(seed)
    plan = [(tokens[i], rnd.choice(sessions)) for i in range(attempts)]
    run = Run()
    todo = iter(plan)
    done = asyncio.Event()
    conns: list[Conn] = []
    t0 = time.perf_counter()
    stop_at = t0 + deadline_s

    async def booker() -> None:
        conn = Conn(host, port)
        conns.append(conn)
        for token, session_id in todo:
            if time.perf_counter() > stop_at:
                return
            ts = time.perf_counter()
            try:
                status, data = await asyncio.wait_for(
                    conn.request(
                        "POST",
                        f"/api/v1/tourism/sessions/{session_id}/bookings",
                        {
                            "Authorization": f"Bearer {token}",
                            "Content-Type": "application/json",
                            "Accept": "application/json",
                        },
                        BOOKING_BODY,
                    ),
                    timeout_s,
                )
                kind = classify(status, data)
                if kind != "201":
                    run.samples.setdefault(kind, data[:300].decode("utf-8", "replace"))
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                conn.close()
                kind = f"exc/{type(e).__name__}"
                run.samples.setdefault(kind, repr(e)[:300])
            run.rush.append(Outcome(ts - t0, time.perf_counter() - t0, kind))
        conn.close()

    async def reader(n: int) -> None:
        conn = Conn(host, port)
        conns.append(conn)
        paths = browse_paths or []
        i = n
        while not done.is_set() and time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            ts = time.perf_counter()
            try:
                status, _body = await asyncio.wait_for(
                    conn.request("GET", path, {"Accept": "text/html"}), timeout_s
                )
                kind = str(status)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                conn.close()
                kind = f"exc/{type(e).__name__}"
            run.browse[path].append(Outcome(ts - t0, time.perf_counter() - t0, kind))
        conn.close()

    async def rush() -> None:
        await asyncio.gather(*(booker() for _ in range(concurrency)))
        done.set()

    tasks = [rush()]
    if readers and browse_paths:
        tasks += [reader(n) for n in range(readers)]
    await asyncio.gather(*tasks)
    run.wall = time.perf_counter() - t0
    run.connections = sum(c.opened for c in conns)
    return run


def summarise(run: Run) -> dict:
    """The figures of rush.json (without the database check)."""
    ok = [o for o in run.rush if o.kind == "201"]
    refused = [o for o in run.rush if o.kind != "201" and not _is_error(o.kind)]
    t_last = max((o.end for o in ok), default=0.0)
    codes = collections.Counter(o.kind for o in run.rush)
    out = {
        "attempts": len(run.rush),
        "confirmed": len(ok),
        "wall_s": round(run.wall, 2),
        "time_to_sold_out_s": round(t_last, 2),
        "confirmed_per_s": round(len(ok) / t_last, 1) if t_last else None,
        "attempts_per_s": round(len(run.rush) / run.wall, 1) if run.wall else None,
        "attempts_per_s_until_sold_out": (
            round(sum(1 for o in run.rush if o.end <= t_last) / t_last, 1) if t_last else None
        ),
        "latency_ms": {
            "confirmed": lat([o.end - o.start for o in ok]),
            "refused": lat([o.end - o.start for o in refused]),
            "all": lat([o.end - o.start for o in run.rush]),
        },
        "codes": dict(sorted(codes.items())),
        "server_errors": sum(n for k, n in codes.items() if _is_error(k)),
        "connections_opened": run.connections,
        "error_samples": run.samples,
    }
    if run.browse:
        out["browse"] = {
            path: {
                "requests": len(items),
                "codes": dict(collections.Counter(o.kind for o in items)),
                "latency_ms": lat([o.end - o.start for o in items]),
            }
            for path, items in run.browse.items()
        }
    return out


def _is_error(kind: str) -> bool:
    return kind.startswith("exc/") or kind[:1] == "5"
