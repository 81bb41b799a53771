"""``manage.py prize_draw --verify DRAW``: recompute a published prize draw's seed and drawn
order from its game, moment and candidates and compare the winners (exit status 1 when they
differ). Draws themselves are made by organisers on the site."""

from django.core.management.base import BaseCommand, CommandError

from mosprom.games.models import PrizeDraw
from mosprom.games.prizes import prize_draw_problems


class Command(BaseCommand):
    help = "Verify a published prize draw of a game."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--verify", type=int, required=True, metavar="DRAW_ID", help="prize draw id"
        )

    def handle(self, *args, verify: int, **options) -> None:
        draw = PrizeDraw.objects.filter(pk=verify).first()
        if draw is None:
            raise CommandError(f"prize draw {verify} does not exist")
        problems = prize_draw_problems(draw)
        if problems:
            raise CommandError("draw NOT confirmed:\n" + "\n".join(problems))
        self.stdout.write(f"seed {draw.seed}")
        self.stdout.write("candidates " + " ".join(str(pk) for pk in draw.candidates))
        self.stdout.write("winners " + " ".join(str(pk) for pk in draw.winners))
        self.stdout.write(self.style.SUCCESS("draw confirmed"))
