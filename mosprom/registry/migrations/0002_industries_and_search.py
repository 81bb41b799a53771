from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def load_industries(apps, schema_editor):
    from mosprom.registry.okved import DIVISIONS

    Industry = apps.get_model("registry", "Industry")
    for code, (section, name) in DIVISIONS.items():
        Industry.objects.update_or_create(code=code, defaults={"section": section, "name": name})


def load_zone(apps, schema_editor):
    apps.get_model("registry", "SpecialEconomicZone").objects.get_or_create(
        name="Технополис Москва"
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        # Only runs on PostgreSQL; SQLite skips it.
        TrigramExtension(),
        migrations.RunPython(load_industries, migrations.RunPython.noop),
        migrations.RunPython(load_zone, migrations.RunPython.noop),
    ]
