"""The dispute figures endpoint (/api/v1/disputes/stats): the period, the region, the user's
scope, and bad parameters. The figures themselves are tested in test_stats.py."""

from datetime import timedelta

import pytest

from anju.disputes.tests.flow import today

URL = "/api/v1/disputes/stats"


@pytest.fixture
def three(dispute_at):
    """Three disputes registered three days ago: one still submitted, one ended without an
    agreement, one resolved by an agreement signed today."""
    return {"submitted": dispute_at("submitted"), "ended": dispute_at("ended"), "signed": dispute_at("signed")}


def test_it_counts_the_disputes_of_the_last_thirty_days_by_default(as_user, three):
    response = as_user("dispatcher").get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {"start": (today() - timedelta(days=29)).isoformat(), "end": today().isoformat(),
                              "time_zone": "Asia/Shanghai"}
    totals = body["totals"]
    assert (totals["found"], totals["concluded"], totals["resolved"]) == (len(three), 2, 1)
    assert totals["resolution_rate"] == 50.0
    land = next(row for row in body["by_type"] if row["code"] == "dispute.land")
    assert land["found"] == len(three)
    assert [row["code"] for row in body["by_township"]] == ["500229001"]
    assert {d["key"] for d in body["definitions"]} >= {"found", "resolution_rate"}


def test_it_counts_only_what_the_user_may_see(as_user, three):
    # The mediation committee sees the two disputes dispatched to it, not the one still at the centre.
    assert as_user("mediator").get(URL).json()["totals"]["found"] == len(three) - 1
    assert as_user("other_handler").get(URL).json()["totals"]["found"] == 0
    assert as_user("nobody").get(URL).json()["totals"]["found"] == 0


def test_it_counts_a_chosen_period_and_region(as_user, three):
    client = as_user("dispatcher")
    earlier = (today() - timedelta(days=10)).isoformat()
    assert client.get(f"{URL}?start={earlier}&end={earlier}").json()["totals"]["found"] == 0
    registered = (today() - timedelta(days=3)).isoformat()
    assert client.get(f"{URL}?start={registered}&end={registered}").json()["totals"]["found"] == len(three)
    assert client.get(f"{URL}?region=500229002").json()["totals"]["found"] == 0
    body = client.get(f"{URL}?region=500229001").json()
    assert body["region"]["code"] == "500229001" and body["totals"]["found"] == len(three)


@pytest.mark.parametrize("query,field", [
    ("start=yesterday", "start"), ("end=2026-13-01", "end"), ("start=2026-11-10&end=2026-11-09", "end"),
    ("start=2020-01-01&end=2026-01-01", "start"), ("region=999", "region"), ("start=1999-12-31", "start"),
    ("region=" + "1" * 21, "region"),
])
def test_bad_parameters_name_the_field(as_user, mediation, query, field):
    response = as_user("dispatcher", HTTP_ACCEPT_LANGUAGE="en").get(f"{URL}?{query}")
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
