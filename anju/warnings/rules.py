"""Threshold rules (预警阈值): for a point, or for every point of an area (a region subtree), per
reading kind and window, the threshold at which each level is reached. A point's own rules for a
kind and window stand in for its area's (``readings.rules_in_force``).

Within one scope, kind and window there is one rule per level, and a higher level needs a
higher threshold (blue < yellow < orange < red): a table where orange is reached before yellow
says nothing clear. Every change recomputes the level now of the points it reaches, which drafts
a warning when a level rose (``readings.refresh_level``).

The county-wide table is imported from an Excel workbook (.xlsx), one rule a line: the area's
region code or a point's code, the kind, the window in hours, the level and the threshold. All
or nothing, as the hazards sites import (``anju.hazards.imports``): every line is checked with the
same rights as a rule set by hand, in one transaction; a line for a rule already there changes
its threshold; when any line fails nothing is changed and each failing line is reported with
its number, column and reason. A dry run (``commit=False``) is the preview."""

import io
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anju.geo.models import Region
from anju.lib import workbooks
from anju.lib.errors import ServiceError
from anju.warnings import points_access as access
from anju.warnings import readings
from anju.warnings.choices import LEVEL_RANK, Level, ReadingKind
from anju.warnings.models import MonitoringPoint, Reading, ThresholdRule
from anju.warnings.points import number, whole

# The longest window a rule may read (a week of rain).
MAX_WINDOW_HOURS = 168
MAX_THRESHOLD = 100_000

# Words a table may use for a kind or a level besides the codes.
KIND_ALIASES = {"降雨": ReadingKind.RAIN, "降雨量": ReadingKind.RAIN, "雨量": ReadingKind.RAIN,
                "位移": ReadingKind.DISPLACEMENT, "裂缝": ReadingKind.CRACK, "裂缝宽度": ReadingKind.CRACK,
                "水位": ReadingKind.WATER_LEVEL}
LEVEL_ALIASES = {"蓝": Level.BLUE, "蓝色": Level.BLUE, "黄": Level.YELLOW, "黄色": Level.YELLOW,
                 "橙": Level.ORANGE, "橙色": Level.ORANGE, "红": Level.RED, "红色": Level.RED}


@dataclass
class NewRule:
    """A rule: for the point with id ``point``, or for the area with region code ``area``."""

    kind: str
    window_hours: int
    level: str
    threshold: float
    point: int | None = None
    area: str = ""


@dataclass
class _Spec:
    point: MonitoringPoint | None
    area: Region | None
    kind: str
    window_hours: int
    level: str
    threshold: float

    @property
    def scope(self) -> dict:
        return {"point": self.point, "area": None} if self.point is not None else {"point": None, "area": self.area}


def _forbidden() -> ServiceError:
    return ServiceError(_("You may not set rules here."), status=403)


def _spec(actor, data: NewRule) -> _Spec:
    """``data`` checked field by field, and the actor's right over its scope."""
    if (data.point is None) == (not data.area):
        raise ServiceError(_("A rule is for one point or for one area: give one of them."), status=422,
                           field="area" if data.point is None else "point")
    point = area = None
    if data.point is not None:
        point = access.visible_points(actor).select_related("region").filter(pk=data.point).first() \
            if isinstance(data.point, int) and not isinstance(data.point, bool) and 0 < data.point < 2**62 else None
        if point is None:
            raise ServiceError(_("Unknown monitoring point."), status=422, field="point")
        if not access.can_keep_rules_of(actor, point):
            raise _forbidden()
    else:
        area = Region.objects.filter(code=data.area).first() if isinstance(data.area, str) else None
        if area is None:
            raise ServiceError(_("Unknown region code."), status=422, field="area")
        if not access.can_keep_rules_in(actor, area):
            raise _forbidden()
    kind = data.kind if isinstance(data.kind, str) else ""
    if kind not in ReadingKind.values:
        raise ServiceError(_("Unknown reading kind: %(kind)s.") % {"kind": kind or "''"}, status=422, field="kind")
    window = whole(data.window_hours, "window_hours", _("Window (hours)"), 0, MAX_WINDOW_HOURS)
    level = data.level if isinstance(data.level, str) else ""
    if level not in Level.values:
        raise ServiceError(_("%(value)s is not one of the allowed values.") % {"value": level or "''"}, status=422,
                           field="level")
    low = -MAX_THRESHOLD if kind == ReadingKind.WATER_LEVEL else 0
    threshold = number(data.threshold, "threshold", _("Threshold"), low, MAX_THRESHOLD)
    if kind != ReadingKind.WATER_LEVEL and threshold <= 0:
        raise ServiceError(_("A threshold of rain, displacement or crack width is above zero."), status=422,
                           field="threshold")
    return _Spec(point, area, kind, window, level, threshold)


