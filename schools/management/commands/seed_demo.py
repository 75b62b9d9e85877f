"""``manage.py seed_demo``: the demo world of the README (idempotent)."""

from django.core.management.base import BaseCommand

from schools.demo import DEMO_PASSWORD, USERS, seed_demo


class Command(BaseCommand):
    help = (
        "Создать (или обновить) демонстрационные регионы, организации и пользователей всех ролей."
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
