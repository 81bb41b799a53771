from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mosprom.core"
    label = "core"
    verbose_name = "Общее ядро"
