"""A written notice to a petitioner printed (an A4 official document) and as a Word file. Both
name the petitioners in full: the look is logged first (``services.log_notice_print``), and
refused for those who may not see who petitioned (the body the petition is about among them)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anju.cases.services import CaseError
from anju.petitions import access, documents, services
from anju.petitions.models import Notice
from anju.web.access import staff_required

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _notice(request, case_id, notice_id) -> Notice:
    """The notice of a petition the user sees (404 for a petition out of reach and for a notice
    of another petition), its look at the petitioners' names logged (403 when refused)."""
    case = access.get_petition_case_for(request.user, case_id)
    notice = (Notice.objects.select_related("petition__case", "office")
              .filter(pk=notice_id, petition__case=case).first())
    if notice is None:
        raise Http404
    try:
        services.log_notice_print(request.user, notice)
    except CaseError as error:
        raise PermissionDenied(error.message) from None
    return notice


@require_GET
@staff_required
@never_cache
def notice_print(request, case_id, notice_id):
    notice = _notice(request, case_id, notice_id)
    return render(request, "petitions/notice_print.html", {
        "notice": notice, "layout": documents.notice_layout(notice), "case_id": notice.petition.case_id,
    })


@require_GET
@staff_required
@never_cache
def notice_docx(request, case_id, notice_id):
    notice = _notice(request, case_id, notice_id)
    response = HttpResponse(documents.notice_docx(notice), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="petition-notice-{notice.pk}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response
