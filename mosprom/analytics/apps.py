from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "mosprom.analytics"
    label = "analytics"
    verbose_name = "Показатели программы"
