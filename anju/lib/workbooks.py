"""Reading an uploaded Excel workbook for a register's import (sites, rosters, threshold rules)
without trusting it: a limit on the file's size and on what it unpacks to (an .xlsx is a zip),
one clear refusal for anything openpyxl cannot read, the template's header checked, empty rows
skipped, a limit on the lines. Each refusal is a ``ServiceError`` (422, field ``file``); what the
cells mean is the importing module's business."""

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from anju.lib.errors import ServiceError


def refused(message: str) -> ServiceError:
    return ServiceError(message, status=422, field="file")


def cell_text(value) -> str:
    """A cell as text: numbers typed into a text column (a phone, a code) without Excel's ".0",
    dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def read_rows(upload, columns: Sequence[tuple], *, max_bytes: int, max_unpacked_bytes: int, max_lines: int,
              too_big: str, too_many: str, no_lines: str) -> list[tuple[int, list]]:
    """The rows under the header of the first sheet of ``upload`` (a file object, with ``size``
    where known, or bytes), each as (Excel's line number, its cells, one per column). ``columns``
    are the template's (name, header, label): a header cell may be the header or the name.
    ``too_big``, ``too_many`` and ``no_lines`` are the module's words for those refusals."""
    raw = upload if isinstance(upload, bytes) else None
    size = len(raw) if raw is not None else getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise refused(too_big)
    if raw is None:
        raw = upload.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise refused(too_big)
    not_xlsx = _("This is not an Excel workbook (.xlsx). Save the file as .xlsx, from the template, and upload it "
                 "again.")
    buffer = io.BytesIO(raw)
    try:
        with zipfile.ZipFile(buffer) as archive:
            if sum(info.file_size for info in archive.infolist()) > max_unpacked_bytes:
                raise refused(not_xlsx)
    except zipfile.BadZipFile:
        raise refused(not_xlsx) from None
    try:
        book = load_workbook(buffer, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl trips over, the file is not a workbook it can read
        raise refused(not_xlsx) from None
    width = len(columns)
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise refused(_("The workbook has no sheet."))
        rows = sheet.iter_rows(max_col=width, values_only=True)
        header = next(rows, None)
        cells = [cell_text(v) for v in (header or ())[:width]]
        cells += [""] * (width - len(cells))
        if header is None or not all(cell in (head, name) for cell, (name, head, *_rest) in
                                     zip(cells, columns, strict=True)):
            raise refused(_("The first row must be the template's header: %(columns)s.") % {
                "columns": "、".join(head for _name, head, *_rest in columns)})
        lines = []
        for number, row in enumerate(rows, start=2):
            values = list(row)[:width] + [None] * (width - len(row))
            if all(cell_text(value) == "" for value in values):
                continue
            if len(lines) == max_lines:
                raise refused(too_many)
            lines.append((number, values))
    finally:
        book.close()
    if not lines:
        raise refused(no_lines)
    return lines