def _same_rules(spec: _Spec):
    return ThresholdRule.objects.filter(kind=spec.kind, window_hours=spec.window_hours, is_active=True, **spec.scope)


def _check_ladder(spec: _Spec) -> None:
    """Within one scope, kind and window, a higher level needs a higher threshold."""
    rules = sorted(_same_rules(spec), key=lambda r: LEVEL_RANK[r.level])
    for lower, higher in zip(rules, rules[1:], strict=False):
        if higher.threshold <= lower.threshold:
            raise ServiceError(_("A higher level needs a higher threshold: %(higher)s at %(high)s is not above "
                                 "%(lower)s at %(low)s.") % {
                "higher": higher.get_level_display(), "high": f"{higher.threshold:g}",
                "lower": lower.get_level_display(), "low": f"{lower.threshold:g}"}, status=422, field="threshold")


def points_reached(spec_or_rule) -> list[MonitoringPoint]:
    """The active points a rule's change may move: its point, or the points of its area that
    stand at a level or had a reading within a day."""
    if spec_or_rule.point is not None:
        return [spec_or_rule.point] if spec_or_rule.point.is_active else []
    since = timezone.now() - timedelta(hours=max(readings.RAIN_WINDOWS) + 1)
    recent = Reading.objects.filter(measured_at__gt=since).values("point_id")
    return list(MonitoringPoint.objects.filter(area_path__startswith=spec_or_rule.area.path, is_active=True)
                .filter(~Q(level="") | Q(pk__in=recent)))


@transaction.atomic
def create_rule(actor, data: NewRule, *, now: datetime | None = None) -> ThresholdRule:
    """Set a rule; the points it reaches take their level again."""
    spec = _spec(actor, data)
    if _same_rules(spec).filter(level=spec.level).exists():
        raise ServiceError(_("This level already has a rule for this kind and window here; change that one."),
                           status=409, field="level")
    rule = ThresholdRule.objects.create(kind=spec.kind, window_hours=spec.window_hours, level=spec.level,
                                        threshold=spec.threshold, **spec.scope)
    _check_ladder(spec)
    readings.refresh_levels(points_reached(spec), now)
    return rule


@transaction.atomic
def update_rule(actor, rule: ThresholdRule, data: NewRule, *, now: datetime | None = None) -> ThresholdRule:
    """Change a rule (its threshold, or what it is for); the actor must keep it before and after."""
    rule = ThresholdRule.objects.select_for_update(of=("self",)).select_related("point", "area").get(pk=rule.pk)
    if not access.can_keep_rule(actor, rule):
        raise _forbidden()
    before = _Spec(rule.point, rule.area, rule.kind, rule.window_hours, rule.level, rule.threshold)
    spec = _spec(actor, data)
    if _same_rules(spec).filter(level=spec.level).exclude(pk=rule.pk).exists():
        raise ServiceError(_("This level already has a rule for this kind and window here; change that one."),
                           status=409, field="level")
    rule.point, rule.area = spec.point, spec.area
    rule.kind, rule.window_hours, rule.level, rule.threshold = spec.kind, spec.window_hours, spec.level, spec.threshold
    rule.save()
    _check_ladder(spec)
    reached = {p.pk: p for p in points_reached(before) + points_reached(spec)}
    readings.refresh_levels(reached.values(), now)
    return rule


@transaction.atomic
def delete_rule(actor, rule: ThresholdRule, *, now: datetime | None = None) -> None:
    """Remove a rule; where it stood in for an area's, the area's apply again."""
    rule = ThresholdRule.objects.select_for_update(of=("self",)).select_related("point", "area").get(pk=rule.pk)
    if not access.can_keep_rule(actor, rule):
        raise _forbidden()
    before = _Spec(rule.point, rule.area, rule.kind, rule.window_hours, rule.level, rule.threshold)
    rule.delete()
    readings.refresh_levels(points_reached(before), now)


