from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    """Roadmaps (дорожные карты): plans, sections, measures and their schedules."""

    name = "roadmaps"
    verbose_name = "Дорожные карты"
