from django.db import models


class IndicatorCategory(models.TextChoices):
    FINANCIAL = "financial", "Финансовая поддержка"
    STAFF = "staff", "Кадровая поддержка"
    METHODICAL = "methodical", "Информационно-методическая поддержка"
    TEACHING = "teaching", "Организация учебного процесса"
    SAFETY = "safety", "Безопасность"


class Direction(models.TextChoices):
    HIGHER = "higher", "Чем больше, тем лучше"
    LOWER = "lower", "Чем меньше, тем лучше"