# ---------------------------------------------------------------------------- the county-wide table

# (field, the column's header in the template, its name in messages).
COLUMNS = [
    ("scope", "区域代码或隐患点编号", gettext_lazy("Area code or point code")),
    ("kind", "监测类型", gettext_lazy("Reading kind")),
    ("window_hours", "时段（小时）", gettext_lazy("Window (hours)")),
    ("level", "预警等级", gettext_lazy("Level")),
    ("threshold", "阈值", gettext_lazy("Threshold")),
]
FIELDS = [name for name, _header, _label in COLUMNS]
MAX_FILE_BYTES = 1024 * 1024
MAX_LINES = 2000
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
PREVIEW_MAX_AGE = 3600
_SALT = "anju.warnings.rules.import"


@dataclass
class RuleLine:
    """One line of the workbook as typed: its row number and its cells as text or numbers."""

    line: int
    scope: str
    kind: str
    window_hours: object
    level: str
    threshold: object


@dataclass
class LineError:
    line: int
    field: str
    message: str

    @property
    def column(self) -> str:
        return next((str(label) for name, _header, label in COLUMNS if name == self.field), "")


@dataclass
class PlannedRule:
    """A rule the import sets (or, in a dry run, would set): ``action`` is create, change or same."""

    line: int
    scope: str
    scope_name: str
    kind: str
    window_hours: int
    level: str
    threshold: float
    action: str
    pk: int | None = None


@dataclass
class ImportReport:
    lines: int
    errors: list[LineError]
    rules: list[PlannedRule]
    committed: bool

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rules if r.action == action)


_file_error = workbooks.refused


_cell_text = workbooks.cell_text


