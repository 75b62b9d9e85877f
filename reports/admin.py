"""Django admin of the reports app: organisations' signing certificates (staff
administrators, within their reach) and the product's trusted roots (superusers)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from schools.admin import ScopedAdminMixin
from schools.models import Organisation

from . import services
from .forms import CertificateUploadForm
from .models import Report, SigningCertificate, TrustedRoot

ADD_VERB = "reports.add_signingcertificate"


@admin.register(SigningCertificate)
class SigningCertificateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Certificates are uploaded as PKCS#12 through ``services.certificate_upload`` (the
    password opens the container once); a row is never edited, only withdrawn."""

    name_accusative = "сертификат подписи"
    name_forms = ("сертификат", "сертификата", "сертификатов")
    list_display = ("organisation", "signer_name", "position", "serial", "not_after", "is_active")
    list_filter = ("is_active",)
    search_fields = ("organisation__short_name", "signer_name", "serial")
    actions = ["withdraw"]
    fields = (
        "organisation",
        "signer_name",
        "position",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "sha256",
        "is_active",
        "uploaded_by",
        "uploaded_at",
        "withdrawn_at",
    )
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        organisations = Organisation.objects.for_user(request.user, ADD_VERB)
        form = CertificateUploadForm(
            request.POST or None, request.FILES or None, organisations=organisations
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.certificate_upload(
                    acting_user=request.user,
                    organisation=data["organisation"],
                    data=data["file"].read(services.certificates.MAX_PKCS12_BYTES + 1),
                    password=data["password"],
                    position=data["position"],
                    signer_name=data["signer_name"],
                )
            except (ValidationError, PermissionDenied) as error:
                message = " ".join(getattr(error, "messages", [])) or str(error)
                form.add_error(None, message)
            else:
                messages.success(
                    request, "Сертификат загружен; им подписываются планы организации."
                )
                return HttpResponseRedirect(reverse("admin:reports_signingcertificate_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Загрузить сертификат подписи",
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "reports/admin_certificate_upload.html", context)

    @admin.action(description="Вывести из использования")
    def withdraw(self, request, queryset):
        changeable = SigningCertificate.objects.for_user(
            request.user, "reports.change_signingcertificate"
        )
        count = 0
        for certificate in changeable.filter(pk__in=queryset.values("pk"), is_active=True):
            services.certificate_withdraw(acting_user=request.user, certificate=certificate)
            count += 1
        messages.success(request, f"Выведено из использования: {count}.")


@admin.register(TrustedRoot)
class TrustedRootAdmin(admin.ModelAdmin):
    """The roots of trust are the product's, not a tenant's: superusers only."""

    list_display = ("name", "is_active", "added_at")
    fields = ("name", "certificate_pem", "crl_pem", "is_active")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: request.user.is_active and request.user.is_superuser
    )
    has_delete_permission = has_change_permission


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Report jobs, for superusers (diagnosing a failed render)."""

    list_display = ("title", "kind", "format", "signed", "state", "created_by", "created_at")
    list_filter = ("state", "kind", "signed")
    readonly_fields = [field.name for field in Report._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
