"""Choices and limits of the notifications app."""

from django.db import models


class Kind(models.TextChoices):
    """What a notification is about. The first five are computed by the daily job from
    the execution records, the next four from the item sources of other apps
    (``notifications.sources``); the others are events that services send during the day
    (``notifications.services.notify``). A person chooses which kinds they receive."""

    DUE_SOON = "due_soon", "Скоро срок"
    OVERDUE = "overdue", "Просрочено"
    RETURNED = "returned", "Возвращено на доработку"
    WAITING = "waiting", "Ждёт вашей проверки"
    ESCALATION = "escalation", "Просрочено дольше допустимого"
    # Item sources: the partnerships app.
    AGREEMENTS_MISSING = "agreements_missing", "Нет соглашений по мероприятию"
    AGREEMENT_EXPIRING = "agreement_expiring", "Соглашение скоро истекает"
    # Item sources: the monitoring app.
    CAMPAIGN_DUE = "campaign_due", "Мониторинг ждёт ответа школы"
    CAMPAIGN_LATE = "campaign_late", "Школы не ответили на мониторинг"
    # Events: sent by other apps through ``notify``.
    APPROVAL = "approval", "Согласование и утверждение планов"
    MESSAGE = "message", "Прочие сообщения"


# Kinds computed from the records for a day, in the order a digest lists them: what is
# worst first.
DAILY_KINDS = (
    Kind.ESCALATION,
    Kind.OVERDUE,
    Kind.RETURNED,
    Kind.WAITING,
    Kind.DUE_SOON,
    Kind.AGREEMENTS_MISSING,
    Kind.AGREEMENT_EXPIRING,
    Kind.CAMPAIGN_LATE,
    Kind.CAMPAIGN_DUE,
)
EVENT_KINDS = (Kind.APPROVAL, Kind.MESSAGE)
DIGEST_ORDER = {kind: n for n, kind in enumerate((*DAILY_KINDS, *EVENT_KINDS))}

# What each kind means to the person who receives it (the preferences page).
KIND_HELP = {
    Kind.DUE_SOON: "мероприятия вашей организации, срок которых подходит (за сколько дней — решает муниципалитет)",
    Kind.OVERDUE: "мероприятия вашей организации, срок которых вчера прошёл, а отметки нет",
    Kind.RETURNED: "отметки вашей организации, которые куратор вернул на доработку",
    Kind.WAITING: "отметки закреплённых за вами школ, которые ждут вашей проверки",
    Kind.ESCALATION: "мероприятия школ, просроченные дольше допустимого (директору, куратору и координатору)",
    Kind.AGREEMENTS_MISSING: "мероприятия «подписать соглашения» ваших планов, у школ которых соглашений ещё нет (руководителю и координатору, к сроку и после него)",
    Kind.AGREEMENT_EXPIRING: "соглашения о сетевом партнёрстве вашей организации, срок действия которых кончается через 30 и через 7 дней",
    Kind.CAMPAIGN_DUE: "мониторинги, на которые ваша школа ещё не ответила (за 3 дня до срока, в день срока, на следующий день после него и потом раз в неделю)",
    Kind.CAMPAIGN_LATE: "мониторинги вашей организации, на которые школы не ответили в срок (на следующий день после срока и потом раз в неделю)",
    Kind.APPROVAL: "планы, которые вам нужно согласовать или утвердить, и решения по вашим планам",
    Kind.MESSAGE: "остальные сообщения системы",
}


class DigestState(models.TextChoices):
    """The state of one person's digest of one day (the job row of the e-mail)."""

    CLAIMED = "claimed", "Готовится к отправке"
    SENT = "sent", "Отправлено"
    FAILED = "failed", "Не отправлено (ошибка почты)"
    EMPTY = "empty", "Нечего сообщать"
    NO_EMAIL = "no_email", "Нет адреса электронной почты"
    MUTED = "muted", "Письма отключены"


DEFAULT_OFFSETS = [7, 1]
DEFAULT_GRACE_DAYS = 7
DEFAULT_DIGEST_HOUR = 8
MAX_OFFSET_DAYS = 60
MAX_OFFSETS = 5
MAX_GRACE_DAYS = 90

# A digest covers the days since the person's previous digest (the beat was down, a
# holiday without a worker): at most this many days are looked back over.
CATCH_UP_DAYS = 7

# Sending: attempts of one e-mail and the pause before the next one (doubling, capped
# below the broker's visibility timeout, see config/settings/base.py).
MAX_SEND_ATTEMPTS = 8
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 60 * 60

# The bell counts unread notifications up to this number («99+»).
BELL_LIMIT = 99
NOTIFICATIONS_PAGE = 50
# Text of one notification line (the measure's title is shortened to fit).
TITLE_CHARS = 160
