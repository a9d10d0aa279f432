from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def exports_dir() -> Path:
    """Where finished workbooks are kept (read at call time so that tests can move DATA_DIR)."""
    return Path(settings.DATA_DIR) / "exports"


class Export(models.Model):
    """An Excel export of a filtered case list, too large to answer at once, written by a
    background task. ``params`` holds the list's filter query and the moment the list was
    asked for, so the file shows what the user saw. Only the user who asked may see it or
    download it. The file holds no reporter's personal data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # File name inside exports_dir(); empty until the workbook is written.
    file = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["created_at"], name="export_created")]

    def __str__(self):
        return f"Export #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def path(self) -> Path | None:
        return exports_dir() / self.file if self.file else None
