"""The sites register imported from an Excel workbook (.xlsx): one site a line, in the columns of
the template (``template_workbook``).

All or nothing: every line goes through ``services.create_site`` (the same checks and rights as
a site added by hand) inside one transaction, and when any line fails nothing is created and
each failing line is reported with its number (the row number Excel shows), its column and the
reason, in the user's language. A dry run (``commit=False``) does the same and rolls back: it
is the preview that says how many sites an import will create before it does.

Plain functions, for the page (``views.documents.sites_import``) and the API alike.
"""

import io
from dataclasses import asdict, dataclass
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anju.cases.services import CaseError
from anju.hazards import access, services
from anju.hazards.models import Site, SiteKind
from anju.lib import workbooks
from anju.people.models import Office

# (field of ``services.NewSite``, the column's header in the template, its name in messages).
COLUMNS = [
    ("kind", "场所类型代码", gettext_lazy("Site kind code")),
    ("name", "场所名称", gettext_lazy("Site name")),
    ("address", "地址", gettext_lazy("Address")),
    ("lat", "纬度", gettext_lazy("Latitude")),
    ("lng", "经度", gettext_lazy("Longitude")),
    ("unit", "责任单位", gettext_lazy("Responsible unit")),
    ("contact_name", "责任人", gettext_lazy("Responsible person")),
    ("contact_phone", "联系电话", gettext_lazy("Responsible person's phone")),
    ("department", "监管部门代码", gettext_lazy("Supervising department code")),
    ("risk_notes", "风险提示", gettext_lazy("Risk notes")),
]
FIELDS = [name for name, _header, _label in COLUMNS]
REQUIRED = frozenset({"kind", "name", "address", "lat", "lng", "unit"})
# What one upload may hold: a county's sites of a kind fit; a bigger register goes in parts.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINES = 1000
# A .xlsx is a zip: refuse one that unpacks to more than this before reading it (a zip bomb).
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# How long a preview may wait for its confirmation.
PREVIEW_MAX_AGE = 3600
_SALT = "anju.hazards.imports.sites"


@dataclass
class SiteLine:
    """One line of the workbook: its row number and the site it describes."""

    line: int
    data: services.NewSite


@dataclass
class LineError:
    line: int
    field: str
    message: str

    @property
    def column(self) -> str:
        """The column's name in the user's language ("" for a line refused as a whole)."""
        return next((str(label) for name, _header, label in COLUMNS if name == self.field), "")


@dataclass
class Planned:
    """A site the import creates (or, in a dry run, would create)."""

    line: int
    name: str
    kind: str
    region: str
    unit: str
    pk: int | None = None


@dataclass
class ImportReport:
    lines: int
    errors: list[LineError]
    sites: list[Planned]
    committed: bool

    @property
    def ok(self) -> bool:
        return not self.errors


_file_error = workbooks.refused


def can_import(user) -> bool:
    """Whether ``user`` may add sites anywhere: a keeper of sites in some region, or a handler
    of a supervising department (``create_site`` still checks each line's place)."""
    if not user.is_authenticated or not user.is_active:
        return False
    paths = access._region_paths(user, access.KEEPERS)
    return paths is None or bool(paths) or bool(access._departments(user))


# ---------------------------------------------------------------------------- reading


_text = workbooks.cell_text


