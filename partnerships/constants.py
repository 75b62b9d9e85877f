"""Choices and limits of the partnerships app (сетевое партнёрство)."""

from django.db import models


class AgreementKind(models.TextChoices):
    """Who the agreement binds (вид соглашения)."""

    SCHOOL_SCHOOL = "school_school", "Школа — школа"
    CENTRE_CENTRE = "centre_centre", "Центр — центр (сетевой лидер и ТМС)"
    CENTRE_SCHOOL = "centre_school", "Центр — школа"
    UNIVERSITY = "university", "С вузом или колледжем"
    THREE_PARTY = "three_party", "Трёхстороннее: школа-лидер — поддерживаемая школа — центр"


class PartyRole(models.TextChoices):
    """The part a party plays (роль стороны)."""

    LEADER_SCHOOL = "leader_school", "Базовая школа / школа-лидер"
    SUPPORTED = "supported", "Поддерживаемая школа"
    NETWORK_LEADER = "network_leader", "Сетевой лидер"
    PARTNER = "partner", "Партнёр"
    CURATOR_CENTRE = "curator_centre", "Курирующий центр"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    SIGNED = "signed", "Действует"
    EXPIRED = "expired", "Истёк срок"
    TERMINATED = "terminated", "Расторгнуто"


class EventKind(models.TextChoices):
    """A step of an agreement's life, as its timeline shows it."""

    CREATED = "created", "Внесено"
    CHANGED = "changed", "Изменено"
    SIGNED = "signed", "Подписано"
    SCAN = "scan", "Приложен скан"
    TERMINATED = "terminated", "Расторгнуто"
    EXPIRED = "expired", "Истёк срок действия"
    IMPORTED = "imported", "Импортировано из списка"


# Roles only a school plays, and roles only an organisation other than a school plays.
SCHOOL_ROLES = frozenset({PartyRole.LEADER_SCHOOL, PartyRole.SUPPORTED})
CENTRE_ROLES = frozenset({PartyRole.NETWORK_LEADER, PartyRole.CURATOR_CENTRE})

# The roles each kind of agreement admits.
KIND_ROLES: dict[str, frozenset[str]] = {
    AgreementKind.SCHOOL_SCHOOL: frozenset(
        {PartyRole.LEADER_SCHOOL, PartyRole.SUPPORTED, PartyRole.PARTNER}
    ),
    AgreementKind.CENTRE_CENTRE: frozenset({PartyRole.NETWORK_LEADER, PartyRole.PARTNER}),
    AgreementKind.CENTRE_SCHOOL: frozenset(
        {
            PartyRole.CURATOR_CENTRE,
            PartyRole.NETWORK_LEADER,
            PartyRole.PARTNER,
            PartyRole.LEADER_SCHOOL,
            PartyRole.SUPPORTED,
        }
    ),
    AgreementKind.UNIVERSITY: frozenset(set(PartyRole.values)),
    AgreementKind.THREE_PARTY: frozenset(
        {PartyRole.LEADER_SCHOOL, PartyRole.SUPPORTED, PartyRole.CURATOR_CENTRE}
    ),
}

MIN_PARTIES = 2
MAX_PARTIES = 30
# The agreement form shows this many empty rows of parties below the filled ones.
EXTRA_PARTY_ROWS = 3

# «Соглашение истекает через N дней»: the days before the end of validity on which the
# parties are told (the first is the «within 30 days» of the issue: told once on entering).
EXPIRY_OFFSETS = (30, 7)

# The signed scan: what the evidence checker accepts, less spreadsheets (a scan is a
# picture or a document).
SCAN_CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
)
SCAN_LABEL = "PDF, JPG, PNG, DOCX или ODT"
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.odt"

# Import of an existing list («Список сетевого партнерства»).
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 1000
