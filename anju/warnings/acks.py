"""Acknowledgement (叫应): every point of an issued warning has someone who must confirm, within
the level's minutes (``issuing.level_policy(level).ack_minutes``), that they received it and act
on it. The monitor is asked first; unanswered by the deadline, the sweep passes the asking on to
the deputy monitor, then to the duty officer on duty for the point's region (the duty module's
``duty.on_duty``; the supervisors when no shift covers the moment or the duty module is not
installed). The asking stops once anyone at the point has answered, and when the warning ends.

One answers through the link sent to one's phone (a secret token: the page behind it shows
nothing personal and does nothing but acknowledge), in the app (a signed-in user answering what
was asked of them), or by telephone, recorded by the duty desk. A late answer still counts as an
answer, marked late. Only the token's SHA-256 is kept: the link cannot be rebuilt from the
database."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.cases import modules
from anju.cases.messages import region_supervisors
from anju.cases.sweep import claim_due_rows
from anju.lib.errors import ServiceError
from anju.notify.choices import NotificationChannel
from anju.notify.models import Notification
from anju.notify.services import queue, staff_rows
from anju.warnings import issuing
from anju.warnings import warnings_access as access
from anju.warnings.choices import AckChannel, AckState, Responder, WarningEvent, WarningStatus
from anju.warnings.models import Acknowledgement, MonitoringPoint, Warning, WarningLog

# Who is asked after whom.
NEXT = {Responder.MONITOR: Responder.DEPUTY, Responder.DEPUTY: Responder.DUTY_OFFICER}
EVENT_ASKED = "warning_ack_asked"
EVENT_UNANSWERED = "warning_ack_unanswered"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def digest(token: str) -> str:
    """What is kept of a link's token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(token: str) -> str:
    """The acknowledgement link sent to a phone: the site's public address
    (``ANJU_PUBLIC_URL``, when set) and the page of the token."""
    base = getattr(settings, "ANJU_PUBLIC_URL", "").rstrip("/")
    return f"{base}{reverse('warnings:ack', args=[token])}"


def _log(warning: Warning, code: str, actor, now: datetime, note: str) -> None:
    WarningLog.objects.create(warning=warning, code=code, at=now, actor=actor, note=note[:2000])


def minutes_for(warning: Warning) -> int:
    """The minutes each person asked has to answer, by the warning's level."""
    return issuing.level_policy(warning.level).ack_minutes


# ---------------------------------------------------------------------------- asking


def _responder_of(point: MonitoringPoint, responder: str) -> tuple[str, str, object]:
    """(name, phone, account) of the point's monitor or deputy."""
    if responder == Responder.MONITOR:
        return point.monitor_name, point.monitor_phone, point.monitor_user
    return point.deputy_name, point.deputy_phone, point.deputy_user


def has_deputy(point: MonitoringPoint) -> bool:
    return bool(point.deputy_name or point.deputy_phone or point.deputy_user_id)


def nearest_supervisors(region) -> list:
    """The supervisors of the nearest region at or above ``region`` that has any."""
    for place in reversed(region.ancestors()):
        found = region_supervisors(place)
        if found:
            return found
    return []


def duty_officer_for(point: MonitoringPoint, now: datetime) -> tuple[object, list]:
    """Who answers for the point's region now: (the duty officer, [those to tell]); the officer
    is None where the supervisors stand in (no roster, no shift now, or no duty module)."""
    on_duty = modules.provided("duty.on_duty")
    found = on_duty(point.region, now) if on_duty is not None else None
    if found is not None and found.officer is not None:
        return found.officer, [found.officer]
    supervisors = list(found.supervisors) if found is not None else []
    return None, supervisors or nearest_supervisors(point.region)


def ask(warning: Warning, point: MonitoringPoint, responder: str, now: datetime,
        passed_on: bool = False) -> Acknowledgement:
    """Ask one person to acknowledge ``warning`` for ``point`` by the level's deadline, and tell
    them: the link by text message to a phone, in the workbench (and by e-mail) to an account.
    Runs in the caller's transaction."""
    token = secrets.token_urlsafe(32)
    due = now + timedelta(minutes=minutes_for(warning))
    tell = []
    if responder == Responder.DUTY_OFFICER:
        user, tell = duty_officer_for(point, now)
        name = (user.display_name or user.username) if user is not None else ""
        phone = ""
    else:
        name, phone, user = _responder_of(point, responder)
        if user is not None:
            tell = [user]
    ack = Acknowledgement.objects.create(
        warning=warning, point=point, responder=responder, name=(name or "")[:50], phone=(phone or "")[:30],
        user=user, token=digest(token), asked_at=now, due_at=due, sweep_at=due)
    _tell(ack, token, tell, passed_on)
    return ack


