"""``manage.py lottery_draw SESSION [--verify]``: draw a closed lottery session now, or
recompute its seed and order from the stored applications and compare with the published
result (exit status 1 when they differ)."""

from django.core.management.base import BaseCommand, CommandError

from mosprom.tourism.errors import TourismError
from mosprom.tourism.lottery import lottery_draw, lottery_verify
from mosprom.tourism.models import Session


class Command(BaseCommand):
    help = "Draw a lottery session (after its close) or verify a published draw."

    def add_arguments(self, parser) -> None:
        parser.add_argument("session", type=int, help="session id")
        parser.add_argument(
            "--verify", action="store_true", help="recompute and compare; exit 1 on a difference"
        )

    def handle(self, *args, session: int, verify: bool, **options) -> None:
        found = Session.objects.select_related("season").filter(pk=session).first()
        if found is None:
            raise CommandError(f"session {session} does not exist")
        if verify:
            problems = lottery_verify(session=found)
            if problems:
                raise CommandError("draw NOT confirmed:\n" + "\n".join(problems))
            draw = found.lottery
            self.stdout.write(f"seed {draw.seed}")
            self.stdout.write("order " + " ".join(str(pk) for pk in draw.order))
            self.stdout.write(self.style.SUCCESS("draw confirmed"))
            return
        if not found.is_lottery:
            raise CommandError(f"session {session} is not a lottery session")
        try:
            draw = lottery_draw(session=found)
        except TourismError as refusal:
            raise CommandError(refusal.text) from refusal
        self.stdout.write(f"seed {draw.seed}")
        for key, ids in draw.result.items():
            self.stdout.write(f"{key}: {' '.join(str(pk) for pk in ids)}")
