"""A CAP 1.2 message as plain data: the alert, its info blocks (one per language), their areas and
resources. Field names are the CAP element names in Python's spelling (``msgType`` → ``msg_type``);
lists keep the order the elements have in the document. Times are aware datetimes."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CONTENT_TYPE = "application/cap+xml"

# A (valueName, value) pair of a <parameter>, <eventCode> or <geocode>.
Pair = tuple[str, str]
# A point of a polygon or the centre of a circle: (latitude, longitude), WGS84.
LatLon = tuple[float, float]


class CapError(Exception):
    """A CAP document refused (by ``parse``), or a message that cannot be built (by ``build``):
    ``reasons`` says each thing wrong with it, in words people read."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


class Reference(NamedTuple):
    """An earlier message a message refers to, by CAP's extended message identifier: the triple
    (sender, identifier, sent), written ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: datetime


@dataclass
class Area:
    area_desc: str
    # Each polygon closed (first point repeated last), at least four points.
    polygons: list[list[LatLon]] = field(default_factory=list)
    # (latitude, longitude, radius in km).
    circles: list[tuple[float, float, float]] = field(default_factory=list)
    geocodes: list[Pair] = field(default_factory=list)
    altitude: float | None = None
    ceiling: float | None = None


@dataclass
class Resource:
    resource_desc: str
    mime_type: str
    size: int | None = None
    uri: str = ""
    digest: str = ""


@dataclass
class Info:
    event: str
    urgency: str
    severity: str
    certainty: str
    categories: list[str] = field(default_factory=lambda: ["Geo"])
    language: str = "en-US"
    response_types: list[str] = field(default_factory=list)
    audience: str = ""
    event_codes: list[Pair] = field(default_factory=list)
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str = ""
    headline: str = ""
    description: str = ""
    instruction: str = ""
    web: str = ""
    contact: str = ""
    parameters: list[Pair] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)

    def parameter(self, name: str) -> str | None:
        """The value of the first parameter named ``name``, or None."""
        return next((value for value_name, value in self.parameters if value_name == name), None)


@dataclass
class Alert:
    identifier: str
    sender: str
    sent: datetime
    msg_type: str
    status: str = "Actual"
    scope: str = "Public"
    source: str = ""
    restriction: str = ""
    addresses: str = ""
    codes: list[str] = field(default_factory=list)
    note: str = ""
    references: list[Reference] = field(default_factory=list)
    incidents: str = ""
    infos: list[Info] = field(default_factory=list)
