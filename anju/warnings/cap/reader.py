"""Reading a CAP 1.2 document into an ``Alert``, for documents from anywhere: ``validate`` first
(safe parser, size limit, schema, the CAP text's rules), and a ``CapError`` with its reasons for
anything that is not a valid alert. No other exception leaves ``parse``, whatever the bytes."""

from lxml import etree

from anju.warnings.cap.model import NAMESPACE, Alert, Area, CapError, Info, Reference, Resource
from anju.warnings.cap.times import parse_time
from anju.warnings.cap.validator import DEFAULT_MAX_BYTES, check, circle_parts, polygon_points, read, string


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _text(element, tag: str) -> str:
    found = element.find(_q(tag))
    return string(found).strip()


def _texts(element, tag: str) -> list[str]:
    return [string(found).strip() for found in element.iterfind(_q(tag))]


def _pairs(element, tag: str) -> list[tuple[str, str]]:
    return [(_text(found, "valueName"), _text(found, "value")) for found in element.iterfind(_q(tag))]


def _time(element, tag: str):
    text = _text(element, tag)
    return parse_time(text) if text else None


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _area(element) -> Area:
    polygons = [points for points in (polygon_points(string(p)) for p in element.iterfind(_q("polygon"))) if points]
    circles = [parts for parts in (circle_parts(string(c)) for c in element.iterfind(_q("circle"))) if parts]
    return Area(area_desc=_text(element, "areaDesc"), polygons=polygons, circles=circles,
                geocodes=_pairs(element, "geocode"), altitude=_number(_text(element, "altitude")),
                ceiling=_number(_text(element, "ceiling")))


def _resource(element) -> Resource:
    size = _text(element, "size")
    try:
        size_value = int(size) if size else None
    except ValueError:
        size_value = None
    return Resource(resource_desc=_text(element, "resourceDesc"), mime_type=_text(element, "mimeType"),
                    size=size_value, uri=_text(element, "uri"), digest=_text(element, "digest"))


def _info(element) -> Info:
    return Info(
        language=_text(element, "language") or "en-US", categories=_texts(element, "category"),
        event=_text(element, "event"), response_types=_texts(element, "responseType"),
        urgency=_text(element, "urgency"), severity=_text(element, "severity"),
        certainty=_text(element, "certainty"), audience=_text(element, "audience"),
        event_codes=_pairs(element, "eventCode"), effective=_time(element, "effective"),
        onset=_time(element, "onset"), expires=_time(element, "expires"), sender_name=_text(element, "senderName"),
        headline=_text(element, "headline"), description=_text(element, "description"),
        instruction=_text(element, "instruction"), web=_text(element, "web"), contact=_text(element, "contact"),
        parameters=_pairs(element, "parameter"), resources=[_resource(r) for r in element.iterfind(_q("resource"))],
        areas=[_area(a) for a in element.iterfind(_q("area"))],
    )


def _references(text: str) -> list[Reference]:
    references = []
    for token in text.split():
        parts = token.split(",")
        sent = parse_time(parts[2]) if len(parts) == 3 else None
        if sent is not None:
            references.append(Reference(parts[0], parts[1], sent))
    return references


def _alert(root) -> Alert:
    sent = _time(root, "sent")
    if sent is None:
        raise CapError([f"sent: {_text(root, 'sent')!r}"])
    return Alert(
        identifier=_text(root, "identifier"), sender=_text(root, "sender"), sent=sent,
        status=_text(root, "status"), msg_type=_text(root, "msgType"), source=_text(root, "source"),
        scope=_text(root, "scope"), restriction=_text(root, "restriction"), addresses=_text(root, "addresses"),
        codes=_texts(root, "code"), note=_text(root, "note"), references=_references(_text(root, "references")),
        incidents=_text(root, "incidents"), infos=[_info(i) for i in root.iterfind(_q("info"))],
    )


def parse(xml: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, trusted: bool = False) -> Alert:
    """The alert ``xml`` holds. Raises ``CapError`` with every reason it is not a valid CAP 1.2
    alert (it is validated first). ``trusted=True`` only for bytes Anju built and stored itself:
    they are read safely but not validated again."""
    if trusted:
        root, reasons = read(xml, max_bytes)
        if root is not None and root.tag != _q("alert"):
            reasons = [f"root element {root.tag!r}"]
    else:
        root, reasons = check(xml, max_bytes)
    if reasons:
        raise CapError(reasons)
    if not trusted:
        return _alert(root)
    try:
        return _alert(root)
    except (etree.LxmlError, ValueError, TypeError, AttributeError) as error:  # stored bytes no longer valid
        raise CapError([str(error)]) from None
