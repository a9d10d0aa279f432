"""Writing GeoReport v2 answers in the spec's two formats.

The services build plain Python data (dicts, lists, strings, numbers, booleans, None); this
module turns it into JSON (lists stay bare arrays) or XML with the spec's wrapper elements
(``<services><service>``, ``<service_requests><request>``, ``<errors><error>`` ...).
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone

XML = "xml"
JSON = "json"
FORMATS = (XML, JSON)
CONTENT_TYPES = {XML: "text/xml; charset=utf-8", JSON: "application/json; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# The element name of one item, for each list the spec wraps in XML.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all, even escaped: a case text with one of them must not
# make the whole answer unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c(moment: datetime | None) -> str | None:
    """A moment as a W3C date and time in Asia/Shanghai, with its offset: 2026-09-30T10:00:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[name]
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


def to_xml(root: str, data) -> str:
    """``data`` under a root element ``root``; a list gets one child per item, named by ITEM_NAMES."""
    element = ET.Element(root)
    _fill(element, root, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def render(fmt: str, root: str, data, *, status: int = 200) -> HttpResponse:
    """The answer in ``fmt``. ``root`` names the XML root element; JSON has none."""
    if fmt == JSON:
        body = json.dumps(data, ensure_ascii=False)
    else:
        body = to_xml(root, data)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The spec's error answer: one entry per problem, each with the HTTP status as its code."""
    errors = [{"code": status, "description": str(description)} for description in descriptions]
    return render(fmt if fmt in FORMATS else XML, "errors", errors, status=status)
