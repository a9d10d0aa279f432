"""Every text of a case is kept twice, from the moment it is written: whole, as written, in a
field named ``<field>_whole``, and redacted of the people on the case (``lib.redact``) in the
field every page, list, export, API answer, message and webhook reads (``text``, ``reply``,
``note``, ...). So a page that forgets about privacy shows the redacted words.

The redacted copy is what the office a complaint is about reads and searches. Staff who may see
the person (``access.can_reveal_person``) read the whole words only by revealing them, which is
logged like any look at a person (``services.check_reveal``), and find a case by its whole words.

A model that keeps texts this way lists them in ``REDACTED`` (shown field → whole field) and
inherits ``RedactedTexts``; a domain module's models do the same, and tell the core who is on
their cases through ``CaseKind.people``."""

from __future__ import annotations

from anju.cases import modules
from anju.lib.redact import MARK, Person, redact, restore


def people_on(case) -> list[Person]:
    """The people every text of ``case`` is redacted of: its reporter and the people its kind's
    module keeps on it (``CaseKind.people``), read once per case instance."""
    cached = getattr(case, "_people_for_redaction", None)
    if cached is not None:
        return cached
    people = []
    if case.reporter_id:
        reporter = case.reporter
        people.append(Person(name=reporter.name, phone=reporter.phone, email=reporter.email))
    kind = modules.case_kind(case.kind)
    hook = kind.hook("people") if kind is not None and case.pk else None
    if hook is not None:
        people += list(hook(case))
    case._people_for_redaction = people
    return people


def forget_people(case) -> None:
    """Drop the people read for ``case``: someone was added to it or changed."""
    case.__dict__.pop("_people_for_redaction", None)


class RedactedTexts:
    """Fills the redacted copies of a model's texts on every save. ``REDACTED`` maps each shown
    field to its whole field; ``case_for_redaction()`` is the case whose people are hidden.

    Whoever writes a text may write it in the whole field or in the shown one: a value put in the
    shown field (it differs from what was read, or a new row has no whole text) is the text as
    written. So a module's service that sets ``petition.request`` keeps working, and nothing it
    writes is ever lost to the redaction."""

    REDACTED: dict[str, str] = {}

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._shown_as_read = {shown: row.__dict__[shown] for shown in cls.REDACTED if shown in row.__dict__}
        return row

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._shown_as_read = {shown: self.__dict__[shown] for shown in self.REDACTED if shown in self.__dict__}

    def case_for_redaction(self):
        return self.case

    def people_for_redaction(self) -> list[Person]:
        """The people this row's texts are redacted of: those on its case. A row that belongs to
        no case (a register's entry naming its own contact) names its people here instead."""
        return people_on(self.case_for_redaction())

    def save(self, *args, **kwargs):
        if getattr(self, "_showing_whole", False):
            raise RuntimeError("A row showing its whole texts in place of the redacted ones is never saved.")
        update_fields = kwargs.get("update_fields")
        pairs = [
            (shown, whole) for shown, whole in self.REDACTED.items()
            if update_fields is None or shown in update_fields or whole in update_fields
        ]
        as_read = getattr(self, "_shown_as_read", {})
        people = None
        for shown, whole in pairs:
            written = getattr(self, shown) or ""
            if (shown in as_read and written != as_read[shown]) or (
                    shown not in as_read and written and not getattr(self, whole)):
                before = getattr(self, whole) or ""
                if MARK in written and before:
                    # The redacted copy was edited: what its marks hid stays.
                    people = self.people_for_redaction() if people is None else people
                    written = restore(written, before, people)
                setattr(self, whole, written)
            value = getattr(self, whole) or ""
            if people is None and value:
                people = self.people_for_redaction()
            # A mark is longer than most of what it hides: the copy keeps to the column's size.
            setattr(self, shown, redact(value, people or ())[:self._meta.get_field(shown).max_length])
        if pairs and update_fields is not None:
            kwargs["update_fields"] = list({*update_fields, *(f for pair in pairs for f in pair)})
        super().save(*args, **kwargs)
        self._shown_as_read = {**as_read, **{shown: getattr(self, shown) for shown, _whole in pairs}}


def refresh(case) -> None:
    """Redact every core text of ``case`` again, after the people on it changed (a petitioner
    added, a party's name corrected). Modules refresh their own texts beside this."""
    from anju.cases.models import Attachment, CaseEvent, ExtensionRequest, SupervisionNotice

    forget_people(case)
    people = people_on(case)
    redo(case, people)
    for model in (CaseEvent, SupervisionNotice, ExtensionRequest, Attachment):
        for row in model.objects.filter(case=case):
            redo(row, people)


def redo(row, people: list[Person]) -> None:
    """Write ``row``'s redacted copies again from its whole texts, without touching anything else."""
    changed = {}
    for shown, whole in row.REDACTED.items():
        value = redact(getattr(row, whole) or "", people)[:row._meta.get_field(shown).max_length]
        if value != getattr(row, shown):
            changed[shown] = value
    if changed:
        type(row).objects.filter(pk=row.pk).update(**changed)
        for field, value in changed.items():
            setattr(row, field, value)
        row._shown_as_read = {**getattr(row, "_shown_as_read", {}), **changed}


def whole(row, field: str) -> str:
    """The text of ``field`` as written (for a user who revealed it)."""
    return getattr(row, type(row).REDACTED[field]) or getattr(row, field)


def has_redactions(case) -> bool:
    """Whether anything was hidden in the case's own texts (its text, reply, reason of return)."""
    return any(getattr(case, shown) != (getattr(case, whole) or getattr(case, shown))
               for shown, whole in type(case).REDACTED.items())


def show_whole(*rows) -> None:
    """Put the whole texts of ``rows`` in place of the redacted ones, for one answer to a user who
    revealed them; such a row refuses to be saved."""
    for row in rows:
        for shown in row.REDACTED:
            setattr(row, shown, whole(row, shown))
        row._showing_whole = True
