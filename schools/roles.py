"""Roles: what each may do (Django permissions of the role's group) and how far its
reach goes along region → municipality → organisation.

Later apps add their verbs to ``ROLE_PERMISSIONS``; ``sync_role_groups`` (run after every
migrate) makes the groups match this table, so the table in code is the one source.
"""

from django.apps import apps as global_apps

from .constants import OrganisationKind, Role

VIEW_DIRECTORY = [
    "monitoring.view_indicator",
    # Monitoring (strings only): targets, values, campaigns, answers and exam results are
    # read by everyone within reach, as the directory is.
    "monitoring.view_indicatortarget",
    "monitoring.view_indicatorvalue",
    "monitoring.view_campaign",
    "monitoring.view_campaignresponse",
    "monitoring.view_examresult",
    "schools.view_region",
    "schools.view_municipality",
    "schools.view_organisation",
    "schools.view_user",
    "schools.view_membership",
    "schools.view_curatorassignment",
]

ROADMAP_EDIT = [
    "roadmaps.view_roadmap",
    "roadmaps.add_roadmap",
    "roadmaps.change_roadmap",
    "roadmaps.delete_roadmap",
    "roadmaps.submit_roadmap",
    "roadmaps.import_roadmap",
    "roadmaps.export_roadmap",
]

# Execution of plans (the execution app; strings only: schools never imports it). Every
# role that sees plans sees the execution records within its reach.
EXECUTION_VIEW = "execution.view_executionrecord"
EXECUTION_MARK = "execution.mark_executionrecord"
EXECUTION_REVIEW = "execution.review_executionrecord"

# A municipality's reminder settings (the notifications app): those who run or watch the
# municipality see them, its coordinator changes them.
REMINDERS_VIEW = "notifications.view_remindersettings"
REMINDERS_CHANGE = "notifications.change_remindersettings"

# Organisations' signing certificates (the reports app): uploaded and withdrawn by staff
# administrators within their reach.
CERTIFICATES_MANAGE = [
    "reports.view_signingcertificate",
    "reports.add_signingcertificate",
    "reports.change_signingcertificate",
]

# Monitoring (the monitoring app): whoever marks an organisation's execution reports its
# indicator values and enters its exam results; the municipal coordinator and the school
# director set targets; coordinators and methodologists run campaigns.
MONITORING_REPORT = [
    "monitoring.add_indicatorvalue",
    "monitoring.change_indicatorvalue",
    "monitoring.add_examresult",
    "monitoring.change_examresult",
    "monitoring.import_examresult",
]
MONITORING_TARGETS = ["monitoring.add_indicatortarget", "monitoring.change_indicatortarget"]
MONITORING_CAMPAIGNS = ["monitoring.add_campaign", "monitoring.change_campaign"]

