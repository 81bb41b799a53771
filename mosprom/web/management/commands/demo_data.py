"""``manage.py demo_data``: the demo registry, accounts, tour programme, quiz games and export
support (missions, fairs, the fair vote), SEZ residents' reports, and the online tours, audience
and awards from the press releases.

    manage.py demo_data                    # named enterprises, demo accounts, a current
                                           # season of tours, a season of quiz
                                           # games (idempotent)
    manage.py demo_data --enterprises 4600 # … plus 4,600 synthetic enterprises (benchmarks)
    manage.py demo_data --print-logins     # only print the demo logins (make run does this)

Every record is flagged as demo data; the shared password is for local demos only.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from mosprom.accounts.demo import accounts_demo_load, accounts_demo_logins
from mosprom.export.demo import ExportDemo, export_demo_load
from mosprom.games.demo import GamesDemo, games_demo_load
from mosprom.media.demo import MediaDemo, media_demo_load
from mosprom.registry.demo import (
    registry_demo_generate,
    registry_demo_load,
    registry_demo_memberships_load,
)
from mosprom.registry.models import Enterprise, SEZMembership, SEZStatus
from mosprom.sez.demo import SezDemo, sez_demo_load
from mosprom.tourism.demo import TourismDemo, tourism_demo_load


class Command(BaseCommand):
    help = "Load the demo data built from the seeds; optionally add synthetic enterprises."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enterprises",
            type=int,
            default=0,
            metavar="N",
            help="also generate N synthetic demo enterprises (≈4600 is the real scale)",
        )
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="only print the demo accounts' logins, change nothing",
        )

    def handle(self, *args, enterprises: int = 0, print_logins: bool = False, **options) -> None:
        if print_logins:
            self._print_logins(accounts_demo_logins())
            return
        if enterprises < 0:
            self.stderr.write("--enterprises must be zero or more")
            raise SystemExit(2)
        started = time.monotonic()
        seeded = registry_demo_load()
        logins = accounts_demo_load()
        registry_demo_memberships_load()
        tours = tourism_demo_load()
        games = games_demo_load()
        export = export_demo_load()
        sez = sez_demo_load()
        media = media_demo_load()
        generated = registry_demo_generate(enterprises) if enterprises else 0
        if options["verbosity"] < 1:
            return
        members = SEZMembership.objects.all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.1f}s: "
                f"{len(seeded)} named enterprises, {generated} synthetic added; "
                f"registry now {Enterprise.objects.count()} enterprises, "
                f"{members.count()} SEZ companies "
                f"({members.filter(status=SEZStatus.RESIDENT).count()} residents); "
                f"{len(logins)} demo accounts; "
                + self._tours_line(tours)
                + " "
                + self._games_line(games)
                + " "
                + self._export_line(export)
                + " "
                + self._sez_line(sez)
                + " "
                + self._media_line(media)
            )
        )
        if options["verbosity"] > 1:
            self._print_logins(logins)

    @staticmethod
    def _tours_line(tours: TourismDemo) -> str:
        if tours.season is None:
            return "no tours (the seed enterprises are missing)."
        if not tours.created:
            return f"tours: season «{tours.season.name}» already loaded."
        return (
            f"tours: season «{tours.season.name}» with {tours.sessions} sessions, "
            f"{tours.bookings} bookings, {tours.waiting} on the waitlist."
        )

    @staticmethod
    def _games_line(games: GamesDemo) -> str:
        if not games.created:
            return f"Games: season «{games.season.name}» already loaded."
        return f"Games: season «{games.season.name}» with {games.games} games, {games.teams} teams."

    @staticmethod
    def _export_line(export: ExportDemo) -> str:
        if not export.created:
            return f"Export: {export.note}."
        return (
            f"Export: {export.events} events, {export.applications} applications, "
            f"{export.reports} outcome reports."
        )

    @staticmethod
    def _sez_line(sez: SezDemo) -> str:
        if sez.zone is None:
            return "SEZ: no zone (the registry demo is missing)."
        return (
            f"SEZ: {sez.residents} residents with reports, "
            f"{sez.versions_created} report versions added."
        )

    @staticmethod
    def _media_line(media: MediaDemo) -> str:
        if not media.tours:
            return "Media: no online tours (the seed enterprises are missing)."
        return (
            f"Media: {media.tours} online tours ({media.tours_created} new); added "
            f"{media.counts_created} platform counts, {media.plays_created} site plays, "
            f"{media.reach_created} reach records, {media.awards_created} awards; "
            f"all-time audience {media.audience / 1_000_000:.1f} million."
        )

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        width_role = max(len(role) for role, _, _ in logins)
        width_email = max(len(email) for _, email, _ in logins)
        self.stdout.write("")
        self.stdout.write("  Demo logins (demo-only password, never use in production):")
        for role, email, password in logins:
            self.stdout.write(f"    {role:<{width_role}}  {email:<{width_email}}  {password}")
