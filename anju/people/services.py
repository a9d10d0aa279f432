"""Issuing and checking API tokens."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anju.people.models import ApiToken, User, hash_token


@transaction.atomic
def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a personal API token for ``user``; returns the record and the raw token,
    which is not stored and cannot be shown again."""
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hash_token(raw),
        prefix=raw[:12],
        expires_at=timezone.now() + timedelta(days=settings.ANJU_TOKEN_DAYS),
    )
    return token, raw


def user_for_token(raw: str) -> User | None:
    """The active user a raw token belongs to, or None for an unknown, revoked or expired one."""
    token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Writing last-use on every request would make reads write; once a minute is enough.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(token: ApiToken) -> None:
    """Revoke a token; it stops working at once."""
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
