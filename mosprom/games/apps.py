from django.apps import AppConfig


class GamesConfig(AppConfig):
    name = "mosprom.games"
    label = "games"
    verbose_name = "Интеллектуальные игры"
