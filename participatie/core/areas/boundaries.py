"""Area boundaries from the shipped CBS file, as GeoJSON for the area maps.

The file (``participatie/data/cbs/``, see its README) holds generalised WGS84
polygons of every gemeente, wijk and buurt of Enschede and Hengelo, keyed by
the CBS code in the ``code`` property. It is read once per process: it is
small (about 50 KB) and never changes while the app runs.
"""

import json
from collections.abc import Iterable
from collections.abc import Mapping
from functools import cache
from pathlib import Path

BOUNDARIES_FILE = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "cbs"
    / "enschede_hengelo_boundaries_2024.geojson"
)


@cache
def _shapes() -> dict[str, dict]:
    """Every feature of the shipped file by its CBS code."""
    with BOUNDARIES_FILE.open(encoding="utf-8") as file:
        collection = json.load(file)
    return {feature["properties"]["code"]: feature for feature in collection["features"]}


def has_boundary(code: str) -> bool:
    return code in _shapes()


def _polygons(geometry: dict) -> list:
    """The polygons of a Polygon or MultiPolygon, as MultiPolygon coordinates."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def feature_collection(
    codes: Iterable[str], parts: Mapping[str, Iterable[str]] | None = None
) -> dict:
    """A GeoJSON FeatureCollection with the boundaries of the areas ``codes``.

    Each feature has the properties ``code``, ``name`` and ``level`` of the CBS
    file. An area the file lacks (a stadsdeel, which the municipality defines
    itself) is drawn as the MultiPolygon of its ``parts`` (say its wijken);
    an area with neither is left out.
    """
    shapes = _shapes()
    parts = parts or {}
    features = []
    for code in codes:
        feature = shapes.get(code)
        if feature is not None:
            properties = feature["properties"]
            features.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {
                        "code": code,
                        "name": properties["name"],
                        "level": properties["level"],
                    },
                    "geometry": feature["geometry"],
                }
            )
            continue
        polygons = [
            polygon
            for part in parts.get(code, ())
            if part in shapes
            for polygon in _polygons(shapes[part]["geometry"])
        ]
        if polygons:
            features.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {"code": code, "name": None, "level": None},
                    "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def bounding_box(collection: dict) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` of a FeatureCollection, or None when it is empty."""
    longitudes, latitudes = [], []
    for feature in collection["features"]:
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                for longitude, latitude in ring:
                    longitudes.append(longitude)
                    latitudes.append(latitude)
    if not longitudes:
        return None
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)
