from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mosprom.web"
    label = "web"
    verbose_name = "Сайт"
