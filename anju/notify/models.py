from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.lib.masking import mask_email
from anju.notify.choices import NotificationChannel, NotificationStatus


class Notification(models.Model):
    """One message to one recipient (a case's reporter or a member of staff) over one channel,
    delivered by the background worker after the case's transaction commits. A failed delivery
    stays visible here and on the case page, and never blocks the case."""

    Status = NotificationStatus
    Channel = NotificationChannel

    # The case the message is about; empty for a message about something else, which then has a
    # ``link`` to its page (a screening report a grid owes).
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications")
    link = models.CharField(_("link"), max_length=200, blank=True)
    # Exactly one of these: a reporter (by the contact they gave) or a user.
    reporter = models.ForeignKey("cases.Reporter", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("event"), max_length=30)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices,
                               default=NotificationChannel.SMS)
    # The phone number or e-mail address used, as it was when queued; empty for in-app messages.
    # Shown only masked.
    address = models.CharField(_("contact address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=NotificationStatus.choices,
                              default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the worker may try (again); also held forward while a worker is trying, so that
    # two workers never send the same message twice. None once sent or failed.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["user", "channel", "read_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.event} · {self.get_status_display()}"

    @property
    def masked_address(self) -> str:
        if self.channel == NotificationChannel.SMS:
            from anju.lib.masking import mask_phone

            return mask_phone(self.address)
        if self.channel == NotificationChannel.EMAIL:
            return mask_email(self.address)
        return ""
