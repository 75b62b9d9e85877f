"""What reports add to the roadmap pages (``roadmaps.extensions``; registered in
``ReportsConfig.ready``): the «PDF» button of the plan page, leading to the plan's reports
(the official PDF, the signed one, execution reports)."""

from __future__ import annotations

from django.urls import reverse

from roadmaps.extensions import PlanExtension, PlanPage


def plan_page(request, roadmap, actions):
    if roadmap.is_template:
        return None
    return PlanPage(
        buttons=[
            (
                "PDF и отчёты",
                reverse("roadmap_reports", kwargs={"pk": roadmap.pk}),
                "btn-outline-secondary",
            )
        ]
    )


def public_links(roadmap, token):
    return [("PDF документа", reverse("public_pdf", kwargs={"token": token}))]


EXTENSION = PlanExtension(name="reports", plan_page=plan_page, public_links=public_links)
