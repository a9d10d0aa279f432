"""Limits on failed sign-ins, per account and per client address, for the API's token endpoint
and the sign-in page alike: a password cannot be guessed by trying. Only keyed hashes of the
account name and address are kept, for the window only; every refused or failed sign-in is
logged (without the password)."""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from anju.lib import ratelimit

log = logging.getLogger("anju.signin")


def signin_refused(request, username: str) -> str:
    """Why no sign-in is tried now for ``username`` from this client (the wait in minutes), or
    "" when it may be tried."""
    account = ratelimit.peek_subject((username or "").strip().lower(), "signin-account", settings.ANJU_SIGNIN_RATE)
    address = ratelimit.peek(request, "signin-address", settings.ANJU_SIGNIN_ADDRESS_RATE)
    waits = [o.retry_after for o in (account, address) if not o.allowed]
    if not waits:
        return ""
    log.warning("sign-in refused for a while: %s failed attempts too many", "account" if not account.allowed
                else "address")
    minutes = max(1, round(max(waits) / 60))
    return _("Too many failed sign-ins. Try again in %(minutes)s minutes.") % {"minutes": minutes}


def count_failed_signin(request, username: str) -> None:
    """Count a wrong password or unknown account against both limits, and log it."""
    ratelimit.hit_subject((username or "").strip().lower(), "signin-account", settings.ANJU_SIGNIN_RATE)
    ratelimit.hit(request, "signin-address", settings.ANJU_SIGNIN_ADDRESS_RATE)
    log.info("failed sign-in from %s", ratelimit.client_address(request))
