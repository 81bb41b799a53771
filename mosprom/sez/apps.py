from django.apps import AppConfig


class SezConfig(AppConfig):
    name = "mosprom.sez"
    label = "sez"
    verbose_name = "Особая экономическая зона"
