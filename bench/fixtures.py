"""Bench data written straight to the database in bulk, and the overbooking check.

Runs inside Django (``python -m bench.fixtures ...`` or imported by the smoke test). Users,
tokens and sessions are bulk-inserted: the bench measures booking, not sign-up. Every user
has a confirmed e-mail and one API token; keys are written to the fixture JSON, which only
ever points at a throwaway database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import secrets
import sys
from pathlib import Path

EMAIL_DOMAIN = "bench.invalid"


def _django() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def make_users(*, count: int, start: int = 0) -> list[str]:
    """``count`` visitors with confirmed e-mail and one API token each; returns the keys."""
    from django.db import transaction

    from mosprom.accounts.models import ApiToken, User
    from mosprom.accounts.tokens import TOKEN_PREFIX
    from mosprom.core import clock

    now = clock.now()
    keys = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in range(count)]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"rush{start + i}@{EMAIL_DOMAIN}",
                    password="!",  # noqa: S106 — unusable: API tokens only
                    first_name="Участник",
                    last_name=f"Нагрузочный {start + i}",
                    email_confirmed_at=now,
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        ApiToken.objects.bulk_create(
            [
                ApiToken(
                    user=user,
                    name="bench",
                    prefix=key[:8],
                    key_hash=hashlib.sha256(key.encode()).hexdigest(),
                )
                for user, key in zip(users, keys, strict=True)
            ],
            batch_size=1000,
        )
    return keys


def make_sessions(*, label: str, sessions: int, places: int, experiences: int = 10) -> dict:
    """A season open for registration since a minute ago with ``sessions`` × ``places``."""
    from django.db import transaction

    from mosprom.core import clock
    from mosprom.core.validators import inn_complete, ogrn_complete
    from mosprom.registry.models import Enterprise, Industry, ProductionSite
    from mosprom.tourism.models import Experience, ExperienceKind, Season, Session

    today = clock.today()
    salt = secrets.randbelow(10**6)
    with transaction.atomic():
        season = Season.objects.create(
            name=f"Нагрузочный сезон {label}",
            starts_on=today + dt.timedelta(days=10),
            ends_on=today + dt.timedelta(days=24),
            registration_opens_at=clock.now() - dt.timedelta(minutes=1),
        )
        industry = Industry.objects.order_by("code").first()
        exps = []
        for n in range(min(experiences, sessions)):
            seq = salt * 100 + n
            enterprise = Enterprise.objects.create(
                short_name=f"Завод {label}-{n}",
                legal_name=f"АО «Завод {label}-{n}»",
                inn=inn_complete(f"77{seq % 10**7:07d}"),
                ogrn=ogrn_complete(f"10277{seq % 10**7:07d}"),
                industry=industry,
                okved=f"{industry.code}.11" if industry else "",
                okrug="CAO",
            )
            site = ProductionSite.objects.create(
                enterprise=enterprise,
                name="Основная площадка",
                address="Москва, ул. Заводская, д. 1",
                okrug="CAO",
            )
            exps.append(
                Experience.objects.create(
                    enterprise=enterprise,
                    site=site,
                    kind=ExperienceKind.EXCURSION,
                    title=f"Экскурсия по цеху {label}-{n}",
                    meeting_point="Проходная №1",
                )
            )
        rows = []
        for n in range(sessions):
            day = season.starts_on + dt.timedelta(days=1 + n % 12)
            starts_at = clock.start_of_day(day) + dt.timedelta(hours=9 + n % 9, minutes=n)
            rows.append(
                Session(
                    experience=exps[n % len(exps)],
                    season=season,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=90),
                    capacity=places,
                )
            )
        created = Session.objects.bulk_create(rows)
    return {
        "label": label,
        "season": season.pk,
        "sessions": [s.pk for s in created],
        "experiences": [e.pk for e in exps],
        "capacity": sessions * places,
    }


def overbooking(*, season_id: int) -> dict:
    """What the database holds after a run: places beyond capacity and counters that differ
    from the sum of active bookings (both must be 0)."""
    from django.db.models import Count, Sum

    from mosprom.tourism.models import Booking, BookingStatus, SeasonAllowance, Session

    active = {
        row["session_id"]: row
        for row in Booking.objects.filter(
            session__season_id=season_id, status=BookingStatus.CONFIRMED
        )
        .values("session_id")
        .annotate(places=Sum("places"), n=Count("id"))
    }
    beyond = counter_mismatch = full = 0
    sessions = list(Session.objects.filter(season_id=season_id).values("pk", "capacity", "taken"))
    for s in sessions:
        held = active.get(s["pk"], {}).get("places") or 0
        beyond += max(0, held - s["capacity"])
        counter_mismatch += held != s["taken"]
        full += held >= s["capacity"]
    per_user = dict(
        Booking.objects.filter(session__season_id=season_id, status=BookingStatus.CONFIRMED)
        .values("user_id")
        .annotate(places=Sum("places"))
        .values_list("user_id", "places")
    )
    allowance_mismatch = quota_beyond = 0
    for user_id, taken, allowed in SeasonAllowance.objects.filter(season_id=season_id).values_list(
        "user_id", "taken", "allowed"
    ):
        allowance_mismatch += per_user.get(user_id, 0) != taken
        quota_beyond += max(0, per_user.get(user_id, 0) - allowed)
    confirmed = sum(row["n"] for row in active.values())
    return {
        "sessions": len(sessions),
        "capacity": sum(s["capacity"] for s in sessions),
        "confirmed_bookings": confirmed,
        "places_taken": sum((row["places"] or 0) for row in active.values()),
        "sessions_full": full,
        "places_beyond_capacity": beyond,
        "session_counters_off": counter_mismatch,
        "allowance_counters_off": allowance_mismatch,
        "places_beyond_quota": quota_beyond,
        "overbooked": beyond + counter_mismatch + allowance_mismatch + quota_beyond,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.fixtures")
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("users", help="bulk users + tokens; keys to --out")
    u.add_argument("--count", type=int, required=True)
    u.add_argument("--out", required=True)
    s = sub.add_parser("sessions", help="a fresh season with sessions; ids to --out")
    s.add_argument("--label", required=True)
    s.add_argument("--sessions", type=int, default=50)
    s.add_argument("--places", type=int, default=20)
    s.add_argument("--out", required=True)
    c = sub.add_parser("check", help="overbooking check of a season as JSON")
    c.add_argument("--season", type=int, required=True)
    args = ap.parse_args(argv)
    _django()
    if args.cmd == "users":
        Path(args.out).write_text(json.dumps({"tokens": make_users(count=args.count)}))
    elif args.cmd == "sessions":
        data = make_sessions(label=args.label, sessions=args.sessions, places=args.places)
        Path(args.out).write_text(json.dumps(data))
    else:
        json.dump(overbooking(season_id=args.season), sys.stdout)


if __name__ == "__main__":
    main()
