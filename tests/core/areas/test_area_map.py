"""The area page's map: the table it is drawn from, its credits and the tiles' CSP."""

import pytest
from participatie.security import content_security_policy


def test_area_page_lists_the_children_with_the_values_the_map_is_coloured_by(client, areas):
    page = client.get("/gebieden/GM0153").get_data(as_text=True)
    assert 'id="area-children"' in page
    assert 'data-area-code="WK015300"' in page
    assert 'data-value="6670"' in page  # Binnensingelgebied, inhabitants per km²
    assert 'data-table="area-children"' in page
    assert 'data-geojson="/gebieden/GM0153/kaart.geojson"' in page
    # Without JavaScript the map stays hidden and the table is the content.
    assert "hidden" in page.split('class="area-map"', 1)[1].split(">", 1)[0]
    assert "<script>" not in page
    assert "data-tiles" not in page


def test_buurten_without_a_figure_say_so(client, areas):
    page = client.get("/gebieden/WK015306").get_data(as_text=True)
    assert 'data-area-code="BU01530600"' in page
    assert "data-value=" not in page
    assert "geen cijfer" in page


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("", None),
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        (
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
            "https://service.pdok.nl",
        ),
    ],
)
def test_csp_allows_images_only_from_the_configured_tile_server(template, source):
    policy = content_security_policy({"MAP_TILE_URL": template})
    img_src = next(part for part in policy.split("; ") if part.startswith("img-src"))
    assert img_src == ("img-src 'self'" + (f" {source}" if source else ""))
    assert "script-src 'self';" in policy


def test_configured_tiles_reach_the_map_and_the_credits(app, client, areas):
    app.config["MAP_TILE_URL"] = "https://service.pdok.nl/brt/{z}/{x}/{y}.png"
    app.config["MAP_TILE_ATTRIBUTION"] = "Kaartgegevens © Kadaster"
    response = client.get("/gebieden/GM0153")
    page = response.get_data(as_text=True)
    assert 'data-tiles="https://service.pdok.nl/brt/{z}/{x}/{y}.png"' in page
    assert "Kaartgegevens © Kadaster" in page
    assert "img-src 'self' https://service.pdok.nl" in response.headers["Content-Security-Policy"]
