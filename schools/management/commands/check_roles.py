"""Report memberships whose role does not fit the organisation (the kind rule of
``schools.access``): rows written before the rule, or around it."""

from django.core.management.base import BaseCommand, CommandError

from schools import access
from schools.models import Membership


class Command(BaseCommand):
    help = "Проверить, что роли людей подходят к типу их организаций."

    def handle(self, *args, **options):
        bad = 0
        memberships = Membership.objects.select_related("user", "organisation").order_by("pk")
        for membership in memberships.iterator(chunk_size=500):
            error = access.role_kind_error(membership.role, membership.organisation)
            if error is None:
                continue
            bad += 1
            state = "действует" if membership.is_active else "не действует"
            self.stdout.write(
                f"Членство №{membership.pk} ({state}): {membership.user.username} — "
                f"«{membership.get_role_display()}» в «{membership.organisation.short_name}»: "
                f"{error}"
            )
        if bad:
            raise CommandError(
                f"Найдено членств с неподходящей ролью: {bad}. Исправьте их в админке."
            )
        self.stdout.write("Все роли подходят к типам организаций.")
