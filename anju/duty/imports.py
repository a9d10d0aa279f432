"""A month of an office's duty roster imported from an Excel workbook (.xlsx): one shift a line, in
the columns of the template (``template_workbook``).

All or nothing: every line goes through ``services.plan_shift`` (a new shift) or
``services.change_shift`` (a shift already planned that is not over), with the same checks and
rights as a shift planned by hand, inside one transaction; when any line fails nothing is
changed and each failing line is reported with its number (the row number Excel shows), its
column and the reason. A dry run (``commit=False``) does the same and rolls back.

People are written by their username or by their display name when only one active member of
staff has it."""

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from anju.duty import access, services
from anju.duty.choices import SHIFTS_OF, ShiftKind
from anju.duty.models import Shift
from anju.lib import workbooks
from anju.lib.errors import ServiceError
from anju.people.models import Office, User

# (field, the column's header in the template, its name in messages).
COLUMNS = [
    ("day", "日期", gettext_lazy("Day")),
    ("kind", "班次", gettext_lazy("Shift")),
    ("officer", "值班员", gettext_lazy("Duty officer (值班员)")),
    ("leader", "带班领导", gettext_lazy("Leader on duty (带班领导)")),
    ("note", "备注", gettext_lazy("Note")),
]
FIELDS = [name for name, _header, _label in COLUMNS]
# A month of day and night shifts is 62 lines; leave room for notes and blank lines.
MAX_LINES = 200
MAX_FILE_BYTES = 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# The words a shift may be written with, besides its code.
KIND_WORDS = {
    "全天": ShiftKind.FULL_DAY, "24小时": ShiftKind.FULL_DAY, "全日": ShiftKind.FULL_DAY,
    "白班": ShiftKind.DAY, "日班": ShiftKind.DAY, "夜班": ShiftKind.NIGHT, "晚班": ShiftKind.NIGHT,
}


@dataclass
class RosterLine:
    line: int
    day: date | str | None
    kind: str
    officer: str
    leader: str
    note: str


@dataclass
class LineError:
    line: int
    field: str
    message: str

    @property
    def column(self) -> str:
        return next((str(label) for name, _header, label in COLUMNS if name == self.field), "")


@dataclass
class Planned:
    line: int
    day: date
    kind: str
    officer: str
    leader: str
    action: str  # "plan" or "change"


@dataclass
class ImportReport:
    lines: int
    errors: list[LineError]
    shifts: list[Planned]
    committed: bool

    @property
    def ok(self) -> bool:
        return not self.errors


_file_error = workbooks.refused


_text = workbooks.cell_text


