"""The fixed vocabularies of notifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    # Staff only: listed on the user's notifications page. Reporters follow public events on /track.
    IN_APP = "in_app", _("In the workbench")
