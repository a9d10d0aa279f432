"""What the public CAP feed lists: the messages Anju issued (never one received from upstream),
those still in force first (the latest message of a warning that is issued and not past its
expiry, unless it is a cancel), then the rest, newest first."""

from datetime import datetime

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, When

from anju.geo.models import Region
from anju.warnings import cap
from anju.warnings.choices import MessageType, WarningStatus
from anju.warnings.issuing import LEVEL_PARAMETER, LEVEL_WORDS
from anju.warnings.models import CapMessage

# Public feeds are best kept to about 100 kB: a hundred entries.
FEED_SIZE = 100


def public_messages():
    return CapMessage.objects.filter(issued_here=True)


def feed_messages(now: datetime, limit: int = FEED_SIZE) -> list[CapMessage]:
    later = public_messages().filter(warning=OuterRef("warning")).filter(
        Q(sent_at__gt=OuterRef("sent_at")) | Q(sent_at=OuterRef("sent_at"), pk__gt=OuterRef("pk")))
    in_force = (Q(warning__status=WarningStatus.ISSUED) & ~Q(msg_type=MessageType.CANCEL) & Q(superseded=False)
                & (Q(warning__expires_at__isnull=True) | Q(warning__expires_at__gt=now)))
    rows = public_messages().annotate(superseded=Exists(later)).annotate(
        in_force=Case(When(in_force, then=True), default=False, output_field=BooleanField()))
    return list(rows.order_by("-in_force", "-sent_at", "-pk")[:limit])


def county() -> Region | None:
    return Region.objects.filter(parent__isnull=True).order_by("path").first()


def entry_for(message: CapMessage, url: str) -> cap.FeedEntry | None:
    """The feed's entry for ``message`` (its stored document read back), linking ``url``; None for
    stored bytes that are no longer a CAP alert (the feed goes on without them)."""
    try:
        alert = cap.parse(bytes(message.xml), trusted=True)
    except cap.CapError:
        return None
    info = alert.infos[0] if alert.infos else None
    area_desc = info.areas[0].area_desc if info and info.areas else ""
    level = info.parameter(LEVEL_PARAMETER) if info else None
    level_words = {key: f"{zh} {en}" for key, (zh, en) in LEVEL_WORDS.items()}
    level_label = level_words.get((level or "").split(" ")[0], level or "")
    summary = " · ".join(part for part in (area_desc, level_label, alert.msg_type) if part)
    return cap.FeedEntry(
        id=url, title=(info.headline or info.event) if info else alert.identifier, updated=alert.sent, url=url,
        summary=summary, author=info.sender_name if info else alert.sender, identifier=alert.identifier,
        msg_type=alert.msg_type, status=alert.status, event=info.event if info else "",
        urgency=info.urgency if info else "", severity=info.severity if info else "",
        certainty=info.certainty if info else "", area_desc=area_desc, expires=info.expires if info else None)
