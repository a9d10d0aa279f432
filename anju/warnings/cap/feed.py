"""The Atom feed (RFC 4287) of CAP messages, as public alert feeds publish them (OASIS "Example
Practices: CAP Feeds" 1.0; the national weather services' indexes): one entry per message, its
``link rel="alternate" type="application/cap+xml"`` to the whole message, its headline as the
title, the sent time as ``updated``, the area and level in the summary, and the CAP elements a
reader sorts by (event, urgency, severity, certainty, area, expiry) as extension elements in the
CAP namespace."""

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from anju.warnings.cap.model import CONTENT_TYPE, NAMESPACE
from anju.warnings.cap.times import format_time

ATOM = "http://www.w3.org/2005/Atom"


@dataclass
class FeedEntry:
    """One message in the feed. ``id`` is a permanent IRI for it (its URL); ``url`` where the CAP
    document is served."""

    id: str
    title: str
    updated: datetime
    url: str
    summary: str = ""
    author: str = ""
    identifier: str = ""
    msg_type: str = ""
    status: str = ""
    event: str = ""
    urgency: str = ""
    severity: str = ""
    certainty: str = ""
    area_desc: str = ""
    expires: datetime | None = None


def _atom(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(entries: list[FeedEntry], *, feed_id: str, title: str, self_url: str, updated: datetime,
              author: str, alternate_url: str = "") -> bytes:
    """The Atom document listing ``entries`` in the order given; UTF-8 with its XML declaration."""
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "cap": NAMESPACE})
    _atom(root, "id", feed_id)
    _atom(root, "title", title)
    _atom(root, "updated", format_time(updated))
    _atom(_atom(root, "author"), "name", author)
    _atom(root, "link", rel="self", type="application/atom+xml", href=self_url)
    if alternate_url:
        _atom(root, "link", rel="alternate", type="text/html", href=alternate_url)
    _atom(root, "generator", "Anju")
    for entry in entries:
        element = _atom(root, "entry")
        _atom(element, "id", entry.id)
        _atom(element, "title", entry.title)
        _atom(element, "updated", format_time(entry.updated))
        _atom(element, "published", format_time(entry.updated))
        if entry.author:
            _atom(_atom(element, "author"), "name", entry.author)
        _atom(element, "link", rel="alternate", type=CONTENT_TYPE, href=entry.url)
        if entry.summary:
            _atom(element, "summary", entry.summary)
        for tag in ("identifier", "msg_type", "status", "event", "urgency", "severity", "certainty", "area_desc"):
            value = getattr(entry, tag)
            if value:
                name = {"msg_type": "msgType", "area_desc": "areaDesc"}.get(tag, tag)
                etree.SubElement(element, f"{{{NAMESPACE}}}{name}").text = value
        if entry.expires is not None:
            etree.SubElement(element, f"{{{NAMESPACE}}}expires").text = format_time(entry.expires)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)
