"""The default catalogue: the five indicator tables of the regional school template and
the school subjects of the exam results (``monitoring.catalogue``)."""

from django.db import migrations


def install(apps, schema_editor):
    from monitoring.catalogue import install as install_catalogue

    install_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_monitoring")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