def ask_for_acknowledgements(warning: Warning, points: list[MonitoringPoint], now: datetime) -> list[Acknowledgement]:
    """Ask the monitor of each of ``points`` (the deputy where a point has no monitor)."""
    asked = []
    for point in points:
        responder = Responder.MONITOR if (point.monitor_name or point.monitor_phone or point.monitor_user_id) \
            else Responder.DEPUTY if has_deputy(point) else Responder.DUTY_OFFICER
        asked.append(ask(warning, point, responder, now))
    return asked


def hurry(warning: Warning, now: datetime) -> int:
    """The warning's level was raised: those still waiting answer by the new level's minutes
    from now where that comes sooner than their deadline."""
    due = now + timedelta(minutes=minutes_for(warning))
    return Acknowledgement.objects.filter(warning=warning, state=AckState.WAITING, sweep_at__isnull=False,
                                          due_at__gt=due).update(due_at=due, sweep_at=due)


def stop_asking(warning: Warning) -> int:
    """The warning ended: nobody is chased any more."""
    return Acknowledgement.objects.filter(warning=warning, sweep_at__isnull=False).update(sweep_at=None)


def _tell(ack: Acknowledgement, token: str, users: list, passed_on: bool) -> None:
    """The text message with the link to the phone asked; the same words without the link in the
    workbench (and by e-mail) of the account asked, whose page has the button."""
    warning = ack.warning
    facts = {"headline": warning.headline, "point": ack.point.name, "code": ack.point.code,
             "minutes": minutes_for(warning), "url": link_for(token)}
    with translation.override(settings.LANGUAGE_CODE):
        facts["level"] = str(warning.get_level_display())
        subject = _("Acknowledge the warning: %(level)s, %(headline)s") % facts
        if ack.responder == Responder.DUTY_OFFICER:
            text = _("Nobody at %(point)s (%(code)s) acknowledged the %(level)s warning “%(headline)s” in time. "
                     "Call the monitor and the deputy and record the call, or acknowledge it yourself, within "
                     "%(minutes)s minutes.") % facts
            by_link = text
        else:
            text = _("%(level)s warning for %(point)s: %(headline)s. Acknowledge it within %(minutes)s minutes "
                     "(叫应).") % facts
            by_link = _("%(level)s warning for %(point)s: %(headline)s. Acknowledge it within %(minutes)s minutes "
                        "(叫应): %(url)s") % facts
            if passed_on:
                first = _("The monitor did not answer in time.")
                text, by_link = f"{first} {text}", f"{first} {by_link}"
    rows = []
    if ack.phone:
        rows.append(Notification(channel=NotificationChannel.SMS, address=ack.phone, event=EVENT_ASKED,
                                 subject=subject, body=by_link))
    rows += staff_rows(users, EVENT_ASKED, subject, text, link=reverse("warnings:warning", args=[warning.pk]))
    queue(rows)


# ---------------------------------------------------------------------------- answering


def _locked(ack: Acknowledgement) -> Acknowledgement:
    return Acknowledgement.objects.select_for_update(of=("self",)).select_related(
        "warning", "point", "point__region").get(pk=ack.pk)


def check_answerable(ack: Acknowledgement) -> None:
    """Refuse (409) an answer to an ended warning or one already given."""
    warning = ack.warning
    if warning.status != WarningStatus.ISSUED:
        raise ServiceError(_("This warning is “%(state)s”: it is no longer acknowledged.") % {
            "state": WarningStatus(warning.status).label}, status=409, field="status")
    if ack.state == AckState.ACKNOWLEDGED:
        raise ServiceError(_("This was acknowledged already."), status=409)


def _answer(ack: Acknowledgement, channel: str, actor, now: datetime, note: str = "") -> Acknowledgement:
    check_answerable(ack)
    ack.state, ack.answered_at, ack.channel, ack.sweep_at = AckState.ACKNOWLEDGED, now, channel, None
    ack.missed_deadline = ack.missed_deadline or (ack.due_at is not None and now > ack.due_at)
    if channel == AckChannel.CALL:
        ack.recorded_by = actor
    ack.save(update_fields=["state", "answered_at", "channel", "sweep_at", "missed_deadline", "recorded_by"])
    # Someone at the point answered: the others asked for it are no longer chased.
    Acknowledgement.objects.filter(warning=ack.warning, point=ack.point, state=AckState.WAITING).exclude(
        pk=ack.pk).update(sweep_at=None)
    with translation.override(settings.LANGUAGE_CODE):
        text = f"{ack.point.code} · {Responder(ack.responder).label} · {AckChannel(channel).label}"
        if ack.missed_deadline:
            text += f" · {_('late')}"
    _log(ack.warning, WarningEvent.ACKNOWLEDGED, actor if channel != AckChannel.LINK else None, now,
         "; ".join(filter(None, [text, note])))
    return ack


