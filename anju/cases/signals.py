"""Signals the core sends so that domain modules can keep their own records in step with a
case, without the core knowing the modules."""

from django.dispatch import Signal

# Sent inside the transaction of every reopening (by staff, by the reporter, after a follow-up
# visit) with ``case``, ``actor`` (None for the reporter) and ``now``. A dispute's outcome and
# agreement stop counting when its case is reopened.
case_reopened = Signal()

# Sent by every lifecycle action of the core before it changes anything, with ``case`` (locked),
# ``actor`` and ``action``, once the actor's right and the case's status are checked. A domain
# module's receiver may refuse by raising ``CaseError`` (a dispute waiting for the organisation
# it was passed to is not returned or transferred by the core meanwhile).
case_action_requested = Signal()
