"""Outbound webhooks: queueing case events for the endpoints that want them, and sending them.

Queueing happens inside the case's own transaction (``queue_case_event``, called for every
timeline event), so a delivery exists exactly when its event does. Sending happens after
commit, in the worker: the first attempt at once (the ``deliver_soon`` task), retries by the
task that runs every minute (``deliver_due``). A receiver that is down, slow or answering
errors never turns into an exception in a case action; it is recorded on the delivery.
"""

import http.client
import json
import logging
import socket
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anju.cases.public import listable_kinds, public_text
from anju.lib.retry import next_attempt_at
from anju.webhooks.choices import TEST_EVENT, DeliveryStatus
from anju.webhooks.models import Delivery, Endpoint, new_secret, wants
from anju.webhooks.signing import signature

log = logging.getLogger("anju.webhooks")

USER_AGENT = "Anju-Webhooks/1"
# How much of a receiver's answer the delivery log keeps.
RESPONSE_CHARS = 500
# While an attempt runs, the delivery is not due for this long beyond the timeout, so that a
# second worker does not send it too; if the worker dies mid-attempt, it is due again after.
LEASE_MARGIN_SECONDS = 60


# ---------------------------------------------------------------------------- queueing


def queue_case_event(event) -> list[Delivery]:
    """Write a pending delivery of ``event`` (a ``CaseEvent``) for every active endpoint that
    wants its action, in the caller's transaction, and send them once it commits.

    Called for every timeline event, so with no endpoint it costs one small query and nothing
    else. A problem here is logged, never raised: a webhook must not stop a case action.
    """
    subscribed = [pk for pk, events in Endpoint.objects.filter(active=True).values_list("pk", "events")
                  if wants(events, event.action)]
    if not subscribed:
        return []
    try:
        # A savepoint: if writing the deliveries fails, the case's own transaction goes on.
        with transaction.atomic():
            payload = case_payload(event)
            deliveries = []
            for endpoint_id in subscribed:
                delivery_id = uuid.uuid4()
                deliveries.append(Delivery(
                    uuid=delivery_id, endpoint_id=endpoint_id, event_id=event.pk, event=event.action,
                    tracking_code=event.case.tracking_code, payload={"id": str(delivery_id), **payload},
                    created_at=event.at, next_attempt_at=event.at,
                ))
            # The unique (endpoint, event) makes queueing the same event again a no-op.
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    except Exception:
        log.exception("could not queue webhook deliveries for case event %s", event.pk)
        return []
    _send_after_commit([d.uuid for d in deliveries])
    return deliveries


def _send_after_commit(delivery_ids) -> None:
    # robust: a queue that cannot be reached is logged; the minute task sends the delivery later.
    transaction.on_commit(partial(_enqueue, [str(i) for i in delivery_ids]), robust=True)


def _enqueue(delivery_ids: list[str]) -> None:
    from anju.webhooks.tasks import deliver_soon

    deliver_soon(delivery_ids)


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _named(obj) -> dict | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def carries_text(case) -> bool:
    """Whether a delivery about ``case`` may carry the note of a public event. Never for a
    confidential case, a complaint about an office, or a case of a kind never listed (a report of
    wrongdoing, and the module kinds about people): their words stay in Anju."""
    return not case.confidential and case.about_office_id is None and case.kind in listable_kinds()


def _scrub(note: str, case) -> str:
    """A public note as the public reads it (``public_text`` with the case): phone-, ID- and
    account-like numbers, e-mail addresses, and the reporter's name in every form a reply greets
    them by (张三, 张先生, 三哥 ...) and contacts blanked."""
    return public_text(note, case)


def _shown_region(case):
    """The case's region, or its township for a case that ``carries_text`` says is about people:
    a grid or village can narrow down who complained."""
    if case.region_id is None or carries_text(case):
        return case.region
    return case.region.township() or case.region


