from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "mosprom.media"
    label = "media"
    verbose_name = "Онлайн-экскурсии и аудитория"
