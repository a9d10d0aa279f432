"""The public CAP pages: /cap/feed.xml (Atom, the messages issued here, those in force first, then
the newest) and /cap/<identifier>.xml (the message exactly as issued, application/cap+xml), for
anyone without signing in; nothing received from upstream and no person in either."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from lxml import etree

from anju.warnings import cap
from anju.warnings.importing import import_alert
from anju.warnings.issuing import issue_message
from anju.warnings.tests.cap_fixtures import HOUSEHOLD, MONITOR, make_point, make_warning, upstream

ATOM = "{http://www.w3.org/2005/Atom}"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def entries(response):
    root = etree.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_lists_what_was_issued_in_force_first_then_newest(county, people):
    now = timezone.now().replace(microsecond=0)
    point = make_point(county)
    old = make_warning(county, points=[point], status="cancelled", headline="旧预警",
                       expires_at=now + timedelta(days=1))
    old_alert = issue_message(old, "Alert", None, now - timedelta(hours=5))
    old_cancel = issue_message(old, "Cancel", None, now - timedelta(hours=4))
    live = make_warning(county, points=[point], level="red", headline="土城社区滑坡红色预警",
                        expires_at=now + timedelta(hours=6))
    live_alert = issue_message(live, "Alert", None, now - timedelta(hours=6))
    live_update = issue_message(live, "Update", None, now - timedelta(hours=3))
    lapsed = make_warning(county, area=county.fuxing, expires_at=now - timedelta(minutes=1), headline="已过期")
    lapsed_alert = issue_message(lapsed, "Alert", None, now - timedelta(hours=1))
    response = Client().get("/cap/feed.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root, items = entries(response)
    assert root.findtext(f"{ATOM}title").startswith("城口县")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/cap/feed.xml"
    assert root.findtext(f"{ATOM}updated") == cap.format_time(lapsed_alert.sent_at)  # the newest
    identifiers = [e.findtext(f"{CAP}identifier") for e in items]
    # In force: the update of the live warning only (it supersedes its alert); then newest first.
    assert identifiers == [live_update.identifier, lapsed_alert.identifier, old_cancel.identifier,
                           old_alert.identifier, live_alert.identifier]
    first = items[0]
    link = first.find(f"{ATOM}link[@rel='alternate']")
    assert link.get("type") == "application/cap+xml"
    assert link.get("href") == f"http://testserver/cap/{live_update.identifier}.xml"
    assert first.findtext(f"{ATOM}id") == link.get("href")
    assert first.findtext(f"{ATOM}title") == "土城社区滑坡红色预警"
    assert first.findtext(f"{ATOM}updated") == cap.format_time(live_update.sent_at)
    assert first.findtext(f"{ATOM}summary") == "城口县葛城街道：土城社区后山滑坡 · 红色 Red · Update"
    assert (first.findtext(f"{CAP}severity"), first.findtext(f"{CAP}msgType")) == ("Extreme", "Update")
    text = response.content.decode()
    for secret in (*MONITOR, HOUSEHOLD[0], HOUSEHOLD[1]):
        assert secret not in text


def test_each_message_is_served_as_issued(county):
    warning = make_warning(county, points=[make_point(county)])
    message = issue_message(warning, "Alert", None, timezone.now())
    response = Client().get(f"/cap/{message.identifier}.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/cap+xml"
    assert response.content == bytes(message.xml) and cap.validate(response.content) == []
    assert "public" in response["Cache-Control"]


def test_a_message_received_from_upstream_or_unknown_is_not_served(county, people):
    sent = timezone.now() - timedelta(minutes=5)
    received = import_alert(people.dispatcher, upstream(sent=cap.format_time(sent),
                                                        expires=cap.format_time(sent + timedelta(days=1))))
    assert Client().get(f"/cap/{received.message.identifier}.xml").status_code == 404
    assert Client().get("/cap/nothing.xml").status_code == 404
    _root, items = entries(Client().get("/cap/feed.xml"))
    assert items == []


def test_the_feed_is_well_formed_when_empty(db):
    response = Client().get("/cap/feed.xml")
    root, items = entries(response)
    assert response.status_code == 200 and items == [] and root.findtext(f"{ATOM}id")
