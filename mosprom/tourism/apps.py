from django.apps import AppConfig


class TourismConfig(AppConfig):
    name = "mosprom.tourism"
    label = "tourism"
    verbose_name = "Промышленный туризм"
