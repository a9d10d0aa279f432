"""Every module's API schemas share one OpenAPI document, where a schema is known by its class name
alone: two different schemas with the same name would make one endpoint describe the other's
answer (as RoundOut of the hazards once did to /api/v1/screening-rounds)."""

from collections import defaultdict

from ninja import Schema

from anju.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_different_api_schemas_share_a_name():
    api.get_openapi_schema()  # every router is mounted and its schemas are defined
    by_name = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("anju."):
            by_name[schema.__name__].add(tuple(sorted(schema.model_fields)))
    clashes = {name: shapes for name, shapes in by_name.items() if len(shapes) > 1}
    assert clashes == {}, clashes