def case_payload(event) -> dict:
    """What a delivery says about a case event: the case's codes, status and deadline, never
    its reporter, its text or an internal note (see docs/webhooks.md).

    ``case_id`` is the case's number in Anju, the same in every delivery about it, for
    receivers to put events of one case together. The tracking code opens a case on /track,
    so a case that is about people (see ``carries_text``) is sent without it."""
    case = event.case
    about_people = not carries_text(case)
    payload = {
        "event": event.action,
        "occurred_at": _iso(event.at),
        "case_id": case.pk,
        "case": {
            "tracking_code": None if about_people else case.tracking_code,
            "kind": case.kind,
            "category": _named(case.category),
            "status": event.to_status or case.status,
            "from_status": event.from_status,
            "region": _named(_shown_region(case)),
            "office": _named(case.office),
            "due_at": _iso(case.due_at),
            "submitted_at": _iso(case.submitted_at),
        },
    }
    if event.public and event.note and not about_people:
        payload["note"] = _scrub(event.note, case)
    return payload


def body_of(delivery: Delivery) -> bytes:
    """The request body: the payload as UTF-8 JSON, keys sorted so that every attempt of a
    delivery sends the same bytes on either database."""
    return json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------------------- sending


@dataclass
class Outcome:
    """What one attempt got: a 2xx answer, another answer, or no answer at all."""

    ok: bool
    status_code: int | None = None
    error: str = ""
    response: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer other than 2xx, so a failed attempt. Following it would turn the
    POST into a GET whose 200 would look like a delivery."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _read(response) -> str:
    try:
        return response.read(RESPONSE_CHARS * 4).decode("utf-8", "replace")[:RESPONSE_CHARS]
    except (OSError, http.client.HTTPException):
        return ""


def _describe(error) -> str:
    """A short account of why there was no answer, for the delivery log (kept in English, as
    logs are)."""
    if isinstance(error, ConnectionRefusedError):
        return "Connection refused"
    if isinstance(error, TimeoutError):
        return f"No answer within {settings.ANJU_WEBHOOK_TIMEOUT} s (timed out)"
    if isinstance(error, socket.gaierror):
        return f"Unknown host ({error})"[:500]
    return f"{type(error).__name__}: {error}"[:500]


def post(delivery: Delivery, now: datetime) -> Outcome:
    """One signed POST of ``delivery`` to its endpoint. Never raises for what the network or
    the receiver does."""
    endpoint = delivery.endpoint
    body = body_of(delivery)
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Anju-Event": delivery.event,
        "X-Anju-Delivery": str(delivery.uuid),
        "X-Anju-Timestamp": timestamp,
        "X-Anju-Signature": signature(endpoint.secret, timestamp, body),
    })
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=settings.ANJU_WEBHOOK_TIMEOUT) as response:
            code = response.status
            return Outcome(200 <= code < 300, code, "" if 200 <= code < 300 else f"HTTP {code}", _read(response))
    except urllib.error.HTTPError as error:
        answer = _read(error)
        error.close()
        return Outcome(False, error.code, f"HTTP {error.code} {error.reason}"[:500], answer)
    except urllib.error.URLError as error:
        # Connection refused, unknown host, timeout while connecting.
        return Outcome(False, None, _describe(error.reason))
    except (OSError, http.client.HTTPException, ValueError) as error:
        # Timeout while reading, connection reset, a malformed answer.
        return Outcome(False, None, _describe(error))


def _claim(delivery: Delivery, now: datetime) -> bool:
    """Take ``delivery`` for one attempt, unless another worker took it first: the attempt
    count is compared and raised in one UPDATE, which works alike on SQLite and PostgreSQL."""
    lease = now + timedelta(seconds=settings.ANJU_WEBHOOK_TIMEOUT + LEASE_MARGIN_SECONDS)
    taken = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=delivery.attempts + 1, next_attempt_at=lease)
    if taken:
        delivery.attempts += 1
    return bool(taken)


def attempt(delivery: Delivery, now: datetime) -> bool:
    """One attempt at ``delivery`` (with its endpoint loaded); False if another worker has it.
    A 2xx answer marks it sent. Anything else counts as a failure: it is due again after
    1, 2, 4 ... minutes, and failed for good after ``ANJU_WEBHOOK_MAX_ATTEMPTS`` attempts."""
    if not _claim(delivery, now):
        return False
    outcome = post(delivery, now)
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    delivery.last_response = outcome.response
    if outcome.ok:
        delivery.status = DeliveryStatus.SENT
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        log.info("webhook %s (%s) sent to %s", delivery.uuid, delivery.event, delivery.endpoint)
    elif delivery.attempts >= settings.ANJU_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        log.warning("webhook %s to %s failed for good after %s attempts: %s", delivery.uuid, delivery.endpoint,
                    delivery.attempts, outcome.error)
    else:
        delivery.next_attempt_at = next_attempt_at(delivery.attempts, now)
        log.info("webhook %s to %s failed (attempt %s): %s", delivery.uuid, delivery.endpoint, delivery.attempts,
                 outcome.error)
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_status_code", "last_error",
                                 "last_response"])
    return True