# Partnership agreements (the partnerships app; strings only): whoever reaches a party of
# an agreement reads it; the municipal coordinator manages the agreements with a party in
# the municipality.
PARTNERSHIPS_VIEW = "partnerships.view_agreement"
PARTNERSHIPS_MANAGE = [
    "partnerships.add_agreement",
    "partnerships.change_agreement",
    "partnerships.delete_agreement",
    "partnerships.import_agreement",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.REGIONAL_COORDINATOR: [
        *VIEW_DIRECTORY,
        "schools.export_directory",
        "roadmaps.view_roadmap",
        "roadmaps.export_roadmap",
        EXECUTION_VIEW,
        REMINDERS_VIEW,
        PARTNERSHIPS_VIEW,
    ],
    Role.MUNICIPAL_COORDINATOR: [
        *VIEW_DIRECTORY,
        "schools.change_organisation",
        "schools.add_organisation",
        "schools.add_curatorassignment",
        "schools.change_curatorassignment",
        "schools.delete_curatorassignment",
        "schools.import_directory",
        "schools.export_directory",
        *ROADMAP_EDIT,
        EXECUTION_VIEW,
        EXECUTION_MARK,
        EXECUTION_REVIEW,
        REMINDERS_VIEW,
        REMINDERS_CHANGE,
        PARTNERSHIPS_VIEW,
        *PARTNERSHIPS_MANAGE,
        *MONITORING_REPORT,
        *MONITORING_TARGETS,
        *MONITORING_CAMPAIGNS,
    ],
    Role.METHODOLOGIST: [
        *VIEW_DIRECTORY,
        "schools.export_directory",
        *ROADMAP_EDIT,
        EXECUTION_VIEW,
        EXECUTION_MARK,
        REMINDERS_VIEW,
        PARTNERSHIPS_VIEW,
        *MONITORING_REPORT,
        *MONITORING_CAMPAIGNS,
    ],
    Role.HEAD: [
        *VIEW_DIRECTORY,
        "schools.change_organisation",
        "schools.export_directory",
        "roadmaps.view_roadmap",
        "roadmaps.approve_roadmap",
        "roadmaps.export_roadmap",
        EXECUTION_VIEW,
        REMINDERS_VIEW,
        PARTNERSHIPS_VIEW,
    ],
    Role.SCHOOL_DIRECTOR: [
        *VIEW_DIRECTORY,
        "schools.change_organisation",
        "roadmaps.view_roadmap",
        "roadmaps.change_roadmap",
        "roadmaps.approve_roadmap",
        "roadmaps.export_roadmap",
        EXECUTION_VIEW,
        EXECUTION_MARK,
        PARTNERSHIPS_VIEW,
        *MONITORING_REPORT,
        *MONITORING_TARGETS,
    ],
    Role.SCHOOL_DEPUTY: [
        *VIEW_DIRECTORY,
        "roadmaps.view_roadmap",
        "roadmaps.change_roadmap",
        "roadmaps.submit_roadmap",
        "roadmaps.export_roadmap",
        EXECUTION_VIEW,
        EXECUTION_MARK,
        PARTNERSHIPS_VIEW,
        *MONITORING_REPORT,
    ],
    Role.ADMINISTRATOR: [
        *VIEW_DIRECTORY,
        "monitoring.add_indicator",
        "monitoring.change_indicator",
        "schools.add_municipality",
        "schools.change_municipality",
        "schools.add_organisation",
        "schools.change_organisation",
        "schools.delete_organisation",
        "schools.add_user",
        "schools.change_user",
        "schools.add_membership",
        "schools.change_membership",
        "schools.delete_membership",
        "schools.add_curatorassignment",
        "schools.change_curatorassignment",
        "schools.delete_curatorassignment",
        "schools.import_directory",
        "schools.export_directory",
        "roadmaps.view_roadmap",
        EXECUTION_VIEW,
        REMINDERS_VIEW,
        *CERTIFICATES_MANAGE,
        PARTNERSHIPS_VIEW,
    ],
}

# Who answers for an organisation asked to agree a plan («СОГЛАСОВАНО»): its head and, in
# an authority or centre, its coordinator. Not a verb over plans by reach (the asked
# organisation is rarely the plan's owner): ``roadmaps.workflow`` reads these roles of the
# person's memberships; ``roadmaps.agree_roadmap`` stays the verb of a grant on one plan.
AGREE_ROLES = frozenset({Role.HEAD, Role.MUNICIPAL_COORDINATOR, Role.REGIONAL_COORDINATOR})

# What a curator may do on the schools assigned to them (beyond their own reach):
# look, and accept or return the school's execution marks.
CURATOR_PERMISSIONS = {
    *VIEW_DIRECTORY,
    "roadmaps.view_roadmap",
    "roadmaps.export_roadmap",
    EXECUTION_VIEW,
    EXECUTION_REVIEW,
    # The agreements of the school: the evidence of its «sign the agreements» measures.
    PARTNERSHIPS_VIEW,
}

# Roles whose holders work in Django admin (is_staff is derived from memberships).
STAFF_ROLES = {Role.ADMINISTRATOR}


