"""The bench's settings: production settings (config.settings, MOSPROM_MODE=production) with
the per-IP abuse limits raised, because every simulated visitor comes from 127.0.0.1.

The limiter stays on, so its cache round trip is part of what is measured; the per-account
limits keep their defaults (each bench user makes one attempt). BENCH_IP_LIMIT overrides.
"""

import os

from config.settings import *  # noqa: F403
from mosprom.core.ratelimit import DEFAULT_RATE_LIMITS

_ip_limit = os.environ.get("BENCH_IP_LIMIT", "1000000/m")
RATE_LIMITS = {scope: {"ip": _ip_limit} for scope in DEFAULT_RATE_LIMITS}
