"""Derived data only: role groups follow the table in code, and a person's groups and
staff flag follow their memberships; apps that derive rows from a school's flags hear
when they change (``school_flags_changed``, sent inside the writing transaction with
``organisation_ids``); the access version follows everything a person's reach is
computed from (``schools.access``: the cached memberships and verbs are keyed on it)."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import Signal, receiver

from . import access
from .models import AccessVersion, CuratorAssignment, Membership, Organisation
from .roles import sync_role_groups
from .services import user_sync_groups

school_flags_changed = Signal()


@receiver(post_migrate)
def _sync_role_groups(sender, **kwargs):
    # Every app's post_migrate: permissions of apps migrated later exist only then.
    sync_role_groups()
    # A migration may have changed memberships or permissions without signals.
    if AccessVersion._meta.db_table in connection.introspection.table_names():
        access.access_changed()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender, instance, **kwargs):
    access.access_changed()
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


@receiver(post_save, sender=CuratorAssignment)
@receiver(post_delete, sender=CuratorAssignment)
@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
@receiver(post_save, sender=Permission)
@receiver(post_delete, sender=Permission)
@receiver(post_save, sender=ContentType)
@receiver(post_delete, sender=ContentType)
@receiver(m2m_changed, sender=Group.permissions.through)
def _access_facts_changed(sender, **kwargs):
    access.access_changed()
