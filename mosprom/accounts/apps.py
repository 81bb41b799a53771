from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mosprom.accounts"
    label = "accounts"
    verbose_name = "Пользователи и доступ"
