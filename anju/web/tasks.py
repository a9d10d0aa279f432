"""Excel exports of the case list: the workbook writer, and the background task for exports too
large to answer at once.

An export carries no reporter's personal data: no name, phone or e-mail column, and phone
numbers written into the text or address are masked, in whatever form they are written
(``masking.mask_phones_in``). Times are Asia/Shanghai wall-clock times
(naive in the cells, as Excel has no time zones).
"""

import logging
import os
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anju.cases.models import Case
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import masking, tracking
from anju.web.models import Export, ExportStatus, exports_dir
from anju.web.views.workbench import CaseFilterForm, filter_cases, order_cases

log = logging.getLogger("anju.exports")

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Rows read and written per batch; progress is saved after each.
EXPORT_BATCH_ROWS = 500
# One sheet holds at most 1,048,576 rows, the header included.
EXCEL_MAX_ROWS = 1_048_575
# Finished exports are deleted after this many days.
EXPORT_KEEP_DAYS = 7
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The column headers are fixed Chinese words whatever the page language: the workbook is a
# county document, and spreadsheets built on it rely on the names.
COLUMNS = [
    ("查询码", 13), ("类型", 12), ("分类", 16), ("状态", 12), ("诉求内容", 60), ("地址", 30),
    ("乡镇（街道）", 14), ("网格", 16), ("承办单位", 20), ("提交时间", 18), ("办理期限", 18),
    ("办结时间", 18), ("是否超期", 10), ("满意度", 8),
]


def _local(value: datetime | None) -> datetime | None:
    # Whole seconds: Excel keeps milliseconds at best, and nobody reads them.
    return timezone.localtime(value, SHANGHAI).replace(tzinfo=None, microsecond=0) if value else None


def _text(ws, value: str):
    """A text cell that stays text: no control characters (invalid in the file), phone
    numbers masked, and never read as a formula even when it starts with "="."""
    value = masking.mask_phones_in(ILLEGAL_CHARACTERS_RE.sub("", value or ""))
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


class WorkbookWriter:
    """Writes cases to a write-only workbook, one row each, in the order given."""

    def __init__(self, now: datetime):
        self.now = now
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("案件")
        for index, (_title, width) in enumerate(COLUMNS):
            self.sheet.column_dimensions[get_column_letter(index + 1)].width = width
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for title, _width in COLUMNS:
            cell = WriteOnlyCell(self.sheet, value=title)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)
        self.townships = list(Region.objects.filter(level=Level.TOWNSHIP).values_list("path", "name"))

    def _township(self, area_path: str) -> str:
        for path, name in self.townships:
            if area_path.startswith(path):
                return name
        return ""

    def write(self, case: Case) -> None:
        ws = self.sheet
        overdue = case.due_at is not None and case.due_at < self.now
        # Labels such as "Accepted (已受理)" are translated to their Chinese words.
        with translation.override(settings.LANGUAGE_CODE):
            kind, status = str(case.get_kind_display()), str(case.get_status_display())
        self.sheet.append([
            tracking.display(case.tracking_code), kind, case.category.name, status,
            _text(ws, case.text), _text(ws, case.address), self._township(case.area_path),
            case.grid.name if case.grid else "", case.office.name if case.office else "",
            _local(case.submitted_at), _local(case.due_at), _local(case.resolved_at),
            "是" if overdue else "否", case.satisfaction,
        ])

    def save(self, target) -> None:
        self.book.save(target)


def export_rows(user, query: str, now: datetime):
    """The ordered cases of the list filtered by ``query``, as ``user`` sees them now; None
    when the filters are no longer valid (a category deleted meanwhile)."""
    form = CaseFilterForm(user, data=QueryDict(query))
    if not form.is_valid():
        return None
    rows = filter_cases(user, form.cleaned_data, now=now)
    return order_cases(rows, form.cleaned_data.get("sort") or "")


def write_cases(ids: list[int], target, *, now: datetime, progress=None) -> None:
    """Write the cases ``ids`` (in that order) to ``target``, in batches; ``progress(n)`` is
    called with the number of rows written after each batch."""
    writer = WorkbookWriter(now)
    related = Case.objects.select_related("category", "grid", "office").defer("grid__boundary")
    for start in range(0, len(ids), EXPORT_BATCH_ROWS):
        chunk = ids[start:start + EXPORT_BATCH_ROWS]
        by_id = related.in_bulk(chunk)
        for pk in chunk:
            if pk in by_id:  # a case deleted since the ids were read is left out
                writer.write(by_id[pk])
        if progress:
            progress(start + len(chunk))
    writer.save(target)


@db_task()
def build_export(export_id: int) -> None:
    """Write the workbook of an export in the background. The export is claimed by moving it
    from queued to running in one UPDATE, so two workers never write the same one."""
    if not Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING):
        return
    export = Export.objects.select_related("user").get(pk=export_id)
    directory = exports_dir()
    name = f"{export.pk}-{secrets.token_hex(8)}.xlsx"
    partial = directory / f"{name}.part"
    try:
        now = parse_datetime(export.params.get("now", "")) or timezone.now()
        rows = export_rows(export.user, export.params.get("query", ""), now)
        if rows is None:
            raise ValueError("the filters of this export are no longer valid")
        ids = list(rows.values_list("pk", flat=True)[:EXCEL_MAX_ROWS])
        Export.objects.filter(pk=export_id).update(rows_total=len(ids), rows_done=0)
        directory.mkdir(parents=True, exist_ok=True)

        def progress(done: int) -> None:
            Export.objects.filter(pk=export_id).update(rows_done=done)

        with open(partial, "wb") as target:
            write_cases(ids, target, now=now, progress=progress)
        os.replace(partial, directory / name)
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.DONE, file=name, rows_done=len(ids), finished_at=timezone.now()
        )
    except Exception as error:
        log.exception("export %s failed", export_id)
        partial.unlink(missing_ok=True)
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )


@db_periodic_task(crontab(hour="4", minute="37"))
def delete_old_exports() -> None:
    """Exports are for taking away, not for keeping: files and rows go after a week."""
    cutoff = timezone.now() - timedelta(days=EXPORT_KEEP_DAYS)
    for export in Export.objects.filter(created_at__lt=cutoff):
        if export.path:
            export.path.unlink(missing_ok=True)
        export.delete()
