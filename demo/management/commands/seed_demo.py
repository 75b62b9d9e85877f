"""``manage.py seed_demo``: the demo world of the README (idempotent)."""

from django.core.management.base import BaseCommand

from demo.directory import DEMO_PASSWORD, USERS
from demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Создать (или обновить) демонстрационные регионы, организации, пользователей всех ролей "
        "и планы-образцы."
    )

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(
            "Демо-данные готовы: " + ", ".join(f"{name} {value}" for name, value in counts.items())
        )
        self.stdout.write(f"Пароль всех демо-пользователей: {DEMO_PASSWORD}")
        for user in USERS:
            self.stdout.write(f"  {user.username:<14} {user.role.label} — {user.organisation}")
        self.stdout.write("  root           суперпользователь (администрирование всего)")
