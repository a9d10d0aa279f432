"""Signals the core sends so that domain modules can keep their own records in step with a
case, without the core knowing the modules."""

from django.dispatch import Signal

# Sent inside the transaction of every reopening (by staff, by the reporter, after a follow-up
# visit) with ``case``, ``actor`` (None for the reporter) and ``now``. A dispute's outcome and
# agreement stop counting when its case is reopened.
case_reopened = Signal()
