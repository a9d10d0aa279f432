"""The CAP import API, /api/v1/warnings/import: an upstream CAP 1.2 document as the request body
(``Content-Type: application/cap+xml`` or ``application/xml``), refused with every reason it is
not a valid alert for the county, or passed on as a draft warning. Thin: the checks of the body's
form here, the rest in ``importing``."""

from datetime import datetime

from django.core.exceptions import RequestDataTooBig
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as HTTP

from anju.lib.api import error_body
from anju.lib.errors import ServiceError
from anju.warnings import cap_access, importing

router = Router(tags=["warnings"])

ERRORS = {400: dict, 401: dict, 403: dict, 409: dict, 413: dict, 415: dict, 422: dict}
CONTENT_TYPES = ("application/cap+xml", "application/xml")


class CapMessageOut(Schema):
    identifier: str
    sender: str
    sent: datetime
    msg_type: str


class CapImportOut(Schema):
    message: CapMessageOut
    warning: int | None = Field(description="the draft warning the alert was passed on as (for a cancel, the "
                                            "warning it cancels); null for a cancel of an alert never received")
    level: str | None
    status: str | None
    area: str | None = Field(description="code of the region the warning covers")
    headline: str | None
    incident: str | None = Field(description="tracking code of the incident opened, when one was asked for")


def _body(request) -> bytes:
    """The raw body, within the import's size limit (413 beyond it, without reading it all)."""
    limit = importing.import_limit()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise ServiceError(_("The document is larger than %(n)s bytes.") % {"n": limit}, status=413, field="body")
    try:
        body = request.body
    except (RequestDataTooBig, RawPostDataException):
        raise ServiceError(_("The document is larger than %(n)s bytes.") % {"n": limit}, status=413,
                           field="body") from None
    if len(body) > limit:
        raise ServiceError(_("The document is larger than %(n)s bytes.") % {"n": limit}, status=413, field="body")
    return body


@router.post("/import", response={201: CapImportOut, **ERRORS}, summary="Import an upstream CAP 1.2 alert",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/cap+xml": {"schema": {"type": "string"}},
                 "application/xml": {"schema": {"type": "string"}}}}})
def import_cap(request, open_incident: bool = False):
    """The body is the CAP 1.2 document itself. It is refused (422, each reason in ``errors``:
    the OASIS schema's own messages with their lines, and the rules of the CAP 1.2 text) unless
    it is a valid, actual alert, update or cancel whose area touches the county; a message
    received before is refused with 409. Otherwise it is kept and passed on as a draft warning;
    ``open_incident=true`` also opens an incident through the duty module. For the county
    centre's dispatchers, supervisors, leaders and administrators."""
    if not cap_access.can_import(request.user):
        raise ServiceError(_("You may not import CAP alerts."), status=403)
    body = _body(request)
    if not body.strip():
        raise ServiceError(_("The request body is empty: send the CAP document."), status=400, field="body")
    if request.content_type not in CONTENT_TYPES:
        raise ServiceError(_("Send the CAP document as application/cap+xml or application/xml."), status=415,
                           field="body")
    try:
        result = importing.import_alert(request.user, body, open_incident=open_incident)
    except importing.ImportRefused as refused:
        return HTTP(refused.status, error_body(refused.message, errors=[{"field": "body", "message": reason}
                                                                        for reason in refused.reasons]))
    message, warning = result.message, result.warning
    return HTTP(201, {
        "message": {"identifier": message.identifier, "sender": message.sender, "sent": message.sent_at,
                    "msg_type": message.msg_type},
        "warning": warning.pk if warning else None, "level": warning.level if warning else None,
        "status": warning.status if warning else None, "area": warning.area.code if warning else None,
        "headline": warning.headline if warning else None,
        "incident": result.incident.tracking_code if result.incident is not None else None,
    })
