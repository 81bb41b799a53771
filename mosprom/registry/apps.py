from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "mosprom.registry"
    label = "registry"
    verbose_name = "Реестр предприятий"