class Reach:
    REGION = "region"
    MUNICIPALITY = "municipality"
    ORGANISATION = "organisation"


# Verbs whose reach is narrower than the role's: a methodologist sees the municipality's
# plans but writes only their centre's; a head approves only their own organisation's.
PERMISSION_REACH: dict[tuple[str, str], str] = {
    **{
        (Role.METHODOLOGIST, perm): Reach.ORGANISATION
        for perm in ROADMAP_EDIT
        if perm != "roadmaps.view_roadmap"
    },
    (Role.HEAD, "roadmaps.approve_roadmap"): Reach.ORGANISATION,
}


# Which roles an organisation of each kind may hold (the kind rule). A school has its
# director, deputies and head; authorities and centres hold the roles that govern and
# support a municipality (or, without a municipality, a region); "other" organisations
# only their head and an administrator. The tier of the organisation narrows this further
# (see ``TIER_ROLES``): the region-wide coordinator sits only in a regional organisation.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganisationKind.REGIONAL_AUTHORITY: frozenset(
        {Role.REGIONAL_COORDINATOR, Role.METHODOLOGIST, Role.HEAD, Role.ADMINISTRATOR}
    ),
    OrganisationKind.MUNICIPAL_AUTHORITY: frozenset(
        {Role.MUNICIPAL_COORDINATOR, Role.METHODOLOGIST, Role.HEAD, Role.ADMINISTRATOR}
    ),
    OrganisationKind.METHOD_CENTRE: frozenset(
        {
            Role.REGIONAL_COORDINATOR,
            Role.MUNICIPAL_COORDINATOR,
            Role.METHODOLOGIST,
            Role.HEAD,
            Role.ADMINISTRATOR,
        }
    ),
    OrganisationKind.SCHOOL: frozenset({Role.HEAD, Role.SCHOOL_DIRECTOR, Role.SCHOOL_DEPUTY}),
    OrganisationKind.OTHER: frozenset({Role.HEAD, Role.ADMINISTRATOR}),
}

# Roles that need a tier: True — only in an organisation of a municipality; False — only
# in a regional organisation (no municipality).
TIER_ROLES: dict[str, bool] = {
    Role.REGIONAL_COORDINATOR: False,
    Role.MUNICIPAL_COORDINATOR: True,
}


def role_fits(role: str, organisation_kind: str, has_municipality: bool) -> bool:
    """Whether an organisation of this kind and tier may hold this role."""
    if role not in ROLES_BY_KIND.get(organisation_kind, ()):
        return False
    return TIER_ROLES.get(role, has_municipality) == has_municipality


def role_reach(role: str, organisation_kind: str, has_municipality: bool, perm: str = "") -> str:
    """How far a membership reaches. School roles stay inside their school; coordinators
    and methodologists cover their municipality (or region, for a regional body); heads
    and administrators cover the tier their organisation governs."""
    if (role, perm) in PERMISSION_REACH:
        return PERMISSION_REACH[(role, perm)]
    if role in {Role.SCHOOL_DIRECTOR, Role.SCHOOL_DEPUTY}:
        return Reach.ORGANISATION
    if role == Role.REGIONAL_COORDINATOR or not has_municipality:
        return Reach.REGION
    if role in {Role.MUNICIPAL_COORDINATOR, Role.METHODOLOGIST}:
        return Reach.MUNICIPALITY
    if organisation_kind in {OrganisationKind.MUNICIPAL_AUTHORITY, OrganisationKind.METHOD_CENTRE}:
        return Reach.MUNICIPALITY
    return Reach.ORGANISATION


def roles_with(perm: str) -> list[str]:
    """The roles whose group holds ``perm`` (the table above)."""
    return [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]


def group_name(role: str) -> str:
    return str(Role(role).label)


def sync_role_groups(apps=global_apps, **kwargs) -> None:
    """Create one group per role and give it exactly the permissions of the table."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
