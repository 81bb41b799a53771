"""CPU seconds (user + system) per process group from /proc, for "who used the cores".

``python -m bench.cpu snap > before.json`` … ``python -m bench.cpu diff before.json``.
Exited children are counted through their parent's cutime/cstime (the app server's master
reaps its workers, the postmaster reaps backends). The app server (gunicorn or granian) is the
group "server".
"""

from __future__ import annotations

import json
import os
import sys

HZ = os.sysconf("SC_CLK_TCK")


def group(cmd: str) -> str:
    if "gunicorn" in cmd or "granian" in cmd:
        return "server"
    if cmd.startswith("postgres") or "/postgres " in cmd or "bin/postgres" in cmd:
        return "postgres"
    if "bench.rush" in cmd or "pgbench" in cmd:
        return "loadgen"
    if "pytest" in cmd:
        return "pytest (other engineers)"
    return "other"


def machine_busy() -> float:
    """CPU seconds the whole machine spent not idle (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return (sum(cpu[:8]) - cpu[3] - cpu[4]) / HZ  # minus idle and iowait


def snap() -> dict[str, float]:
    groups: dict[str, float] = {"machine_busy": machine_busy()}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rindex(")") + 2 :].split()
        cpu = (int(fields[11]) + int(fields[12])) / HZ
        g = group(cmd)
        if g in ("server", "postgres"):
            cpu += (int(fields[13]) + int(fields[14])) / HZ
        groups[g] = groups.get(g, 0.0) + cpu
    return groups


def diff(before: dict[str, float]) -> dict[str, float]:
    """CPU seconds of the bench's own processes during the interval, and of everything else.

    Per-group figures of other processes are unreliable (processes that exit take their CPU
    with them), so the rest of the machine is the machine's busy time minus ours.
    """
    after = snap()
    ours = {
        k: round(after.get(k, 0) - before.get(k, 0), 1) for k in ("server", "postgres", "loadgen")
    }
    busy = round(after["machine_busy"] - before["machine_busy"], 1)
    return {**ours, "everything_else": round(busy - sum(ours.values()), 1), "machine_busy": busy}


if __name__ == "__main__":
    if sys.argv[1:2] == ["diff"]:
        with open(sys.argv[2]) as f:
            print(json.dumps(diff(json.load(f))))
    else:
        print(json.dumps(snap()))
