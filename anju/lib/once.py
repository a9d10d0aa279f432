"""Creating a row once per user and Idempotency-Key, for a module's creates that are not cases
(the core's cases keep their keys in ``cases.IdempotencyKey``).

The row keeps the key and a fingerprint of the request in two columns of its own
(``idempotency_key``, ``request_hash``, unique per user with the key), so the same key sent
again returns the row made the first time, and the same key with another request is refused."""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anju.lib.errors import ServiceError


def create_once(actor, key: str, request: dict, model, create: Callable, *, owner: str) -> tuple:
    """Run ``create`` once per ``actor`` and ``key`` (``owner`` names the row's field holding the
    user who made it): returns the row and whether it was made now. A retry racing the first
    request finds its row once the first commits. Without a key, ``create`` simply runs."""
    key = (key or "").strip()
    if not key:
        return create(), True
    if "\x00" in key:
        raise ServiceError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                           field="Idempotency-Key")
    if len(key) > 100:
        raise ServiceError(_("Idempotency-Key must be at most 100 characters."), status=422, field="Idempotency-Key")
    fingerprint = hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()

    def earlier():
        row = model.objects.filter(**{owner: actor, "idempotency_key": key}).first()
        if row is not None and row.request_hash != fingerprint:
            raise ServiceError(_("This Idempotency-Key was used for a different request."), status=422,
                               field="Idempotency-Key")
        return row

    row = earlier()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            made = create()
            model.objects.filter(pk=made.pk).update(idempotency_key=key, request_hash=fingerprint)
            made.idempotency_key, made.request_hash = key, fingerprint
    except IntegrityError:
        row = earlier()
        if row is None:
            raise
        return row, False
    return made, True
