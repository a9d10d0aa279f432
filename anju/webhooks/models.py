import secrets
import uuid
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.webhooks.choices import ALL_EVENTS, DeliveryStatus


def new_secret() -> str:
    """32 random bytes, URL-safe (43 characters): what an endpoint signs its deliveries with."""
    return secrets.token_urlsafe(32)


def validate_http_url(value: str) -> None:
    """Webhooks are HTTP POSTs: other schemes (ftp, file ...) are refused."""
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValidationError(gettext("The URL must start with http:// or https://."), code="scheme")


def validate_events(value) -> None:
    """A non-empty list of case events (the core's ``Action`` and the registered modules' event
    codes), or ["*"] for all."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValidationError(gettext("Choose at least one event."), code="empty")
    unknown = [v for v in value if v != ALL_EVENTS and not modules.is_event(v)]
    if unknown:
        raise ValidationError(gettext("Unknown event: %(events)s.") % {"events": ", ".join(unknown)},
                              code="unknown")


class Endpoint(models.Model):
    """A URL of another county system that receives case events as signed HTTP POSTs. The
    receiving system is given ``secret`` to check each delivery's signature; an administrator
    can rotate it. ``events`` lists the case actions wanted, or ["*"] for all."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500, validators=[validate_http_url])
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    events = models.JSONField(_("events"), default=list, validators=[validate_events])
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def wants(self, action: str) -> bool:
        return wants(self.events, action)


def wants(events: list, action: str) -> bool:
    return ALL_EVENTS in events or action in events


class Delivery(models.Model):
    """One case event on its way to one endpoint, with the outcome of its last attempt.

    Unique per (endpoint, case event), so queueing an event twice never sends it twice. A
    failed attempt is retried with growing delays until ``ANJU_WEBHOOK_MAX_ATTEMPTS``; the row
    stays as the delivery log. ``next_attempt_at`` is when the worker may next try a pending
    delivery (it is also moved ahead while an attempt is running, so that two workers never
    send the same delivery at once)."""

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE,
                                 related_name="deliveries")
    # The CaseEvent sent, as a plain number rather than a foreign key: deleting cases (the demo
    # reset) never has to look through the log. Empty for a test event.
    event_id = models.BigIntegerField(_("case event"), null=True, blank=True)
    event = models.CharField(_("event type"), max_length=30)
    tracking_code = models.CharField(_("tracking code"), max_length=12, blank=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_response = models.CharField(_("last response"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="unique_webhook_delivery"),
        ]
        indexes = [
            # The worker's question: which pending deliveries are due?
            models.Index(fields=["next_attempt_at"], name="webhook_delivery_due",
                         condition=Q(status="pending")),
            models.Index(fields=["endpoint", "created_at"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self):
        return f"{self.event} {self.tracking_code} ({str(self.uuid)[:8]})".replace("  ", " ")
