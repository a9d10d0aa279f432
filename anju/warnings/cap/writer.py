"""Writing a CAP 1.2 document: the elements in the schema's order, every time in Beijing time
(``+08:00``, whole seconds), polygons as space-separated ``lat,lon`` pairs. ``build`` refuses
what it cannot write as a valid message, and checks what it wrote with ``validate``."""

import math
import re

from django.utils.translation import gettext as _
from lxml import etree

from anju.warnings.cap.model import NAMESPACE, Alert, Area, CapError, Info, Resource
from anju.warnings.cap.times import format_time
from anju.warnings.cap.validator import validate

# Characters XML 1.0 cannot carry (control characters but tab, newline and carriage return;
# lone surrogates; U+FFFE and U+FFFF): dropped from the texts written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _el(parent, tag: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _optional(parent, tag: str, text: str) -> None:
    if text:
        _el(parent, tag, text)


def _pair(parent, tag: str, pair) -> None:
    element = _el(parent, tag)
    _el(element, "valueName", pair[0])
    _el(element, "value", pair[1])


def number(value: float) -> str:
    """A coordinate or radius as CAP writes it: plain decimals, at most 6 places (about 0.1 m)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def polygon_text(points) -> str:
    return " ".join(f"{number(lat)},{number(lon)}" for lat, lon in points)


def reference_text(references) -> str:
    """References as CAP writes them: ``sender,identifier,sent`` separated by spaces."""
    return " ".join(f"{r.sender},{r.identifier},{format_time(r.sent)}" for r in references)


def _in_range(lat, lon) -> bool:
    return (isinstance(lat, int | float) and isinstance(lon, int | float) and math.isfinite(lat)
            and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180)


def _area_problems(area: Area, where: str) -> list[str]:
    problems = []
    for number_, points in enumerate(area.polygons, 1):
        name = f"{where} polygon {number_}"
        if len(points) < 4:
            problems.append(_("%(where)s has %(n)s points: a CAP polygon needs at least 4, the first repeated "
                              "last.") % {"where": name, "n": len(points)})
        elif tuple(points[0]) != tuple(points[-1]):
            problems.append(_("%(where)s is not closed: its first and last points differ.") % {"where": name})
        if not all(len(p) == 2 and _in_range(*p) for p in points):
            problems.append(_("%(where)s has a point outside latitude -90..90, longitude -180..180.") % {"where": name})
    for number_, (lat, lon, radius) in enumerate(area.circles, 1):
        if not _in_range(lat, lon) or not isinstance(radius, int | float) or not math.isfinite(radius) or radius < 0:
            problems.append(_("%(where)s circle %(n)s has its centre out of range or a negative radius.")
                            % {"where": where, "n": number_})
    return problems


def _times(alert: Alert) -> list[str]:
    moments = [("sent", alert.sent)] + [(f"reference {r.identifier}", r.sent) for r in alert.references]
    for info in alert.infos:
        moments += [("effective", info.effective), ("onset", info.onset), ("expires", info.expires)]
    return [_("The time %(name)s has no time zone.") % {"name": name} for name, moment in moments
            if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None)]


def _resource(parent, resource: Resource) -> None:
    element = _el(parent, "resource")
    _el(element, "resourceDesc", resource.resource_desc)
    _el(element, "mimeType", resource.mime_type)
    if resource.size is not None:
        _el(element, "size", str(resource.size))
    _optional(element, "uri", resource.uri)
    _optional(element, "digest", resource.digest)


def _area(parent, area: Area) -> None:
    element = _el(parent, "area")
    _el(element, "areaDesc", area.area_desc)
    for points in area.polygons:
        _el(element, "polygon", polygon_text(points))
    for lat, lon, radius in area.circles:
        _el(element, "circle", f"{number(lat)},{number(lon)} {number(radius)}")
    for pair in area.geocodes:
        _pair(element, "geocode", pair)
    if area.altitude is not None:
        _el(element, "altitude", number(area.altitude))
    if area.ceiling is not None:
        _el(element, "ceiling", number(area.ceiling))


def _info(parent, info: Info) -> None:
    element = _el(parent, "info")
    _optional(element, "language", info.language)
    for category in info.categories:
        _el(element, "category", category)
    _el(element, "event", info.event)
    for response in info.response_types:
        _el(element, "responseType", response)
    _el(element, "urgency", info.urgency)
    _el(element, "severity", info.severity)
    _el(element, "certainty", info.certainty)
    _optional(element, "audience", info.audience)
    for pair in info.event_codes:
        _pair(element, "eventCode", pair)
    for tag, moment in (("effective", info.effective), ("onset", info.onset), ("expires", info.expires)):
        if moment is not None:
            _el(element, tag, format_time(moment))
    for tag, text in (("senderName", info.sender_name), ("headline", info.headline),
                      ("description", info.description), ("instruction", info.instruction), ("web", info.web),
                      ("contact", info.contact)):
        _optional(element, tag, text)
    for pair in info.parameters:
        _pair(element, "parameter", pair)
    for resource in info.resources:
        _resource(element, resource)
    for area in info.areas:
        _area(element, area)


def build(alert: Alert) -> bytes:
    """The CAP 1.2 document of ``alert``, UTF-8 with its XML declaration. Raises ``CapError``
    with the reasons when the alert cannot be a valid message (an open or short polygon, a time
    without its zone, anything ``validate`` finds in what was written)."""
    problems = _times(alert)
    for number_, info in enumerate(alert.infos, 1):
        for area_number, area in enumerate(info.areas, 1):
            problems += _area_problems(area, f"info {number_} area {area_number}")
    if problems:
        raise CapError(problems)
    root = etree.Element(f"{{{NAMESPACE}}}alert", nsmap={None: NAMESPACE})
    _el(root, "identifier", alert.identifier)
    _el(root, "sender", alert.sender)
    _el(root, "sent", format_time(alert.sent))
    _el(root, "status", alert.status)
    _el(root, "msgType", alert.msg_type)
    _optional(root, "source", alert.source)
    _el(root, "scope", alert.scope)
    _optional(root, "restriction", alert.restriction)
    _optional(root, "addresses", alert.addresses)
    for code in alert.codes:
        _el(root, "code", code)
    _optional(root, "note", alert.note)
    _optional(root, "references", reference_text(alert.references))
    _optional(root, "incidents", alert.incidents)
    for info in alert.infos:
        _info(root, info)
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)
    reasons = validate(xml)
    if reasons:
        raise CapError(reasons)
    return xml
