"""STAND-IN, NOT THE REAL MODULE: a minimal ``issuing`` written by the "resp" helper so that the
warning lifecycle can be built and tested before the "cap" helper's module is merged. The lead
replaces this file with the real one (which builds and stores the CAP 1.2 document). Only the
signatures are the contract:

- ``level_policy(level) -> LevelPolicy``: the table's row for ``level``, or an unsaved row with
  the defaults;
- ``issue_message(warning, msg_type, actor, now) -> CapMessage``: the message stored for the
  warning, with ``references`` to the earlier ones.
"""

from datetime import datetime

from anju.warnings.choices import Certainty, Level, Severity, Urgency
from anju.warnings.models import CapMessage, LevelPolicy, Warning

# level: (urgency, severity, certainty, approver_role, ack_minutes, expires_hours)
DEFAULTS = {
    Level.RED: (Urgency.IMMEDIATE, Severity.EXTREME, Certainty.LIKELY, "leader", 10, 24),
    Level.ORANGE: (Urgency.IMMEDIATE, Severity.SEVERE, Certainty.LIKELY, "leader", 15, 24),
    Level.YELLOW: (Urgency.EXPECTED, Severity.MODERATE, Certainty.POSSIBLE, "supervisor", 30, 24),
    Level.BLUE: (Urgency.FUTURE, Severity.MINOR, Certainty.POSSIBLE, "supervisor", 60, 24),
}


def level_policy(level: str) -> LevelPolicy:
    row = LevelPolicy.objects.filter(level=level).first()
    if row is not None:
        return row
    urgency, severity, certainty, approver_role, ack_minutes, expires_hours = DEFAULTS[level]
    return LevelPolicy(level=level, urgency=urgency, severity=severity, certainty=certainty,
                       approver_role=approver_role, ack_minutes=ack_minutes, expires_hours=expires_hours)


def issue_message(warning: Warning, msg_type: str, actor, now: datetime) -> CapMessage:
    """STAND-IN: stores a CapMessage with placeholder XML."""
    earlier = list(warning.messages.order_by("sent_at", "pk"))
    number = len(earlier) + 1
    identifier = f"STANDIN{warning.pk:08d}_{now:%Y%m%d%H%M%S}_{number}"
    references = " ".join(f"{m.sender},{m.identifier},{m.sent_at.isoformat()}" for m in earlier)
    xml = (f"<alert><identifier>{identifier}</identifier><msgType>{msg_type}</msgType></alert>").encode()
    return CapMessage.objects.create(warning=warning, identifier=identifier, sender="standin@anju", sent_at=now,
                                     msg_type=msg_type, references=references, xml=xml, issued_here=True,
                                     created_at=now)
