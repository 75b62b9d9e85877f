from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares and none owns: text cleaning at the door, URL converters,
    the job pattern, small UI helpers. Depends on nothing of the domain apps."""

    name = "core"
    verbose_name = "Общее"