def _coordinate(value):
    """A number, or the text as typed for ``create_site`` to refuse by name."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = _text(value)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def read_workbook(upload) -> list[SiteLine]:
    """The lines of a sites workbook (``upload``: a file object with ``size``, or bytes). Refused
    (422, field ``file``) when it is not a readable .xlsx, too large, not in the template's
    columns, without lines or with too many. Empty rows are skipped; line numbers are Excel's."""
    rows = workbooks.read_rows(
        upload, COLUMNS, max_bytes=MAX_FILE_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES, max_lines=MAX_LINES,
        too_big=_("The file is larger than %(n)s MB; split the register into several files.") % {
            "n": MAX_FILE_BYTES // (1024 * 1024)},
        too_many=_("The file has more than %(n)s lines of sites; split it into several files.") % {"n": MAX_LINES},
        no_lines=_("The file has no lines of sites under its header."))
    lines = []
    for number, cells in rows:
        values = dict(zip(FIELDS, cells, strict=True))
        lines.append(SiteLine(number, services.NewSite(
            kind=_text(values["kind"]), name=_text(values["name"]), address=_text(values["address"]),
            lat=_coordinate(values["lat"]), lng=_coordinate(values["lng"]), unit=_text(values["unit"]),
            contact_name=_text(values["contact_name"]), contact_phone=_text(values["contact_phone"]),
            department=_text(values["department"]), risk_notes=_text(values["risk_notes"]))))
    return lines


# ---------------------------------------------------------------------------- importing


def _same(text: str) -> str:
    return "".join(text.split()).casefold()


def import_sites(actor, lines: list[SiteLine], *, commit: bool, now: datetime | None = None) -> ImportReport:
    """Create the sites of ``lines`` through ``services.create_site``, all in one transaction:
    kept only when ``commit`` and every line passed; otherwise rolled back (a dry run, or a file
    with errors). A line naming a site already in the register (the same name at the same
    address) or twice in the file is refused, so that a file imported twice is not doubled."""
    errors: list[LineError] = []
    planned: list[Planned] = []
    seen: dict[tuple[str, str], int] = {}
    with transaction.atomic():
        for line in lines:
            key = (_same(line.data.name or ""), _same(line.data.address or ""))
            if key[0] and key in seen:
                errors.append(LineError(line.line, "name", _("The same site (name and address) is on line %(n)s.")
                                        % {"n": seen[key]}))
                continue
            seen[key] = line.line
            try:
                # A savepoint each (create_site is atomic): a refused line leaves the rest usable.
                site = services.create_site(actor, line.data, now=now)
            except CaseError as error:
                errors.append(LineError(line.line, error.field or "", error.message))
                continue
            if Site.objects.filter(name=site.name, address=site.address, is_active=True).exclude(pk=site.pk).exists():
                errors.append(LineError(line.line, "name", _("This site (name and address) is already in the "
                                                             "register.")))
                continue
            planned.append(Planned(line.line, site.name, site.kind.name, site.region.name, site.unit, site.pk))
        committed = commit and not errors
        if not committed:
            transaction.set_rollback(True)
    if not committed:
        for row in planned:
            row.pk = None
    return ImportReport(lines=len(lines), errors=errors, sites=planned, committed=committed)


# ---------------------------------------------------------------------------- preview, then confirm


def sign_lines(actor, lines: list[SiteLine]) -> str:
    """The lines of a previewed file, signed for ``actor``: the confirmation sends them back
    unchanged (and they are checked again), so nothing is kept on the server in between."""
    payload = {"user": actor.pk, "lines": [[line.line, asdict(line.data)] for line in lines]}
    return signing.dumps(payload, salt=_SALT, compress=True)


def unsign_lines(actor, token: str) -> list[SiteLine]:
    """The lines ``sign_lines`` signed for ``actor``; refused when altered, another user's or
    older than ``PREVIEW_MAX_AGE``."""
    try:
        payload = signing.loads(token or "", salt=_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise _file_error(_("The preview is more than an hour old; upload the file again.")) from None
    except signing.BadSignature:
        raise _file_error(_("The preview could not be read; upload the file again.")) from None
    if payload.get("user") != actor.pk:
        raise _file_error(_("The preview could not be read; upload the file again."))
    return [SiteLine(number, services.NewSite(**data)) for number, data in payload["lines"]]


# ---------------------------------------------------------------------------- the template


def template_workbook() -> bytes:
    """The template to fill: the header row on the first sheet, then the explanation of each
    column and the codes to use (site kinds, supervising departments)."""
    book = Workbook()
    bold = Font(bold=True)
    sheet = book.active
    sheet.title = "场所"
    sheet.append([header for _name, header, _label in COLUMNS])
    for index, width in enumerate((14, 24, 30, 10, 10, 26, 10, 14, 14, 30), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = bold
    for letter in ("A", "H", "I"):
        # Codes and phones are text, so a leading 0 stays: the columns' style, not cells made in
        # advance (they would push lines written after them down the sheet).
        sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    notes = book.create_sheet("填写说明")
    notes.append(["列", "是否必填", "说明"])
    explanations = [
        ("是", "见“场所类型代码”表"),
        ("是", "最多200字"),
        ("是", "最多300字"),
        ("是", "WGS84坐标，十进制度数，如 31.905；须落在本县某一网格内"),
        ("是", "WGS84坐标，十进制度数，如 108.605"),
        ("是", "负责该场所安全的单位名称，最多200字"),
        ("否", "责任人姓名；系统中按个人信息遮蔽显示"),
        ("否", "只能填写数字、空格、“-”和“+”"),
        ("否", "见“监管部门代码”表；不填则由属地管理"),
        ("否", "最多2000字"),
    ]
    for (_name, header, _label), (required, text) in zip(COLUMNS, explanations, strict=True):
        notes.append([header, required, text])
    notes.append([])
    notes.append([f"第一行为表头，请勿修改；每个文件最多{MAX_LINES}行、{MAX_FILE_BYTES // (1024 * 1024)}MB。"
                  "任何一行有误时整个文件都不导入，页面会列出每一行的错误。"])
    for cell in notes[1]:
        cell.font = bold
    for letter, width in (("A", 16), ("B", 10), ("C", 70)):
        notes.column_dimensions[letter].width = width

    kinds = book.create_sheet("场所类型代码")
    kinds.append(["代码", "名称"])
    for code, name in SiteKind.objects.filter(is_active=True).order_by("path").values_list("code", "name"):
        kinds.append([code, name])
    departments = book.create_sheet("监管部门代码")
    departments.append(["代码", "名称"])
    for code, name in (Office.objects.filter(is_active=True, kind="department").order_by("code")
                       .values_list("code", "name")):
        departments.append([code, name])
    for extra in (kinds, departments):
        for cell in extra[1]:
            cell.font = bold
        extra.column_dimensions["A"].width, extra.column_dimensions["B"].width = 22, 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
