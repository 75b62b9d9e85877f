"""Derived data only: role groups follow the table in code, and a person's groups and
staff flag follow their memberships; apps that derive rows from a school's flags hear
when they change (``school_flags_changed``, sent inside the writing transaction with
``organisation_ids``)."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import Signal, receiver

from .models import Membership, Organisation
from .roles import sync_role_groups
from .services import user_sync_groups

school_flags_changed = Signal()


@receiver(post_migrate)
def _sync_role_groups(sender, **kwargs):
    # Every app's post_migrate: permissions of apps migrated later exist only then.
    sync_role_groups()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender, instance, **kwargs):
    user_sync_groups(user=instance.user)


@receiver(post_save, sender=Organisation)
def _flags_changed(sender, instance, created, **kwargs):
    # Whichever path saved it (the card, the directory import, admin): a school that became
    # or stopped being ШНОР changes who owes the measures assigned to «все ШНОР».
    loaded = getattr(instance, "_loaded_flags", None)
    changed = loaded is None or loaded != instance.is_low_results
    if (created and instance.is_low_results) or (not created and changed):
        school_flags_changed.send(sender=Organisation, organisation_ids=[instance.pk])
    instance._loaded_flags = instance.is_low_results
