"""Importing regions (CSV) and grids (GeoJSON): all or nothing, problems by line."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from anju.conftest import square
from anju.geo import gridindex
from anju.geo.models import Region
from anju.geo.services import ImportFailed, import_grids, import_regions


@pytest.fixture(autouse=True)
def english():
    # The reasons are checked by their English words; the Chinese ones are translations.
    with translation.override("en"):
        yield


GOOD = "code,name,parent_code\n500229,城口县,\n500229001,葛城街道,500229\n500229001001,土城社区,500229001\n"


def test_it_imports_a_region_tree(db):
    assert import_regions(GOOD) == 3
    village = Region.objects.get(code="500229001001")
    assert village.level == "village" and village.path == "500229/500229001/500229001001/" and village.depth == 2
    assert {r.code for r in Region.objects.get(code="500229").subtree()} == {"500229", "500229001", "500229001001"}


def test_a_second_import_renames_and_adds(db):
    import_regions(GOOD)
    assert import_regions("code,name,parent_code\n500229001,葛城街道办,500229\n500229002,复兴街道,500229\n") == 1
    assert Region.objects.get(code="500229001").name == "葛城街道办"


@pytest.mark.parametrize("bad_line,reason", [
    ("500229002,复兴街道,999999", "999999"),
    ("5002X9002,复兴街道,500229", "digits"),
    ("500229002,,500229", "name"),
    ("500229001,葛城,500229", "twice"),
    ("500229002", "3 columns"),
    ("510101001,别的县的街道,500229", "county"),
])
def test_a_bad_line_is_reported_by_number_and_nothing_is_written(db, bad_line, reason):
    text = GOOD + bad_line + "\n"
    with pytest.raises(ImportFailed) as failed:
        import_regions(text)
    assert [p.line for p in failed.value.problems] == [5]
    assert reason in failed.value.problems[0].reason
    assert Region.objects.count() == 0


def test_a_wrong_header_is_refused(db):
    with pytest.raises(ImportFailed):
        import_regions("id,title\n1,x\n")


def feature(code, geometry, parent="500229001001", name="第1网格"):
    return {"type": "Feature", "properties": {"code": code, "name": name, "parent_code": parent},
            "geometry": geometry}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def test_it_imports_grids_and_finds_them_by_point(db):
    import_regions(GOOD)
    assert import_grids(collection(feature("500229001001001", square(108.60, 31.90)),
                                   feature("500229001001002", square(108.61, 31.90), name="第2网格"))) == 2
    grid = Region.objects.get(code="500229001001002")
    assert grid.level == "grid" and grid.parent.code == "500229001001"
    assert gridindex.find_grid_id(31.905, 108.615) == grid.pk
    assert gridindex.find_grid_id(31.905, 108.700) is None


def test_the_lookup_sees_a_changed_grid_at_once(db):
    import_regions(GOOD)
    import_grids(collection(feature("500229001001001", square(108.60, 31.90))))
    grid = Region.objects.get(code="500229001001001")
    assert gridindex.find_grid_id(31.905, 108.605) == grid.pk
    import_grids(collection(feature("500229001001001", square(108.80, 31.90))))
    assert gridindex.find_grid_id(31.905, 108.605) is None
    assert gridindex.find_grid_id(31.905, 108.805) == grid.pk


BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.mark.parametrize("bad,reason", [
    (feature("500229001001009", {"type": "Point", "coordinates": [108.6, 31.9]}), "Polygon"),
    (feature("500229001001009", BOWTIE), "invalid"),
    (feature("500229001001009", square(200, 31.9)), "WGS84"),
    (feature("500229001001009", square(108.6, 31.9), parent="500229001"), "village"),
    (feature("abc", square(108.6, 31.9)), "digits"),
    ({"type": "Feature"}, "properties"),
])
def test_a_bad_feature_is_reported_by_number_and_nothing_is_written(db, bad, reason):
    import_regions(GOOD)
    with pytest.raises(ImportFailed) as failed:
        import_grids(collection(feature("500229001001001", square(108.60, 31.90)), bad))
    assert [p.line for p in failed.value.problems] == [2]
    assert reason in failed.value.problems[0].reason
    assert not Region.objects.filter(level="grid").exists()


def test_not_json_is_reported(db):
    with pytest.raises(ImportFailed):
        import_grids("{")


def test_the_commands_report_problems_and_fail(db, tmp_path, capsys):
    path = tmp_path / "regions.csv"
    path.write_text(GOOD + "bad,line,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_regions", str(path))
    assert "5" in capsys.readouterr().err
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_regions", str(path))
    grids = tmp_path / "grids.geojson"
    grids.write_text(collection(feature("500229001001001", square(108.60, 31.90))), encoding="utf-8")
    call_command("import_grids", str(grids))
    assert Region.objects.filter(level="grid").count() == 1
