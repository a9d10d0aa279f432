"""The threshold rules pages: the rules an area and its points read (by kind and window, levels
side by side), a rule set, changed or removed, and the county-wide table imported from Excel
(upload, preview, confirm; all or nothing)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.lib.errors import ServiceError
from anju.warnings import points_access as access
from anju.warnings import rules
from anju.warnings.choices import LEVEL_RANK, Level
from anju.warnings.points_forms import RuleForm, RulesFileForm
from anju.web.access import staff_required

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table(user) -> list[dict]:
    """The rules the user reads, one row per scope, kind and window, the levels as columns."""
    rows: dict[tuple, dict] = {}
    for rule in access.visible_rules(user).select_related("point", "area").order_by("area__path", "point__code"):
        scope = ("a", rule.area.path) if rule.area_id else ("p", rule.point.area_path + rule.point.code)
        key = (*scope, rule.kind, rule.window_hours)
        row = rows.setdefault(key, {"area": rule.area, "point": rule.point, "kind": rule.get_kind_display(),
                                    "window_hours": rule.window_hours, "levels": {}})
        rule.can_keep = access.can_keep_rule(user, rule)
        row["levels"][rule.level] = rule
    table = [rows[key] for key in sorted(rows)]
    for row in table:
        row["cells"] = [row["levels"].get(level) for level in Level.values]
    return table


def _page(request, form=None, status=200):
    user = request.user
    return render(request, "warnings/points_rules.html", {
        "section": "warnings", "table": _table(user), "levels": Level.choices,
        "form": form or (RuleForm(user=user) if access.may_keep_rules(user) else None),
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def rules_page(request):
    """GET: the table; POST: a rule set (supervisors and administrators within their scope)."""
    if request.method == "GET":
        return _page(request)
    if not access.may_keep_rules(request.user):
        raise PermissionDenied
    form = RuleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            rules.create_rule(request.user, form.new_rule())
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The rule was set."))
            return redirect("warnings:rules")
    return _page(request, form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required
def rule_edit(request, rule_id):
    rule = access.get_rule_for(request.user, rule_id)
    if not access.can_keep_rule(request.user, rule):
        raise PermissionDenied
    if request.method == "GET":
        form = RuleForm(initial=RuleForm.initial_of(rule), user=request.user)
    else:
        form = RuleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                rules.update_rule(request.user, rule, form.new_rule())
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The rule was changed."))
                return redirect("warnings:rules")
    return render(request, "warnings/points_rule_form.html", {"section": "warnings", "form": form, "rule": rule},
                  status=200 if request.method == "GET" else 400)


@require_POST
@staff_required
def rule_delete(request, rule_id):
    rule = access.get_rule_for(request.user, rule_id)
    try:
        rules.delete_rule(request.user, rule)
    except ServiceError as error:
        if error.status == 403:
            raise PermissionDenied from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("The rule was removed."))
    return redirect("warnings:rules")


def _import_page(request, *, form=None, report=None, token="", file_error="", status=200):
    if report is not None:
        for row in report.rules:
            row.level_rank = LEVEL_RANK.get(row.level, 0)
    return render(request, "warnings/points_rules_import.html", {
        "section": "warnings", "form": form or RulesFileForm(), "report": report, "token": token,
        "file_error": file_error, "max_lines": rules.MAX_LINES,
        "columns": [(header, label) for _name, header, label in rules.COLUMNS],
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def rules_import(request):
    """GET: the upload form. POST a file: a dry run and its preview (or each bad line). POST
    ``confirm`` with the preview's token: the import, all or nothing."""
    user = request.user
    if not access.may_keep_rules(user):
        raise Http404
    if request.method == "GET":
        return _import_page(request)
    if "confirm" in request.POST:
        try:
            lines = rules.unsign_lines(user, request.POST.get("token", ""))
        except ServiceError as error:
            return _import_page(request, file_error=error.message, status=400)
        report = rules.import_rules(user, lines, commit=True)
        if not report.ok:
            return _import_page(request, report=report, status=400)
        changed = report.count("create") + report.count("change")
        messages.success(request, ngettext("%(n)s rule was set.", "%(n)s rules were set.", changed) % {"n": changed})
        return redirect("warnings:rules")
    form = RulesFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form=form, status=400)
    try:
        lines = rules.read_workbook(form.cleaned_data["file"])
    except ServiceError as error:
        return _import_page(request, form=form, file_error=error.message, status=400)
    report = rules.import_rules(user, lines, commit=False)
    if not report.ok:
        return _import_page(request, form=form, report=report, status=400)
    return _import_page(request, report=report, token=rules.sign_lines(user, lines))


@require_GET
@staff_required
@never_cache
def rules_template(request):
    if not access.may_keep_rules(request.user):
        raise Http404
    response = HttpResponse(rules.template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="threshold-rules-template.xlsx"'
    return response
