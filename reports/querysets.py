"""Scoped querysets of reports and certificates."""

from django.db.models import Q

from schools.access import ScopedQuerySet


class ReportQuerySet(ScopedQuerySet):
    """A report is its requester's own (as an upload to import is): a person sees the
    reports they asked for, and only while they still see what the report is about (the
    plan; for a school's report, the school). Everyone else — colleagues included — gets
    the same 404 as for a missing report; a finished file is shared by making a new row
    that reuses it (``reports.services``), never by showing another person's row."""

    def for_user(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        from roadmaps.models import Roadmap
        from schools.models import Municipality, Organisation, Region

        plans = Roadmap.objects.for_user(user, "view").order_by().values("pk")
        organisations = Organisation.objects.for_user(user, "view").order_by().values("pk")
        # A dashboard's report of a municipality or a region: while the person sees it.
        municipalities = Municipality.objects.for_user(user, "view").order_by().values("pk")
        regions = Region.objects.for_user(user, "view").order_by().values("pk")
        return self.filter(created_by=user).filter(
            Q(roadmap__in=plans)
            | Q(roadmap__isnull=True, organisation__in=organisations)
            | Q(roadmap__isnull=True, organisation__isnull=True, municipality__in=municipalities)
            | Q(
                roadmap__isnull=True,
                organisation__isnull=True,
                municipality__isnull=True,
                region__in=regions,
            )
        )


class SigningCertificateQuerySet(ScopedQuerySet):
    """Certificates hang on their organisation: a staff administrator manages those of
    the organisations within reach of the certificate verbs."""

    region_path = "organisation__region_id"
    municipality_path = "organisation__municipality_id"
    organisation_path = "organisation_id"
