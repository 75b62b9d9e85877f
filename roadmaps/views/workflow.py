"""The steps of a plan's life in the browser (``roadmaps.workflow``): send for agreement,
answer as a party, approve or send back, withdraw, correct, close, publish; the
comparison of two revisions; the public page of a published revision. Each view parses,
calls one service, and answers with the plan page and a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.params import id_param
from core.timezones import today_in
from schools.access import get_object_for_user, object_grants

from .. import compare, extensions, selectors, services, workflow
from ..forms import AnswerForm, ApproveForm, RemarksForm, SubmitForm
from ..models import Roadmap
from .plan_table import plan_context


def _plan(request, pk: int, step: str) -> Roadmap:
    """The plan, visible (else 404), with the step's verb (else 403)."""
    roadmap = get_object_for_user(Roadmap, request.user, pk, select_related=("owner__region",))
    if step in {"agree", "return"}:
        return roadmap
    if not workflow.holds(request.user, workflow.STEPS[step].verb, roadmap):
        raise PermissionDenied("У вас нет прав на это действие с планом.")
    return roadmap


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_submit(request, pk: int):
    roadmap = _plan(request, pk, "submit")
    candidates = services.agreement_candidates(request.user, roadmap)
    rows = selectors.workflow_panel(request.user, roadmap, object_grants(request.user, roadmap))
    proposed = {row.organisation_id for row in rows.concurrences if row.organisation_id}
    proposed |= set(services.workflow.document_matches(roadmap, rows.concurrences).values())
    form = SubmitForm(
        request.POST or None,
        candidates=candidates,
        initial={"organisations": [pk for pk in proposed if pk in {c.pk for c in candidates}]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.roadmap_submit(
                roadmap=roadmap,
                acting_user=request.user,
                organisations=form.cleaned_data["organisations"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            asked = form.cleaned_data["organisations"]
            messages.success(
                request,
                f"План отправлен на согласование: {len(asked)} организаций."
                if asked
                else "План отправлен на утверждение.",
            )
            return redirect("roadmap_detail", pk=roadmap.pk)
    summary = None
    if roadmap.previous_revision_id:
        summary = compare.compare_revisions(roadmap.previous_revision, roadmap).summary
    return render(
        request,
        "roadmaps/roadmap_submit.html",
        {"roadmap": roadmap, "form": form, "panel": rows, "summary": summary},
    )


def _step(request, pk: int, step: str, call, done: str):
    """A POST step with an optional comment: call the service, say what happened."""
    roadmap = _plan(request, pk, step)
    try:
        call(roadmap=roadmap, acting_user=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    return redirect("roadmap_detail", pk=roadmap.pk)


@login_required
@require_POST
def roadmap_withdraw(request, pk: int):
    return _step(request, pk, "withdraw", services.roadmap_withdraw, "План отозван с согласования.")


@login_required
@require_POST
def roadmap_reject(request, pk: int):
    return _step(request, pk, "reject", services.roadmap_reject, "План возвращён на доработку.")


@login_required
@require_POST
def roadmap_close(request, pk: int):
    return _step(request, pk, "close", services.roadmap_close, "План закрыт.")


@login_required
@require_POST
def roadmap_answer(request, pk: int):
    """A party agrees or returns the plan with remarks."""
    roadmap = _plan(request, pk, "agree")
    rows = services.may_answer_for(request.user, roadmap)
    if not rows:
        raise PermissionDenied(services.workflow.NOT_ASKED_MESSAGE)
    form = AnswerForm(
        request.POST, organisations=[row.organisation for row in rows if row.organisation]
    )
    if not form.is_valid():
        messages.error(request, "Выберите ответ: согласовать или вернуть с замечаниями.")
        return redirect("roadmap_detail", pk=roadmap.pk)
    agree = form.cleaned_data["decision"] == "agree"
    try:
        row = services.concurrence_answer(
            roadmap=roadmap,
            acting_user=request.user,
            agree=agree,
            comment=form.cleaned_data["comment"],
            organisation=form.cleaned_data["organisation"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            f"{row.organisation}: план согласован."
            if agree
            else f"{row.organisation}: план возвращён с замечаниями.",
        )
    return redirect("roadmap_detail", pk=roadmap.pk)


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_approve(request, pk: int):
    """«Утвердить»: date, order number, the approver's position; or send back."""
    roadmap = _plan(request, pk, "approve")
    panel = selectors.workflow_panel(request.user, roadmap, object_grants(request.user, roadmap))
    form = ApproveForm(
        request.POST or None,
        initial={
            "approval_date": today_in(roadmap.owner.region),
            "position": roadmap.approval_position,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.roadmap_approve(
                roadmap=roadmap,
                acting_user=request.user,
                approval_date=data["approval_date"],
                order_number=data["order_number"],
                order_date=data["order_date"],
                position=data["position"],
                comment=data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, "План утверждён. Текст этой редакции больше не меняется.")
            return redirect("roadmap_detail", pk=roadmap.pk)
    return render(
        request,
        "roadmaps/roadmap_approve.html",
        {"roadmap": roadmap, "form": form, "panel": panel, "reject_form": RemarksForm()},
    )


@login_required
@require_POST
def roadmap_correct(request, pk: int):
    """«Корректировка»: a new draft revision, opened at once."""
    roadmap = _plan(request, pk, "correct")
    try:
        copy = services.roadmap_correct(
            roadmap=roadmap, acting_user=request.user, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("roadmap_detail", pk=roadmap.pk)
    messages.success(
        request,
        f"Создана редакция {copy.revision} (черновик). Внесите изменения и отправьте её на "
        "согласование; до утверждения действует прежняя редакция.",
    )
    return redirect("roadmap_detail", pk=copy.pk)


@login_required
@require_POST
def roadmap_publish(request, pk: int):
    roadmap = _plan(request, pk, "publish")
    try:
        if request.POST.get("action") == "withdraw":
            services.roadmap_unpublish(roadmap=roadmap, acting_user=request.user)
            messages.success(request, "Публикация снята: ссылка больше не открывается.")
        else:
            services.roadmap_publish(roadmap=roadmap, acting_user=request.user)
            messages.success(request, "План опубликован: ссылку можно разместить на сайте школы.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("roadmap_detail", pk=roadmap.pk)


@login_required
def roadmap_compare(request, pk: int):
    """What changed between this revision and another of the same plan (the previous one
    unless ``?with=`` names another)."""
    roadmap = get_object_for_user(Roadmap, request.user, pk)
    family = {r.pk: r for r in selectors.revision_family(request.user, roadmap)}
    other_id = id_param(request.GET.get("with")) or roadmap.previous_revision_id
    other = family.get(other_id) if other_id and other_id != roadmap.pk else None
    if other_id and other is None:
        raise Http404("Такой редакции этого плана нет.")
    comparison = None
    if other is not None:
        older, newer = sorted((other, roadmap), key=lambda r: r.revision)
        comparison = compare.compare_revisions(older, newer)
    else:
        older = newer = None
    return render(
        request,
        "roadmaps/roadmap_compare.html",
        {
            "roadmap": roadmap,
            "family": list(family.values()),
            "older": older,
            "newer": newer,
            "comparison": comparison,
        },
    )


def public_roadmap(request, token: str):
    """The public page of a published revision: no login, the plan's text and its
    approval, nothing else of the organisation. A withdrawn or unknown link: 404."""
    link = selectors.published_link(token)
    if link is None:
        raise Http404("Публикация не найдена или снята.")
    roadmap = link.roadmap
    context = plan_context(request, roadmap, print_view=True)
    context.update(
        {
            "public_link": link,
            "concurrences": selectors.printed_concurrences(roadmap),
            "public_links": extensions.public_links(roadmap, token),
        }
    )
    return render(request, "roadmaps/roadmap_public.html", context)
