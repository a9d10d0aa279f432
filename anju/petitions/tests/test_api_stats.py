"""GET /api/v1/petitions/stats: the figures of the petitions the user may see, with bad input
refused naming the field."""

import pytest

from anju.conftest import at
from anju.petitions import services
from anju.petitions.tests import flow


def test_it_counts_what_the_user_may_see(as_user, petitions, people):
    case = flow.answered(people, now=at(2026, 3, 2, 9), answered_at=at(2026, 4, 1, 9))
    services.request_review(None, case, reason="请求复查", by_petitioner=True, now=at(2026, 4, 10, 9))
    flow.routed(people, to="fx", now=at(2026, 3, 5, 9))
    body = as_user("supervisor").get("/api/v1/petitions/stats?start=2026-03-01&end=2026-04-30").json()
    totals = body["totals"]
    assert (totals["received"], totals["accepted"], totals["answered"]) == (2, 1, 1)
    assert (totals["answered_on_time"], totals["reviewed"], totals["first_time"]) == (1, 1, 0)
    assert totals["on_time_rate"] == 100.0 and totals["first_time_rate"] == 0.0
    # Both lie in 葛城; one was accepted by 葛城's office, the other waits at 复兴's.
    assert [(row["code"], row["received"]) for row in body["by_township"]] == [("500229001", 2)]
    assert {row["code"] for row in body["by_office"]} == {"gc", "fx"}
    assert [row["code"] for row in body["by_month"]] == ["2026-03", "2026-04"]
    assert {d["key"] for d in body["definitions"]} >= {"received", "first_time_rate"}
    # The handler of 复兴 sees only the petition sent to its body.
    mine = as_user("other_handler").get("/api/v1/petitions/stats?start=2026-03-01&end=2026-04-30").json()
    assert mine["totals"]["received"] == 1 and mine["totals"]["answered"] == 0


def test_it_needs_a_token(client):
    assert client.get("/api/v1/petitions/stats").status_code == 401


@pytest.mark.parametrize("query, field", [
    ("start=2026-05-01&end=2026-04-01", "end"),
    ("start=2010-01-01&end=2026-04-01", "start"),
    ("start=nope", "start"),
    ("region=999", "region"),
    ("office=nope", "office"),
])
def test_it_refuses_bad_input_naming_the_field(as_user, petitions, query, field):
    response = as_user("supervisor").get(f"/api/v1/petitions/stats?{query}")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_its_schema_in_the_openapi_document_is_its_own(as_user, petitions):
    """Schema names are global in the document: the petition figures must not take the place of
    the dispute figures' schema of the same shape name, nor the other way round."""
    document = as_user("supervisor").get("/api/v1/openapi.json").json()

    def fields(path):
        reference = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        schema = document["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]
        row = document["components"]["schemas"][schema["properties"]["totals"]["$ref"].rsplit("/", 1)[1]]
        return set(row["properties"])

    assert {"received", "first_time_rate"} <= fields("/api/v1/petitions/stats")
    assert "found" in fields("/api/v1/disputes/stats") and "received" not in fields("/api/v1/disputes/stats")
