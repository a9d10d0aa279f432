"""CAP 1.2 (OASIS Common Alerting Protocol), as plain code without models: the message as data
(``Alert``, ``Info``, ``Area``, ``Resource``, ``Reference``), writing it (``build``), checking a
document from anywhere against the OASIS schema and the rules of the CAP text (``validate``),
reading one safely (``parse``), the GB/T 35965.1 identifier (``make_identifier``) and the Atom
feed of messages (``atom_feed``)."""

from anju.warnings.cap.feed import FeedEntry, atom_feed
from anju.warnings.cap.identifier import make_identifier, unit_code
from anju.warnings.cap.model import CONTENT_TYPE, NAMESPACE, Alert, Area, CapError, Info, Reference, Resource
from anju.warnings.cap.reader import parse
from anju.warnings.cap.times import BEIJING, format_time, parse_time
from anju.warnings.cap.validator import DEFAULT_MAX_BYTES, validate
from anju.warnings.cap.writer import build, polygon_text, reference_text

__all__ = [
    "BEIJING", "CONTENT_TYPE", "DEFAULT_MAX_BYTES", "NAMESPACE", "Alert", "Area", "CapError", "FeedEntry", "Info",
    "Reference", "Resource", "atom_feed", "build", "format_time", "make_identifier", "parse", "parse_time",
    "polygon_text", "reference_text", "unit_code", "validate",
]