def _day(value) -> date | str | None:
    """A date cell, or text such as 2026-10-01 or 2026/10/01; other text is kept for the error."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        return _text(value)


def read_workbook(upload) -> list[RosterLine]:
    """The lines of a roster workbook (a file object or bytes); refused (422, field ``file``) when
    it is not a readable .xlsx in the template's columns, or has no lines or too many."""
    rows = workbooks.read_rows(
        upload, COLUMNS, max_bytes=MAX_FILE_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES, max_lines=MAX_LINES,
        too_big=_("The file is larger than %(n)s MB.") % {"n": MAX_FILE_BYTES // (1024 * 1024)},
        too_many=_("The file has more than %(n)s lines.") % {"n": MAX_LINES},
        no_lines=_("The file has no lines of shifts under its header."))
    lines = []
    for number, cells in rows:
        values = dict(zip(FIELDS, cells, strict=True))
        lines.append(RosterLine(number, _day(values["day"]), _text(values["kind"]), _text(values["officer"]),
                                _text(values["leader"]), _text(values["note"])))
    return lines


def _username(written: str, field_name: str) -> str:
    """The username of the staff member written as ``written`` (a username, or a display name
    only one active member of staff has)."""
    if not written:
        return ""
    if User.objects.filter(username=written).exists():
        return written
    named = list(User.objects.filter(Q(display_name=written), is_active=True).values_list("username", flat=True)[:2])
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise ServiceError(_("Several members of staff have this name: write the username."), status=422,
                           field=field_name)
    raise ServiceError(_("No active member of staff has this username or name."), status=422, field=field_name)


def _kind(written: str, pattern_kinds) -> str:
    if not written and len(pattern_kinds) == 1:
        return pattern_kinds[0]
    kind = KIND_WORDS.get(written, written)
    if kind not in ShiftKind.values:
        raise ServiceError(_("Write the shift as %(words)s.") % {
            "words": "、".join(KIND_WORDS) + "、" + "、".join(ShiftKind.values)}, status=422, field="kind")
    return kind


def import_month(actor, office: Office, month: date, lines: list[RosterLine], *, commit: bool,
                 now: datetime | None = None) -> ImportReport:
    """Plan or change the shifts of ``lines`` for ``office`` in the month of ``month``, in one
    transaction: kept only when ``commit`` and every line passed."""
    if not access.can_keep(actor, office):
        raise ServiceError(_("You may not do this."), status=403)
    pattern_kinds = SHIFTS_OF[services.roster_of(office).pattern]
    errors: list[LineError] = []
    planned: list[Planned] = []
    seen: dict[tuple[date, str], int] = {}
    with transaction.atomic():
        for line in lines:
            try:
                if not isinstance(line.day, date):
                    raise ServiceError(_("Write the day as a date, e.g. 2026-10-01."), status=422, field="day")
                if (line.day.year, line.day.month) != (month.year, month.month):
                    raise ServiceError(_("This day is not in %(month)s.") % {"month": f"{month:%Y-%m}"}, status=422,
                                       field="day")
                kind = _kind(line.kind, pattern_kinds)
                if (line.day, kind) in seen:
                    raise ServiceError(_("The same shift is on line %(n)s.") % {"n": seen[(line.day, kind)]},
                                       status=422, field="kind")
                seen[(line.day, kind)] = line.line
                officer = _username(line.officer, "officer")
                if not officer:
                    raise ServiceError(_("This field is required."), status=422, field="officer")
                leader = _username(line.leader, "leader")
                with transaction.atomic():
                    shift = Shift.objects.filter(office=office, day=line.day, kind=kind).first()
                    if shift is None:
                        services.plan_shift(actor, services.NewShift(office.code, line.day, kind, officer, leader,
                                                                     line.note), now=now)
                        action = "plan"
                    else:
                        services.change_shift(actor, shift, officer=officer, leader=leader, note=line.note, now=now)
                        action = "change"
            except ServiceError as error:
                errors.append(LineError(line.line, error.field or "", error.message))
                continue
            planned.append(Planned(line.line, line.day, kind, officer, leader, action))
        committed = commit and not errors
        if not committed:
            transaction.set_rollback(True)
    return ImportReport(lines=len(lines), errors=errors, shifts=planned, committed=committed)


def template_workbook() -> bytes:
    """The template to fill: the header row, and a sheet explaining the columns."""
    book = Workbook()
    bold = Font(bold=True)
    sheet = book.active
    sheet.title = "值班表"
    sheet.append([header for _name, header, _label in COLUMNS])
    for cell in sheet[1]:
        cell.font = bold
    for letter, width in (("A", 14), ("B", 10), ("C", 16), ("D", 16), ("E", 30)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for row in (["列", "说明"],
                ["日期", "值班日，如 2026-10-01；须在所导入的月份内"],
                ["班次", "全天（24小时值班）；或白班、夜班（白夜班制）。全天制可不填"],
                ["值班员", "值班员的用户名或姓名（姓名重复时填用户名）"],
                ["带班领导", "带班领导的用户名或姓名；须有领导或督办角色。可暂不填，月历上显示为缺口"],
                ["备注", "最多200字"],
                [f"每个文件最多{MAX_LINES}行。已排的班次按本表改排；已结束的班次不能改。任何一行有误时整个文件都不导入。"]):
        notes.append(row)
    for cell in notes[1]:
        cell.font = bold
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 12, 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
