"""Derived data only: role groups follow the table in code, and a person's groups and
staff flag follow their memberships."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .models import Membership
from .roles import sync_role_groups
from .services import user_sync_groups


@receiver(post_migrate)
def _sync_role_groups(sender, **kwargs):
    # Every app's post_migrate: permissions of apps migrated later exist only then.
    sync_role_groups()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender, instance, **kwargs):
    user_sync_groups(user=instance.user)
