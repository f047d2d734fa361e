"""Area boundaries: the shipped CBS shapes and the GeoJSON route of the area maps."""

from participatie.core.areas.boundaries import bounding_box
from participatie.core.areas.boundaries import feature_collection

ENSCHEDE_WIJKEN = [f"WK0153{number:02d}" for number in range(10)]


def test_map_of_the_gemeente_has_one_feature_per_wijk(client, areas):
    response = client.get("/gebieden/GM0153/kaart.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    codes = [feature["properties"]["code"] for feature in collection["features"]]
    assert codes == ENSCHEDE_WIJKEN
    assert {feature["geometry"]["type"] for feature in collection["features"]} <= {
        "Polygon",
        "MultiPolygon",
    }


def test_map_of_a_wijk_shows_its_buurten(client, areas):
    collection = client.get("/gebieden/WK015306/kaart.geojson").get_json()
    codes = {feature["properties"]["code"] for feature in collection["features"]}
    assert codes and all(code.startswith("BU015306") for code in codes)


def test_map_of_a_buurt_shows_the_buurt_itself(client, areas):
    collection = client.get("/gebieden/BU01530600/kaart.geojson").get_json()
    assert [f["properties"]["code"] for f in collection["features"]] == ["BU01530600"]


def test_map_of_an_unknown_area_or_one_outside_the_municipality_is_404(client, areas):
    assert client.get("/gebieden/WK999999/kaart.geojson").status_code == 404
    assert client.get("/gebieden/GM0164/kaart.geojson").status_code == 404


def test_a_stadsdeel_is_drawn_as_the_shapes_of_its_wijken():
    collection = feature_collection(["SD01"], parts={"SD01": ["WK015300", "WK015301"]})
    (feature,) = collection["features"]
    assert feature["properties"]["code"] == "SD01"
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert len(feature["geometry"]["coordinates"]) >= 2


def test_areas_without_a_boundary_are_left_out():
    assert feature_collection(["WK999999"])["features"] == []


def test_bounding_box_of_enschede_lies_around_the_city():
    west, south, east, north = bounding_box(feature_collection(["GM0153"]))
    assert 6.7 < west < 6.9 < east < 7.0
    assert 52.1 < south < 52.2 < north < 52.35
    assert bounding_box(feature_collection([])) is None