def _sendable():
    # A deactivated endpoint's deliveries wait; a test event goes out to check it all the same.
    return (Delivery.objects.filter(status=DeliveryStatus.PENDING)
            .filter(Q(endpoint__active=True) | Q(event=TEST_EVENT)).select_related("endpoint"))


def _attempt_clock(now: datetime | None, clock: Callable[[], datetime] | None) -> Callable[[], datetime]:
    """What tells the time of each attempt: ``clock`` if given; else the real time, read just
    before each attempt, or the frozen ``now`` a test passed."""
    if clock is not None:
        return clock
    return timezone.now if now is None else (lambda: now)


def deliver_now(delivery_ids, now: datetime | None = None, clock: Callable[[], datetime] | None = None) -> int:
    """The first attempt of fresh deliveries (and of those an administrator retries), right
    after the transaction that queued them committed. Returns how many attempts were made."""
    clock = _attempt_clock(now, clock)
    now = now or timezone.now()
    rows = _sendable().filter(uuid__in=list(delivery_ids)).filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
    return sum(attempt(delivery, clock()) for delivery in rows.order_by("id"))


def deliver_due(now: datetime | None = None, batch_size: int = 100,
                clock: Callable[[], datetime] | None = None) -> int:
    """Attempt every pending delivery due at ``now`` (the start of the run), oldest due first;
    the worker runs this every minute. Returns how many attempts were made. Safe with several
    workers: each attempt is claimed first.

    Each attempt is signed, claimed and recorded at the time it is made (``clock``): behind
    slow receivers a run takes minutes, and a timestamp from its start would be stale (the
    receiver refuses it after five minutes) and a lease from its start could have run out."""
    clock = _attempt_clock(now, clock)
    now = now or timezone.now()
    made = 0
    while True:
        batch = list(_sendable().filter(next_attempt_at__lte=now).order_by("next_attempt_at", "id")[:batch_size])
        claimed = sum(attempt(delivery, clock()) for delivery in batch)
        made += claimed
        # Every attempted delivery is now sent, failed or due later; stop when nothing was left
        # or every row of the batch was taken by another worker.
        if len(batch) < batch_size or not claimed:
            return made


# ---------------------------------------------------------------------------- administration


@transaction.atomic
def rotate_secret(endpoint: Endpoint) -> str:
    """Give ``endpoint`` a new secret. Every later attempt, including retries of deliveries
    already queued, is signed with it; the receiving system must be given it too."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    log.info("webhook secret of endpoint %s rotated", endpoint.pk)
    return endpoint.secret


@transaction.atomic
def send_test_event(endpoint: Endpoint, now: datetime | None = None) -> Delivery:
    """Queue a ``test`` delivery to ``endpoint`` (active or not), carrying no case, so that the
    people configuring the receiving system can check its signature handling."""
    now = now or timezone.now()
    delivery_id = uuid.uuid4()
    delivery = Delivery.objects.create(
        uuid=delivery_id, endpoint=endpoint, event=TEST_EVENT, created_at=now, next_attempt_at=now,
        payload={"id": str(delivery_id), "event": TEST_EVENT, "occurred_at": _iso(now), "case_id": None,
                 "case": None},
    )
    _send_after_commit([delivery.uuid])
    return delivery


@transaction.atomic
def retry_delivery(delivery: Delivery, now: datetime | None = None) -> bool:
    """Give a failed delivery one more attempt at once (if that fails too, it is failed again).
    False for a delivery that is not failed."""
    now = now or timezone.now()
    changed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now
    )
    if changed:
        _send_after_commit([delivery.uuid])
    return bool(changed)
