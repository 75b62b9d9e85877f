"""Derived data only: the dashboards' cache follows the saves that change their figures
and go through ``Model.save`` — a plan's state (the plans by state), a school's card (its
flags, its municipality). Bulk writes of execution and monitoring call
``dashboard.versions.data_changed`` from their services."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from roadmaps.models import Roadmap
from schools.models import Organisation

from .versions import data_changed


@receiver(post_save, sender=Roadmap, dispatch_uid="dashboard.plan_saved")
@receiver(post_delete, sender=Roadmap, dispatch_uid="dashboard.plan_deleted")
def _plan_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "status" not in update_fields:
        return  # an edit of the text: the counts of plans by state stay
    data_changed(organisation_ids=[instance.owner_id])


@receiver(post_save, sender=Organisation, dispatch_uid="dashboard.organisation_saved")
def _organisation_changed(sender, instance, **kwargs):
    data_changed(organisation_ids=[instance.pk])
