"""Forms of the reports app: the PDF to verify, a certificate to upload (admin)."""

from __future__ import annotations

from django import forms
from django.conf import settings

from schools.models import Organisation

# A PDF starts with its header within the first kilobyte (ISO 32000: readers tolerate
# some bytes before it).
PDF_HEADER = b"%PDF-"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} МБ"


class VerifyForm(forms.Form):
    """The PDF whose signature a person wants checked; read by its bytes, never by name."""

    file = forms.FileField(
        label="PDF-файл документа",
        help_text="Файл, полученный из системы «Дорожные карты» или от организации.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.VERIFY_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"Файл больше {_megabytes(limit)} — это не документ системы. "
                "Проверяются PDF-файлы планов и отчётов."
            )
        if upload.size == 0:
            raise forms.ValidationError("Файл пустой.")
        upload.seek(0)
        head = upload.read(1024)
        if PDF_HEADER not in head:
            raise forms.ValidationError(
                "Файл не является PDF-документом (по содержимому). Проверяются PDF-файлы "
                "планов и отчётов."
            )
        upload.seek(0)
        self.cleaned_data["data"] = upload.read(limit + 1)
        return upload


class CertificateUploadForm(forms.Form):
    """A PKCS#12 for an organisation (staff admin). The password is used once, to open
    the container, and forgotten."""

    organisation = forms.ModelChoiceField(label="Организация", queryset=Organisation.objects.none())
    file = forms.FileField(
        label="Контейнер PKCS#12 (.p12, .pfx)",
        help_text="Сертификат подписанта вместе с закрытым ключом и цепочкой издателей.",
    )
    password = forms.CharField(
        label="Пароль контейнера",
        strip=False,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Используется один раз, чтобы открыть контейнер; не сохраняется.",
    )
    position = forms.CharField(
        label="Должность подписанта",
        max_length=300,
        help_text="Как в подписи документов: «Начальник управления образования».",
    )
    signer_name = forms.CharField(
        label="ФИО подписанта",
        max_length=300,
        required=False,
        help_text="Если пусто — из сертификата.",
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
