"""The PDF of a published revision: the public page links it, anyone downloads it without
logging in — the signed PDF where the revision was signed, else the official PDF the
system makes when the revision is published; a withdrawn publication gives nothing."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import JobState
from reports import services
from reports.constants import ReportKind
from reports.models import Report
from roadmaps.services import workflow
from tests.reports.test_pdf import _build, _pdf, _plan
from tests.reports.test_pdf import approved_plan as approved_plan_fixture

pytestmark = pytest.mark.django_db

approved_plan = approved_plan_fixture


def _publish(world, plan, capture):
    with capture(execute=False):
        return workflow.roadmap_publish(
            roadmap=plan, acting_user=world.user("municipal_coordinator")
        )


def test_publishing_has_the_pdf_made_and_the_public_page_offers_it(
    world, approved_plan, django_capture_on_commit_callbacks
):
    link = _publish(world, approved_plan, django_capture_on_commit_callbacks)
    job = Report.objects.get(roadmap=approved_plan)
    assert (job.kind, job.signed, job.created_by, job.state) == (
        ReportKind.ROADMAP,
        False,
        None,
        JobState.QUEUED,
    )
    anonymous = Client()
    page = anonymous.get(reverse("public_roadmap", args=[link.token])).content.decode()
    url = reverse("public_pdf", args=[link.token])
    assert f'href="{url}"' in page

    # While the job runs: a page that says so (and writes nothing).
    waiting = anonymous.get(url)
    assert waiting.status_code == 200
    assert "PDF готовится" in waiting.content.decode()
    assert Report.objects.count() == 1

    _build(job)
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data == _pdf(Report.objects.get(pk=job.pk))
    assert data.startswith(b"%PDF")

    # Publishing again (withdrawn, then published anew) reuses the file.
    workflow.roadmap_unpublish(
        roadmap=approved_plan, acting_user=world.user("municipal_coordinator")
    )
    assert anonymous.get(url).status_code == 404
    again = _publish(world, approved_plan, django_capture_on_commit_callbacks)
    assert Report.objects.count() == 1
    assert anonymous.get(reverse("public_pdf", args=[again.token])).status_code == 200


def test_a_signed_revision_offers_its_signed_pdf(
    world, approved_plan, django_capture_on_commit_callbacks
):
    signed = _build(
        services.report_request(
            acting_user=world.user("head"),
            kind=ReportKind.ROADMAP,
            roadmap=approved_plan,
            signed=True,
            enqueue_job=False,
        )
    )
    link = _publish(world, approved_plan, django_capture_on_commit_callbacks)
    assert Report.objects.count() == 1  # nothing more to make
    response = Client().get(reverse("public_pdf", args=[link.token]))
    assert b"".join(response.streaming_content) == _pdf(signed)


def test_unknown_or_withdrawn_publications_give_no_pdf(world, approved_plan):
    anonymous = Client()
    for token in ("no-such-link", "x" * 200):
        response = anonymous.get(f"/public/{token}/plan.pdf")
        assert response.status_code == 404
    # A withdrawn publication: its link gives nothing any more.
    link = workflow.roadmap_publish(
        roadmap=approved_plan, acting_user=world.user("municipal_coordinator")
    )
    url = reverse("public_pdf", args=[link.token])
    assert anonymous.get(url).status_code == 200
    workflow.roadmap_unpublish(
        roadmap=approved_plan, acting_user=world.user("municipal_coordinator")
    )
    assert anonymous.get(url).status_code == 404


def test_cleanup_keeps_the_pdf_of_a_published_revision(
    world, approved_plan, django_capture_on_commit_callbacks
):
    _publish(world, approved_plan, django_capture_on_commit_callbacks)
    job = _build(Report.objects.get(roadmap=approved_plan))
    old = timezone.now() - settings.REPORT_RETENTION - datetime.timedelta(days=1)
    Report.objects.filter(pk=job.pk).update(created_at=old)
    assert services.reports_cleanup() == {"reports": 0, "files": 0}
    workflow.roadmap_unpublish(
        roadmap=approved_plan, acting_user=world.user("municipal_coordinator")
    )
    assert services.reports_cleanup() == {"reports": 1, "files": 1}


def test_a_draft_cannot_be_published_and_nothing_is_made(world, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied, ValidationError

    plan = _plan(world)
    with pytest.raises((ValidationError, PermissionDenied)):
        _publish(world, plan, django_capture_on_commit_callbacks)
    assert not Report.objects.exists()
