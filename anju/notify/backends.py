"""How a notification leaves Anju, chosen by ``settings.ANJU_NOTIFY_BACKEND``.

``console`` logs every message (masked address and subject; the body only at DEBUG) and
counts it as sent: the demo, and any installation without a mail server or SMS gateway yet.
``smtp`` sends e-mail through the mail server in ``EMAIL_HOST``/``EMAIL_PORT`` and text
messages to the county's SMS gateway at ``ANJU_SMS_HOOK_URL`` (a JSON POST of {"phone",
"text"}; anything but a 2xx answer, a redirect included, is a failure). A backend raises on
failure; the caller records it and retries later.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _

from anju.notify.choices import NotificationChannel

log = logging.getLogger("anju.notify")

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SMS_TIMEOUT_SECONDS = 10
# Text messages carry the body only; the gateway adds the county's registered signature.
SMS_MAX_CHARS = 500


class CannotDeliver(Exception):
    """Delivery cannot work however often it is tried (nothing configured to send through)."""


def send(notification) -> None:
    """Deliver one notification; raises when it did not go out."""
    if notification.channel == NotificationChannel.IN_APP:
        return
    backend = settings.ANJU_NOTIFY_BACKEND
    if backend == "console":
        # The body can carry a rating code (which lets anyone rate the case) or a reply quoting
        # the reporter: it is logged only at DEBUG, which installations do not keep.
        log.info("notification %s (%s, %s) to %s: %s", notification.pk, notification.event,
                 notification.channel, notification.masked_address, notification.subject)
        log.debug("notification %s body: %s", notification.pk, notification.body)
        return
    if backend != "smtp":
        raise CannotDeliver(f"unknown notification backend {backend!r}")
    if notification.channel == NotificationChannel.EMAIL:
        send_email(notification.address, notification.subject, notification.body)
    elif notification.channel == NotificationChannel.SMS:
        send_sms(notification.address, sms_text(notification))
    else:
        raise CannotDeliver(f"unknown channel {notification.channel!r}")


def send_email(address: str, subject: str, body: str) -> None:
    """One e-mail through the SMTP server, named explicitly so that a test's or a project's
    default e-mail backend (locmem, console) cannot swallow it."""
    connection = get_connection(SMTP_BACKEND, fail_silently=False)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address],
                           connection=connection)
    message.send(fail_silently=False)


def sms_text(notification) -> str:
    """Subject and body, cut to ``SMS_MAX_CHARS``; a cut message says so and where the whole
    answer is, so that nobody takes the cut text for all of it."""
    text = f"{notification.subject}\n{notification.body}" if notification.subject else notification.body
    if len(text) <= SMS_MAX_CHARS:
        return text
    with translation.override(settings.LANGUAGE_CODE):
        ending = "…" + _("(the whole text is on the tracking page, with your tracking code)")
    return text[:SMS_MAX_CHARS - len(ending)] + ending


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure. Following it would turn the POST into a GET, whose 200 would be
    taken for a message sent."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def send_sms(phone: str, text: str) -> None:
    """POST {"phone", "text"} to the SMS gateway hook; anything but a 2xx answer is a failure."""
    url = getattr(settings, "ANJU_SMS_HOOK_URL", "")
    if not url:
        raise CannotDeliver("no SMS gateway configured (ANJU_SMS_HOOK_URL is empty)")
    if not url.startswith(("http://", "https://")):
        raise CannotDeliver("ANJU_SMS_HOOK_URL must be an http:// or https:// address")
    request = urllib.request.Request(
        url, data=json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"}, method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=SMS_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"SMS gateway answered HTTP {error.code}") from None
    if not 200 <= status < 300:
        raise RuntimeError(f"SMS gateway answered HTTP {status}")
