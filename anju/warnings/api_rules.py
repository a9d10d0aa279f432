"""The threshold rules API, under /api/v1/monitoring-points/rules: the rules of the areas and
points you see, set, changed and removed by supervisors and administrators within their scope,
and the county's table imported from Excel (a preview, then all or nothing)."""

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HTTP

from anju.cases.api import ERRORS, MAX_ID
from anju.lib.api import Text, choices_of
from anju.lib.errors import ServiceError
from anju.lib.paging import keyset_page
from anju.warnings import points_access as access
from anju.warnings import rules
from anju.warnings.api_shared import CURSOR, NEXT_CURSOR, object_id
from anju.warnings.choices import Level, ReadingKind
from anju.warnings.models import ThresholdRule

rules_router = Router(tags=["monitoring points"])


class ThresholdRuleOut(Schema):
    id: int
    point: int | None = Field(description="the point it is for, or null for an area's rule")
    point_code: str | None
    area: str | None = Field(description="region code of the area it is for")
    area_name: str | None
    kind: str
    window_hours: int
    level: str
    threshold: float
    is_active: bool
    actions: list[str] = Field(description="update, delete: what you may do with it")


class ThresholdRulePage(Schema):
    items: list[ThresholdRuleOut]
    next_cursor: int | None = NEXT_CURSOR


class ThresholdRuleIn(Schema):
    point: int | None = Field(None, ge=1, le=MAX_ID, description="the point's id; or give area")
    area: Text = Field("", max_length=20, description="the area's region code; or give point")
    kind: choices_of(ReadingKind.values)  # type: ignore[valid-type]
    window_hours: int = Field(ge=0, le=rules.MAX_WINDOW_HOURS, description="0: the latest value itself")
    level: choices_of(Level.values)  # type: ignore[valid-type]
    threshold: float = Field(description="reached at or above it")


class ThresholdRuleFiltersIn(Schema):
    point: int | None = Field(None, ge=1, le=MAX_ID)
    area: Text = Field("", max_length=20, description="region code: that area's own rules")
    kind: choices_of(["", *ReadingKind.values]) = ""  # type: ignore[valid-type]
    cursor: int | None = CURSOR
    limit: int = Field(100, ge=1, le=500)


class ThresholdRuleImportLineOut(Schema):
    line: int
    scope: str
    scope_name: str
    kind: str
    window_hours: int
    level: str
    threshold: float
    action: str = Field(description="create, change (its threshold) or same")


class ThresholdRuleImportErrorOut(Schema):
    line: int
    field: str
    column: str
    message: str


class ThresholdRuleImportOut(Schema):
    committed: bool = Field(description="false for a preview, and for a file with errors (nothing changed)")
    lines: int
    rules: list[ThresholdRuleImportLineOut]
    errors: list[ThresholdRuleImportErrorOut]


def rule_out(user, rule: ThresholdRule) -> dict:
    return {"id": rule.pk, "point": rule.point_id, "point_code": rule.point.code if rule.point_id else None,
            "area": rule.area.code if rule.area_id else None, "area_name": rule.area.name if rule.area_id else None,
            "kind": rule.kind, "window_hours": rule.window_hours, "level": rule.level, "threshold": rule.threshold,
            "is_active": rule.is_active, "actions": ["update", "delete"] if access.can_keep_rule(user, rule) else []}


def _new_rule(payload: ThresholdRuleIn) -> rules.NewRule:
    return rules.NewRule(kind=payload.kind, window_hours=payload.window_hours, level=payload.level,
                         threshold=payload.threshold, point=payload.point, area=payload.area)


def _rule(request, rule_id: int) -> ThresholdRule:
    return access.get_rule_for(request.user, object_id(rule_id))


@rules_router.get("", response={200: ThresholdRulePage, **ERRORS}, summary="List threshold rules")
def list_rules(request, filters: Query[ThresholdRuleFiltersIn]):
    """The rules of the areas your scope lies in or reaches and of the points you see."""
    rows = access.visible_rules(request.user).select_related("point", "area")
    if filters.point:
        rows = rows.filter(point_id=filters.point)
    if filters.area:
        rows = rows.filter(area__code=filters.area)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    page, next_cursor = keyset_page(rows.order_by("-pk"), filters.cursor, filters.limit)
    return {"items": [rule_out(request.user, r) for r in page], "next_cursor": next_cursor}


@rules_router.post("", response={201: ThresholdRuleOut, **ERRORS}, summary="Set a threshold rule")
def create_rule(request, payload: ThresholdRuleIn):
    """For a point or an area; one rule per level, a higher level above a lower one's threshold."""
    rule = rules.create_rule(request.user, _new_rule(payload))
    return HTTP(201, rule_out(request.user, ThresholdRule.objects.select_related("point", "area").get(pk=rule.pk)))


@rules_router.put("/{int:rule_id}", response={200: ThresholdRuleOut, **ERRORS}, summary="Change a rule")
def update_rule(request, rule_id: int, payload: ThresholdRuleIn):
    rule = rules.update_rule(request.user, _rule(request, rule_id), _new_rule(payload))
    return rule_out(request.user, ThresholdRule.objects.select_related("point", "area").get(pk=rule.pk))


@rules_router.delete("/{int:rule_id}", response={204: None, **ERRORS}, summary="Remove a rule")
def delete_rule(request, rule_id: int):
    rules.delete_rule(request.user, _rule(request, rule_id))
    return HTTP(204, None)


@rules_router.post("/import", response={200: ThresholdRuleImportOut, **ERRORS},
                    summary="Import a table of rules from Excel")
def import_rules(request, file: File[UploadedFile], commit: Form[bool] = False):
    """The county's table as a .xlsx in the template's columns. Without ``commit`` a preview;
    with it, the rules set. All or nothing: a bad line changes nothing (422 with every line's
    error)."""
    if not access.may_keep_rules(request.user):
        raise ServiceError(_("You may not set rules here."), status=403)
    lines = rules.read_workbook(file.read(rules.MAX_FILE_BYTES + 1))
    report = rules.import_rules(request.user, lines, commit=commit)
    body = {"committed": report.committed, "lines": report.lines,
            "rules": [{k: getattr(r, k) for k in ("line", "scope", "scope_name", "kind", "window_hours", "level",
                                                  "threshold", "action")} for r in report.rules],
            "errors": [{"line": e.line, "field": e.field, "column": e.column, "message": e.message}
                       for e in report.errors]}
    if not report.ok:
        body["detail"] = _("Nothing was imported: correct the lines listed and upload the file again.")
    return HTTP(200 if report.ok else 422, body)