def find_by_token(token: str) -> Acknowledgement | None:
    """The acknowledgement a link's token stands for, or None."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    return Acknowledgement.objects.select_related("warning", "point").filter(token=digest(token)).first()


@transaction.atomic
def acknowledge_by_link(token: str, *, now: datetime | None = None) -> Acknowledgement:
    """Acknowledge through the link sent (no sign-in: the token is the proof). 404 for an
    unknown token."""
    now = now or timezone.now()
    ack = find_by_token(token)
    if ack is None:
        raise ServiceError(_("This link is not valid."), status=404)
    return _answer(_locked(ack), AckChannel.LINK, None, now)


@transaction.atomic
def acknowledge_in_app(actor, ack: Acknowledgement, *, now: datetime | None = None) -> Acknowledgement:
    """A signed-in user acknowledges what was asked of them (a supervisor standing in for the
    duty officer, what was asked of the supervisors)."""
    now = now or timezone.now()
    ack = _locked(ack)
    if not access.can_answer(actor, ack):
        raise ServiceError(_("You may not do this."), status=403)
    return _answer(ack, AckChannel.APP, actor, now)


@transaction.atomic
def record_call(actor, ack: Acknowledgement, *, note: str = "", now: datetime | None = None) -> Acknowledgement:
    """The duty desk records that the person asked confirmed by telephone."""
    now = now or timezone.now()
    ack = _locked(ack)
    if not access.can_operate(actor, ack.warning):
        raise ServiceError(_("You may not do this."), status=403)
    if not isinstance(note, str) or "\x00" in note or len(note.strip()) > 500:
        raise ServiceError(_("The note must be text of at most 500 characters."), status=422, field="note")
    return _answer(ack, AckChannel.CALL, actor, now, note.strip())


# ---------------------------------------------------------------------------- the sweep


def sweep_acknowledgements(now: datetime | None = None, batch_size: int = 200) -> int:
    """The module's sweep (registered in ``apps.py``): each acknowledgement unanswered at its
    deadline is passed on to the next person (monitor → deputy → duty officer); the duty
    officer's, unanswered, is marked missed and the supervisors (or the leader on duty) are
    told. Returns how many it looked at."""
    rows = Acknowledgement.objects.select_related("warning", "point", "point__region")
    return claim_due_rows(rows, pass_on, now=now or timezone.now(), batch_size=batch_size)


def pass_on(ack: Acknowledgement, now: datetime) -> None:
    """Handle one acknowledgement whose deadline came (the sweep holds the row)."""
    ack.sweep_at = None
    covered = Acknowledgement.objects.filter(warning=ack.warning, point=ack.point,
                                             state=AckState.ACKNOWLEDGED).exists()
    if ack.warning.status != WarningStatus.ISSUED or ack.state != AckState.WAITING or covered:
        ack.save(update_fields=["sweep_at"])
        return
    ack.missed_deadline = True
    following = NEXT.get(ack.responder)
    if following == Responder.DEPUTY and not has_deputy(ack.point):
        following = Responder.DUTY_OFFICER
    with translation.override(settings.LANGUAGE_CODE):
        asked = str(Responder(ack.responder).label)
        if following is not None:
            ack.state = AckState.ESCALATED
            note = _("%(point)s: %(who)s did not answer in time; passed on to %(next)s.") % {
                "point": ack.point.code, "who": asked, "next": Responder(following).label}
        else:
            note = _("%(point)s: %(who)s did not answer in time.") % {"point": ack.point.code, "who": asked}
    ack.save(update_fields=["sweep_at", "missed_deadline", "state"])
    _log(ack.warning, WarningEvent.ESCALATED, None, now, note)
    if following is not None:
        ask(ack.warning, ack.point, following, now, passed_on=True)
    else:
        _tell_unanswered(ack, now)


def _tell_unanswered(ack: Acknowledgement, now: datetime) -> None:
    """Nobody at the point answered, the duty officer neither: the leader on duty, else the
    supervisors, are told."""
    on_duty = modules.provided("duty.on_duty")
    found = on_duty(ack.point.region, now) if on_duty is not None else None
    users = [found.leader] if found is not None and found.leader is not None else []
    users += list(found.supervisors) if found is not None else nearest_supervisors(ack.point.region)
    if not users:
        return
    facts = {"point": ack.point.name, "code": ack.point.code, "headline": ack.warning.headline}
    with translation.override(settings.LANGUAGE_CODE):
        facts["level"] = str(ack.warning.get_level_display())
        subject = _("Warning not acknowledged: %(point)s") % facts
        body = _("Nobody at %(point)s (%(code)s), nor the duty officer, acknowledged the %(level)s warning "
                 "“%(headline)s” in time.") % facts
    queue(staff_rows(users, EVENT_UNANSWERED, subject, body,
                     link=reverse("warnings:warning", args=[ack.warning_id])))