def _cell_number(value):
    """A number, or the text as typed for the checks to refuse by name."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = _cell_text(value)
    if not text:
        return None
    try:
        return float(text) if "." in text or "e" in text.lower() else int(text)
    except ValueError:
        return text


def read_workbook(upload) -> list[RuleLine]:
    """The lines of a rules workbook (``upload``: a file object or bytes); refused (422, field
    ``file``) when it is not a readable .xlsx, too large, not in the template's columns, empty or
    too long. Empty rows are skipped; line numbers are Excel's."""
    rows = workbooks.read_rows(
        upload, COLUMNS, max_bytes=MAX_FILE_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES, max_lines=MAX_LINES,
        too_big=_("The file is larger than %(n)s MB; split the table into several files.") % {
            "n": MAX_FILE_BYTES // (1024 * 1024)},
        too_many=_("The file has more than %(n)s lines; split it into several files.") % {"n": MAX_LINES},
        no_lines=_("The file has no lines under its header."))
    lines = []
    for line_number, (scope, kind, window, level, threshold) in rows:
        lines.append(RuleLine(line_number, _cell_text(scope), _cell_text(kind), _cell_number(window),
                              _cell_text(level), _cell_number(threshold)))
    return lines


def _new_rule(line: RuleLine) -> NewRule:
    """The line as a ``NewRule``: the scope is a region's code, else a point's code."""
    kind = KIND_ALIASES.get(line.kind, line.kind.lower())
    level = LEVEL_ALIASES.get(line.level, line.level.lower())
    if not line.scope:
        raise ServiceError(_("Give the area's region code or the point's code."), status=422, field="scope")
    rule = NewRule(kind=kind, window_hours=line.window_hours, level=level, threshold=line.threshold)
    if Region.objects.filter(code=line.scope).exists():
        rule.area = line.scope
        return rule
    point = MonitoringPoint.objects.filter(code=line.scope).values_list("pk", flat=True).first()
    if point is None:
        raise ServiceError(_("No region and no monitoring point has this code."), status=422, field="scope")
    rule.point = point
    return rule


def _line_field(name: str | None) -> str:
    return "scope" if name in ("point", "area") else (name or "")


def import_rules(actor, lines: list[RuleLine], *, commit: bool, now: datetime | None = None) -> ImportReport:
    """Set the rules of ``lines`` in one transaction (see the module's docstring): kept only when
    ``commit`` and every line passed; otherwise rolled back (a dry run, or a file with errors)."""
    errors: list[LineError] = []
    planned: list[PlannedRule] = []
    seen: dict[tuple, int] = {}
    groups: dict[tuple, tuple[_Spec, list[int]]] = {}
    reached: dict[int, MonitoringPoint] = {}
    with transaction.atomic():
        for line in lines:
            try:
                spec = _spec(actor, _new_rule(line))
            except ServiceError as error:
                errors.append(LineError(line.line, _line_field(error.field), error.message))
                continue
            scope_key = ("p", spec.point.pk) if spec.point is not None else ("a", spec.area.pk)
            key = (*scope_key, spec.kind, spec.window_hours, spec.level)
            if key in seen:
                errors.append(LineError(line.line, "level", _("The same rule is on line %(n)s.") % {"n": seen[key]}))
                continue
            seen[key] = line.line
            rule = _same_rules(spec).filter(level=spec.level).first()
            if rule is None:
                rule = ThresholdRule.objects.create(kind=spec.kind, window_hours=spec.window_hours, level=spec.level,
                                                    threshold=spec.threshold, **spec.scope)
                action = "create"
            elif rule.threshold != spec.threshold:
                rule.threshold = spec.threshold
                rule.save(update_fields=["threshold"])
                action = "change"
            else:
                action = "same"
            group = groups.setdefault((*scope_key, spec.kind, spec.window_hours), (spec, []))
            group[1].append(line.line)
            for point in points_reached(spec):
                reached[point.pk] = point
            planned.append(PlannedRule(line.line, line.scope,
                                       spec.point.name if spec.point is not None else spec.area.name,
                                       spec.kind, spec.window_hours, spec.level, spec.threshold, action, rule.pk))
        for spec, numbers in groups.values():
            try:
                _check_ladder(spec)
            except ServiceError as error:
                errors.append(LineError(max(numbers), "threshold", error.message))
        committed = commit and not errors
        if committed:
            readings.refresh_levels(reached.values(), now)
        else:
            transaction.set_rollback(True)
    if not committed:
        for row in planned:
            row.pk = None
    errors.sort(key=lambda e: e.line)
    return ImportReport(lines=len(lines), errors=errors, rules=planned, committed=committed)


def sign_lines(actor, lines: list[RuleLine]) -> str:
    """The previewed lines signed for ``actor``, sent back with the confirmation (and checked
    again then); nothing is kept on the server in between."""
    return signing.dumps({"user": actor.pk, "lines": [asdict(line) for line in lines]}, salt=_SALT, compress=True)


def unsign_lines(actor, token: str) -> list[RuleLine]:
    try:
        payload = signing.loads(token or "", salt=_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise _file_error(_("The preview is more than an hour old; upload the file again.")) from None
    except signing.BadSignature:
        raise _file_error(_("The preview could not be read; upload the file again.")) from None
    if payload.get("user") != actor.pk:
        raise _file_error(_("The preview could not be read; upload the file again."))
    return [RuleLine(**line) for line in payload["lines"]]


def template_workbook() -> bytes:
    """The template to fill: the header, an example of the county's rain table, and the notes."""
    book = Workbook()
    bold = Font(bold=True)
    sheet = book.active
    sheet.title = "预警阈值"
    sheet.append([header for _name, header, _label in COLUMNS])
    for cell in sheet[1]:
        cell.font = bold
    for index, width in enumerate((22, 12, 14, 10, 10), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.column_dimensions["A"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for row in (
        ["列", "说明"],
        ["区域代码或隐患点编号", "区县、乡镇（街道）、村（社区）的行政区划代码，规则适用于该区域内全部隐患点；"
                        "或隐患点编号，规则只适用于该点。隐患点自身的规则优先于所在区域的同类规则。"],
        ["监测类型", "rain（降雨量）、displacement（位移）、crack（裂缝宽度）、water_level（水位），也可填中文"],
        ["时段（小时）", "降雨为累计时段，如 1、3、24；位移、裂缝为变化时段；0 表示最新一次读数本身"],
        ["预警等级", "blue/蓝色、yellow/黄色、orange/橙色、red/红色；同一区域、类型、时段，等级越高阈值越高"],
        ["阈值", "达到（≥）该值即达到该等级；降雨、位移、裂缝单位为毫米，水位为米"],
        [],
        [f"第一行为表头，请勿修改；每个文件最多{MAX_LINES}行。已有的同一规则按新阈值修改。"
         "任何一行有误时整个文件都不导入，页面会列出每一行的错误。"],
    ):
        notes.append(row)
    for cell in notes[1]:
        cell.font = bold
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 22, 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
