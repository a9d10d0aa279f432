"""The hazards documents and the sites import: the rectification order and the re-inspection
record of a round printed on A4 and as Word files, the hazard ledger as an Excel workbook, and
the sites register imported from Excel (upload, preview, confirm). Thin views: the content is
``anju.hazards.documents``, the import ``anju.hazards.imports``."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anju.cases.services import CaseError
from anju.geo.models import Region
from anju.geo.queries import townships_under
from anju.hazards import access, documents, imports, queries
from anju.hazards.forms import LedgerFilterForm
from anju.hazards.models import RectificationRound
from anju.lib.chinese import chinese_date
from anju.lib.periods import period_bounds
from anju.lib.workdays import local_date
from anju.people.models import Office
from anju.web.access import staff_required
from anju.web.views.workbench import filter_query

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- order and record


def _round(request, case_id: int, number: int, *, reinspected: bool = False) -> RectificationRound:
    """Round ``number`` of a hazard case the user may see; 404 for a case out of reach, a round
    it does not have, and (for the re-inspection record) a round not re-inspected yet."""
    case = access.get_hazard_case_for(request.user, case_id)
    round_ = (RectificationRound.objects.select_related(
        "hazard__case__office", "hazard__site", "hazard__inspection", "reinspected_by")
        .filter(hazard__case=case, hazard__site__isnull=False, number=number).first())
    if round_ is None or (reinspected and not round_.result):
        raise Http404
    return round_


def _print(request, round_: RectificationRound, layout: documents.Layout, which: str):
    return render(request, f"hazards/{which}_print.html", {
        "layout": layout, "round": round_, "case_id": round_.hazard.case_id,
    })


@require_GET
@staff_required
@never_cache
def order_print(request, case_id, number):
    round_ = _round(request, case_id, number)
    return _print(request, round_, documents.order_layout(round_), "order")


@require_GET
@staff_required
@never_cache
def order_docx(request, case_id, number):
    round_ = _round(request, case_id, number)
    return _download(documents.layout_docx(documents.order_layout(round_)), DOCX_CONTENT_TYPE,
                     f"hazard-order-{round_.hazard.case_id}-{round_.number}.docx")


@require_GET
@staff_required
@never_cache
def reinspection_print(request, case_id, number):
    round_ = _round(request, case_id, number, reinspected=True)
    return _print(request, round_, documents.reinspection_layout(round_), "reinspection")


@require_GET
@staff_required
@never_cache
def reinspection_docx(request, case_id, number):
    round_ = _round(request, case_id, number, reinspected=True)
    return _download(documents.layout_docx(documents.reinspection_layout(round_)), DOCX_CONTENT_TYPE,
                     f"hazard-reinspection-{round_.hazard.case_id}-{round_.number}.docx")


# ---------------------------------------------------------------------------- the ledger

LEDGER_PAGE_SIZE = 50


def _ledger(request, form: LedgerFilterForm, now):
    """The hazards of the ledger's scope the user may see, oldest found first, and its scope in
    words (the workbook's second line)."""
    c = form.cleaned_data
    township = Region.objects.filter(code=c["township"]).first() if c.get("township") else None
    department = Office.objects.filter(code=c["department"]).first() if c.get("department") else None
    since, until = c.get("since"), c.get("until")
    rows = queries.hazards_for(request.user, queries.HazardFilters(
        township=township.code if township else "", department=department.code if department else ""), now=now)
    if since:
        rows = rows.filter(found_at__gte=period_bounds(since, since)[0])
    if until:
        rows = rows.filter(found_at__lt=period_bounds(until, until)[1])
    rows = rows.select_related("case__office", "site__kind").prefetch_related("rounds", "listing")
    scope = [township.name if township else "全县", department.name if department else ""]
    if since or until:
        scope.append(f"{chinese_date(since) if since else ''}至{chinese_date(until) if until else ''}发现")
    return rows.order_by("found_at", "case_id"), "，".join(s for s in scope if s)


def _townships() -> dict[str, str]:
    return {path: region.name for path, region in townships_under(None).items()}


@require_GET
@staff_required
@never_cache
def ledger_page(request):
    """The ledger on screen, a page of rows at a time, with the workbook of the same scope to
    download: the columns of the workbook, as the county files it."""
    form = LedgerFilterForm(data=request.GET)
    context = {"section": "hazards", "form": form, "page": None, "columns": documents.LEDGER_COLUMNS,
               "export_query": ""}
    if not form.is_valid():
        return render(request, "hazards/ledger.html", context, status=400)
    now = timezone.now()
    rows, scope = _ledger(request, form, now)
    paginator = Paginator(rows, LEDGER_PAGE_SIZE)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    townships = _townships()
    base = filter_query(request.GET)
    context.update({
        "page": page, "paginator": paginator, "scope": scope, "made_on": local_date(now),
        "rows": [documents.ledger_row(hazard, townships) for hazard in page.object_list],
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": f"{base}&page=" if base else "page=",
        "export_query": filter_query(request.GET, drop=("page",)),
    })
    return render(request, "hazards/ledger.html", context)


@require_GET
@staff_required
@never_cache
def ledger(request):
    """GET ``township`` (a township's code), ``department`` (the owning office's code), ``since``
    and ``until`` (days the hazards were found, both included): the hazards the user may see as
    the ledger workbook; a bad value answers 400 with what is wrong."""
    form = LedgerFilterForm(data=request.GET)
    if not form.is_valid():
        errors = [str(message) for messages_ in form.errors.values() for message in messages_]
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    now = timezone.now()
    rows, scope = _ledger(request, form, now)
    today = local_date(now)
    content = documents.ledger_workbook(rows.iterator(chunk_size=500), scope=scope, made_on=today,
                                        townships=_townships())
    return _download(content, XLSX_CONTENT_TYPE, f"hazard-ledger-{today:%Y%m%d}.xlsx")


# ---------------------------------------------------------------------------- the sites import


class SitesFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument"
                                                          ".spreadsheetml.sheet"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the reader's language (and with the limits as they are now).
        self.fields["file"].help_text = _("At most %(lines)s lines and %(mb)s MB, in the columns of the template.") % {
            "lines": imports.MAX_LINES, "mb": imports.MAX_FILE_BYTES // (1024 * 1024)}


def _import_page(request, *, form=None, report=None, token="", file_error="", status=200):
    return render(request, "hazards/sites_import.html", {
        "section": "hazards", "form": form or SitesFileForm(), "report": report, "token": token,
        "file_error": file_error, "max_lines": imports.MAX_LINES,
        "columns": [(header, label, name in imports.REQUIRED) for name, header, label in imports.COLUMNS],
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def sites_import(request):
    """GET: the upload form. POST a file: a dry run, and the preview of what it would create (or
    each bad line) with a confirmation. POST ``confirm`` with the preview's token: the import,
    all or nothing."""
    user = request.user
    if not imports.can_import(user):
        raise Http404
    if request.method == "GET":
        return _import_page(request)
    if "confirm" in request.POST:
        try:
            lines = imports.unsign_lines(user, request.POST.get("token", ""))
        except CaseError as error:
            return _import_page(request, file_error=error.message, status=400)
        report = imports.import_sites(user, lines, commit=True)
        if not report.ok:
            return _import_page(request, report=report, status=400)
        messages.success(request, ngettext("%(n)s site was added to the register.",
                                           "%(n)s sites were added to the register.", len(report.sites))
                         % {"n": len(report.sites)})
        return redirect("hazards:sites")
    form = SitesFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form=form, status=400)
    try:
        lines = imports.read_workbook(form.cleaned_data["file"])
    except CaseError as error:
        return _import_page(request, form=form, file_error=error.message, status=400)
    report = imports.import_sites(user, lines, commit=False)
    if not report.ok:
        return _import_page(request, form=form, report=report, status=400)
    return _import_page(request, report=report, token=imports.sign_lines(user, lines))


@require_GET
@staff_required
@never_cache
def sites_template(request):
    if not imports.can_import(request.user):
        raise Http404
    return _download(imports.template_workbook(), XLSX_CONTENT_TYPE, "hazard-sites-template.xlsx")
