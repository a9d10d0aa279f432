"""``cap.parse`` reads documents from anyone: whatever the bytes, it returns an alert or raises
``CapError`` with reasons, never anything else (fuzzed with hypothesis: raw bytes, a valid alert
cut, spliced and overwritten, and valid structure with wild values)."""

from xml.sax.saxutils import escape

from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anju.warnings import cap
from anju.warnings.tests.cap_fixtures import upstream

VALID = upstream()
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SNIPPETS = [b"<", b">", b"&", b"&amp;", b"&lol;", b"<!DOCTYPE a>", b"<![CDATA[x]]>", b"<?pi x?>", b"<!-- c -->",
            b"</alert>", b"<info>", b"xmlns=''", b"\x00", b"\xff", b"\xc3", b"-00:00", b"Z", b",", b" ", b"\n",
            b"<polygon>1,2 3,4</polygon>", b"<circle>1,2 -3</circle>", b"<references>a,b,c</references>",
            b'<?xml version="1.0" encoding="UTF-16"?>', b'encoding="GB2312"', b"<x:y xmlns:x='urn:x'/>"]


def reads_or_refuses(document: bytes) -> None:
    try:
        alert = cap.parse(document)
    except cap.CapError as error:
        assert error.reasons and all(isinstance(r, str) and r for r in error.reasons)
    else:
        assert isinstance(alert, cap.Alert)
        # What was accepted is valid, and can be written again.
        assert cap.validate(document) == []


@FUZZ
@given(st.binary(max_size=3000))
def test_raw_bytes(document):
    reads_or_refuses(document)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 40),
                          st.one_of(st.sampled_from(SNIPPETS), st.binary(max_size=12))), max_size=6))
def test_a_valid_alert_cut_and_spliced(edits):
    document = VALID
    for position, length, insert in edits:
        document = document[:position] + insert + document[position + length:]
    reads_or_refuses(document)


TEXT = st.text(max_size=60)
NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-400, 400).map(str), TEXT)


@FUZZ
@given(sent=TEXT, expires=TEXT, identifier=TEXT, sender=TEXT, status=TEXT, msg_type=TEXT, references=TEXT,
       level=TEXT, points=st.lists(st.tuples(NUMBER, NUMBER), max_size=6), geocode=TEXT)
def test_valid_structure_with_wild_values(sent, expires, identifier, sender, status, msg_type, references, level,
                                          points, geocode):
    polygon = " ".join(f"{lat},{lon}" for lat, lon in points)
    values = {"sent": sent, "expires": expires, "identifier": identifier, "sender": sender, "status": status,
              "msg_type": msg_type, "references": references, "level": level, "polygon": polygon, "geocode": geocode}
    reads_or_refuses(upstream(**{key: escape(value) for key, value in values.items()}))


def test_things_that_are_not_bytes_are_refused():
    for thing in (None, "<alert/>", 42, ["<alert/>"]):
        try:
            cap.parse(thing)
        except cap.CapError:
            continue
        raise AssertionError(f"{thing!r} was read")


def test_a_doctype_in_utf_16_is_refused_too():
    document = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE alert [<!ENTITY a "b">]>'
                '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>').encode("utf-16")
    with translation.override("en"):
        assert any("DOCTYPE" in reason for reason in cap.validate(document))
