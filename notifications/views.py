"""Notification pages: the list (the bell), marking read, the person's preferences and
calendar link, a municipality's reminder settings; and the two addresses that work
without a login because they carry a secret — the calendar feed and the unsubscribe link
of the e-mails. Views parse the request, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.params import page_param
from schools.access import FORBIDDEN_MESSAGE, get_object_for_user
from schools.models import Municipality

from . import calendar, selectors, services
from .forms import PreferenceForm, ReminderSettingsForm
from .mail import unsubscribe_person


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- The list ---------------------------------------------------------------------------


@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    page = selectors.notification_page(
        request.user, page=page_param(request.GET.get("page")), unread_only=unread_only
    )
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = selectors.notification_for(request.user, pk)
    services.notification_mark_read(notification=notification, acting_user=request.user)
    if request.htmx:
        return render(
            request,
            "notifications/notification_list.html#notification",
            {"notification": notification, "bell_swap": True},
        )
    return redirect(_back(request, reverse("notification_list")))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(acting_user=request.user)
    if count:
        messages.success(request, "Все уведомления отмечены прочитанными.")
    return redirect(_back(request, reverse("notification_list")))


# --- Preferences ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    page = selectors.preferences_page(request.user)
    form = PreferenceForm.for_preference(page.preference, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.preference_update(
            person=request.user,
            acting_user=request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            digest_hour=form.cleaned_data["digest_hour"],
            muted_kinds=form.muted_kinds,
        )
        messages.success(request, "Настройки уведомлений сохранены.")
        return redirect("notification_preferences")
    calendar_url = request.build_absolute_uri(page.calendar_path) if page.calendar_path else ""
    return render(
        request,
        "notifications/preference_form.html",
        {"page": page, "form": form, "calendar_url": calendar_url},
    )


@login_required
@require_POST
def calendar_link(request):
    """«Выпустить ссылку» / «Отозвать и выпустить новую ссылку» / «Отключить ссылку»."""
    if request.POST.get("action") == "revoke":
        services.calendar_token_revoke(person=request.user, acting_user=request.user)
        messages.success(
            request,
            "Ссылка на календарь отключена: по старой ссылке календарь больше не открывается.",
        )
    else:
        had = services.preference_of(request.user).calendar_token
        services.calendar_token_issue(person=request.user, acting_user=request.user)
        messages.success(
            request,
            "Выпущена новая ссылка на календарь; старая больше не работает."
            if had
            else "Ссылка на календарь готова: добавьте её в календарь как подписку.",
        )
    return redirect(reverse("notification_preferences") + "#calendar")


# --- Without a login: the secret addresses -----------------------------------------------------


@never_cache
def calendar_feed(request, token: str):
    person = calendar.person_of_token(token)
    if person is None:
        raise Http404("Ссылка на календарь отозвана или неверна.")
    response = HttpResponse(
        calendar.feed(person, link=request.build_absolute_uri),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="roadmaps.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the signed token is the credential; mail clients post without a form (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with one button (links in e-mails are opened by mail scanners, which
    must not unsubscribe anybody); POST: e-mails off — the button, or a mail client's
    one-click «Отписаться» (``List-Unsubscribe-Post``)."""
    person = unsubscribe_person(token)
    if person is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        try:
            services.preference_unsubscribe(person=person)
        except PermissionDenied:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        return redirect(reverse("unsubscribe", kwargs={"token": token}) + "?done=1")
    preference = services.preference_of(person)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"person": person, "token": token, "done": not preference.email_enabled},
    )


# --- A municipality's reminders ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request, pk: int):
    municipality = get_object_for_user(Municipality, request.user, pk)
    may_change = selectors.may_change_reminders(request.user, municipality)
    if not may_change and not selectors.may_view_reminders(request.user, municipality):
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    if request.method == "POST" and not may_change:
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    current = services.reminder_settings_of(municipality)
    form = ReminderSettingsForm(
        request.POST or None,
        initial={
            "offsets": ", ".join(str(o) for o in current.offsets),
            "grace_days": current.grace_days,
        },
    )
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_settings_update(
                municipality=municipality,
                acting_user=request.user,
                offsets=form.cleaned_data["offsets"],
                grace_days=form.cleaned_data["grace_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Напоминания для муниципалитета «{municipality}» сохранены.")
            return redirect("reminder_settings", pk=municipality.pk)
    return render(
        request,
        "notifications/remindersettings_form.html",
        {"municipality": municipality, "form": form, "may_change": may_change, "current": current},
    )
