from django.apps import AppConfig


class ExportConfig(AppConfig):
    name = "mosprom.export"
    label = "export"
    verbose_name = "Поддержка экспорта"
