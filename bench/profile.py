"""Where a booking request's CPU goes: N bookings through the whole WSGI stack (middleware,
ninja, auth, the service, serialisation) under cProfile, without HTTP or concurrency.

Run by ``PROFILE=1 make bench`` (needs the bench's database and environment).
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path


def main() -> None:
    from bench.fixtures import _django

    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = Path(sys.argv[1])
    users = json.loads((out / "users.json").read_text())["tokens"]
    sess = json.loads((out / "sessions-rush.json").read_text())
    body = json.dumps({"participants": [{"full_name": "Иванова Мария Петровна"}]})
    client = Client(HTTP_HOST="127.0.0.1")
    n = min(200, len(users), sess["capacity"])

    def post(session_id: int, key: str):
        return client.post(
            f"/api/v1/tourism/sessions/{session_id}/bookings",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    def book(i: int):
        return post(sess["sessions"][i % len(sess["sessions"])], users[i])

    for i in range(10):  # warm-up
        book(i)
    half = (n - 11) // 2
    t0 = time.process_time()
    for _ in range(half):
        client.get(f"/api/v1/tourism/sessions/{sess['sessions'][0]}")
    read_ms = (time.process_time() - t0) / half * 1000
    t0 = time.process_time()
    plain = [book(i).status_code for i in range(11 + half, n)]
    book_ms = (time.process_time() - t0) / len(plain) * 1000
    print(
        f"CPU of this process (no profiler): GET session {read_ms:.2f} ms, "
        f"POST booking {book_ms:.2f} ms ({len(plain)} requests, codes {sorted(set(plain))})"
    )
    # A refusal: the last session, filled to capacity first, then asked by the remaining users.
    full = sess["sessions"][-1]
    first_free = n
    for i in range(first_free, first_free + sess["capacity"]):
        post(full, users[i])
    rest = users[first_free + sess["capacity"] : first_free + sess["capacity"] + 200]
    t0 = time.process_time()
    refused = [post(full, key).status_code for key in rest]
    if refused:
        print(
            f"CPU of this process (no profiler): POST booking refused "
            f"{(time.process_time() - t0) / len(refused) * 1000:.2f} ms "
            f"({len(refused)} requests, codes {sorted(set(refused))})"
        )
    n = 11 + half
    with CaptureQueriesContext(connection) as ctx:
        response = book(10)
    print(f"status {response.status_code}; {len(ctx.captured_queries)} queries:")
    for q in ctx.captured_queries:
        print("  ", q["sql"][:160])
    prof = cProfile.Profile(time.process_time)  # CPU, not wall: waits on PostgreSQL cost none
    t0 = time.process_time()
    prof.enable()
    codes = [book(i).status_code for i in range(11, n)]
    prof.disable()
    cpu = (time.process_time() - t0) / len(codes)
    print(f"{len(codes)} requests, codes {sorted(set(codes))}, {cpu * 1000:.2f} ms CPU each")
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(90)
    print(s.getvalue())


if __name__ == "__main__":
    main()
