"""Shared pieces of the JSON API: token auth, safe string types, and one error shape.

Every error body is ``{"detail": message, "errors": [{"field": name, "message": reason}]}``,
in the language of the request (Chinese unless the client asks for English).
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import AfterValidator

from anju.lib.errors import ServiceError


def _clean_text(value: str) -> str:
    # NUL and lone surrogates cannot be stored in PostgreSQL (or encoded as UTF-8 at all).
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains characters that are not valid Unicode") from None
    return value


Text = Annotated[str, AfterValidator(_clean_text)]

# Dates and moments a case can sensibly carry; outside these a calendar or a time-zone conversion
# would fail (year 1 at +14:00 is before year 1 in UTC).
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _day(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(_("must lie between %(start)s and %(end)s") % {"start": EARLIEST, "end": LATEST})
    return value


def _moment(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_("must give its time zone, e.g. 2026-11-02T09:00:00+08:00"))
    _day(value.date())
    return value


Day = Annotated[date, AfterValidator(_day)]
Moment = Annotated[datetime, AfterValidator(_moment)]


def choices_of(values) -> type:
    """A field type taking one of ``values`` (a TextChoices' values), as plain strings, so that
    the OpenAPI document lists the values themselves."""
    return Literal[tuple(getattr(v, "value", v) for v in values)]  # type: ignore[return-value]


def error_body(message: str, field: str | None = None, errors: list | None = None) -> dict:
    if errors is None:
        errors = [{"field": field, "message": message}] if field else []
    return {"detail": message, "errors": errors}


# Pydantic error types → a reason people can read, translated.
def _reason(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    reasons = {
        "missing": _("this field is required"),
        "string_type": _("must be text"),
        "int_type": _("must be a whole number"),
        "int_parsing": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "float_type": _("must be a number"),
        "float_parsing": _("must be a number"),
        "finite_number": _("must be a finite number"),
        "bool_type": _("must be true or false"),
        "bool_parsing": _("must be true or false"),
        "datetime_type": _("must be a date and time (ISO 8601)"),
        "datetime_parsing": _("must be a date and time (ISO 8601)"),
        "datetime_from_date_parsing": _("must be a date and time (ISO 8601)"),
        "json_invalid": _("the request body is not valid JSON"),
        "model_attributes_type": _("must be a JSON object"),
        "model_type": _("must be a JSON object"),
        "dict_type": _("must be a JSON object"),
        "list_type": _("must be a list"),
        "extra_forbidden": _("is not a known field"),
    }
    if kind in reasons:
        return reasons[kind]
    if kind == "string_too_long":
        return _("must be at most %(n)s characters") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("must be at least %(n)s characters") % {"n": ctx.get("min_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("must be at least %(n)s") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("must be at most %(n)s") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("literal_error", "enum"):
        return _("must be one of: %(choices)s") % {"choices": ctx.get("expected", "")}
    if kind == "value_error":
        return _("is not valid: %(reason)s") % {"reason": ctx.get("error", error.get("msg", ""))}
    return _("is not valid (%(reason)s)") % {"reason": error.get("msg", kind)}


_SOURCES = ("body", "query", "path", "header", "form", "file", "cookie")
# Names of the schema parameters of the endpoints, which say nothing to a client.
_SCHEMA_PARAMS = ("payload", "filters", "point")


def _field_name(loc) -> str:
    # loc is like ("body", "payload", "text"), ("query", "limit") or ("file", "file").
    # List positions ("status", 0) say less than the field's name.
    parts = [str(p) for p in loc if not isinstance(p, int)]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _SCHEMA_PARAMS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def install_error_handlers(api) -> None:
    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc):
        errors = [{"field": _field_name(e.get("loc", ())), "message": _reason(e)} for e in exc.errors]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return api.create_response(request, error_body(_("Invalid input: %(s)s") % {"s": summary}, errors=errors),
                                   status=422)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        # django-ninja answers a body its parser cannot read (not JSON, not UTF-8) with a 400
        # HttpError raised from the parser's ValueError, in English and without the field.
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            reason = _("the request body is not valid JSON")
            errors = [{"field": "body", "message": reason}]
            return api.create_response(request, error_body(_("Invalid input: %(s)s") % {"s": f"body: {reason}"},
                                                           errors=errors), status=400)
        return api.create_response(request, error_body(str(exc)), status=exc.status_code)

    @api.exception_handler(ServiceError)
    def on_service_error(request, exc):
        return api.create_response(request, error_body(exc.message, exc.field), status=exc.status)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, error_body(_("Not found.")), status=404)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        response = api.create_response(
            request, error_body(_("Authentication required: send Authorization: Bearer <token>.")), status=401
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
