"""Excel export of the filtered case list: small lists at once, large ones in the background
with a progress page. Only the user who asked may follow or download an export."""

from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.web.access import staff_required
from anju.web.models import Export, ExportStatus
from anju.web.tasks import EXCEL_MAX_ROWS, XLSX_CONTENT_TYPE, build_export, export_rows, write_cases
from anju.web.views.workbench import filter_query, redirect_to_list


def _filename(moment) -> str:
    return f"anju-cases-{timezone.localtime(moment):%Y%m%d-%H%M}.xlsx"


@staff_required
@require_POST
def start_export(request):
    """Export the list filtered by the query string: answered at once up to
    ANJU_EXPORT_INLINE_MAX_ROWS rows, otherwise written by a background task."""
    query = filter_query(request.GET)
    now = timezone.now()
    rows = export_rows(request.user, query, now)
    if rows is None:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect_to_list(query)
    total = rows.count()
    if total == 0:
        messages.error(request, _("No cases match these filters; there is nothing to export."))
        return redirect_to_list(query)
    if total > EXCEL_MAX_ROWS:
        messages.error(request, _("Too many cases for one Excel sheet; narrow the filters."))
        return redirect_to_list(query)
    if total <= settings.ANJU_EXPORT_INLINE_MAX_ROWS:
        buffer = BytesIO()
        write_cases(list(rows.values_list("pk", flat=True)), buffer, now=now)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{_filename(now)}"'
        return response
    export = Export.objects.create(
        user=request.user, params={"query": query, "now": now.isoformat()}, rows_total=total, created_at=now
    )
    build_export(export.pk)
    return redirect("web:export_status", export_id=export.pk)


def _own_export(request, export_id) -> Export:
    # Someone else's export is "not found", like a missing one.
    return get_object_or_404(Export, pk=export_id, user=request.user)


@staff_required
def export_status(request, export_id):
    """Progress of a background export; htmx polls the progress block every second until the
    export is finished, and without JavaScript the page reloads itself."""
    export = _own_export(request, export_id)
    context = {
        "section": "cases", "export": export,
        "progress_text": f"{export.rows_done:,} / {export.rows_total:,}",
        "list_query": export.params.get("query", ""),
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/exports/_progress.html", context)
    return render(request, "web/exports/status.html", context)


@staff_required
def export_download(request, export_id):
    export = _own_export(request, export_id)
    if export.status != ExportStatus.DONE or export.path is None or not export.path.is_file():
        raise Http404
    return FileResponse(
        open(export.path, "rb"), as_attachment=True, filename=_filename(export.created_at),
        content_type=XLSX_CONTENT_TYPE,
    )
